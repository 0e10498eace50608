import type { Answer } from './client.ts';

/**
 * What to do with one answer of the API. The table below is the single place that decides;
 * src/README.md renders it for people.
 */
export type Action =
  | 'ok' // inserted
  | 'row-rejected' // definite no for this row: failed, never retried
  | 'fatal' // the run cannot go on (token, URL): stop, rest pending
  | 'quota' // daily quota used up: stop for today, rest pending
  | 'throttled' // retry after a pause, lower concurrency
  | 'maintenance' // API switched off: pause everything, probe, resume
  | 'unknown-403' // unknown 403: failed; several in a row across rows are treated as maintenance
  | 'retry' // nothing reached the server: retry
  | 'ambiguous' // may have been inserted: uncertain, not retried by default
  | 'unknown'; // anything else: failed with the raw status and message

export interface Classified {
  action: Action;
  /** Stable code for the result's `error` column, e.g. API_400, NET_ECONNREFUSED. */
  code: string;
  /** The API's message or a description of what happened. */
  message: string;
  /** What the user should do, for stop messages and the report. */
  hint?: string;
  status?: number;
  wolkvoxId?: string;
  retryAfterMs?: number;
}

interface Rule {
  status?: number | readonly number[] | ((s: number) => boolean);
  /** Case-insensitive match on the API's message. */
  message?: RegExp;
  network?: readonly string[];
  action: Action;
  hint?: string;
}

/** Network errors that happen before a byte of the request reached the server. */
export const NOT_SENT_CODES = [
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER',
] as const;

/** First match wins. Messages are matched case-insensitively, the unknown case stays safe. */
export const RULES: readonly Rule[] = [
  { network: NOT_SENT_CODES, action: 'retry', hint: 'the server could not be reached; nothing was sent' },
  { network: ['*'], action: 'ambiguous', hint: 'the request was sent but no answer came back (timeout or reset): it may have been inserted; check the CRM before resending' },
  { status: 400, message: /API YOU WANT TO CONSULT DOES NOT EXIST/i, action: 'fatal', hint: 'the API URL is wrong: check --server (the host in your browser after logging in at crm.wolkvox.com)' },
  { status: 400, message: /SOME PARAMETERS ARE REQUIRED/i, action: 'row-rejected', hint: 'a mandatory field is missing or empty: check the mapping (typification code and description, wolkvox_idRecord) and --operation' },
  { status: 401, action: 'fatal', hint: 'no token reached the API: set WOLKVOX_TOKEN or --token-file' },
  { status: 403, message: /VALIDATE TOKEN/i, action: 'fatal', hint: 'the token was rejected: use an internal CRM token of this account (CRM → Configuration → wolkvox Integration → Tokens)' },
  { status: 403, message: /TOKEN LIMIT EXCEEDED/i, action: 'quota', hint: "the token's daily quota is used up: run again with --resume after the counter resets" },
  { status: 403, message: /SIMULTANEOUS REQUESTS/i, action: 'throttled', hint: 'more than 2 requests in flight on this token (another integration may be using it): lower --concurrency' },
  { status: 403, message: /MAINTENANCE|MANTENIMIENTO|BACKUP|DISABLED|DESHABILITAD/i, action: 'maintenance', hint: 'the API is switched off for maintenance: resume later with --resume' },
  { status: 403, action: 'unknown-403', hint: 'an undocumented 403: check the token and the CRM status' },
  { status: 405, action: 'fatal', hint: 'the API refused the method: check --server points at the CRM host' },
  { status: [429, 503], action: 'throttled', hint: 'the server asked to slow down' },
  { status: [500, 502, 504], action: 'ambiguous', hint: 'the server failed after receiving the request: it may have been inserted; check the CRM before resending' },
  { status: (s) => s >= 400 && s < 500, action: 'row-rejected', hint: 'the API rejected this row' },
];

function messageOf(body: unknown, text: string | undefined): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    for (const k of ['msg', 'error', 'message']) {
      const v = b[k];
      if (typeof v === 'string' && v !== '' && v !== 'null') return v;
    }
  }
  return (text ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** The success envelope: `code` 200 (number or string), `data.wolkvox_id` present. */
export function successId(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as { code?: unknown; data?: unknown };
  if (b.code !== undefined && String(b.code) !== '200') return undefined;
  const data = b.data as { wolkvox_id?: unknown } | undefined;
  const id = data?.wolkvox_id;
  if (typeof id === 'string' && id.trim() !== '') return id;
  if (typeof id === 'number') return String(id);
  return undefined;
}

/** `Retry-After` as seconds or an HTTP date → ms (undefined when absent or unreadable). */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function statusMatches(rule: Rule['status'], s: number): boolean {
  if (rule === undefined) return true;
  if (typeof rule === 'number') return rule === s;
  if (typeof rule === 'function') return rule(s);
  return rule.includes(s);
}

export function classify(a: Answer): Classified {
  if (a.status === undefined) {
    const code = a.networkCode ?? 'UNKNOWN';
    for (const r of RULES) {
      if (!r.network) continue;
      if (r.network.includes(code) || r.network.includes('*')) {
        return { action: r.action, code: `NET_${code}`, message: a.networkMessage ?? code, hint: r.hint };
      }
    }
  }
  const status = a.status ?? 0;
  const message = messageOf(a.body, a.text);
  if (status >= 200 && status < 300) {
    const id = successId(a.body);
    if (id !== undefined) return { action: 'ok', code: 'OK', message: '', status, wolkvoxId: id };
    return {
      action: 'ambiguous', code: `API_${status}_UNEXPECTED`, status,
      message: `answer ${status} without the success envelope${message ? `: ${message}` : ''}`,
      hint: 'the server answered 200 without a wolkvox_id: the row may have been inserted; check the CRM before resending',
    };
  }
  for (const r of RULES) {
    if (r.network || r.status === undefined) continue;
    if (!statusMatches(r.status, status)) continue;
    if (r.message && !r.message.test(message)) continue;
    const c: Classified = { action: r.action, code: `API_${status}`, message: message || `HTTP ${status}`, hint: r.hint, status };
    const ra = parseRetryAfter(a.retryAfter);
    if (ra !== undefined) c.retryAfterMs = ra;
    return c;
  }
  return { action: 'unknown', code: `API_${status}`, message: message || `HTTP ${status}`, status, hint: 'an unexpected answer: check the CRM status' };
}

/** `API_400: SOME PARAMETERS ARE REQUIRED` — the result CSV's error cell. */
export function errorText(c: Classified): string {
  return c.message ? `${c.code}: ${c.message}` : c.code;
}
