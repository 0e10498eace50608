/**
 * 4. Pipeline overhead: 200,000 rows against a fast emulator (latency 0, 64 in flight, its own
 * process), importer --concurrency 16, end to end; beside csv-parse alone on the same file (arrays,
 * same delimiter). One more run under --cpu-prof says where the importer's CPU time goes.
 */
import { createReadStream } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { runImporter, shownCommand, type ImportArgs } from '../lib/cli.ts';
import type { Ctx, SectionFn } from '../lib/context.ts';
import { startBenchEmulator } from '../lib/emulator.ts';
import type { Timed } from '../lib/proc.ts';
import { summariseProfile } from '../lib/profile.ts';
import { fmt, median, mib, type Figure } from '../lib/report.ts';
import { readResults, statusText } from '../lib/results.ts';

export const FAST_EMULATOR = { latencyMs: 0, maxInflight: 64, quota: 1_000_000_000 };
export const FAST_CONCURRENCY = 16;
const PARSE_RUNS = 3;

export interface FastRun {
  t: Timed;
  rows: number;
  shown: string;
  emulator: string;
}

/** One full import of `rows` valid rows against the fast emulator, with peak RSS and CPU (shared by sections 4 and 5). */
export function fastRun(ctx: Ctx, rows: number, mapping?: string, input?: string, tag = 'fast'): Promise<FastRun> {
  return ctx.memo(`fast-${rows}-${mapping ?? 'sample'}`, async () => {
    const file = input ?? (await ctx.gestiones(rows));
    const emu = await startBenchEmulator(FAST_EMULATOR, true);
    let a: ImportArgs;
    let t: Timed;
    try {
      a = ctx.importArgs(tag, file, emu.url, FAST_CONCURRENCY, undefined, mapping);
      t = await runImporter(ctx.runner, a, { timeoutMs: 1_800_000, peakRss: true });
      if (t.code !== 0) throw new Error(`${tag} run of ${rows} rows: exit ${t.code}\n${t.stderr.slice(-1500)}`);
      const res = await readResults(a.out);
      if (t.code !== 0 || res.byStatus.ok !== rows) throw new Error(`${tag} run of ${rows} rows: exit ${t.code}, ${statusText(res.byStatus)}\n${t.stderr.slice(-1500)}`);
    } finally {
      await emu.close();
    }
    await rm(a.out, { force: true });
    await rm(a.state, { force: true });
    ctx.log(`  ${tag}: ${fmt(rows)} rows in ${fmt(t.ms)} ms (${fmt(rows / (t.ms / 1000))} rows/s, ${fmt(((t.cpuSec ?? NaN) / rows) * 1e6)} µs CPU/row), peak RSS ${mib(t.peakRssKiB)}`);
    return { t, rows, shown: shownCommand(ctx.runner, a), emulator: emu.command };
  });
}

async function csvParseAlone(path: string): Promise<{ rows: number; ms: number }> {
  const t0 = performance.now();
  let rows = 0;
  const parser = createReadStream(path).pipe(parse({ delimiter: ',', relax_quotes: true, relax_column_count: true, from_line: 2 }));
  for await (const _r of parser) rows++;
  return { rows, ms: performance.now() - t0 };
}

