import { setMaxListeners } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import pRetry, { AbortError, type Options as RetryOptions, type RetryContext } from 'p-retry';
import type { Logger } from 'pino';
import type { ApiFields, RowOutcome } from '../types.ts';
import { classify, errorText, type Classified } from './classify.ts';
import type { ApiClient } from './client.ts';
import { ErrorBudget, type ErrorBudgetSpec } from './budget.ts';
import { MaintenancePause } from './pause.ts';
import { fullJitter, sleep, type RetryPolicy } from './policy.ts';

export type StopKind = 'fatal' | 'quota' | 'maintenance' | 'error-budget' | 'signal' | 'max-calls';
export interface StopInfo {
  kind: StopKind;
  message: string;
  code?: string;
}

/** Journal hooks: synchronous, committed before they return. */
export interface SendHooks {
  /** Before a request leaves (the row may reach the server from now on). */
  beforeSend(row: number, attempt: number): void;
  /** An attempt that certainly did not insert; the row will be tried again (or left pending). */
  notInserted(row: number, attempts: number, c: Classified): void;
  /** Every answer, for latency and call statistics. */
  answered?(c: Classified, latencyMs: number): void;
}

export interface SenderOptions {
  operation: string;
  concurrency: number;
  policy: RetryPolicy;
  retryUncertain: boolean;
  /** Calls this run may spend at most (undefined: no cap). */
  maxCalls?: number;
  /** What to tell the user when the cap is reached. */
  capMessage?: string;
  /** The error budget (--max-errors); undefined: none. */
  maxErrors?: ErrorBudgetSpec;
}

class AttemptError extends Error {
  constructor(readonly c: Classified) {
    super(errorText(c));
  }
}
class StoppedBeforeSend extends Error {}
/** Returned from a slot when a maintenance pause began while the row was queued: wait, then queue again. */
const GATED = Symbol('gated');

interface RowState {
  row: number;
  fields: ApiFields;
  attempts: number;
  backoffMs: number;
  giveUp: boolean;
}

/**
 * Sends rows: never more than `concurrency` requests in flight (lowered on throttling, raised
 * again after successes), retries what is safe, pauses on maintenance, stops the run on fatal
 * answers. `send()` never throws: it returns the row's outcome.
 */
export class Sender {
  readonly limit: LimitFunction;
  stopped: StopInfo | undefined;
  calls = 0;
  inflight = 0;
  maxInflightSeen = 0;
  private successes = 0;
  /** Requests sent so far, numbered: orders answers by when their request left, whatever order they arrive in. */
  private seq = 0;
  private unknown403 = 0;
  /** Send number of the first request of the current unknown-403 streak. */
  private unknown403From = 0;
  private readonly pause: MaintenancePause;
  private readonly budget: ErrorBudget;
  private readonly stopCtl = new AbortController();
  private readonly retryOptions: RetryOptions;

  constructor(
    private readonly opts: SenderOptions,
    private readonly client: ApiClient,
    private readonly hooks: SendHooks,
    private readonly log: Logger,
  ) {
    this.limit = pLimit(opts.concurrency);
    // Every row backing off sleeps on this signal: as many listeners as rows in the read-ahead.
    setMaxListeners(0, this.stopCtl.signal);
    this.pause = new MaintenancePause(opts.policy, log, this.stopCtl.signal);
    this.budget = new ErrorBudget(opts.maxErrors);
    const p = opts.policy;
    // One shared options object (building one per row costs more than the rest of p-retry).
    this.retryOptions = {
      retries: Math.max(0, p.maxAttempts - 1),
      minTimeout: 0,
      maxTimeout: 0,
      factor: 1,
      onFailedAttempt: (ctx) => this.backoff(ctx),
      shouldConsumeRetry: ({ error }) => !(error instanceof AttemptError && error.c.action === 'maintenance'),
      shouldRetry: ({ error }) => !this.stopped && !(error as { state?: RowState }).state?.giveUp,
    };
  }

