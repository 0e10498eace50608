/** Reading every page of a queryGestion search (docs/api.md, "queryGestion"). */
import { classify, errorText, type Classified } from '../sink/classify.ts';
import type { ApiClient } from '../sink/client.ts';
import type { Answer } from '../sink/http.ts';
import { fullJitter, sleep, type RetryPolicy } from '../sink/policy.ts';

/** The most the API returns in one page. */
const PAGE_LIMIT = 250;
/** Pages read at most for one row (10,000 gestiones): a search that wide is not selective. */
const MAX_PAGES = 40;

export type Search =
  | { kind: 'list'; gestiones: Record<string, unknown>[] }
  /** The answer could not be read (or no call was left): the row stays uncertain. `stop`: the run must stop too. */
  | { kind: 'unreadable'; reason: string; stop?: Classified; refused?: Classified };

export type Page = { rows: Record<string, unknown>[] } | { refused: Classified };

/** "Nothing found" is undocumented: a 404 (HTTP or in the body) or a "no records" message, without data. */
const NOTHING_FOUND = /NO (RECORDS?|DATA|RESULTS?)|NOT FOUND|NO SE ENCONTR|SIN (REGISTROS|RESULTADOS)|\b0 RECORDS/i;

const hasData = (data: unknown): boolean => (Array.isArray(data) ? data.length > 0 : data !== undefined && data !== null && data !== '');

function nothingFound(a: Answer, body: Record<string, unknown>): boolean {
  if (hasData(body.data)) return false;
  const code = body.code === undefined ? a.status : Number(body.code);
  // A body code of its own (400, 500...) is an error, whatever its message says (FIELD NOT FOUND is no empty search).
  if (code !== 200 && code !== 404) return false;
  const message = `${String(body.msg ?? '')} ${String(body.error ?? '')}`;
  return a.status === 404 || code === 404 || (a.status === 200 && NOTHING_FOUND.test(message));
}

/** One answer of queryGestion: the gestiones of the page, or why it cannot be used. `code` may be 200 or "200". */
export function readPage(a: Answer): Page {
  const body = a.body && typeof a.body === 'object' && !Array.isArray(a.body) ? (a.body as Record<string, unknown>) : undefined;
  // Only the API's own envelope can say so: a proxy's HTML 404 proves nothing.
  if (body !== undefined && nothingFound(a, body)) return { rows: [] };
  const codeOk = body?.code === undefined || String(body.code).trim() === '200';
  if (a.status === 200 && codeOk && Array.isArray(body?.data) && body.data.every((g) => g && typeof g === 'object' && !Array.isArray(g))) {
    return { rows: body.data as Record<string, unknown>[] };
  }
  const c = classify(a);
  if (c.action !== 'ok') return { refused: c };
  return { refused: { ...c, action: 'unknown', rule: 'reconcile-unreadable', code: `API_${a.status}_UNREADABLE`, message: `queryGestion answered in an unknown shape: ${(a.text ?? '').slice(0, 120)}` } };
}

/** Answers worth asking again: a query inserts nothing, so even an ambiguous one is safe to repeat. */
const TRANSIENT = new Set(['retry', 'throttled', 'maintenance', 'ambiguous', 'unknown-403']);

export interface SearchDeps {
  client: ApiClient;
  operation: string;
  policy: RetryPolicy;
  /** Counts one call; false when none is left (--max-calls, today's quota, a stop). */
  spend: () => boolean;
  signal: AbortSignal;
}

/** One page, asked again (with backoff) after transient answers; each attempt is a call. */
async function askPage(d: SearchDeps, q: { field: string; value: string; page: number }): Promise<Page | undefined> {
  let last: Page | undefined;
  for (let attempt = 1; attempt <= d.policy.maxAttempts; attempt++) {
    if (d.signal.aborted || !d.spend()) return last;
    const a = await d.client.query!(d.operation, { ...q, limit: PAGE_LIMIT });
    last = readPage(a);
    if ('rows' in last || !TRANSIENT.has(last.refused.action)) return last;
    await sleep(Math.max(fullJitter(d.policy, attempt), last.refused.retryAfterMs ?? 0), d.signal);
  }
  return last;
}

/** Every gestión of the operation whose `field` is `value`, reading pages while a page comes back full. */
export async function search(d: SearchDeps, field: string, value: string): Promise<Search> {
  if (!d.client.query) return { kind: 'unreadable', reason: 'this client cannot query' };
  const gestiones: Record<string, unknown>[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const p = await askPage(d, { field, value, page });
    if (p === undefined) return { kind: 'unreadable', reason: 'not searched: no call left (--max-calls, the quota or a stop)' };
    if ('refused' in p) {
      const c = p.refused;
      const stop = c.action === 'quota' || c.action === 'fatal' ? c : undefined;
      return { kind: 'unreadable', reason: `queryGestion answered ${errorText(c)}`, stop, refused: c };
    }
    gestiones.push(...p.rows);
    if (p.rows.length < PAGE_LIMIT) return { kind: 'list', gestiones };
  }
  return { kind: 'unreadable', reason: `more than ${MAX_PAGES * PAGE_LIMIT} gestiones have ${field} = this value: not selective enough (set "reconcileBy" in the mapping)` };
}
