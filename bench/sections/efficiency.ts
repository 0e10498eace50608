/**
 * 1. Efficiency at the API limit: the real CLI at --concurrency 2 against an emulator answering
 * every insert after 20 ms with at most 2 in flight. The ceiling is 2 / 0.020 s = 100 rows/s.
 * The emulator's request timeline splits the loss into start-up, idle slots, latency overshoot and
 * exit; a bare undici loop against the same emulator shows what this machine allows any client.
 */
import { fileURLToPath } from 'node:url';
import { runImporter, shownCommand } from '../lib/cli.ts';
import type { Ctx, SectionFn } from '../lib/context.ts';
import { startBenchEmulator, type BenchEmulator, type Timeline } from '../lib/emulator.ts';
import { run, type Timed } from '../lib/proc.ts';
import { fmt, median, verdict, type Figure } from '../lib/report.ts';
import { readResults, statusText } from '../lib/results.ts';

export const LATENCY_MS = 20;
const SLOTS = 2;
const RUNS = 3;
const CEILING = SLOTS / (LATENCY_MS / 1000);

interface Breakdown {
  /** Spawn (or start) to first insert request, ms. */
  startupMs: number;
  /** Last answer to process exit, ms. */
  tailMs: number;
  /** First request start to last answer, ms. */
  spanMs: number;
  /** Mean time the emulator held a request (start to answer written), ms. */
  serviceMs: number;
  /** Time-averaged requests in flight during the span ÷ slots. */
  occupancy: number;
  /** Per connection: answer written → next request starts, ms. */
  gapP50Ms: number;
  gapMeanMs: number;
  gapP99Ms: number;
  /** Gaps longer than 5 ms: count and total, ms. */
  longGaps: number;
  longGapMs: number;
  requests: number;
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

function breakdown(startedAt: number, exitedAt: number, tl: Timeline, slots: number): Breakdown {
  const n = tl.starts.length;
  const first = Math.min(...tl.starts);
  const last = Math.max(...tl.ends.filter((e) => !Number.isNaN(e)));
  let service = 0;
  const bySocket = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    service += (tl.ends[i] ?? tl.starts[i]!) - tl.starts[i]!;
    let l = bySocket.get(tl.sockets[i]!);
    if (!l) bySocket.set(tl.sockets[i]!, (l = []));
    l.push(i);
  }
  const gaps: number[] = [];
  for (const idx of bySocket.values()) {
    idx.sort((a, b) => tl.starts[a]! - tl.starts[b]!);
    for (let k = 1; k < idx.length; k++) gaps.push(tl.starts[idx[k]!]! - tl.ends[idx[k - 1]!]!);
  }
  gaps.sort((a, b) => a - b);
  const long = gaps.filter((g) => g > 5);
  const span = last - first;
  return {
    // clamped at 0: the bench's and the emulator's clocks differ by under a millisecond
    startupMs: Math.max(0, first - startedAt), tailMs: Math.max(0, exitedAt - last), spanMs: span, serviceMs: service / n, occupancy: service / span / slots,
    gapP50Ms: pct(gaps, 0.5), gapMeanMs: gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length), gapP99Ms: pct(gaps, 0.99),
    longGaps: long.length, longGapMs: long.reduce((a, b) => a + b, 0), requests: n,
  };
}

interface EffRun {
  t: Timed;
  rate: number;
  eff: number;
  b: Breakdown;
  maxInflight: number;
  rejected: number;
}
interface Efficiency {
  rows: number;
  runs: EffRun[];
  /** The run with the median efficiency. */
  med: EffRun;
  shown: string;
  emulator: string;
  /** One bare-loop run before each importer run (same order as runs). */
  refs: Reference[];
  /** The reference run with the median rate. */
  reference: Reference;
}

interface Reference {
  rows: number;
  rate: number;
  b: Breakdown;
}

const REFERENCE = fileURLToPath(new URL('../lib/reference-child.ts', import.meta.url));

/**
 * A bare undici Pool loop, 2 connections, the importer's JSON bodies: what any client gets here.
 * In a fresh process, like the importer (a loop in the bench process runs warmer at each run), and
 * timed from its first request.
 */
async function reference(emu: BenchEmulator, rows: number): Promise<Reference> {
  await emu.reset();
  await emu.record(true);
  const t = await run(process.execPath, ['--import', 'tsx', REFERENCE, emu.url, String(rows)], { timeoutMs: 300_000, sharedSession: true });
  await emu.record(false);
  if (t.code !== 0) throw new Error(`reference loop: exit ${t.code}\n${t.stderr.slice(-1500)}`);
  const { t0, t1 } = JSON.parse(t.stdout) as { t0: number; t1: number };
  const b = breakdown(t0, t1, await emu.timeline(), SLOTS);
  return { rows, rate: rows / ((t1 - t0) / 1000), b };
}

