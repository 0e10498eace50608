import type { RunStore } from '../store/store.ts';
import { ledgerKey } from '../store/ledger.ts';
import type { RowOutcome } from '../types.ts';

/**
 * Decides, before any quota is spent, whether a row needs sending at all: rows settled by an
 * earlier part of this run (resume), and rows whose dedupe key the ledger already holds.
 */
export class Planner {
  /** Dedupe keys of rows being sent right now in this run: a second row with the same key waits for the first. */
  readonly inFlight = new Map<string, Promise<RowOutcome>>();

  /** Rows settled by an earlier part of this run (ok, invalid, skipped, duplicate, uncertain), as a bitmap. */
  private readonly settledBits: Uint8Array | undefined;

  constructor(
    private readonly store: RunStore,
    private readonly runId: number,
    private readonly scope: { server: string; operation: string },
    resuming: boolean,
    private readonly retryUncertain: boolean,
  ) {
    this.settledBits = resuming ? store.settledRows(runId) : undefined;
  }

  /** True when an earlier part of this run settled the row (resume only); uncertain rows count unless --retry-uncertain. */
  settled(row: number): boolean {
    const bits = this.settledBits;
    if (!bits || (row >> 3) >= bits.length || (bits[row >> 3]! & (1 << (row & 7))) === 0) return false;
    return !this.retryUncertain || this.store.getRow(this.runId, row)?.status !== 'uncertain';
  }

  ledgerKeyOf(dedupeKey: string | undefined): string | undefined {
    return dedupeKey === undefined ? undefined : ledgerKey(this.scope.server, this.scope.operation, dedupeKey);
  }

  /** The duplicate outcome for a key already in the ledger, or undefined. */
  duplicate(row: number, key: string | undefined): RowOutcome | undefined {
    if (key === undefined) return undefined;
    const hit = this.store.ledgerGet(key);
    if (!hit) return undefined;
    const where = hit.runId === this.runId ? `row ${hit.row} of this run` : `run ${hit.runId}, row ${hit.row}`;
    return { row, status: 'duplicate', wolkvoxId: hit.wolkvoxId, attempts: 0, error: `DUPLICATE: already inserted as ${hit.wolkvoxId} (${where}, ${hit.insertedAt})` };
  }
}
