import { createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase } from 'yargs';
import type { StateArgs, LedgerArgs } from '../builders.ts';
import { EXIT, UsageError } from '../../errors.ts';
import { pickLang, t, type Lang } from '../../i18n/index.ts';
import { line } from '../../results/csv.ts';
import { forgetBefore, iterateLedger, listLedger, splitLedgerKey } from '../../store/ledger.ts';
import { acquireLock, releaseLock } from '../../store/lock.ts';
import { defaultStatePath } from '../../store/paths.ts';
import { RunStore, type RunRecord } from '../../store/store.ts';
import { listWatermarks, reportSourceOf } from '../../store/watermark.ts';
import { wallText } from '../../manager/windows.ts';
import { writeErr, writeOut } from '../output.ts';

/**
 * The store named by --state (or the default one), or undefined when there is no such file: these
 * commands only read, so they never create a state file or its folder. "No state file" is an
 * answer (nothing was imported with it yet), not an error: said on stderr, exit 0.
 */
export function openExisting(a: StateArgs, lang: Lang): RunStore | undefined {
  const path = a.state === ':memory:' ? ':memory:' : a.state ? resolve(a.state) : defaultStatePath();
  if (path !== ':memory:' && !existsSync(path)) {
    writeErr(`wolkvox-import: ${t(lang, 'state.noFile', { path })}\n`);
    return undefined;
  }
  return RunStore.open(path);
}

function runText(store: RunStore, r: RunRecord, o: { json?: boolean; lang: Lang }): string {
  const counts = store.countsByStatus(r.id);
  const resumable = (counts.pending ?? 0) + (counts.failed ?? 0) + (counts.sending ?? 0) > 0 || r.state !== 'finished';
  const src = reportSourceOf(r);
  const { reportSource: _json, ...rest } = r;
  if (o.json) return JSON.stringify({ ...rest, counts, resumable, ...(src ? { managerReport: src } : {}) }) + '\n';
  const c = Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ') || t(o.lang, 'runs.noRows');
  return [
    t(o.lang, 'runs.head', { id: r.id, state: r.state, reason: r.stopReason ? ` (${r.stopReason.slice(0, 60)})` : '', input: r.inputPath }),
    ...(src ? [t(o.lang, 'runs.report', { report: src.key.report, from: wallAt(src.from, src.tz), to: wallAt(src.to, src.tz), tz: src.tz, windows: src.windows.length, calls: src.managerCalls })] : []),
    t(o.lang, 'runs.times', { started: r.startedAt, finished: r.finishedAt ?? '-', counts: c }) + (resumable ? t(o.lang, 'runs.resumable') : ''),
    t(o.lang, 'runs.results', { out: r.outPath }),
  ].join('\n') + '\n';
}

/** An instant as the dialer's wall clock (`2026-12-01 20:51`, as --since takes it), the zone said apart. */
const wallAt = (iso: string, tz: string) => wallText(new Date(iso), tz).slice(0, 16);

/** Each --report watermark: where the next `--since last` starts (minus the overlap), in the dialer's zone of the run that set it. */
function watermarkLines(store: RunStore, o: { json?: boolean; lang: Lang }): string[] {
  return listWatermarks(store).map((w) => {
    if (o.json) return JSON.stringify({ watermark: { ...w, untilAt: w.untilAt.toISOString() } });
    const run = store.getRun(w.runId);
    const tz = (run && reportSourceOf(run)?.tz) ?? 'UTC';
    return t(o.lang, 'runs.watermark', { report: w.report + (w.campaign ? ` campaign_id=${w.campaign}` : ''), manager: w.managerServer, server: w.crmServer, operation: w.operation,
      until: wallAt(w.untilAt.toISOString(), tz), tz, run: w.runId });
  });
}

export async function runsHandler(a: ArgumentsCamelCase<StateArgs>): Promise<number> {
  const lang = pickLang(a.lang);
  const store = openExisting(a, lang);
  if (!store) return EXIT.OK;
  try {
    const runs = store.listRuns(a.limit);
    if (runs.length === 0 && !a.json) writeOut(t(lang, 'runs.none', { path: store.path }) + '\n');
    for (const l of watermarkLines(store, { json: a.json, lang })) writeOut(l + '\n');
    for (const r of runs) if (!writeOut(runText(store, r, { json: a.json, lang }))) break;
    return EXIT.OK;
  } finally {
    store.close();
  }
}

/** `--forget-before`'s date as an ISO instant; a malformed or future date is a usage error. */
/**
 * A `--forget-before` date as ISO. The ledger refuses a future date (it would forget what was just
 * inserted); the lookup cache takes one (forget every answer: it only costs calls).
 */
export function forgetDate(value: string, lang: Lang, o: { future?: boolean } = {}): string {
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at)) throw new UsageError(t(lang, 'ledger.badDate', { value }));
  if (!o.future && at > Date.now()) throw new UsageError(t(lang, 'ledger.futureDate', { value }));
  return new Date(at).toISOString();
}

/** Forgets keys under the store's run lock: never while an import is using the ledger (E_LOCKED). */
function forget(store: RunStore, iso: string, o: { shown: string; lang: Lang }): number {
  acquireLock(store, ['wolkvox-import', ...process.argv.slice(2)].join(' '));
  try {
    const n = forgetBefore(store, iso);
    writeOut(t(o.lang, 'ledger.forgot', { n, date: o.shown }) + '\n');
    return EXIT.OK;
  } finally {
    releaseLock(store);
  }
}

async function exportLedger(store: RunStore, file: string, lang: Lang): Promise<number> {
  const ws = createWriteStream(resolve(file), { mode: 0o600 });
  ws.write(line(['server', 'operation', 'key', 'wolkvox_id', 'run', 'row', 'inserted_at']));
  let n = 0;
  for (const e of iterateLedger(store)) {
    const k = splitLedgerKey(e.key);
    if (!ws.write(line([k.server, k.operation, k.key, e.wolkvoxId, e.runId, e.row, e.insertedAt]))) await once(ws, 'drain');
    n++;
  }
  ws.end();
  await once(ws, 'finish');
  writeOut(t(lang, 'ledger.exported', { n, file }) + '\n');
  return EXIT.OK;
}

function listKeys(store: RunStore, a: LedgerArgs, lang: Lang): number {
  const entries = listLedger(store, { limit: a.limit });
  if (entries.length === 0 && !a.json) writeOut(t(lang, 'ledger.none', { path: store.path }) + '\n');
  for (const e of entries) {
    const k = splitLedgerKey(e.key);
    const text = a.json
      ? JSON.stringify({ ...k, wolkvoxId: e.wolkvoxId, runId: e.runId, row: e.row, insertedAt: e.insertedAt })
      : t(lang, 'ledger.entry', { at: e.insertedAt, key: k.key, id: e.wolkvoxId, run: e.runId, row: e.row, server: k.server, operation: k.operation });
    if (!writeOut(text + '\n')) break;
  }
  return EXIT.OK;
}

export async function ledgerHandler(a: ArgumentsCamelCase<LedgerArgs>): Promise<number> {
  const lang = pickLang(a.lang);
  const iso = a.forgetBefore === undefined ? undefined : forgetDate(a.forgetBefore, lang);
  const store = openExisting(a, lang);
  if (!store) return EXIT.OK;
  try {
    if (iso !== undefined) return forget(store, iso, { shown: a.forgetBefore!, lang });
    if (a.export !== undefined) return await exportLedger(store, a.export, lang);
    return listKeys(store, a, lang);
  } finally {
    store.close();
  }
}
