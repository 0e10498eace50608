import type { Logger } from 'pino';
import type { ImportConfig } from '../config/config.ts';
import { InputError } from '../errors.ts';
import { maxCallsCap, quotaPlan } from '../plan/quota.ts';
import { createClient, type ApiClient } from '../sink/client.ts';
import { Sender } from '../sink/sender.ts';
import { finishRun, type Sent } from './finish.ts';
import { Journal } from './journal.ts';
import { openRun, type OpenDeps, type OpenRun } from './open.ts';
import { Progress } from './progress.ts';
import type { RunResult } from './result.ts';
import { sendRows } from './send.ts';
import { addStats, NO_RECONCILE, type ReconcileStats } from '../reconcile/reconcile.ts';
import { reconcileAfterSending, reconcileBeforeSending, resendPass } from '../reconcile/step.ts';
import { lookUpCrm, type LookupStats } from '../crm-lookup/pass.ts';

export interface RunDeps extends OpenDeps {
  /** Absent for dry runs. */
  token?: string;
  /** Aborted on the first SIGINT/SIGTERM: stop taking rows, give requests in flight a short grace, then end them. */
  signal?: AbortSignal;
  /** Registers what must run before the process exits at once on a second signal. */
  onForce?: (lastWords: () => void) => void;
  /** Counters the CLI reads for its progress display. */
  progress?: Progress;
  /** Tests and benchmarks may inject a client. */
  client?: ApiClient;
}

/**
 * One import (or dry run): open (config → source → store → plan), send, finish (results).
 * Rows become outcomes; only configuration and unreadable input are thrown before the run opens.
 */
export async function runImport(cfg: ImportConfig, deps: RunDeps): Promise<RunResult> {
  const startedAt = Date.now();
  const progress = deps.progress ?? new Progress();
  const run = await openRun(cfg, deps);
  try {
    const sent = await sendPhase(run, deps, progress);
    return await finishRun(run, sent, progress, startedAt);
  } finally {
    await run.dispose();
  }
}

async function sendPhase(run: OpenRun, deps: RunDeps, progress: Progress): Promise<Sent> {
  const { cfg } = run;
  const client = clientFor(cfg, deps);
  let sender: Sender | undefined;
  const journal = new Journal({ store: run.store, runId: run.runId, secrets: deps.token ? [deps.token] : [],
    onFailure: (e) => sender?.stop({ kind: 'journal', code: e.code, message: e.message }) });
  deps.onForce?.(() => journal.flush());
  let error: InputError | undefined;
  let reconciled: ReconcileStats | undefined;
  let lookups: LookupStats | undefined;
  try {
    sender = client ? await makeSender(run, { client, journal, progress, log: deps.logger }) : undefined;
    const unwatch = watchSignal(deps.signal, { sender, client, graceMs: cfg.graceMs });
    const pump = { run, journal, sender, progress, signal: deps.signal };
    // --reconcile: a step over the store at the start of a resume and after the sending (src/reconcile/step.ts).
    const rec = cfg.reconcile && client && sender ? { client, journal, sender, log: deps.logger, signal: deps.signal } : undefined;
    try {
      lookups = await lookUpCrm(run, { client, sender, log: deps.logger, signal: deps.signal }); // the mapping's CRM lookups, before any other call (src/crm-lookup/)
      if (rec) reconciled = await reconcileBeforeSending(run, rec);
      error = await sendRows(pump).then(() => undefined, inputErrorOnly);
      const resend = cfg.resend ? () => resendPass(run, () => sendRows({ ...pump, progress: new Progress() }).catch(inputErrorOnly)) : undefined;
      if (rec && !error) reconciled = addStats(reconciled ?? NO_RECONCILE, await reconcileAfterSending(run, { ...rec, resend }));
    } finally {
      unwatch();
    }
    if (error) deps.logger.error({ line: error.context.line }, error.message);
  } finally {
    await client?.close().catch(() => undefined);
  }
  return { ...sentOf(sender, journal, { error, signal: deps.signal }), reconciled, lookups };
}

function clientFor(cfg: ImportConfig, deps: RunDeps): ApiClient | undefined {
  if (cfg.dryRun) return undefined;
  return deps.client ?? createClient({ origin: cfg.server, token: deps.token ?? '', timeoutMs: cfg.timeoutMs, connections: cfg.concurrency, proxy: cfg.proxy, onNote: (m) => deps.logger.warn(m) });
}

function sentOf(sender: Sender | undefined, journal: Journal, o: { error?: InputError; signal?: AbortSignal }): Sent {
  const stop = sender?.stopped ?? (o.signal?.aborted ? { kind: 'signal' as const, message: 'interrupted' } : undefined);
  return { stop, error: o.error ?? journal.failure, journalFailed: journal.failure !== undefined, calls: sender?.calls ?? 0, maxInflightSeen: sender?.maxInflightSeen ?? 0 };
}

/** An input that cannot be read further ends the sending (rows before it keep their outcome); anything else is a bug. */
function inputErrorOnly(err: unknown): InputError {
  if (err instanceof InputError) return err;
  throw err;
}

async function makeSender(run: OpenRun, o: { client: ApiClient; journal: Journal; progress: Progress; log: Logger }): Promise<Sender> {
  const { cfg } = run;
  const quota = cfg.checkQuota ? await quotaPlan(o.client, cfg, o.log) : undefined;
  const sender = new Sender(
    { operation: cfg.operation, concurrency: cfg.concurrency, policy: cfg.policy, retryUncertain: cfg.retryUncertain,
      cap: quota ? quota.cap : maxCallsCap(cfg.maxCalls), maxErrors: cfg.maxErrors, uncertainStreak: 20 },
    o.client,
    {
      beforeSend: (row, attempt, key) => o.journal.sending(row, attempt, key),
      notInserted: (row, attempts, c, key) => o.journal.outcome({ row, status: 'pending', attempts, error: `${c.code}: ${c.message}`, httpStatus: c.status, rule: c.rule }, key),
      answered: (c, ms) => o.progress.answer(c.code, ms),
    },
    o.log,
  );
  if (quota?.stop) sender.stop(quota.stop);
  return sender;
}

/**
 * The first signal stops the run: no new request leaves; requests in flight get `graceMs` to answer,
 * then they are ended (their rows become uncertain). Returns the function that stops watching.
 */
function watchSignal(signal: AbortSignal | undefined, o: { sender?: Sender; client?: ApiClient; graceMs: number }): () => void {
  if (!signal) return () => undefined;
  let grace: NodeJS.Timeout | undefined;
  const onAbort = () => {
    o.sender?.stop({ kind: 'signal', message: 'interrupted: no new request was sent, requests in flight were given a short grace; the rest is pending: continue with --resume' });
    grace = setTimeout(() => o.client?.abort(), o.graceMs);
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return () => {
    signal.removeEventListener('abort', onAbort);
    clearTimeout(grace);
  };
}
