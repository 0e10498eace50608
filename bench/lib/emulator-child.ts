/**
 * The project's emulator in its own process (so its CPU is not the importer's), driven over IPC
 * by emulator.ts. Besides startEmulator's stats it records, through node:diagnostics_channel,
 * when insert requests start and finish (epoch ms, sub-millisecond) and on which connection:
 * the start-up, idle gaps and tail of a run can then be told apart.
 *   options: JSON in BENCH_EMULATOR ({ emulator: EmulatorOptions, dropInserts?: boolean })
 */
import dc from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { startEmulator, type EmulatorOptions, type FaultRule } from '../../src/emulator/index.ts';

interface ChildOptions {
  emulator: EmulatorOptions;
  /** Forget committed inserts every 500 ms (counters stay): keeps a 1,000,000-row run light. */
  dropInserts?: boolean;
}

const MAX_RECORDED = 50_000;
const opts = JSON.parse(process.env.BENCH_EMULATOR ?? '{}') as ChildOptions;
const emu = await startEmulator({ ...opts.emulator, host: '127.0.0.1', port: 0 });
const now = (): number => performance.timeOrigin + performance.now();

const INSERT = '/server/API/v2/collections/insertGestion.php';
let recording = false;
const starts: number[] = [];
const ends: number[] = [];
const sockets: number[] = [];
const index = new WeakMap<IncomingMessage, number>();
const socketIds = new WeakMap<Socket, number>();
let nextSocket = 0;
let armed = false;
let firstAfterArm: number | undefined;
let lastStart: number | undefined;

dc.subscribe('http.server.request.start', (m) => {
  const { request, socket } = m as { request: IncomingMessage; socket: Socket };
  if (!request.url?.startsWith(INSERT)) return;
  const t = now();
  lastStart = t;
  if (armed && firstAfterArm === undefined) firstAfterArm = t;
  if (!recording || starts.length >= MAX_RECORDED) return;
  let sid = socketIds.get(socket);
  if (sid === undefined) socketIds.set(socket, (sid = nextSocket++));
  index.set(request, starts.length);
  starts.push(t);
  ends.push(NaN);
  sockets.push(sid);
});
dc.subscribe('http.server.response.finish', (m) => {
  const i = index.get((m as { request: IncomingMessage }).request);
  if (i !== undefined) ends[i] = now();
});

if (opts.dropInserts) setInterval(() => void (emu.inserted.length = 0), 500).unref();

type Msg = { id: number; cmd: string; arg?: unknown };
const handlers: Record<string, (arg: unknown) => unknown> = {
  stats: () => ({ ...emu.stats(), insertedCount: emu.inserted.length, lastStart }),
  faults: (rules) => emu.setFaults(rules as FaultRule[]),
  reset: () => {
    emu.reset();
    starts.length = ends.length = sockets.length = 0;
    armed = false;
    firstAfterArm = lastStart = undefined;
  },
  record: (on) => void (recording = on === true),
  timeline: () => ({ starts, ends, sockets }),
  arm: () => {
    armed = true;
    firstAfterArm = undefined;
  },
  firstAfterArm: () => firstAfterArm,
  close: async () => {
    await emu.close();
    setImmediate(() => process.exit(0));
  },
};

process.on('message', (raw) => {
  const m = raw as Msg;
  Promise.resolve()
    .then(() => handlers[m.cmd]!(m.arg))
    .then(
      (result) => process.send!({ id: m.id, result }),
      (err: Error) => process.send!({ id: m.id, error: err.message }),
    );
});
process.on('disconnect', () => void emu.close().then(() => process.exit(0)));
process.send!({ ready: true, url: emu.url });
