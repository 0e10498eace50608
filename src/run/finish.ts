import { rmSync } from 'node:fs';
import { EXIT, InputError, StateError, type WolkvoxImportError } from '../errors.ts';
import { renderResults } from '../results/render.ts';
import { reopenOptions } from '../source/index.ts';
import { stoppedText, type StopInfo } from '../sink/stop.ts';
import { SETTLED_STATUSES } from '../types.ts';
import { hashFile } from './fingerprint.ts';
import type { ReconcileStats } from '../reconcile/reconcile.ts';
import type { LookupStats } from '../crm-lookup/pass.ts';
import type { OpenRun } from './open.ts';
import type { Progress } from './progress.ts';
import type { RunResult } from './result.ts';

/** What the sending phase leaves for the finish. */
export interface Sent {
  stop?: StopInfo;
  /** The input could not be read to the end, or the journal failed. */
  error?: WolkvoxImportError;
  /** True when the error is the journal's (the store could not be written). */
  journalFailed: boolean;
  calls: number;
  maxInflightSeen: number;
  /** --reconcile's figures, when it ran. */
  reconciled?: ReconcileStats;
  /** The CRM lookups' figures, when the mapping has one. */
  lookups?: LookupStats;
}

/** 0 all ok/skipped/duplicate · 1 some invalid/failed/uncertain · 2 input or state error · 3 stopped early (rows pending). */
export function exitCodeFor(counts: Record<string, number>, s: { stop?: StopInfo; dryRun: boolean; error?: WolkvoxImportError; unsettled: number }): number {
  const n = (k: string) => counts[k] ?? 0;
  if (s.error) return s.error.code === 'E_STATE' && s.unsettled > 0 ? EXIT.STOPPED : EXIT.USAGE;
  if (s.stop || (!s.dryRun && (n('pending') > 0 || n('sending') > 0))) return EXIT.STOPPED;
  if (n('invalid') + n('failed') + n('uncertain') > 0) return EXIT.ROWS_NOT_OK;
  return EXIT.OK;
}

/** Rows the store does not hold as settled (pending, failed, being sent, or never written). */
function unsettled(counts: Record<string, number>, totalRows: number): number {
  const settled = SETTLED_STATUSES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  return Math.max(0, totalRows - settled);
}

/** The run's end: the result CSV (from the input and the store), then the run's state in the store. */
export async function finishRun(run: OpenRun, sent: Sent, progress: Progress, startedAt: number): Promise<RunResult> {
  const { cfg, store, runId } = run;
  let error = sent.error;
  const rendered = await render(run, sent.stop).catch((err: unknown) => {
    error ??= err as WolkvoxImportError;
    return undefined;
  });
  // Rows a stop left unread are in the result file (pending) but not in the store: count them from the file.
  const totalRows = Math.max(rendered?.rows ?? 0, progress.read);
  const counts = store.countsByStatus(runId);
  const unread = totalRows - Object.values(counts).reduce((a, b) => a + b, 0);
  if (unread > 0) counts.pending = (counts.pending ?? 0) + unread;
  const exitCode = error && !sent.error ? EXIT.USAGE : exitCodeFor(counts, { stop: sent.stop, dryRun: cfg.dryRun, error, unsettled: unsettled(counts, totalRows) });
  if (!sent.journalFailed) {
    store.finishRun(runId, {
      state: sent.stop || error ? 'stopped' : 'finished',
      stopReason: error ? `${error.code}: ${error.message}` : (sent.stop?.kind ?? null),
      exitCode, totalRows,
    });
  }
  return {
    runId, out: run.out, resumed: run.resumed, madeUncertain: run.madeUncertain, counts,
    exitCode, stop: sent.stop, error, totalRows, calls: sent.calls,
    maxInflightSeen: sent.maxInflightSeen, durationMs: Date.now() - startedAt, source: run.prepared.source.info,
    fingerprint: run.prepared.fingerprint, dryRun: cfg.dryRun, latencies: progress.latencies, errorCodes: progress.errorCodes,
    reconciled: sent.reconciled, lookups: sent.lookups,
    input: cfg.input, startedAt, timeline: progress.timeline, timelineByMinute: progress.timelineByMinute, examples: rendered?.examples,
  };
}

/**
 * Writes the result CSV, refusing to pair the journal with an input that changed since the run read
 * it (the rows would be shown with other rows' outcomes). Any failure leaves the journal intact.
 */
async function render(run: OpenRun, stop: StopInfo | undefined): Promise<Awaited<ReturnType<typeof renderResults>>> {
  const { cfg, prepared } = run;
  const changed = new InputError(`${cfg.input} changed while it was being imported: the result file was not written (it would pair rows with other rows' outcomes). Every outcome is kept in the state file: put the original file back and run the same command with --resume to write the results`, { file: cfg.input });
  if ((await hashFile(cfg.input).catch(() => '')) !== prepared.inputHash) throw changed;
  const source = reopenOptions(cfg, prepared.source.info);
  let result;
  try {
    result = await renderResults({ source, store: run.store, runId: run.runId, out: run.out, excel: cfg.excel, unsentError: stop ? stoppedText(stop) : undefined, rejects: cfg.rejects });
  } catch (err) {
    throw new StateError(`the result file ${run.out} could not be written (${(err as { code?: string }).code ?? (err as Error).message}). Nothing is lost: every outcome is in the state file; run the same command with --resume --out <another file> to write the results`, { file: run.out });
  }
  if ((await hashFile(cfg.input).catch(() => '')) !== prepared.inputHash) {
    rmSync(run.out, { force: true });
    throw changed;
  }
  return result;
}
