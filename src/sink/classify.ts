import type { Answer } from './http.ts';

/**
 * What to do with one answer of the API. The table below is the single place that decides;
 * docs/api.md renders it for people.
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
  /** Id of the rule that decided (stable: stored with the row, read back by the report). */
  rule: string;
  /** Stable code for the result's `error` column, e.g. API_400, NET_ECONNREFUSED. */
  code: string;
  /** The API's message or a description of what happened. */
  message: string;
  /** What the user should do, for stop messages and the report (English; src/i18n has it by rule id). */
  hint?: string;
  status?: number;
  wolkvoxId?: string;
  retryAfterMs?: number;
}

export interface Rule {
  /** Stable id, stored with each row's outcome. */
  id: string;
  status?: number | readonly number[] | ((s: number) => boolean);
  /** Case-insensitive match on the API's message. */
  message?: RegExp;
  network?: readonly string[];
  action: Action;
  /** Throttling that asks for fewer requests in flight (halve the concurrency). */
  lowersConcurrency?: boolean;
  hint?: string;
}

/** Network errors that happen before a byte of the request reached the server. */
const NOT_SENT_CODES = [
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER',
] as const;

/** The request could not even be built (a header value undici refuses): nothing left, and retrying cannot help. */
export const NOT_BUILT_CODES = ['UND_ERR_INVALID_ARG', 'ERR_INVALID_CHAR', 'ERR_INVALID_HTTP_TOKEN'] as const;

