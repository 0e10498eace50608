/**
 * One admitted request and the ways it can end. Its in-flight slot is released exactly once:
 * just BEFORE the answer is written (so a client that sends its next request the moment it
 * reads this answer is never refused), or when the socket closes first (client gave up, reset).
 */
import type { ServerResponse } from 'node:http';
import type { Context } from './context.ts';
import { FAULT_EFFECTS } from './faults.ts';
import { GARBAGE_BODY, proxyBody } from './messages.ts';
import { sendError, sendHtml, sendJson } from './respond.ts';
import type { TokenState } from './state.ts';
import type { FaultRule } from './types.ts';

export class Call {
  private open = true;
  readonly ctx: Context;
  readonly ts: TokenState;
  readonly res: ServerResponse;

  constructor(ctx: Context, ts: TokenState, res: ServerResponse) {
    this.ctx = ctx;
    this.ts = ts;
    this.res = res;
    res.once('close', () => this.release());
  }

  release(): void {
    if (this.open) {
      this.open = false;
      this.ctx.state.leave(this.ts);
    }
  }

  /** The API's error envelope. */
  error(status: number, message: string, extra?: Record<string, string>): void {
    this.release();
    this.ctx.state.countStatus(status);
    sendError(this.res, status, message, extra);
  }

  json(status: number, body: string): void {
    this.release();
    this.ctx.state.countStatus(status);
    sendJson(this.res, status, body);
  }

  /** Destroys the socket without an answer. */
  reset(): void {
    this.release();
    this.res.socket?.destroy();
  }

  /** Answers as the fault rule says (committing, if the fault commits, is the caller's job). */
  fault(rule: FaultRule): void {
    const effect = FAULT_EFFECTS[rule.fault];
    if (effect.action === 'hang') return; // the 'close' listener frees the slot when the socket ends
    if (effect.action === 'reset') return this.reset();
    const status = effect.status ?? 500;
    if (effect.body === 'envelope') {
      const extra = rule.fault === '429' ? { 'retry-after': String(rule.retryAfter ?? 1) } : undefined;
      return this.error(status, effect.message ?? '', extra);
    }
    this.release();
    this.ctx.state.countStatus(status);
    sendHtml(this.res, status, effect.body === 'garbage' ? GARBAGE_BODY : proxyBody(status, effect.message ?? ''));
  }
}
