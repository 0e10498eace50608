import { basename } from 'node:path';
import { importCommandLine } from '../run/next-command.ts';
import { formatDate, formatNumber } from '../format.ts';
import { t, type Lang, type MessageKey } from '../i18n/index.ts';
import { STATUSES } from '../types.ts';
import { html, prose, raw, type SafeHtml } from './html.ts';
import { timelineCharts } from './report-charts.ts';
import type { ReportExamples } from './report-examples.ts';
import { detailsSection, errorsSection, uncertainSection } from './report-sections.ts';
import { REPORT_CSS, STATUS_COLORS } from './report-style.ts';
import type { RunSummary } from './summary.ts';

/** Nothing may load or run: inline styles and data: images only (defence in depth behind escaping). */
const CSP = raw("default-src 'none'; style-src 'unsafe-inline'; img-src data:");

const OUTCOME_COLORS: Readonly<Record<number, string>> = { 0: '#1a7f37', 1: '#9a6700', 2: '#cf222e', 3: '#0969da' };

function outcomeKey(exitCode: number): MessageKey {
  return exitCode === 0 ? 'outcome.0' : exitCode === 1 ? 'outcome.1' : exitCode === 2 ? 'outcome.2' : 'outcome.3';
}

const STOP_KEYS: Readonly<Record<string, MessageKey>> = {
  fatal: 'stop.fatal', quota: 'stop.quota', maintenance: 'stop.maintenance',
  'error-budget': 'stop.error-budget', signal: 'stop.signal', 'max-calls': 'stop.max-calls',
};

function stopReason(stop: NonNullable<RunSummary['stop']>, lang: Lang): SafeHtml {
  const key = STOP_KEYS[stop.reason];
  return html`<p class="reason">${t(lang, 'outcome.reason')}: ${key ? t(lang, key) : stop.reason}.</p><p class="small muted"><code>${stop.message}</code></p>`;
}

function banner(s: RunSummary, lang: Lang): SafeHtml {
  const color = OUTCOME_COLORS[s.exitCode] ?? '#cf222e';
  const notes = notesOf(s, lang).map((note) => html`<p class="small">${prose(note)}</p>`);
  return html`<div class="banner" style="--c:${color}"><strong>${t(lang, outcomeKey(s.exitCode))}</strong>${s.stop ? stopReason(s.stop, lang) : ''}${notes}</div>`;
}

function notesOf(s: RunSummary, lang: Lang): string[] {
  const out: string[] = [];
  if (s.dryRun) out.push(t(lang, 'report.dryRun'));
  if (s.resumed) out.push(t(lang, 'report.resumed'));
  if (s.madeUncertain > 0) out.push(t(lang, 'report.madeUncertain', { n: formatNumber(lang, s.madeUncertain) }));
  return out;
}

/** The proportion bar: one coloured span per status, as wide as its share. */
function proportionBar(s: RunSummary, total: number): SafeHtml | '' {
  if (total === 0) return '';
  const spans = STATUSES.filter((st) => (s.counts[st] ?? 0) > 0)
    .map((st) => html`<span style="--c:${STATUS_COLORS[st]};width:${((100 * (s.counts[st] ?? 0)) / total).toFixed(3)}%"></span>`);
  return html`<div class="bar" aria-hidden="true">${spans}</div>`;
}

/** The counts as big coloured numbers, with their share of the file, and a proportion bar. */
function cards(s: RunSummary, lang: Lang): SafeHtml {
  const total = STATUSES.reduce((a, st) => a + (s.counts[st] ?? 0), 0);
  const pct = (n: number) => (total > 0 ? `${formatNumber(lang, (100 * n) / total, n > 0 && (100 * n) / total < 1 ? 1 : 0)} %` : '');
  const list = STATUSES.map((st) => {
    const n = s.counts[st] ?? 0;
    const label = html`<span class="pct">${pct(n)}</span><span class="label">${t(lang, `status.${st}`)}</span>`;
    const figure = html`<span class="n">${formatNumber(lang, n)}</span><span class="note">${t(lang, `statusNote.${st}`)}</span>`;
    return html`<div class="card s-${st}${n === 0 ? ' zero' : ''}" style="--c:${STATUS_COLORS[st]}">${label}${figure}</div>`;
  });
  const heading = html`<section class="counts"><h2>${t(lang, 'counts.heading')}</h2>`;
  return html`${heading}<p class="muted">${t(lang, 'counts.total', { n: formatNumber(lang, Math.max(total, s.rows)) })}</p><div class="cards">${list}</div>${proportionBar(s, total)}</section>`;
}

/** The next steps, most urgent first: uncertain (quota may be at stake), pending, failed, invalid. */
function nextSteps(s: RunSummary, lang: Lang): SafeHtml {
  const n = (st: string) => s.counts[st] ?? 0;
  const items: string[] = [];
  const add = (st: string, key: MessageKey) => {
    if (n(st) > 0) items.push(t(lang, (n(st) === 1 ? `${key}.one` : key) as MessageKey, { n: formatNumber(lang, n(st)) }));
  };
  if (s.dryRun && n('pending') > 0) items.push(t(lang, 'next.dryRun', { command: importCommandLine(s.command.argv) }));
  add('uncertain', 'next.uncertain');
  if (!s.dryRun) add('pending', s.stop?.reason === 'fatal' ? 'next.pendingFatal' : 'next.pending');
  add('failed', 'next.failed');
  add('invalid', 'next.invalid');
  const body = items.length ? html`<ol class="next">${items.map((i) => html`<li>${prose(i)}</li>`)}</ol>` : html`<p>${t(lang, 'next.none')}</p>`;
  return html`<section class="todo"><h2>${t(lang, 'next.heading')}</h2>${body}</section>`;
}

/** The report page: one self-contained HTML file (inline CSS and SVG, no script, no external resource). */
export function renderHtml(summary: RunSummary, examples: ReportExamples, lang: Lang): string {
  const file = basename(summary.input);
  const date = formatDate(lang, Date.parse(summary.timing.startedAt));
  const title = t(lang, 'doc.title', { file, date });
  const subtitle = t(lang, 'report.subtitle', { run: summary.runId, date });
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${raw(REPORT_CSS)}</style>
</head>
<body><main>
<header><h1>${t(lang, 'report.title', { file })}</h1>
<p class="muted">${subtitle}</p>
${banner(summary, lang)}
</header>
${cards(summary, lang)}
${nextSteps(summary, lang)}
${errorsSection(summary, examples, lang)}
${uncertainSection(summary, examples, lang)}
${timelineCharts(summary, lang)}
${detailsSection(summary, lang)}
<footer>${t(lang, 'report.footer')}</footer>
</main></body>
</html>
`.toString();
}
