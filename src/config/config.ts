import { existsSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { ConfigError, said, UsageError } from '../errors.ts';
import { reportPaths } from '../results/summary.ts';
import { parseMaxErrors, type ErrorBudgetSpec } from '../sink/budget.ts';
import type { RetryPolicy } from '../sink/policy.ts';
import { checkProxyUrl } from '../sink/proxy.ts';
import { defaultStatePath } from '../store/paths.ts';
import { normaliseServer } from './server.ts';
import { resolveReportConfig, type ReportArgs, type ReportConfig } from './report.ts';

/** The resolved, read-only configuration of one import (or validate) run. Every default lives here. */
export interface ImportConfig {
  /** The input file; with --report, the snapshot the fetched records are written to. */
  readonly input: string;
  /** --report: the rows come from a wolkvox Manager report (src/run/report.ts), not from a file. */
  readonly report?: ReportConfig;
  /** The report source recorded on the run (JSON, set by src/run/report.ts). */
  readonly reportSource?: string;
  readonly mappingPath?: string;
  readonly preset?: string;
  /** Lookup name → file (absolute), overriding the mapping's `lookups.NAME.file`. */
  readonly lookupFiles: Readonly<Record<string, string>>;
  readonly server: string;
  readonly operation: string;
  readonly out: string;
  /** True when --out was given (a resume keeps the original run's path otherwise). */
  readonly outGiven: boolean;
  /** --log-file (absolute), when given: JSON log lines go there instead of stderr. */
  readonly logFile?: string;
  readonly excel: boolean;
  readonly concurrency: number;
  readonly dryRun: boolean;
  readonly statePath: string;
  readonly resume: boolean;
  readonly forceNewRun: boolean;
  /** --yes: go ahead where the importer would otherwise refuse to insert rows a second time. */
  readonly yes: boolean;
  readonly retryUncertain: boolean;
  readonly encoding?: string;
  readonly delimiter?: string;
  /** Workbook input: --sheet (name or 1-based number). */
  readonly sheet?: string;
  /** --header-line: the header's line (sheet row); default detected below any title lines. */
  readonly headerLine?: number;
  /** --max-workbook-mb: workbooks are read whole; larger ones are refused. */
  readonly maxWorkbookMb?: number;
  /** --rejects (absolute): the invalid and failed rows, in the input's own form, with a `reason` column. */
  readonly rejects?: string;
  readonly timeoutMs: number;
  readonly policy: RetryPolicy;
  readonly maxErrors: ErrorBudgetSpec | undefined;
  readonly maxCalls?: number;
  /** Ask tokenInformation.php first (one call) and send only what fits in today's quota. */
  readonly checkQuota: boolean;
  readonly lockWaitMs: number;
  /** Grace for in-flight requests after SIGINT/SIGTERM. */
  readonly graceMs: number;
  /** --reconcile: search the CRM (queryGestion) for uncertain rows after sending and at the start of a resume. */
  readonly reconcile: boolean;
  /** --resend (with --reconcile): send the rows found missing at once instead of on the next --resume. */
  readonly resend: boolean;
  /** --proxy URL (credentials are secrets); absent: HTTPS_PROXY / HTTP_PROXY / NO_PROXY. */
  readonly proxy?: string;
}

/** What the CLI hands over (already parsed by yargs). */
export interface ImportArgs extends ReportArgs {
  input?: string;
  mapping?: string;
  preset?: string;
  lookup?: string[];
  server?: string;
  operation?: string;
  out?: string;
  logFile?: string;
  excel?: boolean;
  concurrency?: number;
  dryRun?: boolean;
  state?: string;
  resume?: boolean;
  forceNewRun?: boolean;
  yes?: boolean;
  retryUncertain?: boolean;
  encoding?: string;
  delimiter?: string;
  sheet?: string;
  headerLine?: number;
  maxWorkbookMb?: number;
  rejects?: string;
  timeout?: number;
  maxAttempts?: number;
  maxBackoff?: number;
  maxPause?: number;
  maxErrors?: string;
  maxCalls?: number;
  checkQuota?: boolean;
  waitLock?: number;
  reconcile?: boolean;
  resend?: boolean;
  proxy?: string;
}

const DEFAULTS = {
  concurrency: 2, // the API's limit per token
  timeoutSec: 30,
  maxAttempts: 5,
  maxBackoffSec: 120,
  maxPauseSec: 30 * 60,
  graceMs: 5_000, // after the first Ctrl-C, requests in flight get this long to answer, then they are ended (uncertain)
} as const;

function positiveInt(name: string, v: number | undefined, dflt: number, max = 1_000_000): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || !Number.isInteger(v) || v < 1 || v > max) {
    throw new UsageError(`--${name}: expected a whole number from 1 to ${max}, got ${String(v)}`);
  }
  return v;
}

function positiveNumber(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isFinite(v) || v <= 0) throw new UsageError(`--${name}: expected a number of seconds above 0, got ${String(v)}`);
  return v;
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/**
 * `reports/<input name>-<yyyyMMdd-HHmmss>.results.csv` under the working directory (with --report,
 * the report's name); `-2`, `-3`... after the time when a run of the same second already wrote
 * there, so that run's results, summary and report are never overwritten.
 */
export function defaultOutPath(input: string, now: Date = new Date(), cwd: string = process.cwd()): string {
  const name = basename(input, extname(input)).replace(/[^\w.-]+/g, '_') || 'input';
  const at = (n: number) => resolve(cwd, 'reports', `${name}-${stamp(now)}${n > 1 ? `-${n}` : ''}.results.csv`);
  let n = 1;
  while (Object.values(reportPaths(at(n))).some((f) => existsSync(f))) n++;
  return at(n);
}

