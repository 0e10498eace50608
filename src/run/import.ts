import type { Logger } from 'pino';
import type { ImportConfig } from '../config/config.ts';
import { InputError, StateError, type WolkvoxImportError } from '../errors.ts';
import { Planner } from '../plan/plan.ts';
import { renderResults } from '../results/render.ts';
import { createClient, type ApiClient } from '../sink/client.ts';
import { Sender, type StopInfo } from '../sink/sender.ts';
import type { SourceOptions } from '../source/index.ts';
import { acquireLockWaiting, releaseLock } from '../store/lock.ts';
import { RunStore } from '../store/store.ts';
import type { RowOutcome } from '../types.ts';
import { loadRunMapping, describeChange, type Prepared } from './prepare.ts';
import { quotaPlan } from './quota.ts';
import { Progress } from './progress.ts';
import { exitCodeFor, type RunResult } from './result.ts';

export interface RunDeps {
  logger: Logger;
  /** Absent for dry runs. */
  token?: string;
  /** Aborted on SIGINT/SIGTERM: stop taking rows, let in-flight requests finish. */
  signal?: AbortSignal;
  /** Counters the CLI reads for its progress display. */
  progress?: Progress;
  /** The command line (token-free) recorded in the lock for a second process's message. */
  command?: string;
  /** Tests and benchmarks may inject a client. */
  client?: ApiClient;
}

/**
 * One import (or dry run): source → transform → plan → sink → store → results.
 * Rows become outcomes; only configuration and unreadable input are thrown.
 */
export async function runImport(cfg: ImportConfig, deps: RunDeps): Promise<RunResult> {
  const t0 = Date.now();
  const log = deps.logger;
  const progress = deps.progress ?? new Progress();
  const prepared = await loadRunMapping(cfg);
  const { source, compiled, fingerprint } = prepared;
  log.info({ encoding: source.info.encoding, delimiter: source.info.delimiter, columns: source.info.header.length }, 'input opened');
  for (const w of compiled.warnings) log.warn(w);

  let store: RunStore;
  try {
    store = RunStore.open(cfg.dryRun ? ':memory:' : cfg.statePath);
  } catch (err) {
    await source.close().catch(() => undefined);
    throw err;
  }
  if (cfg.statePath === ':memory:' && !cfg.dryRun) log.warn('--state :memory:: no state is kept: this run cannot be resumed and its keys do not enter the ledger');
  let locked = false;
  try {
    if (!cfg.dryRun) {
      const stale = await acquireLockWaiting(store, deps.command ?? 'wolkvox-import import', cfg.lockWaitMs);
      locked = true;
      if (stale) log.warn({ pid: stale.pid, startedAt: stale.started_at }, 'took over the lock of a wolkvox-import that is no longer running');
    }
    const { runId, out, resumed, madeUncertain } = selectRun(cfg, store, prepared, log);
    const sourceOpts: SourceOptions = { path: cfg.input, encoding: source.info.encoding, delimiter: source.info.delimiter };
    let client: ApiClient | undefined;
    let stop: StopInfo | undefined;
    let inputError: WolkvoxImportError | undefined;
    let calls = 0;
    let maxInflightSeen = 0;
    try {
      client = cfg.dryRun ? undefined : (deps.client ?? createClient({ origin: cfg.server, token: deps.token ?? '', timeoutMs: cfg.timeoutMs, connections: cfg.concurrency }));
      const planner = new Planner(store, runId, { server: cfg.server, operation: cfg.operation }, resumed, cfg.retryUncertain);
      const quota = client && cfg.checkQuota ? await quotaPlan(client, cfg, log) : undefined;
      const sender = client ? makeSender(cfg, client, store, runId, progress, log, quota?.maxCalls, quota?.capMessage) : undefined;
      if (sender && quota?.stop) sender.stop(quota.stop);
      const onSignal = () => sender?.stop({ kind: 'signal', message: 'interrupted: in-flight requests finished, the rest is pending: continue with --resume' });
      deps.signal?.addEventListener('abort', onSignal, { once: true });
      if (deps.signal?.aborted) onSignal();
      try {
        await pump(cfg, prepared, store, runId, planner, sender, progress);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        inputError = err;
        log.error({ line: err.context.line }, err.message);
      } finally {
        deps.signal?.removeEventListener('abort', onSignal);
      }
      stop = sender?.stopped ?? (deps.signal?.aborted ? { kind: 'signal', message: 'interrupted' } : undefined);
      calls = sender?.calls ?? 0;
      maxInflightSeen = sender?.maxInflightSeen ?? 0;
    } finally {
      await client?.close().catch(() => undefined);
    }
    const counts = store.countsByStatus(runId);
    const totalRows = progress.read;
    const exitCode = exitCodeFor(counts, stop, cfg.dryRun, inputError);
    store.finishRun(runId, stop || inputError ? 'stopped' : 'finished', inputError ? `input: ${inputError.message}` : (stop?.kind ?? null), exitCode, totalRows);
    const { examples } = await renderResults({ source: sourceOpts, store, runId, out, excel: cfg.excel });
    if (inputError) throw inputError;
    return {
      runId, out, resumed, madeUncertain, counts: store.countsByStatus(runId), exitCode, stop, totalRows, calls,
      maxInflightSeen, durationMs: Date.now() - t0, source: source.info, fingerprint, dryRun: cfg.dryRun,
      latencies: progress.latencies, errorCodes: progress.errorCodes,
      input: cfg.input, startedAt: t0, timeline: progress.timeline, timelineByMinute: progress.timelineByMinute, examples,
    };
  } finally {
    if (locked) releaseLock(store);
    store.close();
    await source.close().catch(() => undefined);
  }
}

