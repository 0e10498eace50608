import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ImportConfig } from '../config/config.ts';
import { MappingError, StateError } from '../errors.ts';
import { fetchReport, type ReportSnapshot } from '../manager/fetch.ts';
import { resolveRange } from '../manager/when.ts';
import { acquireLockWaiting, releaseLock } from '../store/lock.ts';
import { RunStore, type RunRecord } from '../store/store.ts';
import { advanceWatermark, getWatermark, latestReportRun, reportSourceOf, settledUntil, type ReportSource, type WatermarkKey } from '../store/watermark.ts';
import { compileMapping, loadMapping, loadPreset } from '../transform/index.ts';
import { REPORT_FIELDS } from '../manager/snapshot.ts';
import { runImport, type RunDeps } from './import.ts';
import type { RunResult } from './result.ts';

export interface ReportDeps extends RunDeps {
  /** The Manager token (never the CRM one). */
  managerToken: string;
  /** The clock --since/--until are read against (tests). */
  now?: () => Date;
}

/** What a --report run did before and after the import: the report, its windows, the Manager calls, the watermark. */
export interface ReportInfo {
  source: ReportSource;
  /** Manager calls made by this command (0 when it continued a snapshot). */
  managerCalls: number;
  snapshot: string;
  /** True when --resume continued an earlier run's snapshot (nothing was fetched). */
  fromSnapshot: boolean;
  /** The watermark after the run (ISO), if there is one. */
  watermark?: string;
}

/** A --report run: the import of the snapshot (absent when there was nothing to import) and the report's figures. */
export interface ReportRun {
  result?: RunResult;
  info: ReportInfo;
}

const iso = (d: Date) => d.toISOString();

function keyOf(cfg: ImportConfig): WatermarkKey {
  const r = cfg.report!;
  return { managerServer: r.managerServer, report: r.report, campaign: r.campaignId ?? '', crmServer: cfg.server, operation: cfg.operation };
}

/**
 * Before the first Manager call: the mapping must compile against the report's documented fields
 * (columns, lookup files), and have a dedupe key: the overlap of `--since last` fetches calls again,
 * and only the ledger keeps them from being inserted twice.
 */
async function preflight(cfg: ImportConfig): Promise<void> {
  const m = cfg.preset ? await loadPreset(cfg.preset) : await loadMapping(cfg.mappingPath!);
  if ((m.mapping.dedupeKey ?? []).length === 0) {
    throw new MappingError(`--report needs a mapping with a "dedupeKey" (e.g. ["wolkvox_idCall"] from conn_id, as --preset ${cfg.report!.report} has): report windows overlap, and without it a call fetched twice would be inserted twice`, { file: m.path });
  }
  await compileMapping(m, [...REPORT_FIELDS[cfg.report!.report]], { inputPath: cfg.input, lookupFiles: cfg.lookupFiles });
}

/** A run that --resume continues: stopped, or finished with rows still to send (or, with --reconcile, rows left uncertain). */
function unfinished(store: RunStore, run: RunRecord, reconcile: boolean): boolean {
  if (run.state !== 'finished') return true;
  const c = store.countsByStatus(run.id);
  return (c.pending ?? 0) + (c.failed ?? 0) + (c.sending ?? 0) + (reconcile ? (c.uncertain ?? 0) : 0) > 0;
}

/**
 * The earlier run this command continues instead of fetching: with --resume, the latest unfinished
 * one; with `--since last` (a nightly job, which never says --resume), the latest one if its process
 * died (still `running` while we hold the lock) or, with --reconcile, if it left rows uncertain. A
 * new fetch would meet its unresolved rows as duplicates waiting on them, and the watermark would
 * stay behind them for good.
 */
function toContinue(cfg: ImportConfig, store: RunStore, key: WatermarkKey): RunRecord | undefined {
  if (!cfg.resume && (cfg.dryRun || cfg.report!.since.trim().toLowerCase() !== 'last')) return undefined;
  const prev = latestReportRun(store, key);
  if (!prev || !unfinished(store, prev, cfg.reconcile)) return undefined;
  if (cfg.resume || prev.state === 'running') return prev;
  return cfg.reconcile && (store.countsByStatus(prev.id).uncertain ?? 0) > 0 ? prev : undefined;
}

/**
 * `import --report`: fetch the report's windows into a snapshot (before the first insert), import
 * the snapshot as any file, then move the watermark to the end of the longest prefix of windows whose
 * rows all settled. `--resume` continues the latest unfinished run of the same report, Manager
 * server, campaign, CRM server and operation from its snapshot, and fetches nothing.
 */
export async function runReport(cfg: ImportConfig, deps: ReportDeps): Promise<ReportRun> {
  await preflight(cfg);
  // A dry run reads the watermark (--since last) but never creates a state file.
  const store = RunStore.open(cfg.dryRun && !existsSync(cfg.statePath) ? ':memory:' : cfg.statePath);
  try {
    if (!cfg.dryRun) await acquireLockWaiting(store, deps.command ?? 'wolkvox-import import --report', cfg.lockWaitMs);
    const key = keyOf(cfg);
    const prev = toContinue(cfg, store, key);
    if (prev && !cfg.resume) deps.logger.warn({ runId: prev.id }, '--since last: the last run of this report did not finish: continuing it from its snapshot (no Manager call); the next run fetches from the watermark');
    if (prev) return await continueRun(cfg, { store, prev, key, deps });
    if (cfg.resume) deps.logger.info('--resume: no unfinished run of this report: fetching it');
    return await fetchAndRun(cfg, { store, key, deps });
  } finally {
    releaseLock(store);
    store.close();
  }
}

