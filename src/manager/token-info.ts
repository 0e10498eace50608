import type { ManagerErrorKind } from '../errors.ts';
import { redact } from '../redact.ts';
import type { Answer } from '../sink/http.ts';
import type { TokenInfo } from '../sink/token-info.ts';
import { classifyReport } from './classify.ts';
import { createManagerClient, type ManagerClientOptions } from './client.ts';

/** What information.php?api=token_info says about the Manager token's day (docs/api.md, "Manager report API"). */
export interface ManagerTokenInfo extends TokenInfo {
  /** Calls of every token of the operation today (`all_token_today`): the daily quota may be shared. */
  allTokensToday?: number;
}

const num = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};

/** `data` as an object, or its first element when the API wraps it in a list. */
function dataOf(a: Answer): Record<string, unknown> | undefined {
  const data = (a.body as { data?: unknown } | undefined)?.data;
  const first = Array.isArray(data) ? data[0] : data;
  return first !== null && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
}

/** Reads a token_info answer: the counters, or why it was refused (the report classification's kinds). */
export function readManagerTokenInfo(a: Answer): { info: ManagerTokenInfo } | { refused: { kind: ManagerErrorKind | 'retry'; reason: string } } {
  const data = a.status === 200 ? dataOf(a) : undefined;
  if (data !== undefined && (num(data.token_limit) !== undefined || num(data.token_use_today) !== undefined)) {
    const info: ManagerTokenInfo = {
      description: typeof data.description === 'string' ? data.description : undefined,
      tokenLimit: num(data.token_limit),
      usedToday: num(data.token_use_today),
      allTokensToday: num(data.all_token_today),
      // The Manager page spells it "consumption"; the CRM's tokenInformation "consumition": accept both.
      available: num(data.available_consumption_options) ?? num(data.available_consumition_options),
      hoursToReset: num(data.hours_to_restart_count),
    };
    if (info.available === undefined && info.tokenLimit !== undefined && info.usedToday !== undefined) info.available = Math.max(0, info.tokenLimit - info.usedToday);
    return { info };
  }
  const v = classifyReport(a);
  if (v.kind === 'stop') return { refused: { kind: v.error, reason: v.reason } };
  if (v.kind === 'retry') return { refused: { kind: 'retry', reason: v.reason } };
  return { refused: { kind: 'answer', reason: 'token_info answered without the token counters' } };
}

/** Asks the Manager token's counters once (one call of its quota) and closes the connection. */
export async function managerTokenInfo(o: ManagerClientOptions): Promise<ReturnType<typeof readManagerTokenInfo>> {
  const client = createManagerClient(o);
  try {
    const read = readManagerTokenInfo(await client.tokenInfo());
    return 'info' in read ? read : { refused: { ...read.refused, reason: redact(read.refused.reason, [o.token]) } };
  } finally {
    await client.close().catch(() => undefined);
  }
}
