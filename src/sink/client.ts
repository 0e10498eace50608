import { Pool } from 'undici';
import { INSERT_PATH, TOKEN_INFO_PATH } from '../config/server.ts';
import type { ApiFields } from '../types.ts';
import { redact } from '../redact.ts';

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

export interface ApiClient {
  insert(operation: string, fields: ApiFields): Promise<Answer>;
  tokenInfo(operation: string): Promise<Answer>;
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
}

export function createClient(opts: ClientOptions): ApiClient {
  const pool = new Pool(opts.origin, {
    connections: opts.connections,
    pipelining: 1,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    connectTimeout: Math.min(opts.timeoutMs, 10_000),
    keepAliveTimeout: 4_000,
  });
  const headers = {
    'content-type': 'application/json',
    'wolkvox-token': opts.token,
  };

  const stopAll = new AbortController();

  async function exchange(method: 'POST' | 'GET', path: string, body?: string): Promise<Answer> {
    const t0 = performance.now();
    // undici's header and body timeouts bound the gaps between bytes; this bounds the whole exchange
    // (a server trickling one byte a second would otherwise keep a row in flight forever).
    const signal = AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), stopAll.signal]);
    try {
      const res = await pool.request({ method, path, headers, body, signal });
      const text = await res.body.text();
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
      const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string } };
      return {
        networkCode: abortCode(e, stopAll.signal) ?? e.code ?? e.cause?.code ?? 'UNKNOWN',
        networkMessage: redact(String(e.message ?? err), [opts.token]),
        latencyMs: performance.now() - t0,
      };
    }
  }

  return {
    insert: (operation, fields) => exchange('POST', INSERT_PATH, JSON.stringify({ operation, fields })),
    tokenInfo: (operation) => exchange('GET', `${TOKEN_INFO_PATH}?operation=${encodeURIComponent(operation)}`),
    abort: () => stopAll.abort(),
    close: () => pool.close(),
  };
}

/** TIMEOUT for the whole-exchange limit, ABORTED for a stop's end of grace; undefined for other errors. */
function abortCode(e: { name?: string }, stop: AbortSignal): string | undefined {
  if (e.name === 'TimeoutError') return 'TIMEOUT';
  if (stop.aborted && e.name === 'AbortError') return 'ABORTED';
  return undefined;
}
