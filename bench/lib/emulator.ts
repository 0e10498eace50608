/** Parent side of emulator-child.ts: start it on 127.0.0.1:0 in a separate process and talk over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EmulatorOptions, EmulatorStats, FaultRule } from '../../src/emulator/index.ts';

const CHILD = fileURLToPath(new URL('./emulator-child.ts', import.meta.url));

export interface Timeline {
  starts: number[];
  ends: number[];
  sockets: number[];
}

type ChildStats = EmulatorStats & { insertedCount: number; lastStart?: number };

export interface BenchEmulator {
  url: string;
  /** The equivalent CLI command, for the report. */
  command: string;
  stats(): Promise<ChildStats>;
  setFaults(rules: FaultRule[]): Promise<void>;
  reset(): Promise<void>;
  record(on: boolean): Promise<void>;
  timeline(): Promise<Timeline>;
  /** From now on, remember when the next insert request starts. */
  arm(): Promise<void>;
  firstAfterArm(): Promise<number | undefined>;
  close(): Promise<void>;
}

const live = new Set<ChildProcess>();
/** Kills (by pid) every emulator child still running: for the runner's exit path. */
export function killEmulators(): void {
  for (const c of live) if (c.exitCode === null) c.kill('SIGKILL');
}

function cliCommand(o: EmulatorOptions): string {
  const parts = ['wolkvox-import emulator --port 0'];
  if (o.latencyMs !== undefined) parts.push(`--latency ${String(o.latencyMs)}`);
  if (o.maxInflight !== undefined) parts.push(`--max-inflight ${o.maxInflight}`);
  if (o.quota !== undefined) parts.push(`--quota ${o.quota}`);
  for (const f of o.faults ?? []) parts.push(`--fault '${JSON.stringify(f)}'`);
  if (o.seed !== undefined) parts.push(`--seed ${o.seed}`);
  return parts.join(' ');
}

export async function startBenchEmulator(emulator: EmulatorOptions, dropInserts = false): Promise<BenchEmulator> {
  const child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_EMULATOR: JSON.stringify({ emulator, dropInserts }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('emulator child: not ready after 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`emulator child exited with ${code} before it was ready`)));
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve((m as { url: string }).url);
    });
  });
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('message', (raw) => {
    const m = raw as { id?: number; result?: unknown; error?: string };
    const w = m.id === undefined ? undefined : waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id!);
    if (m.error) w.reject(new Error(m.error));
    else w.resolve(m.result);
  });
  child.once('exit', () => {
    for (const w of waiting.values()) w.reject(new Error('emulator child exited'));
    waiting.clear();
  });
  const call = <T>(cmd: string, arg?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, cmd, arg });
    });
  return {
    url,
    command: cliCommand(emulator),
    stats: () => call('stats'),
    setFaults: (rules) => call('faults', rules),
    reset: () => call('reset'),
    record: (on) => call('record', on),
    timeline: () => call('timeline'),
    arm: () => call('arm'),
    firstAfterArm: () => call('firstAfterArm'),
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      await call('close').catch(() => undefined);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