function parseLookups(specs: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of specs ?? []) {
    const m = /^([^=]+)=(.+)$/.exec(spec);
    if (!m) throw new UsageError(`--lookup: expected NAME=FILE such as records=crm_export.csv, got "${spec}"`);
    out[m[1]!.trim()] = resolve(m[2]!.trim());
  }
  return out;
}

/** Where the rows go: required for a real run, placeholders for a dry run (nothing is sent). */
/** A dry run's server when none is given (nothing is sent; the CRM lookup cache of no real server is read). */
export const DRY_RUN_SERVER = 'http://dry-run.invalid';

function target(a: ImportArgs, env: NodeJS.ProcessEnv, dryRun: boolean): { server: string; operation: string } {
  const serverRaw = a.server ?? env.WOLKVOX_SERVER;
  const operation = (a.operation ?? env.WOLKVOX_OPERATION ?? '').trim();
  if (!dryRun) {
    if (!serverRaw) throw said(ConfigError, 'err.required.server', {}, { flag: 'server' });
    if (!operation) throw said(ConfigError, 'err.required.operation', {}, { flag: 'operation' });
  }
  return { server: serverRaw ? normaliseServer(serverRaw) : DRY_RUN_SERVER, operation: operation || 'dry-run' };
}

function retryPolicy(a: ImportArgs): RetryPolicy {
  return {
    maxAttempts: positiveInt('max-attempts', a.maxAttempts, DEFAULTS.maxAttempts, 100),
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    maxBackoffPerRowMs: Math.round(positiveNumber('max-backoff', a.maxBackoff, DEFAULTS.maxBackoffSec) * 1000),
    probeIntervalMs: 2_000,
    maxProbeIntervalMs: 60_000,
    maxPauseMs: Math.round(positiveNumber('max-pause', a.maxPause, DEFAULTS.maxPauseSec) * 1000),
    raiseAfterSuccesses: 20,
    unknown403Streak: 3,
  };
}

/** `:memory:` keeps no state at all (no resume, no ledger across runs): one-offs and measurements. */
function statePath(state: string | undefined, env: NodeJS.ProcessEnv): string {
  if (state === ':memory:') return state;
  return state ? resolve(state) : defaultStatePath(env);
}

/** --reconcile, --resend (only with --reconcile) and --proxy. */
function reconcileAndProxy(a: ImportArgs, dryRun: boolean): Pick<ImportConfig, 'reconcile' | 'resend' | 'proxy'> {
  if (a.resend === true && a.reconcile !== true && !dryRun) throw new UsageError('--resend goes with --reconcile: it sends at once the uncertain rows the CRM proves missing');
  return { reconcile: a.reconcile === true && !dryRun, resend: a.resend === true, proxy: a.proxy ? checkProxyUrl(a.proxy) : undefined };
}

/** The result file, and the input: the file given, or with --report the snapshot next to the result file. */
function inputAndOut(a: ImportArgs, report: ReportConfig | undefined): Pick<ImportConfig, 'input' | 'out'> {
  if (!report) {
    if (a.input === undefined) throw said(UsageError, 'err.required.input');
    return { input: resolve(a.input), out: a.out ? resolve(a.out) : defaultOutPath(a.input) };
  }
  const now = new Date();
  const out = a.out ? resolve(a.out) : defaultOutPath(report.report, now);
  // A stamped snapshot name: an older run's snapshot (its --resume reads it) is never overwritten.
  const stem = out.replace(/(\.results)?\.csv$/i, '');
  return { input: `${a.out ? `${stem}-${stamp(now)}` : stem}.snapshot.csv`, out };
}

export function resolveImportConfig(a: ImportArgs, env: NodeJS.ProcessEnv = process.env): ImportConfig {
  if (!a.mapping && !a.preset) throw said(UsageError, 'err.required.mapping', {}, { flag: 'mapping' });
  const dryRun = a.dryRun === true;
  const report = resolveReportConfig(a, env);
  const cfg: ImportConfig = {
    ...inputAndOut(a, report),
    report,
    mappingPath: a.mapping ? resolve(a.mapping) : undefined,
    preset: a.preset,
    lookupFiles: parseLookups(a.lookup),
    ...target(a, env, dryRun),
    outGiven: a.out !== undefined,
    logFile: a.logFile ? resolve(a.logFile) : undefined,
    excel: a.excel === true,
    concurrency: positiveInt('concurrency', a.concurrency, DEFAULTS.concurrency, 256),
    dryRun,
    statePath: statePath(a.state, env),
    resume: a.resume === true,
    forceNewRun: a.forceNewRun === true,
    yes: a.yes === true,
    retryUncertain: a.retryUncertain === true,
    encoding: a.encoding,
    delimiter: a.delimiter,
    sheet: a.sheet === undefined ? undefined : String(a.sheet),
    headerLine: a.headerLine,
    maxWorkbookMb: a.maxWorkbookMb,
    rejects: a.rejects ? resolve(a.rejects) : undefined,
    timeoutMs: Math.round(positiveNumber('timeout', a.timeout, DEFAULTS.timeoutSec) * 1000),
    policy: retryPolicy(a),
    maxErrors: parseMaxErrors(a.maxErrors),
    maxCalls: a.maxCalls === undefined ? undefined : positiveInt('max-calls', a.maxCalls, 0, 1_000_000_000),
    checkQuota: a.checkQuota === true && !dryRun,
    lockWaitMs: Math.round((a.waitLock ?? 0) * 1000),
    graceMs: DEFAULTS.graceMs,
    ...reconcileAndProxy(a, dryRun),
  };
  return Object.freeze(cfg);
}
