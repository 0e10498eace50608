import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CheckArgs } from '../builders.ts';
import { checkTokensDiffer, resolveReportConfig, type ReportConfig } from '../../config/report.ts';
import { managerHint, t } from '../../i18n/index.ts';
import { resolveRange } from '../../manager/when.ts';
import { splitRange, wallText, type Window } from '../../manager/windows.ts';
import { defaultStatePath } from '../../store/paths.ts';
import { RunStore } from '../../store/store.ts';
import { getWatermark, latestReportRun, reportSourceOf, type WatermarkKey } from '../../store/watermark.ts';
import type { Findings } from './check.ts';
import { resolveManagerToken, resolveToken } from '../../config/token.ts';
import { EXIT } from '../../errors.ts';
import { managerTokenInfo } from '../../manager/token-info.ts';
import { tn } from '../summary.ts';

/** A window holding this many records is split in two and fetched again (the API cuts answers at 60,000). */
const SPLIT_AT = 59_000;

/** Calls to fetch a window of about `records` records: halving until each part is under the cap (1 + 2 + 4 ...). */
function callsFor(records: number): number {
  let parts = 1;
  let calls = 1;
  while (records / parts >= SPLIT_AT) {
    parts *= 2;
    calls += parts;
  }
  return calls;
}

/** The watermark and the records per hour of the latest run of this report, from the state file (never created here). */
function history(statePath: string, key: WatermarkKey): { watermark?: Date; perMs?: number } {
  if (statePath !== ':memory:' && !existsSync(statePath)) return {};
  const store = RunStore.open(statePath);
  try {
    const src = (() => {
      const run = latestReportRun(store, key);
      return run ? reportSourceOf(run) : undefined;
    })();
    const span = src ? Date.parse(src.to) - Date.parse(src.from) : 0;
    const records = src ? src.windows.reduce((n, w) => n + w.records, 0) : 0;
    return { watermark: getWatermark(store, key)?.untilAt, perMs: span > 0 ? records / span : undefined };
  } finally {
    store.close();
  }
}

/** The Manager token's day (one call of its quota): the lines, and the exit code (3 when refused for quota or token, 2 otherwise). */
async function managerToken(r: ReportConfig, token: string, f: Findings): Promise<number> {
  const read = await managerTokenInfo({ origin: r.managerServer, token, timeoutMs: 30_000 });
  if ('refused' in read) {
    const hint = managerHint(f.lang, read.refused.kind);
    f.lines.push(t(f.lang, 'check.managerRefused', { kind: read.refused.kind, reason: read.refused.reason }), ...(hint ? [`${' '.repeat(f.lang === 'es' ? 14 : 11)}${hint}`] : []));
    f.report.managerToken = { refused: read.refused.kind, message: read.refused.reason };
    return read.refused.kind === 'quota' || read.refused.kind === 'token' ? EXIT.STOPPED : EXIT.USAGE;
  }
  const q = (v: number | undefined) => v ?? '?';
  const i = read.info;
  f.lines.push(t(f.lang, 'check.managerQuota', { limit: q(i.tokenLimit), used: q(i.usedToday), left: q(i.available), all: q(i.allTokensToday) }));
  f.report.managerToken = i;
  return EXIT.OK;
}

/**
 * `check --report`, before any call: the report flags, both tokens (read, not called: the Manager
 * token must not be the CRM one), the watermark and the range. A mistake (`--since ayer`, `--since
 * last` with no watermark, no Manager token) is refused here, at no call. Returns the step that asks
 * the Manager token's day (one call) and writes the plan: the windows an import would fetch now and
 * an estimate of the Manager calls (one per window, more where the last run's rate says a window
 * reaches the cap). Fetches no report.
 */
export async function prepareReport(a: CheckArgs, o: { server: string; operation: string }): Promise<(f: Findings) => Promise<number>> {
  const r = resolveReportConfig({ ...a, input: a.input }, process.env) as ReportConfig;
  const token = await resolveManagerToken(process.env, r.managerTokenFile);
  checkTokensDiffer(await resolveToken(process.env, a.tokenFile), token);
  const statePath = a.state === ':memory:' ? ':memory:' : a.state ? resolve(a.state) : defaultStatePath();
  const key = { managerServer: r.managerServer, report: r.report, campaign: r.campaignId ?? '', crmServer: o.server, operation: o.operation };
  const h = history(statePath, key);
  const { from, to } = resolveRange({ since: r.since, until: r.until, tz: r.tz, now: new Date(), settleMs: r.settleMs, overlapMs: r.overlapMs, watermark: h.watermark });
  const windows: Window[] = to > from ? splitRange(from, to, 31) : [];
  const calls = windows.reduce((n, w) => n + (h.perMs ? callsFor(h.perMs * (w.to.getTime() - w.from.getTime())) : 1), 0);
  const wall = (d: Date) => wallText(d, r.tz).slice(0, 16);
  return async (f) => {
    const code = await managerToken(r, token, f);
    f.lines.push(
      t(f.lang, 'check.report', { report: r.report + (r.campaignId ? ` campaign_id=${r.campaignId}` : ''), manager: r.managerServer }),
      t(f.lang, 'check.range', { from: wall(from), to: wall(to), tz: r.tz }),
      ...(h.watermark ? [t(f.lang, 'check.watermark', { at: wall(h.watermark) })] : []),
      ...windows.map((w) => t(f.lang, 'check.window', { from: wall(w.from), to: wall(w.to) })),
      windows.length === 0 ? t(f.lang, 'check.nothingToFetch') : tn(f.lang, 'check.managerCalls', calls, { calls, windows: windows.length }),
      t(f.lang, 'check.crmCalls'),
    );
    f.report.managerReport = { report: r.report, managerServer: r.managerServer, campaign: r.campaignId ?? null, tz: r.tz, from: from.toISOString(), to: to.toISOString(),
      windows: windows.map((w) => ({ from: w.from.toISOString(), to: w.to.toISOString() })), managerCallsEstimate: calls, watermark: h.watermark?.toISOString() ?? null };
    return code;
  };
}