/** First match wins. Messages are matched case-insensitively; the unknown case stays safe. */
export const RULES: readonly Rule[] = [
  { id: 'net-not-built', network: NOT_BUILT_CODES, action: 'fatal', hint: 'the request could not be built (a header value is not allowed, e.g. a character in the token): nothing was sent; check the token' },
  { id: 'net-not-sent', network: NOT_SENT_CODES, action: 'retry', hint: 'the server could not be reached; nothing was sent' },
  { id: 'net-proxy-auth', network: ['PROXY_407'], action: 'fatal', hint: 'the proxy refused its credentials (407): nothing was sent; check the user and password in --proxy or HTTPS_PROXY' },
  { id: 'net-proxy-refused', network: ['PROXY_REFUSED'], action: 'retry', hint: 'the proxy would not open a tunnel to the CRM: nothing was sent; check the proxy and its allow-list' },
  { id: 'net-after-send', network: ['*'], action: 'ambiguous', hint: 'the request was sent but no answer came back (timeout or reset): it may have been inserted; check the CRM before resending' },
  { id: 'api-2xx-unexpected', status: (s) => s >= 200 && s < 300, action: 'ambiguous', hint: 'the server answered 200 without a wolkvox_id: the row may have been inserted; check the CRM before resending' },
  { id: 'api-400-no-api', status: 400, message: /API YOU WANT TO CONSULT DOES NOT EXIST/i, action: 'fatal', hint: 'the API URL is wrong: check --server (the host in your browser after logging in at crm.wolkvox.com)' },
  { id: 'api-400-params', status: 400, message: /SOME PARAMETERS ARE REQUIRED/i, action: 'row-rejected', hint: 'a mandatory field is missing or empty: check the mapping (typification code and description, wolkvox_idRecord) and --operation' },
  { id: 'api-401', status: 401, action: 'fatal', hint: 'no token reached the API: set WOLKVOX_TOKEN or --token-file' },
  { id: 'api-403-token', status: 403, message: /VALIDATE TOKEN/i, action: 'fatal', hint: 'the token was rejected: use an internal CRM token of this account (CRM → Configuration → wolkvox Integration → Tokens)' },
  { id: 'api-403-quota', status: 403, message: /TOKEN LIMIT EXCEEDED/i, action: 'quota', hint: "the token's daily quota is used up: run again with --resume after the counter resets" },
  { id: 'api-403-simultaneous', status: 403, message: /SIMULTANEOUS REQUESTS/i, action: 'throttled', lowersConcurrency: true, hint: 'more than 2 requests in flight on this token (another integration may be using it): lower --concurrency' },
  { id: 'api-403-maintenance', status: 403, message: /MAINTENANCE|MANTENIMIENTO|BACKUP|DISABLED|DESHABILITAD/i, action: 'maintenance', hint: 'the API is switched off for maintenance: resume later with --resume' },
  { id: 'api-403-unknown', status: 403, action: 'unknown-403', hint: 'an undocumented 403: check the token and the CRM status' },
  { id: 'api-405', status: 405, action: 'fatal', hint: 'the API refused the method: check --server points at the CRM host' },
  { id: 'api-throttled', status: [429, 503], action: 'throttled', lowersConcurrency: true, hint: 'the server asked to slow down' },
  { id: 'api-5xx-after-send', status: [500, 502, 504], action: 'ambiguous', hint: 'the server failed after receiving the request: it may have been inserted; check the CRM before resending' },
  { id: 'api-4xx', status: (s) => s >= 400 && s < 500, action: 'row-rejected', hint: 'the API rejected this row' },
  { id: 'unknown', action: 'unknown', hint: 'an unexpected answer: check the CRM status' },
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** The rule stored with a row (`rule` column), for the report's hints. */
export function ruleById(id: string | null | undefined): Rule | undefined {
  return id ? BY_ID.get(id) : undefined;
}

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
function successId(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as { code?: unknown; data?: unknown };
  if (b.code !== undefined && String(b.code) !== '200') return undefined;
  const id = (b.data as { wolkvox_id?: unknown } | undefined)?.wolkvox_id;
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

function classifyNetwork(code: string, message: string): Classified {
  const r = RULES.find((x) => x.network && (x.network.includes(code) || x.network.includes('*')))!;
  return { action: r.action, rule: r.id, code: `NET_${code}`, message, hint: r.hint };
}

function classifyHttp(a: Answer, status: number): Classified {
  const message = messageOf(a.body, a.text);
  const r = RULES.find((x) => !x.network && statusMatches(x.status, status) && (!x.message || x.message.test(message)))!;
  if (r.id === 'api-2xx-unexpected') {
    return { action: r.action, rule: r.id, code: `API_${status}_UNEXPECTED`, status, hint: r.hint,
      message: `answer ${status} without the success envelope${message ? `: ${message}` : ''}` };
  }
  const c: Classified = { action: r.action, rule: r.id, code: `API_${status}`, message: message || `HTTP ${status}`, hint: r.hint, status };
  const ra = parseRetryAfter(a.retryAfter);
  if (ra !== undefined) c.retryAfterMs = ra;
  return c;
}

/**
 * The status a 2xx answer's body says it is: the body's `code` when it is 4xx/5xx, or the status of
 * the rule whose message the body carries (`SOME PARAMETERS ARE REQUIRED` → 400). Some wolkvox APIs
 * answer HTTP 200 with the error inside; undefined when the body carries no known error.
 */
function bodyStatus(body: unknown, text: string | undefined): number | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const code = Number((body as { code?: unknown }).code);
  if (Number.isInteger(code) && code >= 400 && code < 600) return code;
  const message = messageOf(body, text);
  if (message === '') return undefined;
  const r = RULES.find((x) => x.message !== undefined && typeof x.status === 'number' && x.message.test(message));
  return r?.status as number | undefined;
}

export function classify(a: Answer): Classified {
  if (a.status === undefined) {
    const code = a.networkCode ?? 'UNKNOWN';
    return classifyNetwork(code, a.networkMessage ?? code);
  }
  if (a.status >= 200 && a.status < 300) {
    const id = successId(a.body);
    if (id !== undefined) return { action: 'ok', rule: 'ok', code: 'OK', message: '', status: a.status, wolkvoxId: id };
    const inner = bodyStatus(a.body, a.text);
    if (inner !== undefined) return classifyInner(a, inner);
  }
  return classifyHttp(a, a.status);
}

/** A 2xx whose body carries an error: classified like that status (same rule), the code says both (API_200_400). */
function classifyInner(a: Answer, inner: number): Classified {
  const c = classifyHttp(a, inner);
  return { ...c, code: `API_${a.status}_${inner}`, status: a.status };
}

/** `API_400: SOME PARAMETERS ARE REQUIRED`: the result CSV's error cell. */
export function errorText(c: Classified): string {
  return c.message ? `${c.code}: ${c.message}` : c.code;
}
