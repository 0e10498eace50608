/** Child processes timed from spawn to exit, with their peak RSS (GNU time -v, else /proc VmHWM polling). */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface Timed {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Spawn to exit, ms. */
  ms: number;
  /** Epoch ms (performance.timeOrigin + now) at spawn and at exit. */
  spawnedAt: number;
  exitedAt: number;
  stdout: string;
  stderr: string;
  /** Peak resident set size, KiB (when asked). */
  peakRssKiB?: number;
  rssMethod?: string;
  /** User + system CPU seconds of the child (GNU time only). */
  cpuSec?: number;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  /** Killed after this (its process group, or the pid with sharedSession); default 10 minutes. */
  timeoutMs?: number;
  peakRss?: boolean;
  /**
   * true: the child stays in the bench's session, as a command typed in the terminal that started
   * the emulator would (killed by pid). Default: a session and process group of its own (setsid),
   * killed as a group. On Linux with autogroup scheduling a new session is also a new scheduling
   * group, which here competes with the emulator for the 2 cores.
   */
  sharedSession?: boolean;
}

const GNU_TIME = '/usr/bin/time';
const KEEP = 64 * 1024;
export const epochNow = (): number => performance.timeOrigin + performance.now();

function tail(s: string, chunk: Buffer): string {
  const t = s + chunk.toString('utf8');
  return t.length > KEEP ? t.slice(-KEEP) : t;
}

async function vmHwmKiB(pid: number): Promise<number | undefined> {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** pid → whether it leads a process group of its own. */
const live = new Map<number, boolean>();

function kill(pid: number, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

/** Kills every child of run() still running (its process group, when it has one): for the runner's exit path. */
export function killChildren(): void {
  for (const [pid, group] of live) kill(pid, group);
  live.clear();
}

/** GNU time is used when present (BENCH_NO_GNU_TIME=1 forces the /proc fallback, to test it). */
export function hasGnuTime(): boolean {
  return process.env.BENCH_NO_GNU_TIME !== '1' && existsSync(GNU_TIME);
}

/** utime + stime of a live process, seconds (clock ticks assumed 100/s, Linux's USER_HZ). */
async function cpuSeconds(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return undefined;
  }
}

export function run(cmd: string, args: readonly string[], o: SpawnOptions = {}): Promise<Timed> {
  const wrap = o.peakRss === true && hasGnuTime();
  const [file, argv] = wrap ? [GNU_TIME, ['-v', cmd, ...args]] : [cmd, [...args]];
  return new Promise((resolve, reject) => {
    const spawnedAt = epochNow();
    const group = o.sharedSession !== true;
    const child = spawn(file, argv, { env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: group });
    let stdout = '';
    let stderr = '';
    let hwm: number | undefined;
    let cpu: number | undefined;
    child.stdout.on('data', (c: Buffer) => (stdout = tail(stdout, c)));
    child.stderr.on('data', (c: Buffer) => (stderr = tail(stderr, c)));
    // Without GNU time: the last VmHWM (the kernel's peak RSS) seen before the process ends.
    const poll = o.peakRss && !wrap
      ? setInterval(() => {
        void vmHwmKiB(child.pid!).then((v) => (hwm = v ?? hwm));
        void cpuSeconds(child.pid!).then((v) => (cpu = v ?? cpu));
      }, 50)
      : undefined;
    const killer = setTimeout(() => kill(child.pid!, group), o.timeoutMs ?? 600_000);
    live.set(child.pid!, group);
    let exitedAt = NaN;
    child.once('exit', () => (exitedAt = epochNow()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      live.delete(child.pid!);
      if (Number.isNaN(exitedAt)) exitedAt = epochNow();
      clearTimeout(killer);
      if (poll) clearInterval(poll);
      const out: Timed = { code, signal, ms: exitedAt - spawnedAt, spawnedAt, exitedAt, stdout, stderr };
      if (wrap) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        if (m) out.peakRssKiB = Number(m[1]);
        out.rssMethod = '/usr/bin/time -v (max RSS)';
        const cpu = /User time \(seconds\): ([\d.]+)[\s\S]*?System time \(seconds\): ([\d.]+)/.exec(stderr);
        if (cpu) out.cpuSec = Number(cpu[1]) + Number(cpu[2]);
        const exit = /Exit status: (\d+)/.exec(stderr);
        if (exit) out.code = Number(exit[1]);
      } else if (o.peakRss) {
        out.peakRssKiB = hwm;
        out.cpuSec = cpu;
        out.rssMethod = '/proc/<pid>/status VmHWM, polled every 50 ms';
      }
      resolve(out);
    });
  });
}