function measure(ctx: Ctx): Promise<Efficiency> {
  return ctx.memo('efficiency', async () => {
    const rows = ctx.size(3000);
    const input = await ctx.gestiones(rows);
    const emu = await startBenchEmulator({ latencyMs: LATENCY_MS, maxInflight: SLOTS, quota: 10_000_000 });
    const runs: EffRun[] = [];
    let shown = '';
    const refs: Reference[] = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        // The bare loop just before each importer run, as many rows: the two see the machine in the same mood.
        const ref = await reference(emu, rows);
        refs.push(ref);
        ctx.log(`  reference undici loop ${i + 1}: ${fmt(ref.rate, 1)} rows/s, service ${ref.b.serviceMs.toFixed(2)} ms, occupancy ${ref.b.occupancy.toFixed(3)}`);
        await emu.reset();
        await emu.record(true);
        const a = ctx.importArgs('efficiency', input, emu.url, SLOTS);
        shown = shownCommand(ctx.runner, a);
        // In the bench's session, as when typed in the terminal that runs the emulator (see the report's note).
        const t = await runImporter(ctx.runner, a, { timeoutMs: 300_000, sharedSession: true });
        await emu.record(false);
        const st = await emu.stats();
        const res = await readResults(a.out);
        if (t.code !== 0 || res.byStatus.ok !== rows) throw new Error(`efficiency run ${i + 1}: exit ${t.code}, ${statusText(res.byStatus)}\n${t.stderr.slice(-1500)}`);
        const rate = rows / (t.ms / 1000);
        const b = breakdown(t.spawnedAt, t.exitedAt, await emu.timeline(), SLOTS);
        runs.push({ t, rate, eff: rate / CEILING, b, maxInflight: st.maxInflightSeen, rejected: st.rejectedConcurrency });
        ctx.log(`  run ${i + 1}: ${fmt(t.ms)} ms, ${fmt(rate, 1)} rows/s, efficiency ${(rate / CEILING).toFixed(3)}; start-up ${fmt(b.startupMs)} ms, exit ${fmt(b.tailMs)} ms, service ${b.serviceMs.toFixed(2)} ms, occupancy ${b.occupancy.toFixed(3)}`);
      }
    } finally {
      await emu.close();
    }
    const med = [...runs].sort((x, y) => x.eff - y.eff)[Math.floor(runs.length / 2)]!;
    const medRef = [...refs].sort((x, y) => x.rate - y.rate)[Math.floor(refs.length / 2)]!;
    return { rows, runs, med, shown, emulator: emu.command, refs, reference: medRef };
  });
}
export { measure as measureEfficiency };

