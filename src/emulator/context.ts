/** What every request handler shares: normalised options, state, faults and pending timers. */
import type { ServerResponse } from 'node:http';
import type { FaultEngine } from './faults.ts';
import type { NormalizedOptions } from './options.ts';
import { randomAt, LATENCY_STREAM } from './prng.ts';
import { sendError } from './respond.ts';
import type { EmulatorState } from './state.ts';

export interface Context {
  readonly opts: NormalizedOptions;
  readonly state: EmulatorState;
  readonly faults: FaultEngine;
  /** Latency timers still pending, cleared by close(). */
  readonly timers: Set<NodeJS.Timeout>;
  closed: boolean;
}

/** An error answer to a request that holds no in-flight slot (refused by a check). */
export function refuse(ctx: Context, res: ServerResponse, status: number, message: string): void {
  ctx.state.countStatus(status);
  sendError(res, status, message);
}

/** The latency of insert request `requestNo`: fixed, or drawn from the seeded PRNG. */
export function latencyFor(ctx: Context, requestNo: number): number {
  const { latencyMin: min, latencyMax: max } = ctx.opts;
  return min === max ? min : min + randomAt(ctx.opts.seed, LATENCY_STREAM, requestNo) * (max - min);
}

/** How early the timer fires before the deadline; the rest is waited out on the event loop. */
const TIMER_SLACK_MS = 2;

/**
 * Runs `fn` `ms` after `since` (performance.now() of the request's arrival; default now), at once
 * when that is past, unless the emulator closed in between. Counting from the arrival, not from
 * when the body was read, is what "answers in 20 ms" means to a client. Node's timers fire 1-2 ms
 * late, which would make a "20 ms" API answer in ~21.3 ms and cap any client at 94 % of
 * 2 / latency; so the timer fires a little early and the last stretch is waited with setImmediate.
 */
export function after(ctx: Context, ms: number, fn: () => void, since = performance.now()): void {
  const deadline = since + ms;
  if (ms <= 0 || performance.now() >= deadline) {
    fn();
    return;
  }
  const finish = () => {
    if (ctx.closed) return;
    if (performance.now() < deadline) setImmediate(finish);
    else fn();
  };
  const timer = setTimeout(() => {
    ctx.timers.delete(timer);
    finish();
  }, Math.max(0, deadline - performance.now() - TIMER_SLACK_MS));
  ctx.timers.add(timer);
}
