/**
 * 5. Memory: the importer's peak RSS at 200,000 and 1,000,000 rows on stock node (the bin with no
 * node flag; fast emulator in its own process, --concurrency 16, result rendering included), and
 * what a 100,000-row lookup table adds. Targets: growth ≤ 10 %, peak < 200 MB at 1,000,000 rows.
 *
 * Time budget: when section 6 runs in the same invocation and a separate full 1,000,000-row run
 * would push the whole benchmark past 10 minutes (projected from the 200,000-row run's speed), the
 * 1,000,000-row figure is taken from section 6's two runs over the same 1,000,000-row file
 * (each reads, journals and renders all 1,000,000 rows; 500,000 are sent in each). The report says which.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SectionFn } from '../lib/context.ts';
import { SAMPLE_MAPPING, writeGestiones, writeLookup, writeLookupMapping } from '../lib/data.ts';
import { hasGnuTime, run } from '../lib/proc.ts';
import { fmt, median, mib, verdict, type Figure } from '../lib/report.ts';
import { fastRun, type FastRun } from './overhead.ts';
import { resumeRuns } from './resume.ts';

const LIMIT_BYTES = 200e6;
const BUDGET_MS = 570_000;

const line = (r: FastRun) => `\`${r.shown}\` — ${fmt(r.t.ms)} ms, ${fmt(r.rows / (r.t.ms / 1000))} rows/s, ${fmt(((r.t.cpuSec ?? NaN) / r.rows) * 1e6)} µs CPU/row, peak RSS ${mib(r.t.peakRssKiB)}`;

export const memory: SectionFn = async (ctx) => {
  const small = ctx.size(200_000);
  const big = ctx.size(1_000_000);
  const tableRows = ctx.size(100_000);
  const cmd = ctx.benchCmd('memory');
  const s = await fastRun(ctx, small);

  // the lookup: the table's memory does not depend on the input's size, so validate (a dry run: no
  // network, a calmer heap) a 20,000-row file whose Cédulas are keys of a 100,000-row table,
  // with and without the lookup, alternating, median of 3 each
  const lookupFile = join(ctx.tmp, `lookup-${tableRows}.csv`);
  const mapping = join(ctx.tmp, 'mapping-lookup.json');
  await writeLookup(lookupFile, tableRows);
  await writeLookupMapping(mapping, await readFile(join(ctx.root, SAMPLE_MAPPING), 'utf8'), lookupFile);
  const vRows = ctx.size(20_000);
  const vInput = join(ctx.tmp, `gestiones-lookup-${vRows}.csv`);
  await writeGestiones(vInput, vRows, { keySpace: tableRows });
  const vPlain: number[] = [];
  const vLookup: number[] = [];
  const validate = async (m: string) => {
    const t = await run(process.execPath, [...ctx.runner.node, 'validate', vInput, '--mapping', m, '--out', join(ctx.tmp, 'validate.results.csv'), '--log-file', join(ctx.tmp, 'validate.log'), '--quiet'], { peakRss: true, timeoutMs: 120_000 });
    if (t.code !== 0 || t.peakRssKiB === undefined) throw new Error(`validate ${m}: exit ${t.code}\n${t.stderr.slice(-1500)}`);
    return t.peakRssKiB;
  };
  for (let i = 0; i < 3; i++) {
    vPlain.push(await validate(SAMPLE_MAPPING));
    vLookup.push(await validate(mapping));
  }
  const vDiff = median(vLookup) - median(vPlain);
  ctx.log(`  validate ${vRows} rows: peak RSS ${mib(median(vPlain))} without the lookup, ${mib(median(vLookup))} with it`);

  // 1,000,000 rows: a full run, unless section 6's runs must stand in for it (see above)
  const perRowMs = s.t.ms / small;
  const projected = ctx.elapsedMs() + perRowMs * big * (1 + 1.15) + 15_000;
  const reuse = ctx.selected.has('resume') && projected > BUDGET_MS;
  let bigKiB: number;
  let bigLine: string;
  let bigWhat: string;
  if (reuse) {
    ctx.log(`  1,000,000-row figure from section 6's runs (a separate full run would end the benchmark near ${fmt(projected / 1000)} s)`);
    const r = await resumeRuns(ctx);
    bigKiB = Math.max(r.first.peakRssKiB ?? NaN, r.again.peakRssKiB ?? NaN);
    bigWhat = `${fmt(big)}-row file, section 6's runs`;
    bigLine = `no separate full run: at ${fmt(small / (s.t.ms / 1000))} rows/s it would have ended this benchmark near ${fmt(projected / 1000)} s, past the 10-minute budget, ` +
      `so the figure is the larger peak of section 6's two runs over the same ${fmt(big)}-row file (\`--max-calls ${fmt(r.half)}\`: ${mib(r.first.peakRssKiB)}; ` +
      `\`--resume\`: ${mib(r.again.peakRssKiB)}). Each of them reads, plans, journals and renders all ${fmt(big)} rows and sends ${fmt(r.half)}. ` +
      `A separate full run: \`${ctx.benchCmd('memory')}\``;
  } else {
    const b = await fastRun(ctx, big);
    bigKiB = b.t.peakRssKiB!;
    bigWhat = `${fmt(big)} rows`;
    bigLine = line(b);
  }
  const growth = bigKiB / s.t.peakRssKiB! - 1;
  const figures: Figure[] = [
    { section: 'memory', figure: `5. peak RSS, ${fmt(small)} rows`, value: mib(s.t.peakRssKiB), target: 'info', verdict: 'info', command: cmd },
    { section: 'memory', figure: `5. peak RSS, ${bigWhat}`, value: `${mib(bigKiB)} (${fmt((bigKiB * 1024) / 1e6)} MB)`, target: '< 200 MB (stock node)', verdict: verdict(bigKiB * 1024 < LIMIT_BYTES), command: cmd },
    { section: 'memory', figure: `5. peak RSS growth ${fmt(small)} → ${fmt(big)} rows`, value: `${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} %`, target: 'flat on stock node (≤ +10 %)', verdict: verdict(growth <= 0.1), command: cmd },
    { section: 'memory', figure: `5. peak RSS added by a ${fmt(tableRows)}-row lookup table (validate, median of 3)`, value: `${vDiff >= 0 ? '+' : ''}${mib(vDiff)} (${fmt((vDiff * 1024) / tableRows)} B/entry)`, target: 'info', verdict: 'info', command: cmd },
  ];
  const details = [
    `Emulator: \`${s.emulator}\` in its own process. Peak RSS: ${hasGnuTime() ? '`/usr/bin/time -v` (Maximum resident set size)' : '`/proc/<pid>/status` VmHWM, polled every 50 ms'}. ` +
      'Input files are generated in $TMP and deleted at the end.',
    `- ${fmt(small)} rows: ${line(s)}.`,
    `- ${fmt(big)} rows: ${bigLine}.`,
    `- The lookup: the sample mapping with \`"wolkvox_idRecord": {"lookup": {"table": "records", "key": ["Cédula"], "column": "wolkvox_idRecord"}}\` and a table of ${fmt(tableRows)} rows ` +
      `\`customer_id,wolkvox_idRecord\`, against the sample mapping, on a ${fmt(vRows)}-row file whose Cédulas are keys of the table: ` +
      `\`node ${ctx.runner.node.join(' ')} validate $TMP/gestiones-lookup-${vRows}.csv --mapping <mapping> --out $TMP/validate.results.csv --log-file $TMP/validate.log --quiet\`, alternating, peak RSS ` +
      `without ${vPlain.map((k) => mib(k)).join(', ')}; with ${vLookup.map((k) => mib(k)).join(', ')}. validate is the dry run: no network, so the garbage collector's timing ` +
      '(±20 MiB between identical import runs) blurs the difference less; the table is loaded the same way for an import.',
  ];
  return { name: 'memory', title: '5. Memory', figures, details };
};
