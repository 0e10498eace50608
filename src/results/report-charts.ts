import { clock, formatNumber } from '../format.ts';
import { t, type Lang } from '../i18n/index.ts';
import { html, type SafeHtml } from './html.ts';
import type { RunSummary, TimelinePoint } from './summary.ts';

/** Geometry of one chart, in SVG user units (the SVG scales to the page width). */
const W = 1000;
const H = 220;
const LEFT = 64;
const RIGHT = 16;
const TOP = 14;
const BOTTOM = 34;
const PLOT_W = W - LEFT - RIGHT;
const PLOT_H = H - TOP - BOTTOM;

interface ChartSpec {
  title: string;
  points: readonly TimelinePoint[];
  value: (p: TimelinePoint) => number | null;
  color: string;
  kind: 'bars' | 'line';
  /** Seconds each point covers. */
  bucket: number;
  lang: Lang;
}

const f1 = (n: number) => n.toFixed(1);

/** A number rounded for an axis: 1, 2, 2.5 or 5 times a power of ten, at least `v`. */
function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function yAxis(max: number, lang: Lang): SafeHtml[] {
  return [0, 0.5, 1].map((frac) => {
    const y = TOP + PLOT_H - frac * PLOT_H;
    const label = formatNumber(lang, max * frac, max < 10 ? 1 : 0);
    return html`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${f1(y)}" y2="${f1(y)}" class="grid"/><text x="${LEFT - 8}" y="${f1(y + 4)}" text-anchor="end">${label}</text>`;
  });
}

/** Tick steps for the time axis (seconds): the first giving at most 6 intervals is used. */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/** The time axis: ticks at round times (0:00, 0:30, 1:00...) across `span` seconds. */
function xAxis(span: number): SafeHtml {
  const step = TIME_STEPS.find((s) => span / s <= 6) ?? Math.ceil(span / 6);
  const base = TOP + PLOT_H;
  const ticks: SafeHtml[] = [];
  for (let tick = 0; tick <= span; tick += step) {
    const x = LEFT + (tick / span) * PLOT_W;
    const anchor = tick === 0 ? 'start' : x > W - RIGHT - 20 ? 'end' : 'middle';
    ticks.push(html`<line x1="${f1(x)}" x2="${f1(x)}" y1="${base}" y2="${base + 4}" class="axis"/><text x="${f1(x)}" y="${base + 18}" text-anchor="${anchor}">${clock(tick)}</text>`);
  }
  return html`<line x1="${LEFT}" x2="${W - RIGHT}" y1="${base}" y2="${base}" class="axis"/>${ticks}`;
}

function bars(spec: ChartSpec, max: number, slot: number): SafeHtml {
  const w = Math.min(48, Math.max(0.5, slot * 0.85));
  const rects = spec.points.map((p, i) => {
    const v = spec.value(p) ?? 0;
    if (v <= 0) return null;
    const h = (v / max) * PLOT_H;
    return html`<rect x="${f1(LEFT + i * slot + (slot - w) / 2)}" y="${f1(TOP + PLOT_H - h)}" width="${f1(w)}" height="${f1(h)}"/>`;
  });
  return html`<g fill="${spec.color}">${rects}</g>`;
}

/** A line broken where a bucket had no answers (no latency to show). */
function line(spec: ChartSpec, max: number, slot: number): SafeHtml {
  const segments: string[][] = [[]];
  const dots: [string, string][] = [];
  spec.points.forEach((p, i) => {
    const v = spec.value(p);
    if (v === null) {
      if ((segments[segments.length - 1] ?? []).length) segments.push([]);
      return;
    }
    const xy: [string, string] = [f1(LEFT + (i + 0.5) * slot), f1(TOP + PLOT_H - (v / max) * PLOT_H)];
    segments[segments.length - 1]?.push(xy.join(','));
    if (spec.points.length <= 60) dots.push(xy);
  });
  const lines = segments.filter((s) => s.length > 1)
    .map((s) => html`<polyline points="${s.join(' ')}" fill="none" stroke="${spec.color}" stroke-width="2" stroke-linejoin="round"/>`);
  const circles = dots.map(([x, y]) => html`<circle cx="${x}" cy="${y}" r="3" fill="${spec.color}"/>`);
  return html`${lines}${circles}`;
}

function chart(spec: ChartSpec): SafeHtml {
  const n = spec.points.length;
  const top = Math.max(0, ...spec.points.map((p) => spec.value(p) ?? 0));
  const max = niceCeil(top);
  const slot = PLOT_W / n;
  const body = spec.kind === 'bars' ? bars(spec, max, slot) : line(spec, max, slot);
  const head = html`<figure class="chart"><figcaption>${spec.title}</figcaption>`;
  const svg = html`<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${spec.title}" xmlns="http://www.w3.org/2000/svg">`;
  return html`${head}${svg}<title>${spec.title}</title>${yAxis(max, spec.lang)}${xAxis(n * spec.bucket)}${body}</svg></figure>`;
}

/** The throughput and mean-latency charts of the run, or a line saying there were no calls. */
export function timelineCharts(s: RunSummary, lang: Lang): SafeHtml {
  const points = s.timeline.points;
  const head = html`<h2>${t(lang, 'chart.heading')}</h2>`;
  if (points.length === 0) {
    return html`<section class="charts">${head}<p class="muted">${t(lang, s.calls === 0 ? 'chart.empty' : 'chart.unavailable')}</p></section>`;
  }
  const bucket = s.timeline.bucketSeconds;
  const note = bucket > 1 ? ` · ${t(lang, 'chart.perBucket', { s: formatNumber(lang, s.timeline.bucketSeconds) })}` : '';
  const throughput = chart({ title: t(lang, 'chart.throughput'), points, value: (p) => p.perSecond, color: '#0969da', kind: 'bars', bucket, lang });
  const latency = chart({ title: t(lang, 'chart.latency'), points, value: (p) => p.meanLatencyMs, color: '#8250df', kind: 'line', bucket, lang });
  const scale = points.length * bucket >= 3600 ? 'h:mm:ss' : 'm:ss';
  return html`<section class="charts">${head}${throughput}${latency}<p class="muted small">${t(lang, 'chart.time')} (${scale})${note}</p></section>`;
}
