/**
 * Reconciling `uncertain` rows: for each, search the CRM (queryGestion.php) for the gestión it may
 * have inserted, and write what was found through the run's journal, like any other outcome:
 * exactly one match → `ok` (RECONCILED, the ledger gets its key, the hold is released); provably
 * missing → `pending` (sent again by a resume); anything else → still `uncertain`, with the reason
 * and the gestión ids seen. A step over the store, not a second pipeline.
 */
import type { Logger } from 'pino';
import type { Journal } from '../run/journal.ts';
import type { Classified } from '../sink/classify.ts';
import type { ApiClient } from '../sink/client.ts';
import type { RetryPolicy } from '../sink/policy.ts';
import type { RunStore, UncertainRow } from '../store/store.ts';
import type { ApiFields, RowOutcome } from '../types.ts';
import { judge, searchFields, type Verdict } from './match.ts';
import { search, type Search } from './search.ts';

export interface ReconcileStats {
  /** Uncertain rows looked at. */
  rows: number;
  found: number;
  missing: number;
  /** Still uncertain after this pass (with the rows it did not ask again: see `judged`). */
  uncertain: number;
  /** queryGestion calls spent. */
  calls: number;
}

export const NO_RECONCILE: ReconcileStats = Object.freeze({ rows: 0, found: 0, missing: 0, uncertain: 0, calls: 0 });

export function addStats(a: ReconcileStats, b: ReconcileStats): ReconcileStats {
  return { rows: a.rows + b.rows, found: a.found + b.found, missing: a.missing + b.missing, uncertain: b.rows > 0 ? b.uncertain : a.uncertain, calls: a.calls + b.calls };
}

/** What a row sent: re-read from the input (the store keeps outcomes, not the data). */
export interface SentRow {
  fields: ApiFields;
  /** Its ledger key, when the mapping has a dedupeKey. */
  key?: string;
}

export interface ReconcileDeps {
  store: RunStore;
  runId: number;
  journal: Journal;
  client: ApiClient;
  operation: string;
  policy: RetryPolicy;
  /** The mapping's `"reconcileBy"` (an API field), if any. */
  reconcileBy?: string;
  /** The fields the given rows sent, re-read from the input. */
  sentRows(rows: ReadonlySet<number>): Promise<Map<number, SentRow>>;
  /** Counts one call against --max-calls / today's quota; false when none is left. */
  spend(): boolean;
  /** A query answer that stops the run (token refused, quota used up). */
  stop(c: Classified): void;
  signal: AbortSignal;
  log: Logger;
  /**
   * Rows an earlier pass of this process judged still uncertain from a readable answer (a near
   * match, several matches), with their attempts then: not asked again while unchanged — the CRM's
   * answer a moment later is the same, and each query is a call. This pass adds its own.
   */
  judged?: Map<number, number>;
}

const MAX_IDS = 10;
/** The note a still-uncertain row carries; replaced, not stacked, by the next pass. */
const NOTE = '; RECONCILE: ';

function stillUncertain(r: UncertainRow, reason: string, ids: readonly string[]): RowOutcome {
  const base = (r.error ?? 'UNCERTAIN').split(NOTE)[0];
  const seen = ids.length ? ` (ids seen: ${ids.slice(0, MAX_IDS).join(', ')}${ids.length > MAX_IDS ? ', ...' : ''})` : '';
  return { row: r.row, status: 'uncertain', error: `${base}${NOTE}${reason}${seen}`, attempts: r.attempts, httpStatus: r.http_status ?? undefined, rule: r.rule ?? undefined };
}

function outcomeOf(r: UncertainRow, v: Verdict, by: string): RowOutcome {
  if (v.kind === 'found') {
    return { row: r.row, status: 'ok', wolkvoxId: v.wolkvoxId, attempts: r.attempts, error: `RECONCILED: found in the CRM as ${v.wolkvoxId} (queryGestion by ${by})`, rule: 'reconciled' };
  }
  if (v.kind === 'missing') {
    return { row: r.row, status: 'pending', attempts: r.attempts, error: `NOT_IN_CRM: queryGestion by ${by} found no gestión with this row's ids: it was not inserted; --resume sends it`, rule: 'reconcile-missing' };
  }
  return stillUncertain(r, v.reason, v.ids);
}

