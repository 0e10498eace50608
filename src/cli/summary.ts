import { relative } from 'node:path';
import type { RunResult } from '../run/result.ts';
import type { Progress } from '../run/progress.ts';
import { STATUSES } from '../types.ts';

/** The one-line summary that ends every import on stderr (cron mails show it). */
export function summaryLine(r: RunResult): string {
  const counts = STATUSES.map((s) => `${s} ${r.counts[s] ?? 0}`).join(', ');
  const where = relative(process.cwd(), r.out) || r.out;
  const head = r.stop ? `stopped (${r.stop.kind})` : r.dryRun ? 'dry run done' : 'done';
  return `wolkvox-import: ${head}: ${r.totalRows} rows: ${counts}; results: ${where.startsWith('..') ? r.out : where} (exit ${r.exitCode})`;
}

/** Lines said before the summary: what stopped the run, what to check, what to do next. */
export function adviceLines(r: RunResult): string[] {
  const out: string[] = [];
  const n = (s: string) => r.counts[s] ?? 0;
  if (r.stop) out.push(`wolkvox-import: ${r.stop.message}`);
  if (r.madeUncertain > 0) out.push(`wolkvox-import: ${r.madeUncertain} rows were being sent when the earlier run stopped: they are "uncertain"`);
  if (n('uncertain') > 0) {
    out.push(`wolkvox-import: ${n('uncertain')} rows are "uncertain" (the request may have reached the CRM): check them in the CRM; resend only those that are missing, with --resume --retry-uncertain`);
  }
  if (!r.dryRun && n('pending') > 0) out.push(`wolkvox-import: ${n('pending')} rows are pending: run the same command with --resume to continue`);
  if (n('failed') > 0) out.push(`wolkvox-import: ${n('failed')} rows failed: see the "error" column; --resume sends them again`);
  return out;
}

/** `validate`: what a person needs to fix the file, with line numbers. */
export function validationLines(r: RunResult, p: Progress): string[] {
  const out = [`${r.totalRows} rows read (${r.source.encoding}, delimiter ${JSON.stringify(r.source.delimiter)}, ${r.source.header.length} columns)`];
  const n = (s: string) => r.counts[s] ?? 0;
  out.push(`  ready to send: ${n('pending')}   invalid: ${n('invalid')}   skipped by a filter: ${n('skipped')}   duplicates: ${n('duplicate')}`);
  const kinds = [...p.examples.entries()].sort((a, b) => b[1].count - a[1].count);
  for (const [key, e] of kinds) {
    out.push(`  ${e.count} × ${key}`);
    for (const s of e.samples) out.push(`      line ${s.line} (row ${s.row}): ${s.error}`);
  }
  if (r.totalRows === 0) out.push('  the file has a header but no data rows: nothing to import');
  else if (n('invalid') === 0) out.push('  no invalid rows: the file is ready to import');
  return out;
}
