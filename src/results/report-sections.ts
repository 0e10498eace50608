import { basename } from 'node:path';
import { formatDate, formatDuration, formatNumber } from '../format.ts';
import { t, type Lang } from '../i18n/index.ts';
import { html, prose, type SafeHtml } from './html.ts';
import { hintsFor } from './report-hints.ts';
import type { ErrorExample, ReportExamples } from './report-examples.ts';
import { STATUS_COLORS } from './report-style.ts';
import { wallText } from '../manager/windows.ts';
import type { RunSummary } from './summary.ts';

/** Error codes shown in the table; the rest are named in a line (the summary JSON has them all). */
const MAX_CODES_SHOWN = 15;

/** The colour of a code's badge: the colour of the status its rows have. */
function codeColor(code: string, ex: ReportExamples): string {
  const status = ex.byCode[code]?.[0]?.status ?? (code.startsWith('STOPPED') || code === 'PENDING' ? 'pending' : 'failed');
  return STATUS_COLORS[status] ?? STATUS_COLORS.failed ?? '#cf222e';
}

/** Examples with the same message shown once, with their row numbers (in row order). */
function groupByMessage(examples: readonly ErrorExample[]): { rows: number[]; error: string }[] {
  const groups = new Map<string, number[]>();
  for (const e of [...examples].sort((a, b) => a.row - b.row)) {
    const rows = groups.get(e.error);
    if (rows) rows.push(e.row);
    else groups.set(e.error, [e.row]);
  }
  return [...groups].map(([error, rows]) => ({ rows, error }));
}

/** One row of the codes table: the code, its count, its examples and what to do. */
function codeRow(code: string, count: number, ex: ReportExamples, lang: Lang): SafeHtml {
  const examples = ex.byCode[code] ?? [];
  const items = groupByMessage(examples).map(({ rows, error }) =>
    html`<li><b>${t(lang, rows.length > 1 ? 'errors.rowsLabel' : 'uncertain.row')} ${rows.join(', ')}</b>: ${error}</li>`);
  if (count > examples.length && examples.length > 0) items.push(html`<li class="muted">${t(lang, 'errors.moreRows', { n: formatNumber(lang, count - examples.length) })}</li>`);
  const hints = hintsFor(code, examples, lang).map((h) => html`<li>${prose(h)}</li>`);
  const badge = html`<td><span class="badge" style="--c:${codeColor(code, ex)}">${code}</span></td><td class="num">${formatNumber(lang, count)}</td>`;
  return html`<tr>${badge}<td><ul class="examples">${items}</ul></td><td><ul class="hints">${hints}</ul></td></tr>`;
}

/** Errors and notes by code: count, example rows, what to do. */
export function errorsSection(s: RunSummary, ex: ReportExamples, lang: Lang): SafeHtml {
  const codes = Object.entries(s.errorCodes);
  const heading = html`<section class="errors"><h2>${t(lang, 'errors.heading')}</h2>`;
  if (codes.length === 0) return html`${heading}<p class="muted">${t(lang, 'errors.none')}</p></section>`;
  const head = html`<thead><tr><th>${t(lang, 'errors.code')}</th><th class="num">${t(lang, 'errors.rows')}</th><th>${t(lang, 'errors.examples')}</th><th>${t(lang, 'errors.todo')}</th></tr></thead>`;
  const rows = codes.slice(0, MAX_CODES_SHOWN).map(([code, count]) => codeRow(code, count, ex, lang));
  const more = codes.length > MAX_CODES_SHOWN ? html`<p class="muted small">${t(lang, 'errors.moreCodes', { n: formatNumber(lang, codes.length - MAX_CODES_SHOWN) })}</p>` : '';
  return html`${heading}<table class="codes">${head}<tbody>${rows}</tbody></table>${more}</section>`;
}

/** The uncertain rows to look up in the CRM, with the input values that identify them. */
export function uncertainSection(s: RunSummary, ex: ReportExamples, lang: Lang): SafeHtml {
  if (ex.uncertainTotal === 0) return html``;
  const heading = html`<section class="uncertain"><h2>${t(lang, 'uncertain.heading')}</h2><p>${prose(t(lang, 'uncertain.intro'))}</p>`;
  const columns = ex.idColumns.map((c) => html`<th>${c}</th>`);
  const head = html`<thead><tr><th class="num">${t(lang, 'uncertain.row')}</th>${columns}<th>${t(lang, 'uncertain.error')}</th></tr></thead>`;
  const rows = ex.uncertain.map((u) => {
    const values = u.values.map((v) => html`<td${v.length <= 24 ? html` class="id"` : ''}>${v}</td>`);
    return html`<tr><td class="num">${u.row}</td>${values}<td class="err">${u.error}</td></tr>`;
  });
  const left = ex.uncertainTotal - ex.uncertain.length;
  const more = left > 0 ? html`<p class="muted small">${t(lang, 'uncertain.more', { n: formatNumber(lang, left), file: basename(s.files.results) })}</p>` : '';
  return html`${heading}<table>${head}<tbody>${rows}</tbody></table>${more}</section>`;
}

