import { EXIT, type WolkvoxImportError } from '../errors.ts';
import type { StopInfo } from '../sink/sender.ts';
import type { SourceInfo } from '../source/index.ts';
import type { ReportExamples } from '../results/report-examples.ts';
import type { TimelineBucket } from './progress.ts';

export interface RunResult {
  runId: number;
  out: string;
  resumed: boolean;
  /** Rows left `sending` by a crash that this resume turned `uncertain`. */
  madeUncertain: number;
  counts: Record<string, number>;
  exitCode: number;
  stop?: StopInfo;
  totalRows: number;
  calls: number;
  maxInflightSeen: number;
  durationMs: number;
  source: SourceInfo;
  fingerprint: string;
  dryRun: boolean;
  latencies: number[];
  errorCodes: Record<string, number>;
  // --- report additions (src/results/report*.ts): optional, the report falls back without them ---
  /** The input file's path (the report's title; else derived from `out`). */
  input?: string;
  /** Epoch ms when the run started (else end minus `durationMs`). */
  startedAt?: number;
  /** Progress.timeline: per-second answers and summed latency, for the report's charts. */
  timeline?: TimelineBucket[];
  /** Progress.timelineByMinute: the same per minute, used when the run outlasts `timeline`. */
  timelineByMinute?: TimelineBucket[];
  /** The report's counts and examples, gathered while the result CSV was written (else read back from it). */
  examples?: ReportExamples;
  // --- end report additions ---
}

/** DESIGN.md: 0 all ok/skipped/duplicate · 1 some invalid/failed/uncertain · 2 input error · 3 stopped early. */
export function exitCodeFor(counts: Record<string, number>, stop: StopInfo | undefined, dryRun: boolean, inputError?: WolkvoxImportError): number {
  if (inputError) return EXIT.USAGE;
  const n = (s: string) => counts[s] ?? 0;
  if (!dryRun && (stop || n('pending') > 0 || n('sending') > 0)) return EXIT.STOPPED;
  if (n('invalid') + n('failed') + n('uncertain') > 0) return EXIT.ROWS_NOT_OK;
  return EXIT.OK;
}