export const efficiency: SectionFn = async (ctx) => {
  const e = await measure(ctx);
  const { rows, runs, med: m, reference: ref } = e;
  const eff = median(runs.map((r) => r.eff));
  const maxInflight = Math.max(...runs.map((r) => r.maxInflight));
  const rejected = runs.reduce((a, r) => a + r.rejected, 0);
  const whileSending = median(runs.map((r) => rows / (r.b.spanMs / 1000) / CEILING));
  const refEff = ref.rate / CEILING;
  const cmd = ctx.benchCmd('efficiency');
  // the sending phase (first request → last answer) against the bare loop run just before it, both as rows/s
  const sendingVsRef = median(runs.map((r, i) => (rows / r.b.spanMs) / (e.refs[i]!.rows / e.refs[i]!.b.spanMs)));
  const startup = median(runs.map((r) => r.b.startupMs));
  const figures: Figure[] = [
    { section: 'efficiency', figure: `1. efficiency at the API limit including start-up: rows/s ÷ ${CEILING} (${rows} rows, spawn→exit, median of ${RUNS})`, value: `${eff.toFixed(3)} (${fmt(m.rate, 1)} rows/s)`, target: '≥ 0.95', verdict: verdict(eff >= 0.95), command: cmd },
    { section: 'efficiency', figure: `1. sending phase (first request → last answer) ÷ the bare undici loop's run just before it, rows/s (median of ${RUNS})`, value: sendingVsRef.toFixed(3), target: '≥ 0.99', verdict: verdict(sendingVsRef >= 0.99), command: cmd },
    { section: 'efficiency', figure: `1. spawn → first request (median of ${RUNS})`, value: `${fmt(startup)} ms`, target: '≤ 300 ms', verdict: verdict(startup <= 300), command: cmd },
    { section: 'efficiency', figure: '1. last answer → exit (median run)', value: `${fmt(m.b.tailMs)} ms`, target: 'info', verdict: 'info', command: cmd },
    { section: 'efficiency', figure: '1. same efficiency, first request → last answer only', value: whileSending.toFixed(3), target: 'info', verdict: 'info', command: cmd },
    { section: 'efficiency', figure: `1. reference: bare undici loop, 2 connections, same emulator (${ref.rows} rows, median of ${RUNS})`, value: `${refEff.toFixed(3)} (${fmt(ref.rate, 1)} rows/s)`, target: 'info', verdict: 'info', command: cmd },
    { section: 'efficiency', figure: '1. importer ÷ reference loop (rows/s, spawn→exit)', value: (m.rate / ref.rate).toFixed(3), target: 'info', verdict: 'info', command: cmd },
    { section: 'efficiency', figure: '1. emulator maxInflightSeen (max of runs)', value: String(maxInflight), target: '≤ 2', verdict: verdict(maxInflight <= 2), command: cmd },
    { section: 'efficiency', figure: '1. emulator rejectedConcurrency (all runs)', value: String(rejected), target: '0', verdict: verdict(rejected === 0), command: cmd },
  ];
  const row = (name: string, ms: number, rate: number, b: Breakdown) =>
    `| ${name} | ${fmt(ms)} ms | ${fmt(rate, 1)} | ${(rate / CEILING).toFixed(3)} | ${fmt(b.startupMs)} ms | ${fmt(b.tailMs)} ms | ${b.serviceMs.toFixed(2)} ms | ${b.occupancy.toFixed(4)} | ${b.gapP50Ms.toFixed(2)} / ${b.gapMeanMs.toFixed(2)} / ${b.gapP99Ms.toFixed(2)} ms | ${b.longGaps}, ${fmt(b.longGapMs)} ms |`;
  const share = m.b.spanMs / m.t.ms;
  const latency = LATENCY_MS / m.b.serviceMs;
  const details = [
    `Each run: \`${e.shown}\` (a fresh \`--state\` per run) against \`${e.emulator}\`. ${rows} rows, all \`ok\`. ` +
      `Ceiling: ${SLOTS} slots ÷ ${LATENCY_MS} ms = ${CEILING} rows/s. Timeline from the emulator process (node:diagnostics_channel: request start → answer written, per connection).`,
    `Reference: an undici \`Pool\` with 2 connections sending the same JSON bodies in a loop (no CSV, no journal), in a fresh process like the importer (a loop inside the bench process gets warmer at every run: 0.961, 0.972, 0.980 in three runs on 2026-12-02), timed from its first request, run just before each importer run.`,
    `The importer is spawned in the bench's own session, as a command typed in the terminal that runs the emulator. Spawned in a session of its own (setsid), Linux's autogroup scheduler puts it in another scheduling group than the emulator, and on this 2-core machine its answer → next request gap p50 rose from about 0.33 to 0.63 ms (measured 2026-12-02): a cost of sharing the cores with the server, which a remote API does not impose.`,
    '',
    '| run | wall | rows/s | efficiency | start-up (spawn → 1st request) | exit (last answer → exit) | emulator time per request | slot occupancy | answer → next request on a connection: p50 / mean / p99 | gaps > 5 ms (count, total) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map((r, i) => row(`importer ${i + 1}`, r.t.ms, r.rate, r.b)),
    ...e.refs.map((r, i) => row(`reference loop ${i + 1}`, r.rows / r.rate * 1000, r.rate, r.b)),
    '',
    `The efficiency is the product of three factors (median run): share of the wall time spent sending (first request → last answer ÷ spawn → exit) ${share.toFixed(4)} × ` +
      `slot occupancy ${m.b.occupancy.toFixed(4)} × (${LATENCY_MS} ms ÷ emulator time per request) ${latency.toFixed(4)} = ${(share * m.b.occupancy * latency).toFixed(4)} (measured ${m.eff.toFixed(4)}). ` +
      `Lost: start-up + exit ${fmt(m.b.startupMs + m.b.tailMs)} ms of ${fmt(m.t.ms)} ms (${((1 - share) * 100).toFixed(1)} %), idle slots ${((1 - m.b.occupancy) * 100).toFixed(1)} % ` +
      `(the median reference loop leaves ${((1 - ref.b.occupancy) * 100).toFixed(1)} % idle here), the emulator's timer and parsing above ${LATENCY_MS} ms ${((1 - latency) * 100).toFixed(1)} %. ` +
      `The bare loop reaches ${refEff.toFixed(3)} against the same emulator: ${ref.b.serviceMs.toFixed(2)} ms per request and ${ref.b.gapP50Ms.toFixed(2)} ms from an answer to the next request ` +
      `are this machine's floor; the importer gets ${((m.rate / ref.rate) * 100).toFixed(1)} % of the bare loop's rate from spawn to exit and ${(sendingVsRef * 100).toFixed(1)} % of it while sending.`,
  ];
  return { name: 'efficiency', title: '1. Efficiency at the API limit', figures, details };
};
