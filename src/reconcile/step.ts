/**
 * `import --reconcile`: the reconcile step inside a run — at the start of a --resume (so the rows
 * found missing are sent by that same resume) and after the sending ends (with --resend, the rows
 * found missing are sent at once, and what that leaves uncertain is reconciled again).
 */
import type { Logger } from 'pino';
import { InputError } from '../errors.ts';
import { Planner } from '../plan/plan.ts';
import type { Journal } from '../run/journal.ts';
import type { OpenRun } from '../run/open.ts';
import type { ApiClient } from '../sink/client.ts';
import type { Sender } from '../sink/sender.ts';
import { openSource, reopenOptions } from '../source/index.ts';
import { addStats, NO_RECONCILE, reconcileRun, type ReconcileStats, type SentRow } from './reconcile.ts';

/** Rounds of "send the missing ones, reconcile what that left uncertain" after the sending, at most. */
const RESEND_ROUNDS = 3;

export interface StepDeps {
  client: ApiClient;
  journal: Journal;
  sender: Sender;
  log: Logger;
  signal?: AbortSignal;
}

/** Per run of this process: the rows a pass judged still uncertain (not asked again while unchanged: see ReconcileDeps.judged). */
const JUDGED = new WeakMap<OpenRun, Map<number, number>>();

function judgedOf(run: OpenRun): Map<number, number> {
  let m = JUDGED.get(run);
  if (!m) JUDGED.set(run, (m = new Map()));
  return m;
}

/** The fields the given rows send, re-read from the input through the run's mapping. */
export function sentRowsOf(run: Pick<OpenRun, 'cfg' | 'prepared' | 'planner'>): (rows: ReadonlySet<number>) => Promise<Map<number, SentRow>> {
  return async (rows) => {
    const out = new Map<number, SentRow>();
    const { cfg } = run;
    const source = await openSource(reopenOptions(cfg, run.prepared.source.info));
    try {
      for await (const rec of source.records) {
        if (!rows.has(rec.row)) continue;
        const tr = run.prepared.compiled.transform(rec);
        if (tr.kind === 'send') out.set(rec.row, { fields: tr.fields, key: run.planner.ledgerKeyOf(tr.dedupeKey) });
        if (out.size === rows.size) break;
      }
    } finally {
      await source.close().catch(() => undefined);
    }
    return out;
  };
}

/**
 * One reconcile pass over the run's uncertain rows, spending the sender's calls. An input that can
 * no longer be read leaves the rows uncertain (logged): the run still finishes and writes its results.
 */
async function reconcileOnce(run: OpenRun, d: StepDeps): Promise<ReconcileStats> {
  try {
    return await reconcilePass(run, d);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    d.log.error({ code: err.code }, `reconcile skipped: ${err.message}`);
    return { ...NO_RECONCILE };
  }
}

function reconcilePass(run: OpenRun, d: StepDeps): Promise<ReconcileStats> {
  const { cfg } = run;
  return reconcileRun({
    store: run.store, runId: run.runId, journal: d.journal, client: d.client, operation: cfg.operation, policy: cfg.policy,
    reconcileBy: run.prepared.compiled.reconcileBy, sentRows: sentRowsOf(run), signal: d.signal ?? new AbortController().signal, log: d.log, judged: judgedOf(run),
    spend: () => d.sender.spend(),
    stop: (c) => d.sender.stop({ kind: c.action === 'quota' ? 'quota' : 'fatal', code: c.code, message: `reconcile: ${c.code}: ${c.message}${c.hint ? `: ${c.hint}` : ''}` }),
  });
}

/** A fresh planner: rows the reconcile made pending are no longer settled for this run. */
function replan(run: OpenRun): void {
  const { cfg } = run;
  run.planner = new Planner(run.store, { id: run.runId, server: cfg.server, operation: cfg.operation, resumed: true, retryUncertain: cfg.retryUncertain });
}

/** At the start of a --resume: reconcile what the earlier part left uncertain, before sending. */
export async function reconcileBeforeSending(run: OpenRun, d: StepDeps): Promise<ReconcileStats> {
  if (!run.resumed || d.sender.stopped) return { ...NO_RECONCILE };
  const stats = await reconcileOnce(run, d);
  if (stats.rows > 0) replan(run);
  return stats;
}

/**
 * After the sending: reconcile; with --resend, send the rows found missing (`resend` reads the input
 * again and sends what is not settled) and reconcile what that left uncertain, a few rounds at most.
 */
export async function reconcileAfterSending(run: OpenRun, d: StepDeps & { resend?: () => Promise<void> }): Promise<ReconcileStats> {
  if (d.sender.stopped || d.signal?.aborted) return { ...NO_RECONCILE }; // no call left to spend, or the operator said stop
  let total = await reconcileOnce(run, d);
  for (let round = 0; round < RESEND_ROUNDS && d.resend && total.missing > 0 && !d.sender.stopped && !d.signal?.aborted; round++) {
    const before = run.store.countsByStatus(run.runId).pending ?? 0;
    if (before === 0) break;
    replan(run);
    await d.resend();
    total = addStats(total, await reconcileOnce(run, d));
  }
  return total;
}

/** --resend: reads the input again and sends what is not settled (the rows found missing), then closes that reading. */
export async function resendPass(run: OpenRun, send: () => Promise<unknown>): Promise<void> {
  const { cfg } = run;
  const source = await openSource(reopenOptions(cfg, run.prepared.source.info));
  run.prepared.source = source;
  try {
    await send();
  } finally {
    await source.close().catch(() => undefined);
  }
}
