import type { Answer } from './http.ts';
import { classify, errorText, type Classified } from './classify.ts';

/** What tokenInformation.php says about the token's day (docs/api.md, "Token information"). */
export interface TokenInfo {
  description?: string;
  tokenLimit?: number;
  usedToday?: number;
  /** Calls left today (`available_consumition_options`, sic). */
  available?: number;
  hoursToReset?: number;
}

const num = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};

/** Reads a tokenInformation answer: the info, or the classification of the refusal. */
export function readTokenInfo(a: Answer): { info: TokenInfo } | { refused: Classified } {
  const data = (a.body as { data?: Record<string, unknown> } | undefined)?.data;
  if (a.status === 200 && data && typeof data === 'object') {
    const info: TokenInfo = {
      description: typeof data.description === 'string' ? data.description : undefined,
      tokenLimit: num(data.token_limit),
      usedToday: num(data.token_use_today),
      available: num(data.available_consumition_options),
      hoursToReset: num(data.hours_to_restart_count),
    };
    if (info.available === undefined && info.tokenLimit !== undefined && info.usedToday !== undefined) {
      info.available = Math.max(0, info.tokenLimit - info.usedToday);
    }
    return { info };
  }
  const c = classify(a);
  return { refused: c.action === 'ok' ? { ...c, action: 'unknown', message: 'tokenInformation answered without data' } : c };
}

export function refusalText(c: Classified): string {
  return `${errorText(c)}${c.hint ? `: ${c.hint}` : ''}`;
}
