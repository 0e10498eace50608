import { basename } from 'node:path';
import type { TimelineBucket } from '../run/progress.ts';
import type { RunResult } from '../run/result.ts';
import { STATUSES } from '../types.ts';
import type { ReportExamples } from './report-examples.ts';
import { redact, redactArgv, shellLine } from '../redact.ts';

/** Where a run's files are: the result CSV and, next to it, the summary and the HTML report. */
interface ReportPaths {
  results: string;
  summary: string;
  report: string;
}

/** One point of the throughput/latency charts. */
export interface TimelinePoint {
  /** Seconds since the start of the bucket. */
  t: number;
  /** API answers in the bucket. */
  answers: number;
  /** API answers per second, averaged over the bucket. */
  perSecond: number;
  /** Mean latency (ms) of the bucket's answers; null when it had none. */
  meanLatencyMs: number | null;
}

/** `<name>.summary.json`: everything about a run a person or a script needs, no row data. */
export interface RunSummary {
  schema: 'wolkvox-import.summary/1';
  runId: number;
  input: string;
  resumed: boolean;
  dryRun: boolean;
  /** Rows a crash left `sending` that this resume turned uncertain. */
  madeUncertain: number;
  exitCode: number;
  stop: { reason: string; code: string | null; message: string } | null;
  rows: number;
  /** Rows per status (every status of the contract, 0 when none). */
  counts: Record<string, number>;
  /** Rows per error code (the `error` column's prefix) of rows that are not ok, most frequent first. */
  errorCodes: Record<string, number>;
  /** API answers per classification code (OK, API_403, NET_ECONNREFUSED...), retries included. */
  answers: Record<string, number>;
  /** Calls spent on the (CRM) token's daily quota. */
  calls: number;
  /** --report: the Manager report behind the input, its windows and the Manager calls (apart from the CRM's); null for a file. */
  managerReport?: ManagerReportSummary | null;
  /** --reconcile: uncertain rows searched in the CRM (queryGestion) and what was found; null when it did not run. */
  reconciled?: { rows: number; found: number; missing: number; uncertain: number; calls: number } | null;
  /** "crm" lookups: distinct keys asked of the CRM (a dry run: to ask), their answers, the queries spent; null without a "crm" lookup. */
  lookups?: { keys: number; found: number; none: number; several: number; failed: number; calls: number } | null;
  maxInflightSeen: number;
  timing: { startedAt: string; endedAt: string; durationMs: number; rowsPerSecond: number; callsPerSecond: number };
  latencyMs: { samples: number; mean: number | null; p50: number | null; p90: number | null; p99: number | null; max: number | null };
  timeline: { bucketSeconds: number; points: TimelinePoint[] };
  source: { encoding: string | null; delimiter: string | null; format?: string; sheet?: string };
  command: { argv: string[]; line: string };
  files: ReportPaths;
}

interface ManagerReportSummary {
  report: string;
  campaign: string | null;
  managerServer: string;
  tz: string;
  from: string;
  to: string;
  windows: { from: string; to: string; records: number }[];
  /** Manager calls made by this command (0 when --resume continued the snapshot). */
  managerCalls: number;
  /** Manager calls the snapshot's fetch made (the same as managerCalls unless --resume continued it). */
  fetchCalls: number;
  snapshot: string;
  fromSnapshot: boolean;
  /** The watermark after the run (ISO instant), if any. */
  watermark: string | null;
}

function managerReport(r: RunResult): ManagerReportSummary | null {
  const i = r.report;
  if (!i) return null;
  const s = i.source;
  return { report: s.key.report, campaign: s.key.campaign || null, managerServer: s.key.managerServer, tz: s.tz, from: s.from, to: s.to,
    windows: s.windows.map((w) => ({ from: w.from, to: w.to, records: w.records })), managerCalls: i.managerCalls, fetchCalls: s.managerCalls,
    snapshot: i.snapshot, fromSnapshot: i.fromSnapshot, watermark: i.watermark ?? null };
}

interface SummaryInput {
  result: RunResult;
  /** The command line as typed, e.g. `['wolkvox-import', ...process.argv.slice(2)]`; redacted here. */
  argv: readonly string[];
  /** Literal secrets (the token) to redact wherever they appear. */
  secrets: readonly string[];
  examples?: ReportExamples;
  paths?: ReportPaths;
  /** End of the run when `result.startedAt` is absent (default: now). */
  now?: number;
}

/** Most points a chart gets: longer timelines are averaged into wider buckets. */
const MAX_CHART_POINTS = 600;

/** `out.results.csv` or `out.csv` → `out.summary.json`, `out.report.html` in the same folder. */
export function reportPaths(resultCsv: string): ReportPaths {
  const stem = resultCsv.replace(/(\.results)?\.csv$/i, '');
  return { results: resultCsv, summary: `${stem}.summary.json`, report: `${stem}.report.html` };
}

