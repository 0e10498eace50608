import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { ArgumentsCamelCase } from 'yargs';
import type { StateArgs, LedgerArgs } from '../builders.ts';
import { UsageError } from '../../errors.ts';
import { line } from '../../results/csv.ts';
import { forgetBefore, iterateLedger, listLedger, splitLedgerKey } from '../../store/ledger.ts';
import { defaultStatePath } from '../../store/paths.ts';
import { RunStore } from '../../store/store.ts';




export async function runsHandler(a: ArgumentsCamelCase<StateArgs>): Promise<number> {
  const store = RunStore.open(a.state ? resolve(a.state) : defaultStatePath());
  try {
    const runs = store.listRuns(a.limit);
    if (runs.length === 0) process.stdout.write(`no runs in ${store.path}\n`);
    for (const r of runs) {
      const counts = store.countsByStatus(r.id);
      const resumable = (counts.pending ?? 0) + (counts.failed ?? 0) + (counts.sending ?? 0) > 0 || r.state !== 'finished';
      if (a.json) {
        process.stdout.write(JSON.stringify({ ...r, counts, resumable }) + '\n');
        continue;
      }
      const c = Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ') || 'no rows';
      process.stdout.write(`run ${r.id}  ${r.state}${r.stopReason ? ` (${r.stopReason.slice(0, 60)})` : ''}  ${r.inputPath}\n` +
        `  started ${r.startedAt}  finished ${r.finishedAt ?? '-'}  ${c}${resumable ? '  · resumable with --resume' : ''}\n  results ${r.outPath}\n`);
    }
    return 0;
  } finally {
    store.close();
  }
}


export async function ledgerHandler(a: ArgumentsCamelCase<LedgerArgs>): Promise<number> {
  const store = RunStore.open(a.state ? resolve(a.state) : defaultStatePath());
  try {
    if (a.forgetBefore !== undefined) {
      if (!/^\d{4}-\d{2}-\d{2}/.test(a.forgetBefore) || Number.isNaN(Date.parse(a.forgetBefore))) {
        throw new UsageError(`--forget-before: expected a date such as 2026-01-01, got "${a.forgetBefore}"`);
      }
      const n = forgetBefore(store, new Date(a.forgetBefore).toISOString());
      process.stdout.write(`forgot ${n} keys inserted before ${a.forgetBefore}\n`);
      return 0;
    }
    if (a.export !== undefined) {
      const ws = createWriteStream(resolve(a.export), { mode: 0o600 });
      ws.write(line(['server', 'operation', 'key', 'wolkvox_id', 'run', 'row', 'inserted_at']));
      let n = 0;
      for (const e of iterateLedger(store)) {
        const k = splitLedgerKey(e.key);
        if (!ws.write(line([k.server, k.operation, k.key, e.wolkvoxId, e.runId, e.row, e.insertedAt]))) await once(ws, 'drain');
        n++;
      }
      ws.end();
      await once(ws, 'finish');
      process.stdout.write(`exported ${n} keys to ${a.export}\n`);
      return 0;
    }
    for (const e of listLedger(store, { limit: a.limit })) {
      const k = splitLedgerKey(e.key);
      if (a.json) process.stdout.write(JSON.stringify({ ...k, wolkvoxId: e.wolkvoxId, runId: e.runId, row: e.row, insertedAt: e.insertedAt }) + '\n');
      else process.stdout.write(`${e.insertedAt}  ${k.key}  →  ${e.wolkvoxId}  (run ${e.runId}, row ${e.row}, ${k.server}, ${k.operation})\n`);
    }
    return 0;
  } finally {
    store.close();
  }
}
