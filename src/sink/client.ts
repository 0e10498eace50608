import type { Dispatcher } from 'undici';
import { INSERT_PATH, QUERY_PATH, TOKEN_INFO_PATH } from '../config/server.ts';
import type { ApiFields } from '../types.ts';
import { redact } from '../redact.ts';
import { proxyDispatcher, proxySecrets } from './proxy.ts';
import { Pool, request } from './undici.ts';

/** What one HTTP exchange produced. The client never throws and knows nothing about retries. */
export interface Answer {
  /** HTTP status, when an answer arrived. */
  status?: number;
  /** Parsed JSON body, when it parsed. */
  body?: unknown;
  /** Raw body text (first 500 chars), for messages. */
  text?: string;
  /** `Retry-After` header as sent. */
  retryAfter?: string;
  /** Network error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, ...) when no answer arrived. */
  networkCode?: string;
  networkMessage?: string;
  /** Milliseconds from send to answer or error. */
  latencyMs: number;
}

/** One page of a queryGestion search (docs/api.md, "queryGestion"). */
interface GestionQuery {
  field: string;
  value: string;
  /** At most 250. */
  limit: number;
  /** 1-based. */
  page: number;
}

export interface ApiClient {
  insert(operation: string, fields: ApiFields): Promise<Answer>;
  tokenInfo(operation: string): Promise<Answer>;
  /** POST queryGestion.php: gestiones already in the CRM whose `field` equals `value`. */
  query?(operation: string, q: GestionQuery): Promise<Answer>;
  /** Ends every request in flight now (their rows become uncertain): the end of a stop's grace. */
  abort(): void;
  close(): Promise<void>;
}

export interface ClientOptions {
  origin: string;
  token: string;
  /** Per-request limit, ms: from the request's start to the last byte of the answer. */
  timeoutMs: number;
  /** Keep-alive connections to open at most. */
  connections: number;
  /** --proxy URL; absent: HTTPS_PROXY / HTTP_PROXY / NO_PROXY from `env`, else a direct connection. */
  proxy?: string;
  env?: NodeJS.ProcessEnv;
  /** Told once when the client starts sending the token in the body too. */
  onNote?: (message: string) => void;
}

/** The API did not see the token: `401 PLEASE ENTER THE WOLKVOX-TOKEN` (or that inside a 200). */
function tokenNotSeen(a: Answer): boolean {
  const body = a.body as { code?: unknown; msg?: unknown; error?: unknown } | undefined;
  const code = a.status === 401 ? 401 : Number(body?.code);
  if (code !== 401) return false;
  const text = `${String(body?.msg ?? '')} ${String(body?.error ?? '')} ${a.text ?? ''}`;
  return /ENTER THE WOLKVOX-TOKEN/i.test(text);
}

/** What the client learnt about this API during the run (kept for the run: see docs/api.md). */
interface Learnt {
  /** Every client found also sends the token inside the JSON body; switched on after a 401 that ignored the header. */
  bodyToken: boolean;
  /** tokenInformation.php: POST as the vendor documents it; GET after a 405. */
  tokenInfoMethod: 'POST' | 'GET';
}

