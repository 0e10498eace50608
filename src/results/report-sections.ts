import { basename } from 'node:path';
import { formatDate, formatDuration, formatNumber, t, type Lang } from '../i18n/index.ts';
import { esc, prose, STATUS_COLORS } from './report-format.ts';
import { hintsFor } from './report-hints.ts';
import type { ErrorExample, ReportExamples } from './report-examples.ts';
import type { RunSummary } from './summary.ts';

/** Error codes shown in the table; the rest are named in a line (the summary JSON has them all). */
export const MAX_CODES_SHOWN = 15;

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

/** Errors and notes by code: count, example rows, what to do. */
export function errorsSection(s: RunSummary, ex: ReportExamples, lang: Lang): string {
  const codes = Object.entries(s.errorCodes);
  let out = `<section class="errors"><h2>${esc(t(lang, 'errors.heading'))}</h2>`;
  if (codes.length === 0) return `${out}<p class="muted">${esc(t(lang, 'errors.none'))}</p></section>`;
  out += `<table class="codes"><thead><tr><th>${esc(t(lang, 'errors.code'))}</th><th class="num">${esc(t(lang, 'errors.rows'))}</th>`
    + `<th>${esc(t(lang, 'errors.examples'))}</th><th>${esc(t(lang, 'errors.todo'))}</th></tr></thead><tbody>`;
  for (const [code, count] of codes.slice(0, MAX_CODES_SHOWN)) {
    const examples = ex.byCode[code] ?? [];
    const items = groupByMessage(examples).map(({ rows, error }) =>
      `<li><b>${esc(t(lang, rows.length > 1 ? 'errors.rowsLabel' : 'uncertain.row'))} ${esc(rows.join(', '))}</b>: ${esc(error)}</li>`);
    if (count > examples.length && examples.length > 0) items.push(`<li class="muted">${esc(t(lang, 'errors.moreRows', { n: formatNumber(lang, count - examples.length) }))}</li>`);
    const hints = hintsFor(code, examples, lang).map((h) => `<li>${prose(h)}</li>`).join('');
    out += `<tr><td><span class="badge" style="--c:${codeColor(code, ex)}">${esc(code)}</span></td>`
      + `<td class="num">${esc(formatNumber(lang, count))}</td>`
      + `<td><ul class="examples">${items.join('')}</ul></td><td><ul class="hints">${hints}</ul></td></tr>`;
  }
  out += '</tbody></table>';
  if (codes.length > MAX_CODES_SHOWN) out += `<p class="muted small">${esc(t(lang, 'errors.moreCodes', { n: formatNumber(lang, codes.length - MAX_CODES_SHOWN) }))}</p>`;
  return out + '</section>';
}

/** The uncertain rows to look up in the CRM, with the input values that identify them. */
export function uncertainSection(s: RunSummary, ex: ReportExamples, lang: Lang): string {
  if (ex.uncertainTotal === 0) return '';
  let out = `<section class="uncertain"><h2>${esc(t(lang, 'uncertain.heading'))}</h2><p>${prose(t(lang, 'uncertain.intro'))}</p>`;
  out += `<table><thead><tr><th class="num">${esc(t(lang, 'uncertain.row'))}</th>`;
  for (const c of ex.idColumns) out += `<th>${esc(c)}</th>`;
  out += `<th>${esc(t(lang, 'uncertain.error'))}</th></tr></thead><tbody>`;
  for (const u of ex.uncertain) {
    out += `<tr><td class="num">${esc(u.row)}</td>${u.values.map((v) => `<td${v.length <= 24 ? ' class="id"' : ''}>${esc(v)}</td>`).join('')}<td class="err">${esc(u.error)}</td></tr>`;
  }
  out += '</tbody></table>';
  const more = ex.uncertainTotal - ex.uncertain.length;
  if (more > 0) out += `<p class="muted small">${esc(t(lang, 'uncertain.more', { n: formatNumber(lang, more), file: basename(s.files.results) }))}</p>`;
  return out + '</section>';
}

function delimiterName(d: string | null, lang: Lang): string {
  if (d === null) return '—';
  return d === '\t' ? t(lang, 'details.tab') : `“${d}”`;
}

/** Timings, quota, latency, encoding, command and files. */
export function detailsSection(s: RunSummary, lang: Lang): string {
  const l = s.latencyMs;
  const ms = (v: number | null) => (v === null ? '—' : `${formatNumber(lang, v)} ms`);
  const rows: [string, string][] = [
    [t(lang, 'details.input'), `<code>${esc(s.input)}</code>`],
    [t(lang, 'details.start'), esc(formatDate(lang, Date.parse(s.timing.startedAt), { seconds: true }))],
    [t(lang, 'details.end'), esc(formatDate(lang, Date.parse(s.timing.endedAt), { seconds: true }))],
    [t(lang, 'details.duration'), esc(formatDuration(lang, s.timing.durationMs))],
    [t(lang, 'details.rowsPerSecond'), esc(formatNumber(lang, s.timing.rowsPerSecond, 1))],
    [t(lang, 'details.calls'), esc(formatNumber(lang, s.calls))],
    [t(lang, 'details.latency'), esc([l.p50, l.p90, l.p99, l.max].map(ms).join(' / '))],
    [t(lang, 'details.encoding'), esc(s.source.encoding ?? '—')],
    [t(lang, 'details.delimiter'), esc(delimiterName(s.source.delimiter, lang))],
    [t(lang, 'details.resumed'), esc(t(lang, s.resumed ? 'details.yes' : 'details.no'))],
    [t(lang, 'details.exitCode'), esc(s.exitCode)],
    [t(lang, 'details.command'), `<code>${esc(s.command.line)}</code>`],
    [t(lang, 'details.results'), `<code>${esc(s.files.results)}</code>`],
    [t(lang, 'details.summary'), `<code>${esc(s.files.summary)}</code>`],
  ];
  return `<section class="details"><h2>${esc(t(lang, 'details.heading'))}</h2><dl class="details">`
    + rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('') + '</dl></section>';
}
