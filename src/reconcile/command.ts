/**
 * `wolkvox-import reconcile <input> [--run N]`: reconciles the rows a run left uncertain, outside an
 * import (same server, operation, token and mapping flags), then writes the run's result CSV again.
 */
import type { Logger } from 'pino';
import type { ImportConfig } from '../config/config.ts';
import { StateError } from '../errors.ts';
import { Planner } from '../plan/plan.ts';
import { maxCallsCap, quotaPlan } from '../plan/quota.ts';
import { describeChange } from '../plan/select-run.ts';
import { renderResults } from '../results/render.ts';
import { exitCodeFor } from '../run/finish.ts';
import { Journal } from '../run/journal.ts';
import { loadRunMapping, type Prepared } from '../run/prepare.ts';
import { createClient, type ApiClient } from '../sink/client.ts';
import type { StopInfo } from '../sink/stop.ts';
import { acquireLockWaiting, releaseLock } from '../store/lock.ts';
import { RunStore, type RunRecord } from '../store/store.ts';
import { reconcileRun, type ReconcileStats } from './reconcile.ts';
import { sentRowsOf } from './step.ts';
import { bindLookupCache } from '../crm-lookup/pass.ts';

export interface ReconcileOutcome {
  runId: number;
  out: string;
  stats: ReconcileStats;
  counts: Record<string, number>;
  stop?: StopInfo;
  exitCode: number;
}

export interface ReconcileCommandDeps {
  token: string;
  logger: Logger;
  runId?: number;
  signal?: AbortSignal;
  command?: string;
  client?: ApiClient;
}

/** The run to reconcile: --run N, else the latest run of the input; it must have read this same file with this same mapping. */
function pickRun(cfg: ImportConfig, store: RunStore, p: Prepared, runId: number | undefined): RunRecord {
  const run = runId !== undefined ? store.getRun(runId) : store.latestRunForInput(cfg.input);
  if (!run) throw new StateError(runId !== undefined ? `--run ${runId}: no such run in the state file ${cfg.statePath}` : `no run of ${cfg.input} in the state file ${cfg.statePath}: nothing to reconcile`);
  if (run.fingerprint !== p.fingerprint) {
    const now = { ...run, inputHash: p.inputHash, mappingHash: p.mappingHash, server: cfg.server, operation: cfg.operation };
    throw new StateError(`run ${run.id} cannot be reconciled with this file: ${describeChange(run, now)}. Reconcile with the file, mapping, server and operation the run used`, { runId: run.id });
  }
  return run;
}

/** One call counter under --max-calls or (with --check-quota) today's quota. */
function budget(cap: { calls: number; stop: StopInfo } | undefined): { spend: () => boolean; stop?: StopInfo; calls: () => number; halt: (s: StopInfo) => void } {
  let calls = 0;
  const b: ReturnType<typeof budget> = {
    spend: () => {
      if (b.stop) return false;
      if (cap && calls >= cap.calls) {
        b.stop = cap.stop;
        return false;
      }
      calls++;
      return true;
    },
    calls: () => calls,
    halt: (s) => void (b.stop ??= s),
  };
  return b;
}

export async function reconcileCommand(cfg: ImportConfig, deps: ReconcileCommandDeps): Promise<ReconcileOutcome> {
  const prepared = await loadRunMapping(cfg);
  const store = RunStore.open(cfg.statePath);
  bindLookupCache(prepared.compiled, store, cfg); // rows re-read through a CRM lookup take the cached answers
  const client = deps.client ?? createClient({ origin: cfg.server, token: deps.token, timeoutMs: cfg.timeoutMs, connections: 1, proxy: cfg.proxy, onNote: (m) => deps.logger.warn(m) });
  try {
    await acquireLockWaiting(store, deps.command ?? 'wolkvox-import reconcile', cfg.lockWaitMs);
    try {
      return await reconcileLocked(cfg, { ...deps, prepared, store, client });
    } finally {
      releaseLock(store);
    }
  } finally {
    await prepared.source.close().catch(() => undefined);
    await client.close().catch(() => undefined);
    store.close();
  }
}

async function reconcileLocked(cfg: ImportConfig, d: ReconcileCommandDeps & { prepared: Prepared; store: RunStore; client: ApiClient }): Promise<ReconcileOutcome> {
  const { store, prepared, client, logger } = d;
  const run = pickRun(cfg, store, prepared, d.runId);
  // We hold the lock: rows a dead process left `sending` may have reached the CRM, like uncertain ones.
  store.crashedToUncertain(run.id);
  const quota = cfg.checkQuota ? await quotaPlan(client, cfg, logger) : undefined;
  const b = budget(quota ? quota.cap : maxCallsCap(cfg.maxCalls));
  if (quota?.stop) b.halt(quota.stop);
  const journal = new Journal({ store, runId: run.id, secrets: [d.token], onFailure: (e) => b.halt({ kind: 'journal', code: e.code, message: e.message }) });
  const planner = new Planner(store, { id: run.id, server: cfg.server, operation: cfg.operation, resumed: false, retryUncertain: false });
  const stats = await reconcileRun({
    store, runId: run.id, journal, client, operation: cfg.operation, policy: cfg.policy, reconcileBy: prepared.compiled.reconcileBy,
    sentRows: sentRowsOf({ cfg, prepared, planner }), spend: b.spend, signal: d.signal ?? new AbortController().signal, log: logger,
    stop: (c) => b.halt({ kind: c.action === 'quota' ? 'quota' : 'fatal', code: c.code, message: `${c.code}: ${c.message}` }),
  });
  journal.flush();
  if (journal.failure) throw journal.failure;
  const out = cfg.outGiven ? cfg.out : run.outPath;
  await renderResults({ source: { path: cfg.input, encoding: cfg.encoding, delimiter: cfg.delimiter }, store, runId: run.id, out, excel: cfg.excel });
  const counts = store.countsByStatus(run.id);
  return { runId: run.id, out, stats, counts, stop: b.stop, exitCode: exitCodeFor(counts, { stop: b.stop, dryRun: false, unsettled: 0 }) };
}
