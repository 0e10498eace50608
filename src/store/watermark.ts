import type { RunRecord, RunStore } from './store.ts';

/** What a watermark belongs to: one report of one Manager server, imported into one CRM operation. */
export interface WatermarkKey {
  managerServer: string;
  report: string;
  /** '' for cdr_1 (no campaign). */
  campaign: string;
  crmServer: string;
  operation: string;
}

export interface Watermark extends WatermarkKey {
  /** The end of the last window whose rows all settled (ok, invalid, skipped, duplicate). */
  untilAt: Date;
  runId: number;
  updatedAt: string;
}

/** One fetched window of a report run and where its records are in the snapshot (1-based data rows). */
export interface SourceWindow {
  from: string;
  to: string;
  records: number;
  firstRow: number;
  lastRow: number;
}

/** The `runs.report_source` JSON of a --report run. */
export interface ReportSource {
  key: WatermarkKey;
  /** The zone --since/--until and the report's dates are read in. */
  tz: string;
  from: string;
  to: string;
  windows: SourceWindow[];
  managerCalls: number;
}

/**
 * A row that lets its window count as done for the watermark: ok, invalid, skipped, or a duplicate of
 * an insert known by its id. A duplicate without an id waits on an uncertain row with its key (the
 * call may be missing from the CRM): like `uncertain`, `failed` and `pending`, it holds the watermark.
 */
const DONE = "(status IN ('ok', 'invalid', 'skipped') OR (status = 'duplicate' AND wolkvox_id IS NOT NULL))";

function toWatermark(r: Record<string, unknown>): Watermark {
  return {
    managerServer: r.manager_server as string, report: r.report as string, campaign: r.campaign as string,
    crmServer: r.crm_server as string, operation: r.operation as string,
    untilAt: new Date(r.until_at as string), runId: r.run_id as number, updatedAt: r.updated_at as string,
  };
}

const KEY_WHERE = 'manager_server = ? AND report = ? AND campaign = ? AND crm_server = ? AND operation = ?';
const keyParams = (k: WatermarkKey) => [k.managerServer, k.report, k.campaign, k.crmServer, k.operation];

export function getWatermark(store: RunStore, key: WatermarkKey): Watermark | undefined {
  const r = store.database.prepare(`SELECT * FROM watermarks WHERE ${KEY_WHERE}`).get(...keyParams(key)) as Record<string, unknown> | undefined;
  return r ? toWatermark(r) : undefined;
}

export function listWatermarks(store: RunStore): Watermark[] {
  return (store.database.prepare('SELECT * FROM watermarks ORDER BY manager_server, report, campaign, crm_server, operation').all() as Record<string, unknown>[]).map(toWatermark);
}

/** Moves the watermark to `until`, never backwards (one statement: two processes cannot interleave). Returns the watermark now stored. */
export function advanceWatermark(store: RunStore, key: WatermarkKey, o: { until: Date; runId: number }): Date {
  store.database.prepare(`INSERT INTO watermarks (manager_server, report, campaign, crm_server, operation, until_at, run_id, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (manager_server, report, campaign, crm_server, operation) DO UPDATE
    SET until_at = excluded.until_at, run_id = excluded.run_id, updated_at = excluded.updated_at WHERE excluded.until_at > watermarks.until_at`)
    .run(...keyParams(key), o.until.toISOString(), o.runId, new Date().toISOString());
  return getWatermark(store, key)!.untilAt;
}

/**
 * The end of the longest prefix of `windows` (in time order) whose rows all settled in run `runId`,
 * or undefined when the first window did not. An empty window is settled.
 */
export function settledUntil(store: RunStore, runId: number, windows: readonly SourceWindow[]): Date | undefined {
  const count = store.database.prepare(`SELECT COUNT(*) AS n FROM rows WHERE run_id = ? AND row BETWEEN ? AND ? AND ${DONE}`).pluck();
  let until: Date | undefined;
  for (const w of windows) {
    if (w.records > 0 && (count.get(runId, w.firstRow, w.lastRow) as number) < w.lastRow - w.firstRow + 1) break;
    until = new Date(w.to);
  }
  return until;
}

function sameKey(a: WatermarkKey, b: WatermarkKey): boolean {
  return keyParams(a).join('\u001e') === keyParams(b).join('\u001e');
}

/** The report source of a run, when it is a --report run. */
export function reportSourceOf(run: RunRecord): ReportSource | undefined {
  return run.reportSource ? (JSON.parse(run.reportSource) as ReportSource) : undefined;
}

/** The latest --report run with this key (newest first), if any. */
export function latestReportRun(store: RunStore, key: WatermarkKey): RunRecord | undefined {
  const ids = store.database.prepare('SELECT id FROM runs WHERE report_source IS NOT NULL ORDER BY id DESC LIMIT 200').pluck().all() as number[];
  for (const id of ids) {
    const run = store.getRun(id);
    const src = run && reportSourceOf(run);
    if (run && src && sameKey(src.key, key)) return run;
  }
  return undefined;
}
