import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { ApiFields, RowOutcome } from '../types.ts';
import { ErrorBudget, type ErrorBudgetSpec } from './budget.ts';
import { classify, errorText, ruleById, type Classified } from './classify.ts';
import type { ApiClient } from './client.ts';
import { MaintenancePause } from './pause.ts';
import { fullJitter, sleep, type RetryPolicy } from './policy.ts';
import { Slots } from './slots.ts';
import { stoppedText, type StopInfo } from './stop.ts';
import { Unknown403Streak } from './streak.ts';

export type { StopInfo } from './stop.ts';

/** Journal hooks: synchronous, committed before they return; they never throw. */
export interface SendHooks {
  /** Before a request leaves (the row may reach the server from now on). False: the journal failed, do not send. */
  beforeSend(row: number, attempt: number, key: string | undefined): boolean;
  /** An attempt that certainly did not insert; the row will be tried again (or left pending). */
  notInserted(row: number, attempts: number, c: Classified, key: string | undefined): void;
  /** Every answer, for latency and call statistics. */
  answered?(c: Classified, latencyMs: number): void;
}

export interface SenderOptions {
  operation: string;
  concurrency: number;
  policy: RetryPolicy;
  retryUncertain: boolean;
  /** Calls this run may spend at most, and the stop reaching them makes (undefined: no cap). */
  cap?: { calls: number; stop: StopInfo };
  /** The error budget (--max-errors); undefined: none. */
  maxErrors?: ErrorBudgetSpec;
  /** Undocumented answers (2xx without the envelope, 5xx, resets) in a row that stop the run. */
  uncertainStreak?: number;
}

interface RowState {
  row: number;
  fields: ApiFields;
  /** The row's ledger key, handed back to the journal hooks. */
  key: string | undefined;
  /** Requests sent for this row. */
  attempts: number;
  /** Failed attempts that count toward --max-attempts (maintenance answers do not). */
  tries: number;
  backoffMs: number;
}

/** One exchange's verdict: the row's outcome, or an answer to wait on and try again. */
type Step = { outcome: RowOutcome } | { again: Classified };

/** Returned from a slot when a maintenance pause began while the row queued: wait, then queue again. */
const GATED = Symbol('gated');

/**
 * Sends rows: never more than `concurrency` requests in flight, retries what is safe, pauses on
 * maintenance, stops the run on fatal answers. `send()` never throws: it returns the row's outcome.
 *
 * The retry loop is a plain loop, not p-retry: a stop must wake a row that is backing off at once
 * and must never discard an answer that already arrived (p-retry's `signal` throws after a
 * successful attempt), maintenance answers must wait without spending attempts or backoff, and a
 * `Retry-After` sets the delay. Those are most of what a retry helper would do here.
 */
export class Sender {
  stopped: StopInfo | undefined;
  calls = 0;
  /** Requests sent so far, numbered: orders answers by when their request left, whatever order they arrive in. */
  private seq = 0;
  private uncertainInARow = 0;
  private readonly slots: Slots;
  private readonly pause: MaintenancePause;
  private readonly streak: Unknown403Streak;
  private readonly budget: ErrorBudget;
  private readonly stopCtl = new AbortController();

  constructor(
    private readonly opts: SenderOptions,
    private readonly client: ApiClient,
    private readonly hooks: SendHooks,
    private readonly log: Logger,
  ) {
    this.slots = new Slots(opts.concurrency, opts.policy.raiseAfterSuccesses);
    // Every row backing off sleeps on this signal: as many listeners as rows in the read-ahead.
    setMaxListeners(0, this.stopCtl.signal);
    this.pause = new MaintenancePause(opts.policy, log, this.stopCtl.signal);
    this.streak = new Unknown403Streak(opts.policy.unknown403Streak);
    this.budget = new ErrorBudget(opts.maxErrors);
  }

  get maxInflightSeen(): number {
    return this.slots.maxInflightSeen;
  }

  /** Requests allowed in flight now (lowered by throttling, raised after successes). */
  get concurrency(): number {
    return this.slots.concurrency;
  }