  /** Stops taking new requests; in-flight ones finish. The first reason wins. */
  stop(info: StopInfo): void {
    if (this.stopped) return;
    this.stopped = info;
    this.stopCtl.abort();
    this.pause.releaseAll();
    this.log.warn({ stop: info.kind, code: info.code }, info.message);
  }

  async send(row: number, fields: ApiFields): Promise<RowOutcome> {
    const st: RowState = { row, fields, attempts: 0, backoffMs: 0, giveUp: false };
    try {
      return await pRetry(() => this.attempt(st), this.retryOptions);
    } catch (err) {
      const e = err instanceof AbortError ? err.originalError : err;
      if (e instanceof StoppedBeforeSend) return this.pendingOutcome(st);
      if (e instanceof AttemptError) {
        const c = e.c;
        if (c.action === 'ambiguous') return { row, status: 'uncertain', error: `UNCERTAIN: ${errorText(c)}`, attempts: st.attempts, httpStatus: c.status };
        if (this.stopped) return this.pendingOutcome(st, errorText(c));
        return this.rejected({ row, status: 'failed', error: `${errorText(c)} (after ${st.attempts} attempts)`, attempts: st.attempts, httpStatus: c.status }, errorText(c));
      }
      throw err;
    } finally {
      this.pause.leave(row);
    }
  }

  /** A row the API (or retries) said no to: counted against the error budget, which may stop the run at once. */
  private rejected(o: RowOutcome, code: string): RowOutcome {
    const msg = this.budget.record(true, code);
    if (msg) this.stop({ kind: 'error-budget', message: msg, code: this.budget.dominant() });
    return o;
  }

  private pendingOutcome(st: RowState, last?: string): RowOutcome {
    const why = this.stopped ? `STOPPED_${this.stopped.kind.toUpperCase().replace('-', '_')}: ${this.stopped.message}` : 'PENDING';
    return { row: st.row, status: 'pending', error: last ? `${last}; ${why}` : why, attempts: st.attempts };
  }

  private async attempt(st: RowState): Promise<RowOutcome> {
    for (;;) {
      if (this.pause.blocks(st.row)) await this.pause.ended();
      if (this.stopped) throw new AbortError(new StoppedBeforeSend());
      const outcome = await this.limit(() => this.exchange(st));
      if (outcome !== GATED) return outcome;
    }
  }

  /** One request, inside a concurrency slot; GATED when a pause began while the row queued for its slot. */
  private async exchange(st: RowState): Promise<RowOutcome | typeof GATED> {
    if (this.stopped) throw new AbortError(new StoppedBeforeSend());
    if (this.pause.blocks(st.row)) return GATED;
    if (this.opts.maxCalls !== undefined && this.calls >= this.opts.maxCalls) {
      this.stop({ kind: 'max-calls', message: this.opts.capMessage ?? `--max-calls ${this.opts.maxCalls} reached; the rest is pending: continue with --resume` });
      throw new AbortError(new StoppedBeforeSend());
    }
    st.attempts++;
    this.calls++;
    this.hooks.beforeSend(st.row, st.attempts);
    if (++this.inflight > this.maxInflightSeen) this.maxInflightSeen = this.inflight;
    const seq = ++this.seq;
    const answer = await this.client.insert(this.opts.operation, st.fields).finally(() => this.inflight--);
    const c = classify(answer);
    if (c.action === 'retry') this.calls--; // never reached the server: no quota spent
    this.hooks.answered?.(c, answer.latencyMs);
    return this.decide(st, c, seq);
  }

