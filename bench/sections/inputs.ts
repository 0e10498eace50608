/**
 * 7. Input forms: `validate` of a 1,000,000-row CSV (rows/s, peak RSS: the source streams, so memory
 * stays flat), and the cost of each input form for the same 100,000 gestiones as CSV, .xlsx, .xls
 * (BIFF8) and an HTML table: time and peak RSS of `validate`, and RSS per MB of workbook (SheetJS
 * reads a workbook whole, which is why --max-workbook-mb exists).
 */
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { parse } from 'csv-parse/sync';
import type { Ctx, SectionFn } from '../lib/context.ts';
import { SAMPLE_MAPPING } from '../lib/data.ts';
import { run, type Timed } from '../lib/proc.ts';
import { fmt, mib, verdict, type Figure } from '../lib/report.ts';

const TARGET_ROWS_PER_S = 25_000;

/** `validate <input>` through the real CLI, timed, with peak RSS. */
async function validate(ctx: Ctx, input: string, tag: string): Promise<Timed> {
  const out = join(ctx.tmp, `${tag}.results.csv`);
  const args = ['validate', input, '--mapping', SAMPLE_MAPPING, '--out', out, '--log-file', join(ctx.tmp, `${tag}.log`), '--quiet', '--no-report'];
  const t = await run(process.execPath, [...ctx.runner.node, ...args], { timeoutMs: 600_000, peakRss: true });
  if (t.code !== 0) throw new Error(`validate ${tag}: exit ${t.code}\n${t.stderr.slice(-1500)}`);
  await rm(out, { force: true });
  return t;
}

/** A .xls (BIFF8) sheet holds 65,536 rows at most. */
const BIFF8_ROWS = 60_000;

/** The CSV's first `rows` data rows written as a workbook of text cells. */
async function workbook(csv: string, bookType: 'xlsx' | 'biff8' | 'html', path: string, rows: number): Promise<void> {
  const all = parse(await readFile(csv), { relax_column_count: true, to: rows + 1 }) as string[][];
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(all), 'Gestiones');
  await writeFile(path, XLSX.write(wb, { bookType, type: 'buffer', compression: true }) as Buffer); // zipped, as Excel writes xlsx
}

export const inputs: SectionFn = async (ctx) => {
  const cmd = ctx.benchCmd('inputs');
  const big = ctx.size(1_000_000);
  const bigFile = await ctx.gestiones(big);
  const v = await validate(ctx, bigFile, 'validate-big');
  const rate = big / (v.ms / 1000);
  ctx.log(`  validate ${fmt(big)} rows: ${fmt(v.ms)} ms (${fmt(rate)} rows/s), peak RSS ${mib(v.peakRssKiB)}`);

  const n = ctx.size(100_000);
  const csv = await ctx.gestiones(n);
  const forms: { name: string; path: string; t: Timed; bytes: number; rows: number }[] = [];
  for (const [name, bookType, ext] of [['CSV', undefined, 'csv'], ['.xlsx', 'xlsx', 'xlsx'], ['.xls (BIFF8)', 'biff8', 'xls'], ['HTML table', 'html', 'html']] as const) {
    const path = bookType === undefined ? csv : join(ctx.tmp, `gestiones-${n}.${ext}`);
    const rows = bookType === 'biff8' ? Math.min(n, BIFF8_ROWS) : n;
    if (bookType !== undefined) await workbook(csv, bookType, path, rows);
    const t = await validate(ctx, path, `form-${ext}`);
    const bytes = (await stat(path)).size;
    forms.push({ name, path, t, bytes, rows });
    ctx.log(`  ${name}: ${fmt(rows)} rows, ${fmt(bytes / 1e6, 1)} MB, validate ${fmt(t.ms)} ms, peak RSS ${mib(t.peakRssKiB)}`);
    if (bookType !== undefined) await rm(path, { force: true });
  }
  const csvRss = forms[0]!.t.peakRssKiB ?? NaN;
  const figures: Figure[] = [
    {
      section: 'inputs', figure: `7. validate of a ${fmt(big)}-row CSV`, value: `${fmt(rate)} rows/s (${fmt(v.ms / 1000, 1)} s), peak RSS ${mib(v.peakRssKiB)}`,
      target: `≥ ${fmt(TARGET_ROWS_PER_S)} rows/s`, verdict: ctx.quick ? 'info' : verdict(rate >= TARGET_ROWS_PER_S), command: cmd,
    },
    ...forms.map((f): Figure => ({
      section: 'inputs', figure: `7. ${f.name}: validate per 100,000 rows`,
      value: `${fmt((f.t.ms / 1000) * (100_000 / f.rows), 1)} s; peak RSS ${mib(f.t.peakRssKiB)} for ${fmt(f.rows)} rows (file ${fmt(f.bytes / 1e6, 1)} MB)`,
      target: 'info', verdict: 'info', command: cmd,
    })),
    ...forms.slice(1).map((f): Figure => ({
      section: 'inputs', figure: `7. ${f.name}: memory per MB of file (peak RSS over the CSV run's)`,
      value: `${fmt(((f.t.peakRssKiB ?? NaN) - csvRss) / 1024 / (f.bytes / 1e6), 1)} MiB/MB`, target: 'info', verdict: 'info', command: cmd,
    })),
  ];
  const details = [
    `\`wolkvox-import validate <file> --mapping ${SAMPLE_MAPPING} --quiet --no-report\` (the real CLI, dist build) on generated gestiones ` +
      `(9 columns, two date-time transforms, a regex replace, a skip rule). The 1,000,000-row run streams: peak RSS ${mib(v.peakRssKiB)}. ` +
      `The workbooks hold the same rows as text cells (${fmt(n)}; .xls ${fmt(Math.min(n, BIFF8_ROWS))}, its format's limit being 65,536), written with SheetJS (\`XLSX.write(wb, {bookType})\`); SheetJS reads a workbook whole, ` +
      'so its peak RSS grows with the file, while the CSV run stays flat.',
  ];
  return { name: 'inputs', title: '7. Input forms', figures, details };
};