  /** Stops taking new requests; in-flight ones finish. The first reason wins. */
  stop(info: StopInfo): void {
    if (this.stopped) return;
    this.stopped = info;
    this.stopCtl.abort();
    this.pause.releaseAll();
    this.log.warn({ stop: info.kind, code: info.code }, info.message);
  }

  /**
   * Counts one call made beside the inserts (a reconcile query) against the same cap (--max-calls,
   * today's quota): false, and the cap's stop, when none is left or the run stopped.
   */
  spend(): boolean {
    if (this.stopped) return false;
    if (this.opts.cap && this.calls >= this.opts.cap.calls) {
      this.stop(this.opts.cap.stop);
      return false;
    }
    this.calls++;
    return true;
  }

  async send(row: number, fields: ApiFields, key?: string): Promise<RowOutcome> {
    const st: RowState = { row, fields, key, attempts: 0, tries: 0, backoffMs: 0 };
    try {
      for (;;) {
        const step = await this.attempt(st);
        if ('outcome' in step) return step.outcome;
        const giveUp = await this.waitToRetry(st, step.again);
        if (this.stopped) return this.pending(st, errorText(step.again));
        if (giveUp) return this.retriesSpent(st, step.again);
      }
    } finally {
      this.pause.leave(row);
    }
  }

  /** Waits for a slot (and for a maintenance pause to end), then sends once. */
  private async attempt(st: RowState): Promise<Step> {
    for (;;) {
      if (this.pause.blocks(st.row)) await this.pause.ended();
      if (this.stopped) return { outcome: this.pending(st) };
      const step = await this.slots.run(() => this.exchange(st));
      if (step !== GATED) return step;
    }
  }

  /** One request, inside a concurrency slot; GATED when a pause began while the row queued for its slot. */
  private async exchange(st: RowState): Promise<Step | typeof GATED> {
    if (this.stopped) return { outcome: this.pending(st) };
    if (this.pause.blocks(st.row)) return GATED;
    if (this.opts.cap && this.calls >= this.opts.cap.calls) {
      this.stop(this.opts.cap.stop);
      return { outcome: this.pending(st) };
    }
    if (!this.hooks.beforeSend(st.row, st.attempts + 1, st.key)) return { outcome: this.pending(st) };
    st.attempts++;
    this.calls++;
    const seq = ++this.seq;
    const answer = await this.slots.track(this.client.insert(this.opts.operation, st.fields));
    const c = classify(answer);
    if (c.action === 'retry' || c.rule === 'net-not-built' || c.rule === 'net-proxy-auth') this.calls--; // never reached the server: no quota spent
    this.hooks.answered?.(c, answer.latencyMs);
    return this.decide(st, c, seq);
  }

  /** Turns one classified answer into an outcome, a retry or a stop. */
  private decide(st: RowState, c: Classified, seq: number): Step {
    this.observe(c, seq);
    switch (c.action) {
      case 'ok':
        this.slots.succeeded();
        this.budget.record(false, undefined);
        return { outcome: { row: st.row, status: 'ok', wolkvoxId: c.wolkvoxId, attempts: st.attempts, httpStatus: c.status, rule: c.rule } };
      case 'row-rejected':
      case 'unknown':
        return { outcome: this.rejected(st, c, errorText(c)) };
      case 'fatal':
      case 'quota':
        this.hooks.notInserted(st.row, st.attempts, c, st.key);
        this.stop({ kind: c.action, code: c.code, message: `${errorText(c)}: ${c.hint ?? ''}` });
        return { outcome: this.pending(st) };
      case 'unknown-403':
        // During a pause, the answer that started it is maintenance for every row (the prober too).
        if (!this.streak.hit(seq) && !this.pause.active) return { outcome: this.rejected(st, c, errorText(c)) };
        return this.retryLater(st, { ...c, action: 'maintenance' });
      case 'ambiguous':
        return this.ambiguous(st, c);
      default: // throttled, maintenance, retry: nothing was inserted
        return this.retryLater(st, c);
    }
  }

