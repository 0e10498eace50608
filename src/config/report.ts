import { UsageError } from '../errors.ts';
import { parseManagerServer } from '../manager/server.ts';

/** The dialer reports the Manager API serves (docs/api.md, "Manager report API"). */
const REPORTS = ['cdr_1', 'campaign_3', 'campaign_5'] as const;
type ReportName = (typeof REPORTS)[number];

/** `--report`: where the rows come from when there is no input file (a Manager report, fetched into a snapshot first). */
export interface ReportConfig {
  readonly report: ReportName;
  /** The Manager origin (`https://wv0042.wolkvox.com`; http only to loopback). */
  readonly managerServer: string;
  /** --manager-token-file (the token itself: WOLKVOX_MANAGER_TOKEN or this file, never a flag value). */
  readonly managerTokenFile?: string;
  readonly since: string;
  readonly until?: string;
  /** campaign_3 / campaign_5: a campaign id or `all` (default `all`). */
  readonly campaignId?: string;
  readonly tz: string;
  readonly overlapMs: number;
  readonly settleMs: number;
  /**
   * WOLKVOX_MANAGER_SPLIT_AT: split a window whose answer holds this many records (default 59,000,
   * under the API's 60,000 cap). Only lower values are taken: splitting sooner never loses a record.
   */
  readonly capSplitAt?: number;
}

/** The report flags as yargs hands them over. */
export interface ReportArgs {
  report?: string | boolean;
  managerServer?: string;
  managerTokenFile?: string;
  since?: string;
  until?: string;
  campaignId?: string | number;
  tz?: string;
  overlap?: string | number;
  settleDelay?: string | number;
}

const DEFAULT_TZ = 'America/Bogota';
const DEFAULT_OVERLAP_MS = 10 * 60_000;
const DEFAULT_SETTLE_MS = 10 * 60_000;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000 };
const DAY_MS = 86_400_000;

/** `10m`, `90s`, `1h` or a number of seconds → ms, from 0 to a day. */
export function parseDuration(flag: string, v: string | number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$/i.exec(String(v));
  const ms = m ? Math.round(Number(m[1]) * UNIT_MS[(m[2] || 's').toLowerCase()]!) : Number.NaN;
  if (!Number.isFinite(ms) || ms > DAY_MS) throw new UsageError(`--${flag}: expected a duration such as 10m, 90s or 1h (at most 24h), got "${String(v)}"`, { flag });
  return ms;
}

function checkTimeZone(tz: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new UsageError(`--tz: expected an IANA time zone such as America/Bogota, got "${tz}"`, { flag: 'tz' });
  }
  return tz;
}

const MAX_SPLIT_AT = 59_000;

function splitAt(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 2 || n > MAX_SPLIT_AT) throw new UsageError(`WOLKVOX_MANAGER_SPLIT_AT: expected a whole number from 2 to ${MAX_SPLIT_AT}, got "${v}"`);
  return n;
}

function reportName(v: unknown): ReportName {
  if (typeof v === 'string' && (REPORTS as readonly string[]).includes(v)) return v as ReportName;
  throw new UsageError(`--report: expected one of ${REPORTS.join(', ')}, got "${String(v)}"`, { flag: 'report' });
}

/** The flags that only mean something with --report. */
const REPORT_ONLY = ['managerServer', 'managerTokenFile', 'since', 'until', 'campaignId', 'overlap', 'settleDelay'] as const;

/**
 * `--report NAME` with its flags, or undefined for a file import (`--report` absent, or a job
 * file's `"report": true/false`, the HTML report's switch). An input file and --report exclude each
 * other; report flags without --report are refused rather than ignored.
 */
export function resolveReportConfig(a: ReportArgs & { input?: string }, env: NodeJS.ProcessEnv): ReportConfig | undefined {
  if (typeof a.report !== 'string') {
    const stray = REPORT_ONLY.find((k) => a[k] !== undefined);
    if (stray) throw new UsageError(`--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} goes with --report cdr_1|campaign_3|campaign_5`, { flag: stray });
    return undefined;
  }
  const report = reportName(a.report);
  if (a.input !== undefined) throw new UsageError(`--report ${report} fetches the rows from wolkvox Manager: give no input file with it (got "${a.input}")`, { flag: 'report' });
  const server = a.managerServer ?? env.WOLKVOX_MANAGER_SERVER;
  if (!server) throw new UsageError('--manager-server is required with --report (or WOLKVOX_MANAGER_SERVER): the Manager host, e.g. wv0042.wolkvox.com', { flag: 'manager-server' });
  if (!a.since) throw new UsageError('--since is required with --report: yesterday, today, last, YYYY-MM-DD or YYYY-MM-DDTHH:mm', { flag: 'since' });
  const campaign = a.campaignId === undefined ? undefined : String(a.campaignId).trim();
  if (campaign !== undefined && report === 'cdr_1') throw new UsageError('--campaign-id goes with --report campaign_3 or campaign_5 (cdr_1 covers every campaign)', { flag: 'campaign-id' });
  return Object.freeze({
    report,
    managerServer: parseManagerServer(server),
    managerTokenFile: a.managerTokenFile,
    since: a.since,
    until: a.until,
    campaignId: report === 'cdr_1' ? undefined : campaign || 'all',
    tz: checkTimeZone(a.tz ?? DEFAULT_TZ),
    overlapMs: parseDuration('overlap', a.overlap, DEFAULT_OVERLAP_MS),
    settleMs: parseDuration('settle-delay', a.settleDelay, DEFAULT_SETTLE_MS),
    capSplitAt: splitAt(env.WOLKVOX_MANAGER_SPLIT_AT),
  });
}
