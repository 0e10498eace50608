import { formatNumber, t, type Lang } from '../i18n/index.ts';
import { clock, esc, niceCeil } from './report-format.ts';
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

function yAxis(max: number, lang: Lang): string {
  let out = '';
  for (const frac of [0, 0.5, 1]) {
    const y = TOP + PLOT_H - frac * PLOT_H;
    out += `<line x1="${LEFT}" x2="${W - RIGHT}" y1="${f1(y)}" y2="${f1(y)}" class="grid"/>`;
    out += `<text x="${LEFT - 8}" y="${f1(y + 4)}" text-anchor="end">${esc(formatNumber(lang, max * frac, max < 10 ? 1 : 0))}</text>`;
  }
  return out;
}

/** Tick steps for the time axis (seconds): the first giving at most 6 intervals is used. */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/** The time axis: ticks at round times (0:00, 0:30, 1:00...) across `span` seconds. */
function xAxis(span: number): string {
  const step = TIME_STEPS.find((s) => span / s <= 6) ?? Math.ceil(span / 6);
  let out = `<line x1="${LEFT}" x2="${W - RIGHT}" y1="${TOP + PLOT_H}" y2="${TOP + PLOT_H}" class="axis"/>`;
  for (let tick = 0; tick <= span; tick += step) {
    const x = LEFT + (tick / span) * PLOT_W;
    const anchor = tick === 0 ? 'start' : x > W - RIGHT - 20 ? 'end' : 'middle';
    out += `<line x1="${f1(x)}" x2="${f1(x)}" y1="${TOP + PLOT_H}" y2="${TOP + PLOT_H + 4}" class="axis"/>`;
    out += `<text x="${f1(x)}" y="${TOP + PLOT_H + 18}" text-anchor="${anchor}">${esc(clock(tick))}</text>`;
  }
  return out;
}

function bars(spec: ChartSpec, max: number, slot: number): string {
  const w = Math.min(48, Math.max(0.5, slot * 0.85));
  let out = `<g fill="${spec.color}">`;
  spec.points.forEach((p, i) => {
    const v = spec.value(p) ?? 0;
    if (v <= 0) return;
    const h = (v / max) * PLOT_H;
    out += `<rect x="${f1(LEFT + i * slot + (slot - w) / 2)}" y="${f1(TOP + PLOT_H - h)}" width="${f1(w)}" height="${f1(h)}"/>`;
  });
  return out + '</g>';
}

/** A line broken where a bucket had no answers (no latency to show). */
function line(spec: ChartSpec, max: number, slot: number): string {
  const segments: string[][] = [[]];
  const dots: string[] = [];
  spec.points.forEach((p, i) => {
    const v = spec.value(p);
    if (v === null) {
      if ((segments[segments.length - 1] ?? []).length) segments.push([]);
      return;
    }
    const xy = `${f1(LEFT + (i + 0.5) * slot)},${f1(TOP + PLOT_H - (v / max) * PLOT_H)}`;
    segments[segments.length - 1]?.push(xy);
    if (spec.points.length <= 60) dots.push(xy);
  });
  let out = '';
  for (const s of segments) if (s.length > 1) out += `<polyline points="${s.join(' ')}" fill="none" stroke="${spec.color}" stroke-width="2" stroke-linejoin="round"/>`;
  for (const d of dots) {
    const [x, y] = d.split(',');
    out += `<circle cx="${x}" cy="${y}" r="3" fill="${spec.color}"/>`;
  }
  return out;
}

function chart(spec: ChartSpec): string {
  const n = spec.points.length;
  const top = Math.max(0, ...spec.points.map((p) => spec.value(p) ?? 0));
  const max = niceCeil(top);
  const slot = PLOT_W / n;
  const body = spec.kind === 'bars' ? bars(spec, max, slot) : line(spec, max, slot);
  const span = n * spec.bucket;
  return `<figure class="chart"><figcaption>${esc(spec.title)}</figcaption>`
    + `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(spec.title)}" xmlns="http://www.w3.org/2000/svg">`
    + `<title>${esc(spec.title)}</title>${yAxis(max, spec.lang)}${xAxis(span)}${body}</svg></figure>`;
}

/** The throughput and mean-latency charts of the run, or a line saying there were no calls. */
export function timelineCharts(s: RunSummary, lang: Lang): string {
  const points = s.timeline.points;
  const head = `<h2>${esc(t(lang, 'chart.heading'))}</h2>`;
  if (points.length === 0) {
    return `<section class="charts">${head}<p class="muted">${esc(t(lang, s.calls === 0 ? 'chart.empty' : 'chart.unavailable'))}</p></section>`;
  }
  const bucket = s.timeline.bucketSeconds;
  const note = bucket > 1 ? ` · ${t(lang, 'chart.perBucket', { s: formatNumber(lang, s.timeline.bucketSeconds) })}` : '';
  return `<section class="charts">${head}`
    + chart({ title: t(lang, 'chart.throughput'), points, value: (p) => p.perSecond, color: '#0969da', kind: 'bars', bucket, lang })
    + chart({ title: t(lang, 'chart.latency'), points, value: (p) => p.meanLatencyMs, color: '#8250df', kind: 'line', bucket, lang })
    + `<p class="muted small">${esc(t(lang, 'chart.time'))} (${points.length * bucket >= 3600 ? 'h:mm:ss' : 'm:ss'})${esc(note)}</p></section>`;
}
