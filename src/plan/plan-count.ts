import { existsSync } from 'node:fs';
import type { ImportConfig } from '../config/config.ts';
import { ledgerKey } from '../store/ledger.ts';
import { RunStore } from '../store/store.ts';
import { SETTLED_STATUSES, type TransformResult } from '../types.ts';
import { loadRunMapping } from '../run/prepare.ts';
import { LookupCount } from '../crm-lookup/count.ts';
import { SeenKeys } from './seen-keys.ts';

export interface FilePlan {
  rows: number;
  toSend: number;
  invalid: number;
  skipped: number;
  duplicate: number;
  /** Rows an unfinished earlier run of this same file already settled (a --resume would not send them). */
  alreadyDone: number;
  /** Rows (counted in toSend) that wait on a CRM lookup not cached yet. */
  lookupWait: number;
  /** queryGestion calls those lookups cost: one per distinct key not cached. */
  lookupCalls: number;
  encoding: string;
  delimiter: string;
}

/** Reads the whole file once, as an import would, and counts what it would send. No call, no write. */
export async function planFile(cfg: ImportConfig): Promise<FilePlan> {
  const p = await loadRunMapping(cfg);
  const store = existsSync(cfg.statePath) ? RunStore.open(cfg.statePath) : undefined;
  const seen = new SeenKeys();
  const lookups = p.compiled.crm ? new LookupCount(p.compiled, { store, server: cfg.server, operation: cfg.operation }) : undefined;
  try {
    const prev = store?.latestRunForFingerprint(p.fingerprint);
    const plan: FilePlan = { rows: 0, toSend: 0, invalid: 0, skipped: 0, duplicate: 0, alreadyDone: 0, lookupWait: 0, lookupCalls: 0, encoding: p.source.info.encoding, delimiter: p.source.info.delimiter };
    for await (const rec of p.source.records) {
      plan.rows++;
      const stored = prev ? store!.getRow(prev.id, rec.row) : undefined;
      if (stored && SETTLED_STATUSES.includes(stored.status as never)) {
        plan.alreadyDone++;
        continue;
      }
      countRow(plan, lookups ? lookups.transform(rec) : p.compiled.transform(rec), (key) => isDuplicate({ cfg, store, seen }, key, rec.row));
    }
    plan.lookupCalls = lookups?.keys ?? 0;
    return plan;
  } finally {
    seen.close();
    lookups?.close();
    store?.close();
    await p.source.close().catch(() => undefined);
  }
}

/** Already inserted (the ledger), or the key of an earlier row of this same file. */
function isDuplicate(o: { cfg: ImportConfig; store?: RunStore; seen: SeenKeys }, key: string | undefined, row: number): boolean {
  if (key === undefined) return false;
  return o.store?.ledgerGet(ledgerKey(o.cfg.server, o.cfg.operation, key)) !== undefined || o.seen.firstRow(key, row) !== undefined;
}

/** One row's place in the plan; `duplicate` says whether its dedupe key was met before. */
function countRow(plan: FilePlan, tr: TransformResult, duplicate: (key: string | undefined) => boolean): void {
  if (tr.kind === 'send') plan[duplicate(tr.dedupeKey) ? 'duplicate' : 'toSend']++;
  else if (tr.kind !== 'pending') plan[tr.kind]++;
  else {
    plan.toSend++; // waits on a CRM lookup: counted as to send
    plan.lookupWait++;
  }
}
