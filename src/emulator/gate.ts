/**
 * The checks every API call passes, in the documented order: token present (401), token
 * accepted (403), then — the call now counts against the quota — simultaneous requests (403
 * EXCEEDS THE LIMIT, answered at once) and the daily quota (403 TOKEN LIMIT EXCEEDED).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_BODY_BYTES, readBody } from './body.ts';
import { refuse, type Context } from './context.ts';
import { MSG } from './messages.ts';
import type { TokenState } from './state.ts';

/** The caller's token state, or undefined after answering 401/403. */
function authenticate(ctx: Context, token: unknown, res: ServerResponse): TokenState | undefined {
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

/** `"wolkvox-token"` of a JSON body, if any. */
function bodyToken(text: string): unknown {
  try {
    const b = JSON.parse(text) as Record<string, unknown> | null;
    return b && typeof b === 'object' ? b['wolkvox-token'] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Authenticates the caller, then calls `next`. With the token in the header (the default), the body
 * is left unread (`early` undefined: read it with `bodyOf`); when the token may come in the JSON body
 * (`tokenFrom` 'body' or 'either'), the body is read first and handed over as `early`.
 */
export function identify(ctx: Context, req: IncomingMessage, res: ServerResponse, next: (ts: TokenState, early?: string) => void): void {
  const header = req.headers['wolkvox-token']; // node lower-cases header names
  const from = ctx.opts.tokenFrom;
  if (from === 'header') {
    const ts = authenticate(ctx, header, res);
    if (ts !== undefined) next(ts);
    return;
  }
  readBody(req, MAX_BODY_BYTES, (text) => {
    if (text === undefined) return refuse(ctx, res, 413, MSG.tooLarge);
    const token = bodyToken(text) ?? (from === 'either' ? header : undefined);
    const ts = authenticate(ctx, token, res);
    if (ts !== undefined) next(ts, text);
  });
}

/** The request body: `early` when `identify` already read it, else read now (undefined: too large). */
export function bodyOf(req: IncomingMessage, early: string | undefined, done: (text: string | undefined) => void): void {
  if (early !== undefined) done(early);
  else readBody(req, MAX_BODY_BYTES, done);
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