/** Nearest-rank percentile of sorted values; null when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function latencyStats(latencies: readonly number[]): RunSummary['latencyMs'] {
  const s = latencies.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const pick = (p: number) => {
    const v = percentile(s, p);
    return v === null ? null : round1(v);
  };
  const mean = s.length ? round1(s.reduce((a, b) => a + b, 0) / s.length) : null;
  return { samples: s.length, mean, p50: pick(50), p90: pick(90), p99: pick(99), max: pick(100) };
}

/**
 * Chart points from the per-second timeline, or the per-minute one when the run outlasted it;
 * seconds without answers count as 0 (pauses show), averaged into at most MAX_CHART_POINTS.
 */
export function chartTimeline(r: Pick<RunResult, 'timeline' | 'timelineByMinute'>): RunSummary['timeline'] {
  const perSec = r.timeline ?? [];
  const perMin = r.timelineByMinute ?? [];
  // Progress keeps 3,600 per-second buckets; a longer run is charted per minute.
  const useMinutes = perSec.length >= 3600 && perMin.length > 0;
  const base = useMinutes ? 60 : 1;
  const buckets: readonly TimelineBucket[] = useMinutes ? perMin : perSec;
  if (buckets.length === 0) return { bucketSeconds: base, points: [] };
  const span = (buckets[buckets.length - 1]?.t ?? 0) + 1;
  const k = Math.max(1, Math.ceil(span / MAX_CHART_POINTS));
  const sums = Array.from({ length: Math.ceil(span / k) }, () => ({ answers: 0, latencySum: 0 }));
  for (const b of buckets) {
    const slot = sums[Math.floor(b.t / k)];
    if (!slot) continue;
    slot.answers += b.answers;
    slot.latencySum += b.latencySum;
  }
  const width = base * k;
  const points = sums.map((s, i) => ({
    t: i * width,
    answers: s.answers,
    perSecond: Math.round((s.answers / width) * 100) / 100,
    meanLatencyMs: s.answers > 0 ? round1(s.latencySum / s.answers) : null,
  }));
  return { bucketSeconds: width, points };
}

/** Every status of the contract, 0 when absent; rows left `sending` are shown uncertain (as the result CSV does). */
function statusCounts(counts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of STATUSES) out[s] = counts[s] ?? 0;
  out.uncertain = (out.uncertain ?? 0) + (counts.sending ?? 0);
  for (const [k, v] of Object.entries(counts)) if (!(k in out) && k !== 'sending') out[k] = v;
  return out;
}

function sortedDesc(rec: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(rec).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** The input's name when RunResult does not carry it: `cartera.results.csv` → `cartera.csv`. */
function inputOf(r: RunResult): string {
  return r.input ?? `${basename(r.out).replace(/(\.results)?\.csv$/i, '')}.csv`;
}

/** The figures of the CRM queries: --reconcile's and the "crm" lookups' (null when they did not run). */
function crmFigures(r: RunResult): Pick<RunSummary, 'reconciled' | 'lookups'> {
  return { reconciled: r.reconciled ?? null, lookups: r.lookups ?? null };
}

/** The summary object (pure but for `now`'s default). */
export function buildSummary(input: SummaryInput): RunSummary {
  const r = input.result;
  const durationMs = Math.max(0, r.durationMs);
  const startMs = r.startedAt ?? (input.now ?? Date.now()) - durationMs;
  const secs = durationMs / 1000;
  const argv = redactArgv(input.argv, input.secrets);
  const source = (r.source ?? {}) as { encoding?: unknown; delimiter?: unknown; format?: unknown; sheet?: unknown };
  return {
    schema: 'wolkvox-import.summary/1',
    runId: r.runId,
    input: inputOf(r),
    resumed: r.resumed,
    dryRun: r.dryRun,
    madeUncertain: r.madeUncertain,
    exitCode: r.exitCode,
    stop: r.stop ? { reason: r.stop.kind, code: r.stop.code ?? null, message: redact(r.stop.message, input.secrets) } : null,
    rows: r.totalRows,
    counts: statusCounts(r.counts),
    errorCodes: sortedDesc(input.examples?.codes ?? {}),
    answers: sortedDesc(r.errorCodes),
    calls: r.calls,
    managerReport: managerReport(r),
    ...crmFigures(r),
    maxInflightSeen: r.maxInflightSeen,
    timing: {
      startedAt: new Date(startMs).toISOString(),
      endedAt: new Date(startMs + durationMs).toISOString(),
      durationMs,
      rowsPerSecond: secs > 0 ? round1(r.totalRows / secs) : 0,
      callsPerSecond: secs > 0 ? round1(r.calls / secs) : 0,
    },
    latencyMs: latencyStats(r.latencies),
    timeline: chartTimeline(r),
    source: {
      encoding: typeof source.encoding === 'string' ? source.encoding : null,
      delimiter: typeof source.delimiter === 'string' ? source.delimiter : null,
      ...(typeof source.sheet === 'string' ? { format: String(source.format), sheet: source.sheet } : {}),
    },
    command: { argv, line: shellLine(argv) },
    files: input.paths ?? reportPaths(r.out),
  };
}