interface Ctx {
  store: RunStore;
  key: WatermarkKey;
  deps: ReportDeps;
}

async function continueRun(cfg: ImportConfig, o: Ctx & { prev: RunRecord }): Promise<ReportRun> {
  const source = reportSourceOf(o.prev)!;
  if (!existsSync(o.prev.inputPath)) {
    throw new StateError(`--resume: the snapshot of run ${o.prev.id} (${o.prev.inputPath}) is gone: put it back, or run without --resume to fetch the report again (rows already inserted are duplicates)`, { runId: o.prev.id });
  }
  o.deps.logger.info({ runId: o.prev.id, snapshot: o.prev.inputPath }, '--resume: continuing the report run from its snapshot (no Manager call)');
  const result = await runImport({ ...cfg, input: o.prev.inputPath, reportSource: o.prev.reportSource, resume: true }, o.deps);
  return { result, info: { source, managerCalls: 0, snapshot: o.prev.inputPath, fromSnapshot: true, watermark: advance(cfg, o, { source, runId: result.runId }) } };
}

async function fetchAndRun(cfg: ImportConfig, o: Ctx): Promise<ReportRun> {
  const r = cfg.report!;
  const { deps } = o;
  const now = deps.now?.() ?? new Date();
  const mark = getWatermark(o.store, o.key);
  const { from, to } = resolveRange({ since: r.since, until: r.until, tz: r.tz, now, settleMs: r.settleMs, overlapMs: r.overlapMs, watermark: mark?.untilAt });
  const empty = (s: ReportSource): ReportRun => ({ info: { source: s, managerCalls: s.managerCalls, snapshot: cfg.input, fromSnapshot: false, watermark: mark ? iso(mark.untilAt) : undefined } });
  if (from >= to) return empty({ key: o.key, tz: r.tz, from: iso(from), to: iso(to), windows: [], managerCalls: 0 });
  mkdirSync(dirname(cfg.input), { recursive: true, mode: 0o700 });
  deps.logger.info({ report: r.report, from: iso(from), to: iso(to) }, 'fetching the report from wolkvox Manager');
  const snap = await fetchReport({ origin: r.managerServer, token: deps.managerToken, report: r.report, campaignId: r.campaignId, from, to, tz: r.tz,
    snapshotPath: cfg.input, proxy: cfg.proxy, signal: deps.signal, logger: deps.logger, capSplitAt: r.capSplitAt });
  const source = sourceOf(o.key, { from, to, tz: r.tz }, snap);
  deps.logger.info({ records: snap.records, windows: snap.windows.length, managerCalls: snap.calls, snapshot: snap.path }, 'report fetched');
  if (snap.records === 0) {
    // Every window was empty: nothing to import (the header-only snapshot goes), and every window is settled.
    rmSync(snap.path, { force: true });
    return { info: { ...empty(source).info, watermark: advance(cfg, o, { source, runId: mark?.runId ?? 0 }) } };
  }
  // A new run each time (also over a snapshot identical to an earlier one): the ledger stops the repeats.
  const result = await runImport({ ...cfg, input: snap.path, reportSource: JSON.stringify(source), forceNewRun: true }, deps);
  return { result, info: { source, managerCalls: snap.calls, snapshot: snap.path, fromSnapshot: false, watermark: advance(cfg, o, { source, runId: result.runId }) } };
}

function sourceOf(key: WatermarkKey, range: { from: Date; to: Date; tz: string }, snap: ReportSnapshot): ReportSource {
  const windows = snap.windows.map((w) => ({ from: iso(w.from), to: iso(w.to), records: w.records, firstRow: w.firstRow, lastRow: w.lastRow }));
  return { key, tz: range.tz, from: iso(range.from), to: iso(range.to), windows, managerCalls: snap.calls };
}

/**
 * The watermark after the run: moved to the end of what the run settled, never back; untouched by a
 * dry run, and by a run that started after it (moving it would skip the calls in between, which no
 * run imported: `--since last` must still start there).
 */
function advance(cfg: ImportConfig, o: Ctx, s: { source: ReportSource; runId: number }): string | undefined {
  const mark = getWatermark(o.store, o.key);
  const gap = mark !== undefined && new Date(s.source.from) > mark.untilAt;
  if (gap) o.deps.logger.warn({ watermark: iso(mark.untilAt), from: s.source.from }, 'the watermark stays where it was: this run started after it, and the calls in between were not imported');
  const until = cfg.dryRun || gap ? undefined : settledUntil(o.store, s.runId, s.source.windows);
  if (until) return iso(advanceWatermark(o.store, o.key, { until, runId: s.runId }));
  return mark ? iso(mark.untilAt) : undefined;
}