function selectRun(cfg: ImportConfig, store: RunStore, p: Prepared, log: Logger) {
  const meta = { inputPath: cfg.input, fingerprint: p.fingerprint, inputHash: p.inputHash, mappingHash: p.mappingHash,
    server: cfg.server, operation: cfg.operation, outPath: cfg.out, sourceInfo: p.source.info };
  if (cfg.resume && !cfg.dryRun) {
    const prev = store.latestRunForInput(cfg.input);
    if (!prev) throw new StateError(`--resume: no earlier run of ${cfg.input} in ${store.path}; run without --resume to start one`);
    if (prev.fingerprint !== p.fingerprint && !cfg.forceNewRun) {
      throw new StateError(`--resume: run ${prev.id} of ${cfg.input} cannot be continued: ${describeChange(prev, meta)}. Restore it, or pass --force-new-run to start a new run (rows whose dedupe key was already inserted are still skipped as duplicates)`);
    }
    if (prev.fingerprint === p.fingerprint) {
      const out = cfg.outGiven ? cfg.out : prev.outPath;
      const madeUncertain = store.reopenRun(prev.id, out);
      if (madeUncertain > 0) log.warn({ rows: madeUncertain }, 'rows that were being sent when the earlier run stopped are now uncertain: check them in the CRM');
      log.info({ runId: prev.id }, 'resuming run');
      return { runId: prev.id, out, resumed: true, madeUncertain };
    }
  }
  if (!cfg.dryRun && !cfg.resume) {
    const same = store.latestRunForFingerprint(p.fingerprint);
    if (same && same.state !== 'finished') log.warn({ runId: same.id }, `run ${same.id} of this same file stopped before the end: use --resume to continue it instead of starting again`);
  }
  return { runId: store.createRun(meta), out: cfg.out, resumed: false, madeUncertain: 0 };
}

function makeSender(cfg: ImportConfig, client: ApiClient, store: RunStore, runId: number, progress: Progress, log: Logger, maxCalls?: number, capMessage?: string): Sender {
  return new Sender(
    { operation: cfg.operation, concurrency: cfg.concurrency, policy: cfg.policy, retryUncertain: cfg.retryUncertain, maxCalls: maxCalls ?? cfg.maxCalls, capMessage, maxErrors: cfg.maxErrors },
    client,
    {
      beforeSend: (row, attempt) => store.markSending(runId, row, attempt),
      notInserted: (row, attempts, c) => store.recordOutcome(runId, { row, status: 'pending', attempts, error: `${c.code}: ${c.message}`, httpStatus: c.status }),
      answered: (c, ms) => progress.answer(c.code, ms),
    },
    log,
  );
}

