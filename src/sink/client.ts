import { Pool } from 'undici';
import { INSERT_PATH, TOKEN_INFO_PATH } from '../config/server.ts';
import type { ApiFields } from '../types.ts';

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
  close(): Promise<void>;
}

export interface ClientOptions {
  origin: string;
  token: string;
  /** Per-request timeout (headers and body), ms. */
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

  async function exchange(method: 'POST' | 'GET', path: string, body?: string): Promise<Answer> {
    const t0 = performance.now();
    try {
      const res = await pool.request({ method, path, headers, body });
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
      const e = err as { code?: string; message?: string; cause?: { code?: string } };
      return {
        networkCode: e.code ?? e.cause?.code ?? 'UNKNOWN',
        networkMessage: redact(String(e.message ?? err), opts.token),
        latencyMs: performance.now() - t0,
      };
    }
  }

  return {
    insert: (operation, fields) => exchange('POST', INSERT_PATH, JSON.stringify({ operation, fields })),
    tokenInfo: (operation) => exchange('GET', `${TOKEN_INFO_PATH}?operation=${encodeURIComponent(operation)}`),
    close: () => pool.close(),
  };
}

/** Messages never carry the token (a short test token is left alone: it would mangle words). */
function redact(text: string, token: string): string {
  return token.length >= 6 ? text.replaceAll(token, '[REDACTED]') : text;
}
