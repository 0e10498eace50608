import { relative } from 'node:path';
import { t, type Lang, type MessageKey } from '../i18n/index.ts';
import type { Progress } from '../run/progress.ts';
import type { RunResult } from '../run/result.ts';
import { STATUSES } from '../types.ts';

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** The one-line summary that ends every import on stderr (cron mails show it). Status names stay English: a contract. */
export function summaryLine(r: RunResult, lang: Lang = 'en'): string {
  const counts = STATUSES.map((s) => `${s} ${r.counts[s] ?? 0}`).join(', ');
  const head = r.stop
    ? t(lang, 'cli.stopped', { reason: lang === 'es' ? t('es', `stop.${r.stop.kind}` as MessageKey) : r.stop.kind })
    : r.dryRun ? t(lang, 'cli.dryRunDone') : t(lang, 'cli.done');
  return `wolkvox-import: ${head}: ${t(lang, 'cli.rows', { n: r.totalRows })}: ${counts}; ${t(lang, 'cli.results')}: ${shown(r.out)} (${t(lang, 'cli.exit')} ${r.exitCode})`;
}

/** Lines said before the summary: what stopped the run, what to check, what to do next. */
export function adviceLines(r: RunResult, lang: Lang = 'en'): string[] {
  const out: string[] = [];
  const n = (s: string) => r.counts[s] ?? 0;
  const say = (s: string) => out.push(`wolkvox-import: ${s}`);
  if (r.stop) say(r.stop.message);
  if (r.madeUncertain > 0) say(t(lang, 'cli.madeUncertain', { n: r.madeUncertain }));
  if (n('uncertain') > 0) say(t(lang, 'cli.uncertain', { n: n('uncertain') }));
  if (!r.dryRun && n('pending') > 0) say(t(lang, 'cli.pending', { n: n('pending') }));
  if (n('failed') > 0) say(t(lang, 'cli.failed', { n: n('failed') }));
  return out;
}

/** `validate`: what a person needs to fix the file, with line numbers. */
export function validationLines(r: RunResult, p: Progress, lang: Lang = 'en'): string[] {
  const n = (s: string) => r.counts[s] ?? 0;
  const out = [
    t(lang, 'cli.readRows', { n: r.totalRows, encoding: r.source.encoding, delimiter: JSON.stringify(r.source.delimiter), columns: r.source.header.length }),
    t(lang, 'cli.readyLine', { send: n('pending'), invalid: n('invalid'), skipped: n('skipped'), duplicate: n('duplicate') }),
  ];
  const kinds = [...p.examples.entries()].sort((a, b) => b[1].count - a[1].count);
  for (const [key, e] of kinds) {
    out.push(`  ${e.count} × ${key}`);
    for (const s of e.samples) out.push(`      ${t(lang, 'cli.line', { line: s.line, row: s.row })}: ${s.error}`);
  }
  if (r.totalRows === 0) out.push(t(lang, 'cli.noData'));
  else if (n('invalid') === 0) out.push(t(lang, 'cli.allValid'));
  return out;
}
