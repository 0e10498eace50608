import type { RunStore } from '../store/store.ts';
import { ledgerKey } from '../store/ledger.ts';
import type { RowOutcome } from '../types.ts';

/**
 * Decides, before any quota is spent, whether a row needs sending at all: rows settled by an
 * earlier part of this run (resume), rows whose dedupe key the ledger already holds, and rows whose
 * key is held by a row whose insert is unresolved (being sent, or `uncertain`). It is also the one
 * place that keeps two rows with the same key from being in flight at once.
 */
export class Planner {
  /** Dedupe keys of rows being sent right now in this run: a second row with the same key waits for the first. */
  private readonly inFlight = new Map<string, Promise<RowOutcome>>();

  /** Rows settled by an earlier part of this run (ok, invalid, skipped, duplicate, uncertain), as a bitmap. */
  private readonly settledBits: Uint8Array | undefined;

  constructor(
    private readonly store: RunStore,
    private readonly run: { id: number; server: string; operation: string; resumed: boolean; retryUncertain: boolean },
  ) {
    this.settledBits = run.resumed ? store.settledRows(run.id) : undefined;
  }

  /** True when an earlier part of this run settled the row (resume only); uncertain rows count unless --retry-uncertain. */
  settled(row: number): boolean {
    const bits = this.settledBits;
    if (!bits || (row >> 3) >= bits.length || (bits[row >> 3]! & (1 << (row & 7))) === 0) return false;
    return !this.run.retryUncertain || this.store.getRow(this.run.id, row)?.status !== 'uncertain';
  }

  ledgerKeyOf(dedupeKey: string | undefined): string | undefined {
    return dedupeKey === undefined ? undefined : ledgerKey(this.run.server, this.run.operation, dedupeKey);
  }

  /**
   * Sends the row through `send` unless its key is already inserted or held; a row whose key is in
   * flight in this run waits for that row's outcome first. Never rejects when `send` never does.
   */
  admit(row: number, key: string | undefined, send: () => Promise<RowOutcome>): Promise<RowOutcome> {
    if (key === undefined) return send();
    const earlier = this.inFlight.get(key);
    const start = (): RowOutcome | Promise<RowOutcome> => this.duplicate(row, key) ?? send();
    const task = earlier ? earlier.then(start) : Promise.resolve(start());
    this.inFlight.set(key, task);
    void task.finally(() => {
      if (this.inFlight.get(key) === task) this.inFlight.delete(key);
    });
    return task;
  }

  /** The outcome of a row that will not be sent now (a stop, a dry run): a duplicate if its key says so, else `fallback`. */
  unsent(row: number, key: string | undefined, fallback: RowOutcome): RowOutcome {
    return key !== undefined && !this.inFlight.has(key) ? (this.duplicate(row, key) ?? fallback) : fallback;
  }

  /** The duplicate outcome for a key already inserted, or held by another row whose insert is unresolved; else undefined. */
  duplicate(row: number, key: string | undefined): RowOutcome | undefined {
    if (key === undefined) return undefined;
    const hit = this.store.ledgerGet(key);
    if (hit) {
      const where = this.where(hit.runId, hit.row);
      return { row, status: 'duplicate', wolkvoxId: hit.wolkvoxId, attempts: 0, error: `DUPLICATE: already inserted as ${hit.wolkvoxId} (${where}, ${hit.insertedAt})` };
    }
    const hold = this.store.holdGet(key);
    if (!hold || (hold.runId === this.run.id && hold.row === row)) return undefined;
    return {
      row, status: 'duplicate', attempts: 0,
      error: `DUPLICATE: waiting for the uncertain row ${hold.row} (${this.where(hold.runId, hold.row)}), which has the same key and may already be in the CRM; this row is not sent while that one is unresolved`,
    };
  }

  private where(runId: number, row: number): string {
    return runId === this.run.id ? `row ${row} of this run` : `run ${runId}, row ${row}`;
  }
}
