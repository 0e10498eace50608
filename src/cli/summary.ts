import { relative } from 'node:path';
import { t, type Lang, type MessageKey, type Params } from '../i18n/index.ts';
import type { Progress } from '../run/progress.ts';
import type { RunResult } from '../run/result.ts';
import { importCommandLine, withFlags } from '../run/next-command.ts';
import { STATUSES } from '../types.ts';

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** `key` for a count: `key.one` when `n` is 1 ("1 row", "1 fila"), else `key`. */
export function tn(lang: Lang, key: MessageKey, n: number, params: Params = {}): string {
  return t(lang, (n === 1 ? `${key}.one` : key) as MessageKey, { ...params, n });
}

/** The one-line summary that ends every import on stderr (cron mails show it). Status names stay English: a contract. */
export function summaryLine(r: RunResult, lang: Lang = 'en'): string {
  const counts = STATUSES.map((s) => `${s} ${r.counts[s] ?? 0}`).join(', ');
  const head = r.stop
    ? t(lang, 'cli.stopped', { reason: lang === 'es' ? t('es', `stop.${r.stop.kind}` as MessageKey) : r.stop.kind })
    : r.dryRun ? t(lang, 'cli.dryRunDone') : t(lang, 'cli.done');
  return `wolkvox-import: ${head}: ${tn(lang, 'cli.rows', r.totalRows)}: ${counts}; ${t(lang, 'cli.results')}: ${shown(r.out)} (${t(lang, 'cli.exit')} ${r.exitCode})`;
}

/** What the pending rows need: a fixed token before anything, the quota's reset, or just a --resume. */
function pendingKey(r: RunResult): MessageKey {
  if (r.stop?.kind === 'fatal') return 'cli.pendingFatal';
  return r.stop?.kind === 'quota' ? 'cli.pendingQuota' : 'cli.pending';
}

/**
 * Lines said before the summary: what stopped the run, what to check, what to do next, and the
 * exact command that does it (`argv`: the command as typed, from the program's name on).
 */
export function adviceLines(r: RunResult, lang: Lang = 'en', argv?: readonly string[]): string[] {
  const out: string[] = [];
  const n = (s: string) => r.counts[s] ?? 0;
  const say = (s: string) => out.push(`wolkvox-import: ${s}`);
  if (r.stop) say(r.stop.message);
  if (r.madeUncertain > 0) say(tn(lang, 'cli.madeUncertain', r.madeUncertain));
  if (r.reconciled && r.reconciled.rows > 0) say(t(lang, 'cli.reconciled', { ...r.reconciled }));
  if (n('uncertain') > 0) say(tn(lang, 'cli.uncertain', n('uncertain')));
  if (!r.dryRun && n('pending') > 0) say(tn(lang, pendingKey(r), n('pending')));
  if (n('failed') > 0) say(tn(lang, 'cli.failed', n('failed')));
  for (const l of closingLines(r, lang, argv)) say(l);
  return out;
}

/** The "crm" lookups' figures (after what the rows need: --quiet shows only the first line), then the command to run next. */
function closingLines(r: RunResult, lang: Lang, argv: readonly string[] | undefined): string[] {
  const out: string[] = [];
  if (r.lookups && r.lookups.keys > 0 && !r.dryRun) out.push(t(lang, 'cli.lookups', { ...r.lookups }));
  const next = argv ? nextCommand(r, argv) : undefined;
  if (next) out.push(t(lang, r.dryRun ? 'cli.dryRunNext' : 'cli.next', { command: next }));
  return out;
}

/**
 * The command to run next: the import of what a dry run checked, or the same import with --resume
 * while rows are left, with --reconcile while `uncertain` rows have not been searched in the CRM.
 * Never --retry-uncertain: an uncertain row may be in the CRM, and resending it blindly is how a
 * gestión is inserted twice; rows still uncertain after a search are for a person to check.
 */
export function nextCommand(r: RunResult, argv: readonly string[]): string | undefined {
  const n = (s: string) => r.counts[s] ?? 0;
  if (r.dryRun) return n('pending') > 0 ? importCommandLine(argv) : undefined;
  // A refused token: the same command would be refused too; the advice says to test the token with `check` first.
  if (r.stop?.kind === 'fatal') return undefined;
  if (n('uncertain') > 0 && r.reconciled === undefined) return withFlags(argv, ['--resume', '--reconcile']);
  return n('pending') + n('failed') > 0 ? withFlags(argv, ['--resume']) : undefined;
}

/** Groups of problems, most frequent first: rows not sent (with line numbers), then answers of the CRM (by row). */
export function problemLines(r: RunResult, p: Progress, lang: Lang = 'en', max = 5): string[] {
  const out = linedGroups(p, lang, max);
  const codes = Object.entries(r.examples?.codes ?? {})
    .filter(([code]) => !LINED_CODES.has(code) && !code.startsWith('STOPPED'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, max);
  for (const [code, count] of codes) {
    out.push(`  ${count} × ${code}`);
    for (const e of (r.examples?.byCode[code] ?? []).slice(0, 3)) out.push(`      ${t(lang, 'cli.row', { row: e.row })}: ${e.error}`);
  }
  return out;
}

/** The groups of rows not sent (invalid, skipped, repeated keys), most frequent first, with line numbers. */
function linedGroups(p: Progress, lang: Lang, max = Number.POSITIVE_INFINITY): string[] {
  const out: string[] = [];
  const kinds = [...p.examples.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, max);
  for (const [key, e] of kinds) {
    out.push(`  ${e.count} × ${key}`);
    for (const s of e.samples) out.push(`      ${t(lang, 'cli.line', { line: s.line, row: s.row })}: ${s.error}`);
  }
  return out;
}

/** Codes shown from the progress counters (with line numbers), or that are no problem (rows a dry run or a stop left). */
const LINED_CODES = new Set(['INVALID', 'SKIPPED', 'PENDING', 'DRY_RUN', 'OK']);

/** `validate`: what a person needs to fix the file, with line numbers. */
export function validationLines(r: RunResult, p: Progress, lang: Lang = 'en'): string[] {
  const n = (s: string) => r.counts[s] ?? 0;
  const out = [
    tn(lang, 'cli.readRows', r.totalRows, { encoding: r.source.encoding, delimiter: JSON.stringify(r.source.delimiter), columns: r.source.header.length }),
    t(lang, 'cli.readyLine', { send: n('pending'), invalid: n('invalid'), skipped: n('skipped'), duplicate: n('duplicate') }),
  ];
  out.push(...linedGroups(p, lang));
  if (r.totalRows === 0) out.push(t(lang, 'cli.noData'));
  else if (n('invalid') === 0) out.push(t(lang, 'cli.allValid'));
  return out;
}
