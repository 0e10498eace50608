import type { RunStore, LedgerEntry } from './store.ts';

/** Ledger keys are scoped to one CRM server and operation: the same call id elsewhere is another gestión. */
export function ledgerKey(server: string, operation: string, dedupeKey: string): string {
  return `${server}\u001e${operation}\u001e${dedupeKey}`;
}

export function splitLedgerKey(key: string): { server: string; operation: string; key: string } {
  const [server = '', operation = '', ...rest] = key.split('\u001e');
  return { server, operation, key: rest.join('\u001e').split('\u001f').join(' | ') };
}

export function listLedger(store: RunStore, opts: { limit?: number; since?: string } = {}): LedgerEntry[] {
  const limit = opts.limit ?? -1;
  return store.database
    .prepare(`SELECT key, wolkvox_id AS wolkvoxId, run_id AS runId, row, inserted_at AS insertedAt FROM ledger
      WHERE inserted_at >= ? ORDER BY inserted_at DESC LIMIT ?`)
    .all(opts.since ?? '', limit) as LedgerEntry[];
}

export function iterateLedger(store: RunStore): IterableIterator<LedgerEntry> {
  return store.database
    .prepare('SELECT key, wolkvox_id AS wolkvoxId, run_id AS runId, row, inserted_at AS insertedAt FROM ledger ORDER BY inserted_at')
    .iterate() as IterableIterator<LedgerEntry>;
}

/** Forgets keys inserted before an ISO date (e.g. 2026-01-01); returns how many. */
export function forgetBefore(store: RunStore, isoDate: string): number {
  return store.database.prepare('DELETE FROM ledger WHERE inserted_at < ?').run(isoDate).changes;
}