  /** Bookkeeping every answer feeds: the maintenance pause, the unknown-403 streak, the uncertain streak. */
  private observe(c: Classified, seq: number): void {
    // Only an answer to a request sent after the pause began proves the API is back.
    if (c.action !== 'maintenance' && c.action !== 'unknown-403' && c.action !== 'retry') this.pause.answered(seq);
    if (c.action !== 'unknown-403') this.streak.other(seq);
    this.uncertainInARow = c.action === 'ambiguous' ? this.uncertainInARow + 1 : 0;
    const limit = this.opts.uncertainStreak;
    if (limit !== undefined && this.uncertainInARow >= limit) {
      this.stop({ kind: 'uncertain-streak', code: c.code, message: `${this.uncertainInARow} answers in a row may or may not have inserted (last: ${errorText(c)}): the API is not behaving, stopped so as not to pile up rows to check; the rest is pending: run again later with --resume` });
    }
  }

  private ambiguous(st: RowState, c: Classified): Step {
    if (this.opts.retryUncertain) return { again: c };
    return { outcome: { row: st.row, status: 'uncertain', error: `UNCERTAIN: ${errorText(c)}`, attempts: st.attempts, httpStatus: c.status, rule: c.rule } };
  }

  /** An answer that certainly did not insert: written back as pending, then retried. */
  private retryLater(st: RowState, c: Classified): Step {
    this.hooks.notInserted(st.row, st.attempts, c, st.key);
    // The throttling rules that ask for fewer requests in flight say so (lowersConcurrency); others just wait.
    if (ruleById(c.rule)?.lowersConcurrency === true) this.lower();
    if (c.action === 'maintenance') this.pause.begin(st.row, this.seq);
    return { again: c };
  }

  /** Between two attempts. True when the row has spent its attempts or its backoff. */
  private async waitToRetry(st: RowState, c: Classified): Promise<boolean> {
    if (c.action === 'maintenance') {
      if ((await this.pause.between(st.row)) === 'expired') {
        const s = Math.round(this.opts.policy.maxPauseMs / 1000);
        this.stop({ kind: 'maintenance', code: c.code, message: `the API stayed in maintenance for ${s} s (${errorText(c)}); the rest is pending: run again later with --resume` });
      }
      return false;
    }
    const p = this.opts.policy;
    if (++st.tries >= p.maxAttempts) return true;
    const delay = Math.max(fullJitter(p, st.tries), c.retryAfterMs ?? 0);
    if (st.backoffMs + delay > p.maxBackoffPerRowMs) return true;
    st.backoffMs += delay;
    await sleep(delay, this.stopCtl.signal);
    return false;
  }

  private retriesSpent(st: RowState, c: Classified): RowOutcome {
    if (c.action === 'ambiguous') return { row: st.row, status: 'uncertain', error: `UNCERTAIN: ${errorText(c)} (after ${st.attempts} attempts)`, attempts: st.attempts, httpStatus: c.status, rule: c.rule };
    return this.rejected(st, c, `${errorText(c)} (after ${st.attempts} attempts)`);
  }

  /** A row the API (or retries) said no to: counted against the error budget, which may stop the run at once. */
  private rejected(st: RowState, c: Classified, error: string): RowOutcome {
    const msg = this.budget.record(true, errorText(c));
    if (msg) this.stop({ kind: 'error-budget', message: msg, code: this.budget.dominant() });
    return { row: st.row, status: 'failed', error, attempts: st.attempts, httpStatus: c.status, rule: c.rule };
  }

  private pending(st: RowState, last?: string): RowOutcome {
    const error = this.stopped ? stoppedText(this.stopped, last) : (last ?? 'PENDING');
    return { row: st.row, status: 'pending', error, attempts: st.attempts };
  }

  private lower(): void {
    const next = this.slots.lower();
    if (next !== undefined) this.log.info({ concurrency: next }, 'throttled by the API: lowering concurrency');
  }
}