/** Windows listed in the report; the summary JSON has them all. */
const MAX_WINDOWS_SHOWN = 12;

/** --report: the report, its window(s) in the dialer's zone, and the Manager calls (counted apart from the CRM's). */
function managerRows(s: RunSummary, lang: Lang): [string, string][] {
  const m = s.managerReport;
  if (!m) return [];
  const wall = (isoText: string) => wallText(new Date(isoText), m.tz).slice(0, 16);
  const windows = m.windows.slice(0, MAX_WINDOWS_SHOWN).map((w) => `${wall(w.from)} → ${wall(w.to)} (${formatNumber(lang, w.records)})`);
  if (m.windows.length > MAX_WINDOWS_SHOWN) windows.push(t(lang, 'details.moreWindows', { n: m.windows.length - MAX_WINDOWS_SHOWN }));
  return [
    [t(lang, 'details.managerReport'), `${m.report}${m.campaign ? ` campaign_id=${m.campaign}` : ''} · ${m.managerServer} · ${wall(m.from)} → ${wall(m.to)} (${m.tz})`],
    [t(lang, 'details.windows'), windows.join(' · ') || '—'],
    [t(lang, 'details.managerCalls'), formatNumber(lang, m.managerCalls) + (m.fromSnapshot ? ` (${t(lang, 'details.fromSnapshot', { n: m.fetchCalls })})` : '')],
    [t(lang, 'details.watermark'), m.watermark ? wall(m.watermark) : '—'],
  ];
}

function delimiterName(d: string | null, lang: Lang): string {
  if (d === null) return '—';
  return d === '\t' ? t(lang, 'details.tab') : `“${d}”`;
}

/** Timings, quota, latency, encoding, command and files. */
export function detailsSection(s: RunSummary, lang: Lang): SafeHtml {
  const l = s.latencyMs;
  const ms = (v: number | null) => (v === null ? '—' : `${formatNumber(lang, v)} ms`);
  const code = (text: string) => html`<code>${text}</code>`;
  const rows: [string, string | SafeHtml][] = [
    [t(lang, 'details.input'), code(s.input)],
    [t(lang, 'details.start'), formatDate(lang, Date.parse(s.timing.startedAt), { seconds: true })],
    [t(lang, 'details.end'), formatDate(lang, Date.parse(s.timing.endedAt), { seconds: true })],
    [t(lang, 'details.duration'), formatDuration(lang, s.timing.durationMs)],
    [t(lang, 'details.rowsPerSecond'), formatNumber(lang, s.timing.rowsPerSecond, 1)],
    ...managerRows(s, lang),
    [t(lang, 'details.calls'), formatNumber(lang, s.calls)],
    ...(s.reconciled ? [[t(lang, 'details.reconciled'), t(lang, 'cli.reconciled', { ...s.reconciled })] as [string, string]] : []),
    ...(s.lookups && s.lookups.keys > 0 && !s.dryRun ? [[t(lang, 'details.lookups'), t(lang, 'cli.lookups', { ...s.lookups })] as [string, string]] : []),
    [t(lang, 'details.latency'), [l.p50, l.p90, l.p99, l.max].map(ms).join(' / ')],
    [t(lang, 'details.encoding'), s.source.encoding ?? '—'],
    [t(lang, 'details.delimiter'), delimiterName(s.source.delimiter, lang)],
    [t(lang, 'details.resumed'), t(lang, s.resumed ? 'details.yes' : 'details.no')],
    [t(lang, 'details.exitCode'), String(s.exitCode)],
    [t(lang, 'details.command'), code(s.command.line)],
    [t(lang, 'details.results'), code(s.files.results)],
    [t(lang, 'details.summary'), code(s.files.summary)],
  ];
  const list = rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`);
  return html`<section class="details"><h2>${t(lang, 'details.heading')}</h2><dl class="details">${list}</dl></section>`;
}
