/**
 * The checks every API call passes, in the documented order: token present (401), token
 * accepted (403), then — the call now counts against the quota — simultaneous requests (403
 * EXCEEDS THE LIMIT, answered at once) and the daily quota (403 TOKEN LIMIT EXCEEDED).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuse, type Context } from './context.ts';
import { MSG } from './messages.ts';
import type { TokenState } from './state.ts';

/** The caller's token state, or undefined after answering 401/403. */
export function authenticate(ctx: Context, req: IncomingMessage, res: ServerResponse): TokenState | undefined {
  const token = req.headers['wolkvox-token']; // node lower-cases header names
  if (typeof token !== 'string' || token === '') {
    refuse(ctx, res, 401, MSG.noToken);
    return undefined;
  }
  const accepted = ctx.opts.tokens;
  if (accepted !== null && !accepted.has(token)) {
    refuse(ctx, res, 403, MSG.badToken);
    return undefined;
  }
  return ctx.state.token(token);
}

/** Counts the call; true when it may proceed (it then holds an in-flight slot), false after a 403. */
export function admit(ctx: Context, ts: TokenState, res: ServerResponse): boolean {
  const { state, opts } = ctx;
  const overQuota = state.countCall(ts, opts.quota);
  if (ts.inflight >= opts.maxInflight) {
    state.rejectedConcurrency++;
    refuse(ctx, res, 403, MSG.concurrency);
    return false;
  }
  if (overQuota) {
    refuse(ctx, res, 403, MSG.quota);
    return false;
  }
  state.enter(ts);
  return true;
}
