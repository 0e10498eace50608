/**
 * Where does the time between an answer and the next request go? Runs the real pipeline in-process
 * with a client wrapper that timestamps every insert, against an emulator child at 20 ms.
 * node --import tsx bench/probe/gap.ts <emulator-url> <input.csv> <mapping.json>   (GAP_STATE=<file>: a state file instead of :memory:)
 */
import { pino } from 'pino';
import { resolveImportConfig } from '../../src/config/config.ts';
import { runImport } from '../../src/run/import.ts';
import { createClient, type ApiClient } from '../../src/sink/client.ts';

import diagnostics from 'node:diagnostics_channel';

/** undici's own events: when a request's headers go out, and when its answer's headers come in. */
const sent: number[] = [];
const answered: number[] = [];
diagnostics.subscribe('undici:client:sendHeaders', () => sent.push(performance.now()));
diagnostics.subscribe('undici:request:headers', () => answered.push(performance.now()));

const [url, input, mapping] = process.argv.slice(2) as [string, string, string];
const cfg = resolveImportConfig({ input, mapping, server: url, operation: 'gap', state: process.env.GAP_STATE ?? ':memory:', out: '/tmp/gap.results.csv' });
const inner = createClient({ origin: cfg.server, token: 'gap-token', timeoutMs: 30_000, connections: 2 });
const ends: number[] = [];
const gaps: number[] = [];
const client: ApiClient = {
  async insert(op, fields) {
    const t = performance.now();
    if (ends.length > 0) gaps.push(t - ends.shift()!);
    const a = await inner.insert(op, fields);
    ends.push(performance.now());
    return a;
  },
  tokenInfo: (op) => inner.tokenInfo(op),
  abort: () => inner.abort(),
  close: () => inner.close(),
};
const t0 = performance.now();
const r = await runImport(cfg, { logger: pino({ level: 'silent' }), token: 'gap-token', client });
const secs = (performance.now() - t0) / 1000;
gaps.sort((a, b) => a - b);
const q = (p: number) => gaps[Math.floor(p * (gaps.length - 1))]!.toFixed(3);
const wire: number[] = [];
for (let i = 2; i < sent.length; i++) {
  const prev = answered.filter((a) => a <= sent[i]!).pop();
  if (prev !== undefined) wire.push(sent[i]! - prev);
}
wire.sort((a, b) => a - b);
const wq = (p: number) => wire[Math.floor(p * (wire.length - 1))]!.toFixed(3);
const callToWire: number[] = [];
console.log(`undici: answer headers in → next request headers out: p50 ${wq(0.5)} ms, p90 ${wq(0.9)}, p99 ${wq(0.99)}`);
void callToWire;
console.log(`rows ${r.totalRows} in ${secs.toFixed(2)} s (${(r.totalRows / secs).toFixed(1)} rows/s); answer → next insert() call: p50 ${q(0.5)} ms, p90 ${q(0.9)}, p99 ${q(0.99)}, max ${q(1)}`);
