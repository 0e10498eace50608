import type { RunStore } from '../store/store.ts';
import { ledgerKey } from '../store/ledger.ts';
import type { RowOutcome, RowStatus } from '../types.ts';

/** Statuses a resume leaves alone: the row's fate is settled (or, for uncertain, must be checked by a person). */
const SETTLED: ReadonlySet<string> = new Set<RowStatus>(['ok', 'invalid', 'skipped', 'duplicate', 'uncertain']);

/**
 * Decides, before any quota is spent, whether a row needs sending at all: rows settled by an
 * earlier part of this run (resume), and rows whose dedupe key the ledger already holds.
 */
export class Planner {
  /** Dedupe keys of rows being sent right now in this run: a second row with the same key waits for the first. */
  readonly inFlight = new Map<string, Promise<RowOutcome>>();

  constructor(
    private readonly store: RunStore,
    private readonly runId: number,
    private readonly scope: { server: string; operation: string },
    private readonly resuming: boolean,
    private readonly retryUncertain: boolean,
  ) {}

  /** True when an earlier part of this run settled the row (resume only). */
  settled(row: number): boolean {
    if (!this.resuming) return false;
    const s = this.store.getRow(this.runId, row);
    if (!s) return false;
    if (s.status === 'uncertain') return !this.retryUncertain;
    return SETTLED.has(s.status);
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
