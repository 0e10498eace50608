import type { Dispatcher } from 'undici';
import { redact } from '../redact.ts';
import type { Answer } from '../sink/client.ts';
import { proxyDispatcher, proxySecrets } from '../sink/proxy.ts';
import { Pool, request } from '../sink/undici.ts';

/** The report endpoint on the Manager host (docs/api.md, "Manager report API"). */
const REPORTS_PATH = '/api/v2/reports_manager.php';

/** The Manager token's own counters (docs/api.md, "Manager report API"): costs one call of the quota. */
const TOKEN_INFO_PATH = '/api/v2/information.php?api=token_info';

/** The API serves at most 2 simultaneous requests per Manager token. */
export const MANAGER_MAX_INFLIGHT = 2;

/** One call may run up to 60 s on the API's side; the answer (up to 256 MB) must still arrive. */
const MANAGER_TIMEOUT_MS = 120_000;

interface ReportQuery {
  report: string;
  /** `YYYYmmddHHiiss`, wall-clock in the dialer's zone. */
  dateIni: string;
  dateEnd: string;
  campaignId?: string;
}

/** One GET per call; never throws, never retries (src/manager/fetch.ts decides). */
export interface ManagerClient {
  report(q: ReportQuery): Promise<Answer>;
  /** GET information.php?api=token_info: the Manager token's daily counters (one call of its quota); read it with readManagerTokenInfo. */
  tokenInfo(): Promise<Answer>;
  /** Ends every request in flight now. */
  abort(): void;
  close(): Promise<void>;
}

export interface ManagerClientOptions {
  origin: string;
  token: string;
  /** From the request's start to the last byte of the answer. */
  timeoutMs?: number;
  /** --proxy URL; absent: HTTPS_PROXY / HTTP_PROXY / NO_PROXY from `env`, else direct. */
  proxy?: string;
  env?: NodeJS.ProcessEnv;
}

function reportPath(q: ReportQuery): string {
  const params = new URLSearchParams({ api: q.report, date_ini: q.dateIni, date_end: q.dateEnd });
  if (q.campaignId !== undefined) params.set('campaign_id', q.campaignId);
  return `${REPORTS_PATH}?${params.toString()}`;
}

export function createManagerClient(opts: ManagerClientOptions): ManagerClient {
  const timeoutMs = opts.timeoutMs ?? MANAGER_TIMEOUT_MS;
  const env = opts.env ?? process.env;
  const timeouts = { headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 10_000), keepAliveTimeout: 4_000 };
  const connections = MANAGER_MAX_INFLIGHT;
  const dispatcher: Dispatcher = proxyDispatcher({ origin: opts.origin, proxy: opts.proxy, env, connections, timeouts })
    ?? new Pool(opts.origin, { connections, pipelining: 1, ...timeouts });
  const secrets = [opts.token, ...proxySecrets(opts.proxy, env)];
  const headers = { accept: 'application/json', 'wolkvox-token': opts.token };
  const inflight = new Set<AbortController>();

  async function get(path: string): Promise<Answer> {
    const t0 = performance.now();
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(ended('TIMEOUT', `no complete answer within ${timeoutMs} ms`)), timeoutMs);
    inflight.add(ctl);
    try {
      const res = await request(dispatcher, { origin: opts.origin, method: 'GET', path, headers, signal: ctl.signal });
      const text = await res.body.text();
      // Only the excerpt kept for messages is redacted: the records are data and stay as sent.
      const answer: Answer = { status: res.statusCode, latencyMs: performance.now() - t0, text: redact(text.slice(0, 500), secrets) };
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
      return { networkCode: e.code ?? e.cause?.code ?? 'UNKNOWN', networkMessage: redact(String(e.message ?? err), secrets), latencyMs: performance.now() - t0 };
    } finally {
      clearTimeout(timer);
      inflight.delete(ctl);
    }
  }

  return {
    report: (q) => get(reportPath(q)),
    tokenInfo: () => get(TOKEN_INFO_PATH),
    abort: () => {
      for (const c of inflight) c.abort(ended('ABORTED', 'the fetch was stopped'));
    },
    close: () => dispatcher.close(),
  };
}

function ended(code: 'TIMEOUT' | 'ABORTED', message: string): Error {
  return Object.assign(new Error(message), { code });
}