export const overhead: SectionFn = async (ctx) => {
  const rows = ctx.size(200_000);
  const input = await ctx.gestiones(rows);
  const cmd = ctx.benchCmd('overhead');
  const run1 = await fastRun(ctx, rows);
  const parses: number[] = [];
  for (let i = 0; i < PARSE_RUNS; i++) {
    const p = await csvParseAlone(input);
    if (p.rows !== rows) throw new Error(`csv-parse read ${p.rows} rows, expected ${rows}`);
    parses.push(p.ms);
  }
  // the profile: half the rows (the per-row mix is the same; it keeps the whole benchmark under 10 minutes)
  const profRows = ctx.size(100_000);
  const profInput = await ctx.gestiones(profRows);
  const profDir = join(ctx.tmp, 'cpuprof');
  const emu = await startBenchEmulator(FAST_EMULATOR, true);
  let prof: Timed;
  let profShown: string;
  try {
    const a = ctx.importArgs('overhead-prof', profInput, emu.url, FAST_CONCURRENCY);
    profShown = shownCommand(ctx.runner, a, ['--cpu-prof', '--cpu-prof-dir', '$TMP/cpuprof']);
    prof = await runImporter(ctx.runner, a, { timeoutMs: 480_000, peakRss: true, nodeFlags: ['--cpu-prof', '--cpu-prof-dir', profDir] });
    if (prof.code !== 0) throw new Error(`profiled run: exit ${prof.code}\n${prof.stderr.slice(-1500)}`);
    await rm(a.out, { force: true });
    await rm(a.state, { force: true });
  } finally {
    await emu.close();
  }
  ctx.log(`  profiled: ${fmt(prof.ms)} ms`);
  const files = (await readdir(profDir)).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length !== 1) throw new Error(`expected one .cpuprofile in ${profDir}, found ${files.length}`);
  const p = await summariseProfile(join(profDir, files[0]!), ctx.root);
  await rm(profDir, { recursive: true, force: true });

  const rate = rows / (run1.t.ms / 1000);
  const profRate = profRows / (prof.ms / 1000);
  const parseMs = median(parses);
  const parseRate = rows / (parseMs / 1000);
  const cpuUs = ((run1.t.cpuSec ?? NaN) / rows) * 1e6;
  const top = p.functions[0]!;
  const store = p.areas.filter((a) => a.name.includes('/store') || a.name === 'pkg better-sqlite3').reduce((s, a) => s + a.pct, 0);
  const figures: Figure[] = [
    { section: 'overhead', figure: `4. importer end to end, ${fmt(rows)} rows, --concurrency 16`, value: `${fmt(rate)} rows/s (${fmt(run1.t.ms / 1000, 1)} s)`, target: 'info', verdict: 'info', command: cmd },
    { section: 'overhead', figure: '4. importer CPU (user + sys) per row', value: `${fmt(cpuUs)} µs`, target: 'info', verdict: 'info', command: cmd },
    { section: 'overhead', figure: `4. csv-parse alone, same file (median of ${PARSE_RUNS})`, value: `${fmt(parseRate)} rows/s`, target: 'info', verdict: 'info', command: cmd },
    { section: 'overhead', figure: '4. importer ÷ csv-parse alone', value: `${(rate / parseRate).toFixed(3)} (×${(parseRate / rate).toFixed(1)} slower)`, target: 'info', verdict: 'info', command: cmd },
    { section: 'overhead', figure: '4. top self time (cpu-prof); journal (store + better-sqlite3)', value: `${top.pct.toFixed(1)} % ${top.name.split(' ')[0]}; journal ${store.toFixed(1)} %`, target: 'info', verdict: 'info', command: cmd },
  ];
  const esc = (s: string) => s.replaceAll('|', '\\|');
  const details = [
    `Emulator: \`${run1.emulator}\` in its own process (inserts forgotten every 500 ms, counters kept). Importer: \`${run1.shown}\` — ` +
      `${fmt(run1.t.ms)} ms, ${fmt(run1.t.cpuSec ?? NaN, 1)} s CPU (user + sys), peak RSS ${mib(run1.t.peakRssKiB)}.`,
    `csv-parse alone: \`createReadStream(file).pipe(parse({ delimiter: ',', relax_quotes: true, relax_column_count: true, from_line: 2 }))\` counted with \`for await\` in the bench process: ` +
      `${parses.map((x) => `${fmt(x)} ms`).join(', ')}. Mapping, validation, the SQLite journal, HTTP, result rendering and start-up add ` +
      `${fmt(((run1.t.ms - parseMs) / rows) * 1000, 1)} µs of wall time per row.`,
    '',
    `Profile (${fmt(profRows)} rows, the same kind): \`${profShown}\` — ${fmt(prof.ms)} ms wall (${fmt(profRate)} rows/s under the profiler), ${fmt(prof.cpuSec ?? NaN, 1)} s CPU; main thread ${fmt(p.busyMs)} ms busy, ${fmt(p.idleMs)} ms idle ` +
      `(${((100 * p.idleMs) / p.totalMs).toFixed(1)} %). Self time summed over the .cpuprofile samples, as % of busy time. ` +
      'Time inside a native call (SQLite, a socket write) counts as self time of the JavaScript function that made it.',
    '',
    '| # | function (file:line) | self ms | % busy |',
    '|---|---|---|---|',
    ...p.functions.map((f, i) => `| ${i + 1} | \`${esc(f.name)}\` | ${fmt(f.ms)} | ${f.pct.toFixed(1)} % |`),
    '',
    '| where (package, project folder, node internals) | self ms | % busy |',
    '|---|---|---|',
    ...p.areas.map((f) => `| \`${esc(f.name)}\` | ${fmt(f.ms)} | ${f.pct.toFixed(1)} % |`),
  ];
  return { name: 'overhead', title: '4. Pipeline overhead', figures, details };
};
