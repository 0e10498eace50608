/**
 * npm run bench [-- --quick] [-- --only <name>[,<name>…]] [-- --out <file>]
 *
 * Starts the project's emulator on 127.0.0.1 (in its own process), runs the real CLI against it
 * as a child process, prints a table and writes reports/bench.md (full runs; quick or partial
 * runs write reports/bench.quick.md / bench.partial.md unless --out says otherwise).
 * Sections: efficiency, newman, calls, overhead, memory, resume, inputs, report. Not part of `npm test`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareRunner } from './lib/cli.ts';
import { makeCtx, type SectionFn } from './lib/context.ts';
import { killEmulators } from './lib/emulator.ts';
import { killChildren } from './lib/proc.ts';
import { machine, printTable, writeReport, type Section } from './lib/report.ts';
import { calls } from './sections/calls.ts';
import { efficiency } from './sections/efficiency.ts';
import { inputs } from './sections/inputs.ts';
import { memory } from './sections/memory.ts';
import { newman } from './sections/newman.ts';
import { overhead } from './sections/overhead.ts';
import { report } from './sections/report.ts';
import { resume } from './sections/resume.ts';

const SECTIONS: Record<string, { title: string; fn: SectionFn }> = {
  efficiency: { title: '1. Efficiency at the API limit', fn: efficiency },
  newman: { title: '2. Side by side with newman', fn: newman },
  calls: { title: '3. Calls per row', fn: calls },
  overhead: { title: '4. Pipeline overhead', fn: overhead },
  memory: { title: '5. Memory', fn: memory },
  resume: { title: '6. Resume cost', fn: resume },
  inputs: { title: '7. Input forms', fn: inputs },
  report: { title: '8. Manager report: a 150,000-call day', fn: report },
};
/** Sections still to run are skipped past this (the goal is under 10 minutes in full). */
const BUDGET_MS = 15 * 60_000;

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log(`npm run bench -- [--quick] [--only ${Object.keys(SECTIONS).join('|')}[,...]] [--out reports/bench.md]`);
  process.exit(0);
}
const asked = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(SECTIONS);
const unknown = asked.filter((n) => !SECTIONS[n]);
/** Always in the table's order: the short efficiency section never waits behind the long memory runs' budget. */
const names = Object.keys(SECTIONS).filter((n) => asked.includes(n));
if (unknown.length) {
  console.error(`bench: unknown section ${unknown.join(', ')}; expected ${Object.keys(SECTIONS).join(', ')}`);
  process.exit(2);
}
const quick = values.quick === true;
const full = !quick && names.length === Object.keys(SECTIONS).length;
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
process.chdir(root);
const out = resolve(values.out ?? (full ? 'reports/bench.md' : quick ? 'reports/bench.quick.md' : 'reports/bench.partial.md'));

const tmp = mkdtempSync(join(tmpdir(), 'wolkvox-import-bench-'));
const cleanup = () => {
  killChildren();
  killEmulators();
  rmSync(tmp, { recursive: true, force: true });
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`\nbench: ${sig}: stopping children, removing ${tmp}`);
    cleanup();
    process.exit(130);
  });
}

const t0 = Date.now();
const log = (s: string) => console.error(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${s}`);
const m = machine();
log(`machine: ${m.nproc} cores, ${m.cpu}, ${m.memory}, Node ${m.node}, load ${m.load}; temp ${tmp}`);
const sections: Section[] = [];
try {
  const runner = prepareRunner(log);
  log(`importer: ${runner.label} (${runner.note})`);
  const ctx = makeCtx(tmp, root, runner, quick, new Set(names), t0, log);
  for (const name of names) {
    const s = SECTIONS[name]!;
    const start = Date.now();
    if (start - t0 > BUDGET_MS) {
      sections.push({ name, title: s.title, seconds: 0, details: ['Skipped: the time budget was used up.'], figures: [] });
      continue;
    }
    const load = loadavg().map((l) => l.toFixed(2)).join(' / ');
    log(`${s.title} … (load ${load})`);
    try {
      const r = await s.fn(ctx);
      r.details.push('', `Load average (1 / 5 / 15 min) when the section started: ${load} on ${m.nproc} cores.`);
      sections.push({ ...r, title: s.title, seconds: (Date.now() - start) / 1000 });
    } catch (err) {
      const e = err as Error;
      log(`${s.title}: error: ${e.stack ?? e.message}`);
      sections.push({
        name, title: s.title, seconds: (Date.now() - start) / 1000, details: ['```', e.message, '```'],
        figures: [{ section: name, figure: `${s.title}: the section failed`, value: e.message.split('\n')[0]!.slice(0, 120), target: '-', verdict: 'FAIL', command: ctx.benchCmd(name) }],
      });
    }
    log(`${s.title}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }
  const totalSeconds = (Date.now() - t0) / 1000;
  console.log(`\n${printTable(sections.flatMap((s) => s.figures))}\n`);
  const invocation = `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
  await writeReport(out, { machine: m, runner: runner.label, invocation, quick, sections, totalSeconds });
  console.log(`wrote ${out} (total ${totalSeconds.toFixed(0)} s)`);
  process.exitCode = sections.some((s) => s.figures.some((f) => f.verdict === 'FAIL')) ? 1 : 0;
} finally {
  cleanup();
}
