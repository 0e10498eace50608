import type { WolkvoxImportError } from '../errors.ts';
import type { StopInfo } from '../sink/stop.ts';
import type { SourceInfo } from '../source/index.ts';
import type { ReportExamples } from '../results/report-examples.ts';
import type { TimelineBucket } from './progress.ts';
import type { ReconcileStats } from '../reconcile/reconcile.ts';
import type { LookupStats } from '../crm-lookup/pass.ts';
import type { ReportInfo } from './report.ts';

export interface RunResult {
  runId: number;
  out: string;
  resumed: boolean;
  /** Rows left `sending` by a crash that this resume turned `uncertain`. */
  madeUncertain: number;
  counts: Record<string, number>;
  exitCode: number;
  stop?: StopInfo;
  /** Why the run could not finish normally (unreadable input, journal or result file failure); the CLI prints it last. */
  error?: WolkvoxImportError;
  totalRows: number;
  calls: number;
  maxInflightSeen: number;
  durationMs: number;
  source: SourceInfo;
  fingerprint: string;
  dryRun: boolean;
  latencies: number[];
  errorCodes: Record<string, number>;
  /** --reconcile: uncertain rows searched in the CRM, found / missing / still uncertain, and the queries spent. */
  reconciled?: ReconcileStats;
  /** A mapping with "crm" lookups: keys asked of the CRM (a dry run: to ask), found / not found / several / not answered, and the queries spent. */
  lookups?: LookupStats;
  /** The input file's path (the report's title). */
  input?: string;
  /** Epoch ms when the run started. */
  startedAt?: number;
  /** Progress.timeline: per-second answers and summed latency, for the report's charts. */
  timeline?: TimelineBucket[];
  /** Progress.timelineByMinute: the same per minute, used when the run outlasts `timeline`. */
  timelineByMinute?: TimelineBucket[];
  /** The report's counts and examples, gathered while the result CSV was written (absent when it was not written). */
  examples?: ReportExamples;
  /** --report: the Manager report behind the input (src/run/report.ts). */
  report?: ReportInfo;
}
