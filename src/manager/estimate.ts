/**
 * Cutting a window whose answer reached the cap when that answer gives no exact hint (it is not in
 * time order from the window's start: docs/api.md, "Manager report API", which records a capped
 * answer keeps). Halving again and again costs up to 4 × the calls an exact cut would; instead the
 * capped answer's dates are read as a sample of the window: a probe (the part holding a quarter of
 * the sample) is fetched first, its true count gives the scale, and the rest is cut at once into as
 * many parts as that scale says it needs (each sized with a margin of two standard errors of the
 * estimate: a small sample leaves more room). A wrong guess costs calls, never records: any part
 * still at the cap is cut again.
 */
import { recordTime } from './boundary.ts';
import type { ReportRecord } from './classify.ts';
import { splitWindow, wallToDate, type Window } from './windows.ts';

const SECOND = 1000;
/** The probe holds this share of the capped answer's records. */
const PROBE_SHARE = 0.25;
/** Parts of the rest are sized for at most this share of the split threshold. */
const MAX_FILL = 0.9;
/** Fewer dated records than this: no sample worth reading (cut in the middle). */
const MIN_SAMPLE = 8;

/** A capped window cut into a probe (fetched first) and a rest (cut once the probe's count is known). */
export interface Estimate {
  /** Sample records inside the probe. */
  probeCount: number;
  /** The sample's instants inside the rest, sorted (ms). */
  restTimes: number[];
  rest: Window;
}

/** The instants of the records dated inside `w`, sorted (ms; whole seconds). */
function sampleTimes(w: Window, records: readonly ReportRecord[], tz: string): number[] {
  const out: number[] = [];
  for (const r of records) {
    const text = recordTime(r);
    const t = text === undefined ? undefined : wallToDate(text, tz)?.getTime();
    if (t !== undefined && t >= w.from.getTime() && t < w.to.getTime()) out.push(t);
  }
  return out.sort((a, b) => a - b);
}

/** How many of the sorted `times` are before `t`. */
function countBefore(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The probe and rest of capped window `w`, or undefined when its answer's dates cannot place a cut inside it. */
export function probeSplit(w: Window, records: readonly ReportRecord[], tz: string): { probe: Window; estimate: Estimate } | undefined {
  const times = sampleTimes(w, records, tz);
  if (times.length < MIN_SAMPLE) return undefined;
  let cut = times[Math.floor(times.length * PROBE_SHARE)] as number;
  if (cut <= w.from.getTime()) cut = times.find((t) => t > w.from.getTime()) ?? w.from.getTime() + SECOND;
  if (cut >= w.to.getTime()) return undefined;
  const at = countBefore(times, cut);
  const rest = { from: new Date(cut), to: w.to };
  return { probe: { from: w.from, to: new Date(cut) }, estimate: { probeCount: at, restTimes: times.slice(at), rest } };
}

/**
 * The share of the split threshold a part is sized for: a part's count is estimated from the sample
 * points in it and in the probe (relative error about √(1/points + 1/probe points)); two such errors
 * of room, so that few parts come back at the cap.
 */
function fill(probeCount: number, perSample: number, splitAt: number): number {
  let f = MAX_FILL;
  for (let i = 0; i < 3; i++) {
    const points = Math.max(1, (f * splitAt) / Math.max(perSample, 1e-9));
    f = Math.min(MAX_FILL, 1 / (1 + 2 * Math.sqrt(1 / points + 1 / Math.max(1, probeCount))));
  }
  return f;
}

/**
 * The rest's parts once the probe holds `probeRecords` records; and the estimate of the whole
 * window's records (for the window this one is the probe of). Cut at the sample's quantiles.
 */
export function restParts(e: Estimate, probeRecords: number, splitAt: number): { parts: Window[]; total: number } {
  const perSample = e.probeCount > 0 ? probeRecords / e.probeCount : 1;
  const restRecords = Math.max(e.restTimes.length, Math.round(e.restTimes.length * perSample));
  const seconds = (e.rest.to.getTime() - e.rest.from.getTime()) / SECOND;
  const k = Math.max(1, Math.min(seconds, Math.ceil(restRecords / (fill(e.probeCount, perSample, splitAt) * splitAt))));
  const total = probeRecords + restRecords;
  if (k === 1) return { parts: [e.rest], total };
  if (e.restTimes.length < k) return { parts: splitWindow(e.rest, k), total };
  const parts: Window[] = [];
  let start = e.rest.from.getTime();
  for (let j = 1; j < k; j++) {
    const cut = e.restTimes[Math.floor((j * e.restTimes.length) / k)] as number;
    if (cut <= start || cut >= e.rest.to.getTime()) continue;
    parts.push({ from: new Date(start), to: new Date(cut) });
    start = cut;
  }
  parts.push({ from: new Date(start), to: e.rest.to });
  return { parts, total };
}