/** The row loop: bounded read-ahead, so memory stays flat whatever the file size. */
async function pump(cfg: ImportConfig, p: Prepared, store: RunStore, runId: number, planner: Planner, sender: Sender | undefined, progress: Progress): Promise<void> {
  // Enough queued rows to keep every slot busy; more only holds memory (and promotes garbage to the old space).
  const readAhead = Math.max(32, cfg.concurrency * 4);
  let active = 0;
  let wake: (() => void) | undefined;
  const batch: RowOutcome[] = [];
  const flush = () => {
    store.recordOutcomes(runId, batch);
    batch.splice(0);
  };
  const settle = (o: RowOutcome) => {
    batch.push(o);
    progress.done(o.status);
    if (batch.length >= 512) flush();
  };
  const launch = (row: number, fields: Record<string, string>, key: string | undefined) => {
    active++;
    const task = (async (): Promise<RowOutcome> => {
      const earlier = key === undefined ? undefined : planner.inFlight.get(key);
      if (earlier) await earlier.catch(() => undefined);
      const dup = planner.duplicate(row, key);
      if (dup) return dup;
      return sender!.send(row, fields);
    })();
    if (key !== undefined) planner.inFlight.set(key, task);
    task.then((o) => {
      if (o.status === 'duplicate') {
        settle(o);
      } else {
        store.recordOutcome(runId, o, o.status === 'ok' ? key : undefined);
        progress.done(o.status);
      }
    }).finally(() => {
      if (key !== undefined && planner.inFlight.get(key) === task) planner.inFlight.delete(key);
      active--;
      const w = wake;
      wake = undefined;
      w?.();
    });
  };
  const watchdog = startWatchdog(cfg, sender, progress, () => active);
  try {
    for await (const rec of p.source.records) {
      progress.read++;
      if (planner.settled(rec.row)) {
        progress.done('kept');
        continue;
      }
      const tr = p.compiled.transform(rec);
      if (tr.kind !== 'send') {
        settle({ row: rec.row, status: tr.kind, error: tr.error, attempts: 0 });
        progress.example(rec.row, rec.line, tr.error);
        continue;
      }
      const key = planner.ledgerKeyOf(tr.dedupeKey);
      if (!sender || sender.stopped) {
        const dup = key !== undefined && !planner.inFlight.has(key) ? planner.duplicate(rec.row, key) : undefined;
        settle(dup ?? { row: rec.row, status: 'pending', attempts: 0, error: sender?.stopped ? `STOPPED: ${sender.stopped.message}` : '' });
        continue;
      }
      while (active >= readAhead) await new Promise<void>((r) => (wake = r));
      launch(rec.row, tr.fields, key);
    }
  } finally {
    while (active > 0) await new Promise<void>((r) => (wake = r));
    clearInterval(watchdog);
    flush();
  }
}

/**
 * A guard against an internal stall: while rows are out, this (ref'd) timer keeps the process alive,
 * so it can never exit 0 half-way; and when nothing at all happened (no answer, no finished row) for
 * longer than any legitimate wait (maintenance pause + request timeout + longest backoff + 30 s),
 * it stops the run the safe way: the rest pending, results written, exit 3.
 */
function startWatchdog(cfg: ImportConfig, sender: Sender | undefined, progress: Progress, active: () => number): NodeJS.Timeout {
  const limitMs = cfg.policy.maxPauseMs + cfg.timeoutMs + cfg.policy.maxDelayMs + 30_000;
  let seen = -1;
  let since = Date.now();
  return setInterval(() => {
    const now = progress.finished + progress.answers;
    if (now !== seen || active() === 0) {
      seen = now;
      since = Date.now();
      return;
    }
    if (sender && !sender.stopped && Date.now() - since > limitMs) {
      sender.stop({ kind: 'fatal', code: 'E_STALL', message: `no answer and no finished row for ${Math.round(limitMs / 1000)} s (an internal stall): stopped with the rest pending; --resume continues. Please report this with the log` });
    }
  }, 1000);
}

