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

/** Runs `fn` after `ms` (synchronously when 0), unless the emulator closed in between. */
export function after(ctx: Context, ms: number, fn: () => void): void {
  if (ms <= 0) {
    fn();
    return;
  }
  const timer = setTimeout(() => {
    ctx.timers.delete(timer);
    if (!ctx.closed) fn();
  }, ms);
  ctx.timers.add(timer);
}
