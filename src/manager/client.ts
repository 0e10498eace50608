import { createHttp, type Answer } from '../sink/http.ts';

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
  const http = createHttp({
    origin: opts.origin, secrets: [opts.token], headers: { accept: 'application/json', 'wolkvox-token': opts.token },
    timeoutMs: opts.timeoutMs ?? MANAGER_TIMEOUT_MS, connections: MANAGER_MAX_INFLIGHT, proxy: opts.proxy, env: opts.env,
    redactBody: false, abortMessage: 'the fetch was stopped',
  });
  const get = (path: string) => http.exchange('GET', path);

  return {
    report: (q) => get(reportPath(q)),
    tokenInfo: () => get(TOKEN_INFO_PATH),
    abort: http.abort,
    close: http.close,
  };
}
