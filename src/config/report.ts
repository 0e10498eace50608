import { said, TokenError, UsageError } from '../errors.ts';
import { parseManagerServer } from '../manager/server.ts';
import { parseWhen } from '../manager/when.ts';
import { checkTimeZone } from '../transform/dates.ts';

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
  if (!Number.isFinite(ms) || ms > DAY_MS) throw said(UsageError, 'err.report.duration', { flag, value: String(v) }, { flag });
  return ms;
}

/** --tz: a zone the dates' own library (@date-fns/tz, as the mapping's `timeZone`) knows. */
function checkZone(tz: string): string {
  if (checkTimeZone(tz) !== undefined) throw said(UsageError, 'err.report.tz', { value: tz }, { flag: 'tz' });
  return tz;
}

/** The forms of --since / --until (`--since ayer` is refused here, before any file, store or call); the range itself needs the watermark (src/run/report.ts). */
function checkWhen(since: string, until: string | undefined, tz: string): string {
  const from = parseWhen(since, { tz, now: new Date(), edge: 'since' });
  const to = until === undefined ? undefined : parseWhen(until, { tz, now: new Date(), edge: 'until' });
  if (from !== 'last' && to instanceof Date && to <= from) throw said(UsageError, 'err.when.untilBefore', { until: String(until), since }, { flag: 'until' });
  return tz;
}

const MAX_SPLIT_AT = 59_000;

function splitAt(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 2 || n > MAX_SPLIT_AT) throw said(UsageError, 'err.report.splitAt', { max: MAX_SPLIT_AT, value: v });
  return n;
}

function reportName(v: unknown): ReportName {
  if (typeof v === 'string' && (REPORTS as readonly string[]).includes(v)) return v as ReportName;
  throw said(UsageError, 'err.report.name', { value: String(v) }, { flag: 'report' });
}

/** A report preset maps its own report's fields only (a job file's "preset": "cdr_1" with --report campaign_3): said before any call. */
function checkPreset(a: { preset?: string; mapping?: string }, report: ReportName): void {
  if (a.mapping || a.preset === undefined || a.preset === report || !(REPORTS as readonly string[]).includes(a.preset)) return;
  throw said(UsageError, 'err.report.otherPreset', { preset: a.preset, report }, { flag: 'preset' });
}

/** The flags that only mean something with --report. */
const REPORT_ONLY = ['managerServer', 'managerTokenFile', 'since', 'until', 'campaignId', 'overlap', 'settleDelay'] as const;

/**
 * `--report NAME` with its flags, or undefined for a file import (`--report` absent, or a job
 * file's `"report": true/false`, the HTML report's switch). An input file and --report exclude each
 * other; report flags without --report are refused rather than ignored.
 */
export function resolveReportConfig(a: ReportArgs & { input?: string; preset?: string; mapping?: string }, env: NodeJS.ProcessEnv): ReportConfig | undefined {
  if (typeof a.report !== 'string') {
    const stray = REPORT_ONLY.find((k) => a[k] !== undefined);
    if (stray) throw said(UsageError, 'err.report.stray', { flag: stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) }, { flag: stray });
    return undefined;
  }
  const report = reportName(a.report);
  if (a.input !== undefined) throw said(UsageError, 'err.report.withInput', { report, input: a.input }, { flag: 'report' });
  checkPreset(a, report);
  const server = a.managerServer ?? env.WOLKVOX_MANAGER_SERVER;
  if (!server) throw said(UsageError, 'err.report.needServer', {}, { flag: 'manager-server' });
  if (!a.since) throw said(UsageError, 'err.report.needSince', {}, { flag: 'since' });
  const campaign = a.campaignId === undefined ? undefined : String(a.campaignId).trim();
  if (campaign !== undefined && report === 'cdr_1') throw said(UsageError, 'err.report.campaignCdr', {}, { flag: 'campaign-id' });
  return Object.freeze({
    report,
    managerServer: parseManagerServer(server),
    managerTokenFile: a.managerTokenFile,
    since: a.since,
    until: a.until,
    campaignId: report === 'cdr_1' ? undefined : campaign || 'all',
    tz: checkWhen(a.since, a.until, checkZone(a.tz ?? DEFAULT_TZ)),
    overlapMs: parseDuration('overlap', a.overlap, DEFAULT_OVERLAP_MS),
    settleMs: parseDuration('settle-delay', a.settleDelay, DEFAULT_SETTLE_MS),
    capSplitAt: splitAt(env.WOLKVOX_MANAGER_SPLIT_AT),
  });
}

/** The CRM token given as the Manager token too (a person's easy mistake): refused before any call. */
export function checkTokensDiffer(crmToken: string | undefined, managerToken: string | undefined): void {
  if (crmToken !== undefined && crmToken === managerToken) throw said(TokenError, 'err.report.sameToken', {}, { flag: 'manager-token-file' });
}