/** Reconciles every `uncertain` row of the run, one query (page) at a time. Never throws for an answer. */
export async function reconcileRun(d: ReconcileDeps): Promise<ReconcileStats> {
  const all = d.store.uncertainRows(d.runId);
  const rows = all.filter((r) => d.judged?.get(r.row) !== r.attempts);
  const skipped = all.length - rows.length;
  if (rows.length === 0) return { ...NO_RECONCILE, uncertain: skipped };
  const sent = await d.sentRows(new Set(rows.map((r) => r.row)));
  const stats: ReconcileStats = { rows: rows.length, found: 0, missing: 0, uncertain: skipped, calls: 0 };
  /** Gestiones given to a row in this pass: never given to a second one. */
  const claimed = new Map<string, number>();
  const spend = () => {
    const ok = d.spend();
    if (ok) stats.calls++;
    return ok;
  };
  let halted = false;
  const refusedFields = new Set<string>();
  for (const r of rows) {
    const judged = () => d.judged?.set(r.row, r.attempts);
    const o = halted ? stillUncertain(r, 'not searched: the run stopped', []) : await reconcileRow(d, { r, s: sent.get(r.row), claimed, spend, halt: () => (halted = true), judged, refusedFields });
    d.journal.outcome(o, r.dedupe_key ?? sent.get(r.row)?.key);
    if (o.status === 'ok') {
      stats.found++;
      claimed.set(o.wolkvoxId!, r.row);
    } else if (o.status === 'pending') stats.missing++;
    else stats.uncertain++;
  }
  d.log.info({ ...stats }, 'reconciled uncertain rows');
  return stats;
}

interface RowJob {
  r: UncertainRow;
  s: SentRow | undefined;
  claimed: Map<string, number>;
  spend: () => boolean;
  halt: () => void;
  /** The verdict from a readable answer left it uncertain. */
  judged: () => void;
  /** Default search fields the CRM refused to search by in this pass (e.g. 400 for wolkvox_idCall): the next one is asked. */
  refusedFields: Set<string>;
}

/**
 * Searches by the first of `fields` the CRM accepts: a definite refusal of the search itself (a 4xx
 * such as SOME PARAMETERS ARE REQUIRED or FIELD NOT FOUND) moves on to the next field, for this row and the rest of the pass.
 */
async function searchBy(d: ReconcileDeps, j: RowJob, fields: readonly string[]): Promise<{ by: string; found: Search }> {
  const all = fields.filter((f) => !j.refusedFields.has(f));
  const list = all.length > 0 ? all : fields.slice(-1);
  let i = 0;
  for (;;) {
    const by = list[i]!;
    const found = await search({ client: d.client, operation: d.operation, policy: d.policy, spend: j.spend, signal: d.signal }, by, j.s!.fields[by]!);
    if (found.kind === 'list' || found.refused?.action !== 'row-rejected' || ++i >= list.length) return { by, found };
    j.refusedFields.add(by);
    d.log.warn({ field: by, code: found.refused.code }, `reconcile: the CRM refused searching by ${by} (${found.reason}): searching by ${list[i]} instead`);
  }
}

async function reconcileRow(d: ReconcileDeps, j: RowJob): Promise<RowOutcome> {
  const { r, s } = j;
  if (!s) return stillUncertain(r, 'the input no longer has this row as it was sent', []);
  const fields = searchFields(s.fields, d.reconcileBy);
  if (fields.length === 0) return stillUncertain(r, `nothing to search by: the row has no ${d.reconcileBy ?? 'wolkvox_idCall, id_customer or customer_id'}`, []);
  const { by, found } = await searchBy(d, j, fields);
  if (found.kind === 'unreadable') {
    if (found.stop) d.stop(found.stop);
    if (found.stop || d.signal.aborted || found.reason.startsWith('not searched')) j.halt();
    return stillUncertain(r, found.reason, []);
  }
  const ownerOf = (id: string): string | undefined => {
    const mine = j.claimed.get(id);
    if (mine !== undefined) return `row ${mine} of this run`;
    const o = d.store.ownerOf(id);
    if (!o || (o.runId === d.runId && o.row === r.row)) return undefined;
    return o.runId === d.runId ? `row ${o.row} of this run` : `run ${o.runId}, row ${o.row}`;
  };
  const v = judge({ sent: s.fields, by, returned: found.gestiones, ownerOf });
  if (v.kind === 'unsure') j.judged();
  return outcomeOf(r, v, by);
}
