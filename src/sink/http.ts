/**
 * One HTTP exchange over undici, for both wolkvox APIs (the CRM's inserts and queries in
 * src/sink/client.ts, the Manager's reports in src/manager/client.ts): a keep-alive pool (or the
 * proxy's agent), a whole-exchange timeout, an abort for every request in flight, and an answer
 * that never throws and never carries a secret in its message text.
 */
import type { Dispatcher } from 'undici';
import { redact } from '../redact.ts';
import { proxyDispatcher, proxySecrets } from './proxy.ts';
import { Pool, request } from './undici.ts';

/** What one HTTP exchange produced. Nothing here knows about retries. */
export interface Answer {
  /** HTTP status, when an answer arrived. */
  status?: number;
  /** Parsed JSON body, when it parsed. */
  body?: unknown;
  /** Raw body text (first 500 chars, secrets redacted), for messages. */
  text?: string;
  /** `Retry-After` header as sent. */
  retryAfter?: string;
  /** Network error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, TIMEOUT, ABORTED, PROXY_407...) when no answer arrived. */
  networkCode?: string;
  networkMessage?: string;
  /** Milliseconds from send to answer or error. */
  latencyMs: number;
}

/** How much of an answer's text is kept for messages. */
const EXCERPT = 500;

export interface HttpOptions {
  origin: string;
  /** Secrets that must never reach a message (the token); the proxy's credentials are added. */
  secrets: readonly string[];
  headers: Record<string, string>;
  /** Per-request limit, ms: from the request's start to the last byte of the answer. */
  timeoutMs: number;
  /** Keep-alive connections to open at most. */
  connections: number;
  /** --proxy URL; absent: HTTPS_PROXY / HTTP_PROXY / NO_PROXY from `env`, else a direct connection. */
  proxy?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * true: the whole body is redacted before it is parsed (a CRM answer may echo the request, token
   * included). false: only the excerpt kept for messages (report records are data and stay as sent).
   */
  redactBody: boolean;
  /** The message of requests ended by abort(). */
  abortMessage: string;
}

export interface Http {
  exchange(method: 'POST' | 'GET', path: string, body?: string): Promise<Answer>;
  /** Ends every request in flight now (code ABORTED). */
  abort(): void;
  close(): Promise<void>;
}

export function createHttp(o: HttpOptions): Http {
  const env = o.env ?? process.env;
  const timeouts = { headersTimeout: o.timeoutMs, bodyTimeout: o.timeoutMs, connectTimeout: Math.min(o.timeoutMs, 10_000), keepAliveTimeout: 4_000 };
  const dispatcher: Dispatcher = proxyDispatcher({ origin: o.origin, proxy: o.proxy, env, connections: o.connections, timeouts })
    ?? new Pool(o.origin, { connections: o.connections, pipelining: 1, ...timeouts });
  const secrets = [...o.secrets, ...proxySecrets(o.proxy, env)];
  const longest = Math.max(0, ...secrets.map((x) => x.length));
  /** Requests in flight, each with its own controller: abort() ends them all. */
  const inflight = new Set<AbortController>();

  async function exchange(method: 'POST' | 'GET', path: string, body?: string): Promise<Answer> {
    const t0 = performance.now();
    // undici's header and body timeouts bound the gaps between bytes; this bounds the whole exchange
    // (a server trickling one byte a second would otherwise keep a request in flight forever). One
    // cleared timer per request: AbortSignal.timeout() would keep every request's objects alive
    // for the whole timeout after it ended (tens of thousands of them at the API's pace).
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(ended('TIMEOUT', `no complete answer within ${o.timeoutMs} ms`)), o.timeoutMs);
    inflight.add(ctl);
    try {
      const res = await request(dispatcher, { origin: o.origin, method, path, headers: o.headers, body, signal: ctl.signal });
      const raw = await res.body.text();
      const text = o.redactBody ? redact(raw, secrets) : raw;
      // Redacted before it is cut: a secret across the cut must not leave its first half behind.
      const excerpt = (o.redactBody ? text : redact(raw.slice(0, EXCERPT + longest), secrets)).slice(0, EXCERPT);
      const answer: Answer = { status: res.statusCode, latencyMs: performance.now() - t0, text: excerpt };
      const ra = res.headers['retry-after'];
      if (typeof ra === 'string') answer.retryAfter = ra;
      if (text.length > 0) {
        try {
          answer.body = JSON.parse(text);
        } catch {
          /* not JSON: the classification decides */
        }
      }
      return answer;
    } catch (err) {
      const e = err as { code?: string; message?: string; cause?: { code?: string } };
      return { networkCode: proxyCode(e) ?? e.code ?? e.cause?.code ?? 'UNKNOWN', networkMessage: redact(String(e.message ?? err), secrets), latencyMs: performance.now() - t0 };
    } finally {
      clearTimeout(timer);
      inflight.delete(ctl);
    }
  }

  return {
    exchange,
    abort: () => {
      for (const c of inflight) c.abort(ended('ABORTED', o.abortMessage));
    },
    close: () => dispatcher.close(),
  };
}

/** The proxy would not open the tunnel (nothing reached the server): PROXY_407 for its credentials, PROXY_REFUSED otherwise. */
function proxyCode(e: { message?: string }): string | undefined {
  const m = /^Proxy response \((\d+)\) !== 200 when HTTP Tunneling/.exec(e.message ?? '');
  if (!m) return undefined;
  return m[1] === '407' ? 'PROXY_407' : 'PROXY_REFUSED';
}

/** The reason a request was ended by us: TIMEOUT (the whole-exchange limit) or ABORTED (abort()). */
function ended(code: 'TIMEOUT' | 'ABORTED', message: string): Error {
  return Object.assign(new Error(message), { code });
}
