import { basename } from 'node:path';
import { formatDate, formatNumber, t, type Lang, type MessageKey } from '../i18n/index.ts';
import { STATUSES } from '../types.ts';
import { timelineCharts } from './report-charts.ts';
import type { ReportExamples } from './report-examples.ts';
import { esc, prose, STATUS_COLORS } from './report-format.ts';
import { detailsSection, errorsSection, uncertainSection } from './report-sections.ts';
import { REPORT_CSS } from './report-style.ts';
import type { RunSummary } from './summary.ts';

/** Nothing may load or run: inline styles and data: images only (defence in depth behind escaping). */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const OUTCOME_COLORS: Readonly<Record<number, string>> = { 0: '#1a7f37', 1: '#9a6700', 2: '#cf222e', 3: '#0969da' };

function outcomeKey(exitCode: number): MessageKey {
  return exitCode === 0 ? 'outcome.0' : exitCode === 1 ? 'outcome.1' : exitCode === 2 ? 'outcome.2' : 'outcome.3';
}

const STOP_KEYS: Readonly<Record<string, MessageKey>> = {
  fatal: 'stop.fatal', quota: 'stop.quota', maintenance: 'stop.maintenance',
  'error-budget': 'stop.error-budget', signal: 'stop.signal', 'max-calls': 'stop.max-calls',
};

function banner(s: RunSummary, lang: Lang): string {
  const color = OUTCOME_COLORS[s.exitCode] ?? '#cf222e';
  let out = `<div class="banner" style="--c:${color}"><strong>${esc(t(lang, outcomeKey(s.exitCode)))}</strong>`;
  if (s.stop) {
    const key = STOP_KEYS[s.stop.reason];
    out += `<p class="reason">${esc(t(lang, 'outcome.reason'))}: ${esc(key ? t(lang, key) : s.stop.reason)}.</p>`;
    out += `<p class="small muted"><code>${esc(s.stop.message)}</code></p>`;
  }
  for (const note of notes(s, lang)) out += `<p class="small">${prose(note)}</p>`;
  return out + '</div>';
}

function notes(s: RunSummary, lang: Lang): string[] {
  const out: string[] = [];
  if (s.dryRun) out.push(t(lang, 'report.dryRun'));
  if (s.resumed) out.push(t(lang, 'report.resumed'));
  if (s.madeUncertain > 0) out.push(t(lang, 'report.madeUncertain', { n: formatNumber(lang, s.madeUncertain) }));
  return out;
}

/** The counts as big coloured numbers, with their share of the file, and a proportion bar. */
function cards(s: RunSummary, lang: Lang): string {
  const total = STATUSES.reduce((a, st) => a + (s.counts[st] ?? 0), 0);
  const pct = (n: number) => (total > 0 ? `${formatNumber(lang, (100 * n) / total, n > 0 && (100 * n) / total < 1 ? 1 : 0)} %` : '');
  let out = `<section class="counts"><h2>${esc(t(lang, 'counts.heading'))}</h2>`;
  out += `<p class="muted">${esc(t(lang, 'counts.total', { n: formatNumber(lang, Math.max(total, s.rows)) }))}</p><div class="cards">`;
  for (const st of STATUSES) {
    const n = s.counts[st] ?? 0;
    out += `<div class="card s-${st}${n === 0 ? ' zero' : ''}" style="--c:${STATUS_COLORS[st]}">`
      + `<span class="pct">${esc(pct(n))}</span><span class="label">${esc(t(lang, `status.${st}`))}</span>`
      + `<span class="n">${esc(formatNumber(lang, n))}</span><span class="note">${esc(t(lang, `statusNote.${st}`))}</span></div>`;
  }
  out += '</div>';
  if (total > 0) {
    out += '<div class="bar" aria-hidden="true">';
    for (const st of STATUSES) {
      const n = s.counts[st] ?? 0;
      if (n > 0) out += `<span style="--c:${STATUS_COLORS[st]};width:${((100 * n) / total).toFixed(3)}%"></span>`;
    }
    out += '</div>';
  }
  return out + '</section>';
}

/** The next steps, most urgent first: uncertain (quota may be at stake), pending, failed, invalid. */
function nextSteps(s: RunSummary, lang: Lang): string {
  const n = (st: string) => s.counts[st] ?? 0;
  const items: string[] = [];
  const add = (st: string, key: MessageKey) => {
    if (n(st) > 0) items.push(t(lang, key, { n: formatNumber(lang, n(st)) }));
  };
  add('uncertain', 'next.uncertain');
  if (!s.dryRun) add('pending', 'next.pending');
  add('failed', 'next.failed');
  add('invalid', 'next.invalid');
  const body = items.length ? `<ol class="next">${items.map((i) => `<li>${prose(i)}</li>`).join('')}</ol>` : `<p>${esc(t(lang, 'next.none'))}</p>`;
  return `<section class="todo"><h2>${esc(t(lang, 'next.heading'))}</h2>${body}</section>`;
}

/** The report page: one self-contained HTML file (inline CSS and SVG, no script, no external resource). */
export function renderHtml(summary: RunSummary, examples: ReportExamples, lang: Lang): string {
  const file = basename(summary.input);
  const date = formatDate(lang, Date.parse(summary.timing.startedAt));
  return [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(t(lang, 'doc.title', { file, date }))}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body><main>',
    `<header><h1>${esc(t(lang, 'report.title', { file }))}</h1>`,
    `<p class="muted">${esc(t(lang, 'report.subtitle', { run: summary.runId, date }))}</p>`,
    banner(summary, lang),
    '</header>',
    cards(summary, lang),
    nextSteps(summary, lang),
    errorsSection(summary, examples, lang),
    uncertainSection(summary, examples, lang),
    timelineCharts(summary, lang),
    detailsSection(summary, lang),
    `<footer>${esc(t(lang, 'report.footer'))}</footer>`,
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}
