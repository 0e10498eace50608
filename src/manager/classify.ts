import type { ManagerErrorKind } from '../errors.ts';
import { NOT_BUILT_CODES } from '../sink/classify.ts';
import type { Answer } from '../sink/http.ts';

/** One report record: field name → value, as the API sent it (values made strings). */
export type ReportRecord = Record<string, string>;

/** What one answer of reports_manager.php means (docs/api.md, "Manager report API"). */
export type Verdict =
  | { kind: 'records'; records: ReportRecord[]; /** The count the answer's `msg` announced, when it did. */ found?: number }
  | { kind: 'empty' }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'stop'; error: ManagerErrorKind; reason: string };

interface Envelope {
  code?: unknown;
  error?: unknown;
  msg?: unknown;
  data?: unknown;
}

const QUOTA = /LIMIT EXCEEDED|QUOTA|CUOTA|CONSUM/i;
const SIMULTANEOUS = /SIMULTANEOUS/i;
const EMPTY_WINDOW = /VALIDATE DATES/i;

/** The API's own message (error, msg or the start of the text), for classification and errors. */
function messageOf(a: Answer): string {
  const body = a.body as Envelope | undefined;
  const parts = [body?.error, body?.msg].filter((v): v is string => typeof v === 'string' && v !== '' && v !== 'null');
  return parts.length > 0 ? [...new Set(parts)].join(' / ') : (a.text ?? '').slice(0, 200).trim();
}

/** The answer's code: the body's `code` when it is a number (an HTTP 200 may carry an error), else the HTTP status. */
function codeOf(a: Answer): number | undefined {
  const code = Number((a.body as Envelope | undefined)?.code);
  return Number.isInteger(code) && code > 0 ? code : a.status;
}

function retryAfterMs(a: Answer): number | undefined {
  const s = Number(a.retryAfter);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
}

/**
 * A record with every value as text (the API sends strings; null → '', numbers as written, objects
 * as JSON), normalized in place: the object is the answer's own, fresh from JSON.parse, and most
 * values already are strings, so 60,000 records an answer cost no copy. A value is replaced by
 * definition, so a key named `__proto__` stays a plain key.
 */
function toRecord(item: unknown): ReportRecord | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const rec = item as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    const v = rec[k];
    if (typeof v === 'string') continue;
    const text = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    Object.defineProperty(rec, k, { value: text, writable: true, enumerable: true, configurable: true });
  }
  return rec as ReportRecord;
}

function records(a: Answer): Verdict {
  const body = a.body as Envelope;
  if (!Array.isArray(body.data)) return { kind: 'stop', error: 'answer', reason: `code 200 without a list of records (${messageOf(a)})` };
  if (body.data.length === 0) return { kind: 'empty' };
  const out: ReportRecord[] = [];
  for (const item of body.data) {
    const r = toRecord(item);
    if (r === undefined) return { kind: 'stop', error: 'answer', reason: 'a record of the answer is not an object' };
    out.push(r);
  }
  const found = /(\d+)\s+records?\b/i.exec(typeof body.msg === 'string' ? body.msg : '')?.[1];
  return found === undefined ? { kind: 'records', records: out } : { kind: 'records', records: out, found: Number(found) };
}

function refused(a: Answer, code: number): Verdict {
  const msg = messageOf(a);
  if (code === 401) return { kind: 'stop', error: 'token', reason: `401 ${msg}` };
  if (SIMULTANEOUS.test(msg)) return { kind: 'retry', reason: `403 ${msg}`, retryAfterMs: retryAfterMs(a) };
  if (QUOTA.test(msg)) return { kind: 'stop', error: 'quota', reason: `403 ${msg}` };
  return { kind: 'stop', error: /TOKEN/i.test(msg) ? 'token' : 'refused', reason: `403 ${msg}` };
}

/** The request could not be built (e.g. a character a header cannot carry): nothing was sent, retrying cannot help. */
const NOT_BUILT = new Set<string>(NOT_BUILT_CODES);

function network(a: Answer & { networkCode: string }): Verdict {
  if (a.networkCode === 'ABORTED') return { kind: 'stop', error: 'aborted', reason: 'the fetch was stopped' };
  if (NOT_BUILT.has(a.networkCode)) return { kind: 'stop', error: 'token', reason: 'the request could not be built (a character the wolkvox-token header cannot carry?): nothing was sent' };
  return { kind: 'retry', reason: `${a.networkCode}: ${a.networkMessage ?? 'no answer'}` };
}

/** Reads one answer. Network failures, 5xx, 429 and answers that are not JSON are retried; nothing unknown is ever read as "empty". */
export function classifyReport(a: Answer): Verdict {
  if (a.networkCode !== undefined) return network(a as Answer & { networkCode: string });
  const code = (a.status ?? 0) >= 500 ? (a.status as number) : (codeOf(a) ?? 0);
  if (code === 200 && typeof a.body === 'object' && a.body !== null) return records(a);
  if (code === 404 && EMPTY_WINDOW.test(messageOf(a))) return { kind: 'empty' };
  if (code === 401 || code === 403) return refused(a, code);
  if (code === 429 || code >= 500) return { kind: 'retry', reason: `${code} ${messageOf(a)}`, retryAfterMs: retryAfterMs(a) };
  return other(a, code);
}

/** What is left: a 200 that is not JSON (perhaps cut short: retried), another 404 (report not enabled, wrong host), 400, anything else. */
function other(a: Answer, code: number): Verdict {
  if (code === 200) return { kind: 'retry', reason: `HTTP 200 whose body is not JSON (${messageOf(a)})` };
  if (code === 404) return { kind: 'stop', error: 'not-found', reason: `404 ${messageOf(a)}` };
  if (code === 400) return { kind: 'stop', error: 'refused', reason: `400 ${messageOf(a)}` };
  return { kind: 'stop', error: 'answer', reason: `HTTP ${a.status ?? '?'} ${messageOf(a)}` };
}
