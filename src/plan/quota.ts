import type { Logger } from 'pino';
import type { ImportConfig } from '../config/config.ts';
import type { ApiClient } from '../sink/client.ts';
import type { StopInfo } from '../sink/sender.ts';
import { readTokenInfo, refusalText, type TokenInfo } from '../sink/token-info.ts';

/**
 * --check-quota: one tokenInformation call, then a cap on this run's calls so it never runs into
 * TOKEN LIMIT EXCEEDED mid-file. A refused token stops the run before any row is sent.
 */
export interface QuotaPlan {
  /** Calls this run may spend, and what stopping there means. */
  cap?: CallCap;
  /** The run cannot send at all (token refused, nothing left today). */
  stop?: StopInfo;
  info?: TokenInfo;
}

/** The one cap the sender applies: a count and the stop it makes (a --max-calls stop, or today's quota). */
export interface CallCap {
  calls: number;
  stop: StopInfo;
}

/** `--max-calls N`'s cap, when no quota is known. */
export function maxCallsCap(maxCalls: number | undefined): CallCap | undefined {
  if (maxCalls === undefined) return undefined;
  return { calls: maxCalls, stop: { kind: 'max-calls', message: `--max-calls ${maxCalls} reached; the rest is pending: continue with --resume` } };
}

export async function quotaPlan(client: ApiClient, cfg: ImportConfig, log: Logger): Promise<QuotaPlan> {
  const r = readTokenInfo(await client.tokenInfo(cfg.operation));
  if ('refused' in r) {
    const c = r.refused;
    const kind = c.action === 'quota' ? 'quota' : 'fatal';
    return { stop: { kind, code: c.code, message: refusalText(c) } };
  }
  const info = r.info;
  log.info({ tokenLimit: info.tokenLimit, usedToday: info.usedToday, available: info.available, hoursToReset: info.hoursToReset }, 'token quota');
  if (info.available === undefined) return { cap: maxCallsCap(cfg.maxCalls), info };
  const when = info.hoursToReset !== undefined ? ` in about ${info.hoursToReset} h, when the counter resets` : ' tomorrow';
  if (info.available <= 0) {
    return { info, stop: { kind: 'quota', message: `no calls left today on this token (limit ${info.tokenLimit ?? '?'}); run again with --resume${when}` } };
  }
  if (cfg.maxCalls !== undefined && cfg.maxCalls < info.available) return { cap: maxCallsCap(cfg.maxCalls), info };
  const both = cfg.maxCalls === info.available ? ` (--max-calls ${cfg.maxCalls} is the same number)` : '';
  const message = `today's quota is spent: the ${info.available} calls left on this token were used (limit ${info.tokenLimit ?? '?'} per day)${both}; the rest is pending: run again with --resume${when}`;
  return { cap: { calls: info.available, stop: { kind: 'quota', message } }, info };
}