export function createClient(opts: ClientOptions): ApiClient {
  const timeouts = { headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs, connectTimeout: Math.min(opts.timeoutMs, 10_000), keepAliveTimeout: 4_000 };
  const dispatcher: Dispatcher = proxyDispatcher({ origin: opts.origin, proxy: opts.proxy, env: opts.env ?? process.env, connections: opts.connections, timeouts })
    ?? new Pool(opts.origin, { connections: opts.connections, pipelining: 1, ...timeouts });
  const secrets = [opts.token, ...proxySecrets(opts.proxy, opts.env ?? process.env)];
  const headers = { 'content-type': 'application/json', 'wolkvox-token': opts.token };
  const learnt: Learnt = { bodyToken: false, tokenInfoMethod: 'POST' };
  /** Requests in flight, each with its own controller: abort() ends them all. */
  const inflight = new Set<AbortController>();

  async function exchange(method: 'POST' | 'GET', path: string, body?: string): Promise<Answer> {
    const t0 = performance.now();
    // undici's header and body timeouts bound the gaps between bytes; this bounds the whole exchange
    // (a server trickling one byte a second would otherwise keep a row in flight forever). One
    // cleared timer per request: AbortSignal.timeout() would keep every request's objects alive
    // for the whole timeout after it ended (tens of thousands of them at the API's pace).
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(ended('TIMEOUT', `no complete answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    inflight.add(ctl);
    const signal = ctl.signal;
    try {
      const res = await request(dispatcher, { origin: opts.origin, method, path, headers, body, signal });
      // A server may echo the request: the token (also in the body) never reaches a message.
      const text = redact(await res.body.text(), secrets);
      const answer: Answer = { status: res.statusCode, latencyMs: performance.now() - t0, text: text.slice(0, 500) };
      const ra = res.headers['retry-after'];
      if (typeof ra === 'string') answer.retryAfter = ra;
      if (text.length > 0) {
        try {
          answer.body = JSON.parse(text);
        } catch {
          /* not JSON: classification decides */
        }
      }
      return answer;
    } catch (err) {
      const e = err as { code?: string; message?: string; cause?: { code?: string } };
      return {
        networkCode: proxyCode(e) ?? e.code ?? e.cause?.code ?? 'UNKNOWN',
        networkMessage: redact(String(e.message ?? err), secrets),
        latencyMs: performance.now() - t0,
      };
    } finally {
      clearTimeout(timer);
      inflight.delete(ctl);
    }
  }

  /** A JSON POST; after a 401 that ignored the header, the same request again with the token in the body too (nothing was done). */
  async function post(path: string, payload: Record<string, unknown>): Promise<Answer> {
    const send = () => exchange('POST', path, JSON.stringify(learnt.bodyToken ? { ...payload, 'wolkvox-token': opts.token } : payload));
    const a = await send();
    if (learnt.bodyToken || !tokenNotSeen(a)) return a;
    learnt.bodyToken = true;
    opts.onNote?.('the API answered PLEASE ENTER THE WOLKVOX-TOKEN although the Wolkvox-Token header was sent: sending the token inside the JSON body too for the rest of the run');
    return send();
  }

  async function tokenInfo(operation: string): Promise<Answer> {
    const path = `${TOKEN_INFO_PATH}?operation=${encodeURIComponent(operation)}`;
    if (learnt.tokenInfoMethod === 'POST') {
      const a = await post(path, { operation });
      if (a.status !== 405) return a;
      learnt.tokenInfoMethod = 'GET';
    }
    return exchange('GET', path);
  }

  return {
    insert: (operation, fields) => post(INSERT_PATH, { operation, fields }),
    tokenInfo,
    query: (operation, q) => post(QUERY_PATH, { operation, field: q.field, value: q.value, limit: q.limit, page: q.page }),
    abort: () => {
      for (const c of inflight) c.abort(ended('ABORTED', 'ended after the stop\'s grace'));
    },
    close: () => dispatcher.close(),
  };
}

/** The proxy would not open the tunnel (nothing reached the CRM): PROXY_407 for its credentials, PROXY_REFUSED otherwise. */
function proxyCode(e: { message?: string }): string | undefined {
  const m = /^Proxy response \((\d+)\) !== 200 when HTTP Tunneling/.exec(e.message ?? '');
  if (!m) return undefined;
  return m[1] === '407' ? 'PROXY_407' : 'PROXY_REFUSED';
}

/** The reason a request was ended by us: TIMEOUT (the whole-exchange limit) or ABORTED (a stop's end of grace). */
function ended(code: 'TIMEOUT' | 'ABORTED', message: string): Error {
  return Object.assign(new Error(message), { code });
}
