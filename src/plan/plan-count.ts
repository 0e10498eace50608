import { existsSync } from 'node:fs';
import type { ImportConfig } from '../config/config.ts';
import { ledgerKey } from '../store/ledger.ts';
import { RunStore } from '../store/store.ts';
import { SETTLED_STATUSES } from '../types.ts';
import { loadRunMapping } from '../run/prepare.ts';
import { SeenKeys } from './seen-keys.ts';

export interface FilePlan {
  rows: number;
  toSend: number;
  invalid: number;
  skipped: number;
  duplicate: number;
  /** Rows an unfinished earlier run of this same file already settled (a --resume would not send them). */
  alreadyDone: number;
  encoding: string;
  delimiter: string;
}

/** Reads the whole file once, as an import would, and counts what it would send. No call, no write. */
export async function planFile(cfg: ImportConfig): Promise<FilePlan> {
  const p = await loadRunMapping(cfg);
  const store = existsSync(cfg.statePath) ? RunStore.open(cfg.statePath) : undefined;
  const seen = new SeenKeys();
  try {
    const prev = store?.latestRunForFingerprint(p.fingerprint);
    const plan: FilePlan = { rows: 0, toSend: 0, invalid: 0, skipped: 0, duplicate: 0, alreadyDone: 0, encoding: p.source.info.encoding, delimiter: p.source.info.delimiter };
    for await (const rec of p.source.records) {
      plan.rows++;
      const stored = prev ? store!.getRow(prev.id, rec.row) : undefined;
      if (stored && SETTLED_STATUSES.includes(stored.status as never)) {
        plan.alreadyDone++;
        continue;
      }
      const tr = p.compiled.transform(rec);
      if (tr.kind !== 'send') {
        plan[tr.kind]++;
        continue;
      }
      // Already inserted (the ledger), or the key of an earlier row of this same file.
      if (tr.dedupeKey !== undefined && (store?.ledgerGet(ledgerKey(cfg.server, cfg.operation, tr.dedupeKey)) || seen.firstRow(tr.dedupeKey, rec.row) !== undefined)) plan.duplicate++;
      else plan.toSend++;
    }
    return plan;
  } finally {
    seen.close();
    store?.close();
    await p.source.close().catch(() => undefined);
  }
}