  /** Turns one classified answer into an outcome, a retry (throw) or a stop. */
  private decide(st: RowState, c: Classified, seq: number): RowOutcome {
    const row = st.row;
    // Only an answer to a request sent after the pause began proves the API is back.
    if (c.action !== 'maintenance' && c.action !== 'unknown-403' && c.action !== 'retry') this.pause.answered(seq);
    // Answers arrive out of order: only one to a request sent after the streak began breaks it.
    if (c.action !== 'unknown-403' && seq > this.unknown403From) this.unknown403 = 0;
    switch (c.action) {
      case 'ok':
        this.raise();
        this.budget.record(false, undefined);
        return { row, status: 'ok', wolkvoxId: c.wolkvoxId, attempts: st.attempts, httpStatus: c.status };
      case 'row-rejected':
      case 'unknown':
        return this.rejected({ row, status: 'failed', error: errorText(c), attempts: st.attempts, httpStatus: c.status }, errorText(c));
      case 'fatal':
      case 'quota':
        this.hooks.notInserted(row, st.attempts, c);
        this.stop({ kind: c.action, code: c.code, message: `${errorText(c)}: ${c.hint ?? ''}` });
        return { row, status: 'pending', error: errorText(c), attempts: st.attempts, httpStatus: c.status };
      case 'unknown-403':
        if (this.unknown403++ === 0) this.unknown403From = seq;
        // During a pause, the answer that started it is maintenance for every row (the prober too).
        if (!this.pause.active && this.unknown403 < this.opts.policy.unknown403Streak) {
          return this.rejected({ row, status: 'failed', error: errorText(c), attempts: st.attempts, httpStatus: c.status }, errorText(c));
        }
        return this.retryLater(st, { ...c, action: 'maintenance' });
      case 'ambiguous':
        if (!this.opts.retryUncertain) {
          return { row, status: 'uncertain', error: `UNCERTAIN: ${errorText(c)}`, attempts: st.attempts, httpStatus: c.status };
        }
        throw new AttemptErrorWithState(c, st);
      case 'throttled':
        if (c.message && /SIMULTANEOUS/i.test(c.message) || c.status === 429 || c.status === 503) this.lower();
        return this.retryLater(st, c);
      case 'maintenance':
      case 'retry':
        return this.retryLater(st, c);
    }
  }

  private retryLater(st: RowState, c: Classified): never {
    this.hooks.notInserted(st.row, st.attempts, c);
    if (c.action === 'maintenance') this.pause.begin(st.row, this.seq);
    throw new AttemptErrorWithState(c, st);
  }

  /** Runs between attempts (p-retry awaits it): the backoff, the maintenance probe interval. */
  private async backoff(ctx: RetryContext): Promise<void> {
    const e = ctx.error as AttemptErrorWithState;
    if (!(e instanceof AttemptErrorWithState) || this.stopped) return;
    const p = this.opts.policy;
    const st = e.state;
    if (e.c.action === 'maintenance') {
      if ((await this.pause.between(st.row)) === 'expired') {
        this.stop({ kind: 'maintenance', code: e.c.code, message: `the API stayed in maintenance for ${Math.round(p.maxPauseMs / 1000)} s (${errorText(e.c)}); the rest is pending: run again later with --resume` });
      }
      return;
    }
    const delay = Math.max(fullJitter(p, ctx.attemptNumber), e.c.retryAfterMs ?? 0);
    if (st.backoffMs + delay > p.maxBackoffPerRowMs) {
      st.giveUp = true;
      return;
    }
    st.backoffMs += delay;
    await sleep(delay, this.stopCtl.signal);
  }

  private lower(): void {
    this.successes = 0;
    const next = Math.max(1, Math.floor(this.limit.concurrency / 2));
    if (next !== this.limit.concurrency) {
      this.limit.concurrency = next;
      this.log.info({ concurrency: next }, 'throttled by the API: lowering concurrency');
    }
  }

  private raise(): void {
    if (this.limit.concurrency >= this.opts.concurrency) return;
    if (++this.successes >= this.opts.policy.raiseAfterSuccesses) {
      this.successes = 0;
      this.limit.concurrency += 1;
    }
  }
}

class AttemptErrorWithState extends AttemptError {
  constructor(c: Classified, readonly state: RowState) {
    super(c);
  }
}
