import { INSERT_PATH, QUERY_PATH, TOKEN_INFO_PATH } from '../config/server.ts';
import type { ApiFields } from '../types.ts';
import { createHttp, type Answer } from './http.ts';


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
  const http = createHttp({
    origin: opts.origin, secrets: [opts.token], headers: { 'content-type': 'application/json', 'wolkvox-token': opts.token },
    timeoutMs: opts.timeoutMs, connections: opts.connections, proxy: opts.proxy, env: opts.env, redactBody: true,
    abortMessage: "ended after the stop's grace",
  });
  const exchange = http.exchange;
  const learnt: Learnt = { bodyToken: false, tokenInfoMethod: 'POST' };

  /** A JSON POST; after a 401 that ignored the header, the same request again with the token in the body too (nothing was done). */
  async function post(path: string, payload: Record<string, unknown>): Promise<Answer> {
    const send = (withToken: boolean) => exchange('POST', path, JSON.stringify(withToken ? { ...payload, 'wolkvox-token': opts.token } : payload));
    // Whether THIS request carried it: a request sent before another one's 401 switched it on is resent too.
    const withToken = learnt.bodyToken;
    const a = await send(withToken);
    if (withToken || !tokenNotSeen(a)) return a;
    if (!learnt.bodyToken) opts.onNote?.('the API answered PLEASE ENTER THE WOLKVOX-TOKEN although the Wolkvox-Token header was sent: sending the token inside the JSON body too for the rest of the run');
    learnt.bodyToken = true;
    return send(true);
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
    abort: http.abort,
    close: http.close,
  };
}
