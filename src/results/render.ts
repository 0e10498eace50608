import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { isWolkvoxImportError } from '../errors.ts';
import { openSource, type SourceOptions } from '../source/index.ts';
import type { RunStore, StoredRow } from '../store/store.ts';
import { line, RESULT_COLUMNS } from './csv.ts';

export interface RenderOptions {
  source: SourceOptions;
  store: RunStore;
  runId: number;
  out: string;
  /** Write a UTF-8 BOM (Excel opens the file with the right encoding). */
  excel: boolean;
}

/**
 * Writes the result CSV in input order from the input file and the store: one line per data
 * record, whatever happened to the process before. Rows the store does not know are `pending`.
 * Written to a private temporary file, then renamed: never a half-written result.
 */
export async function renderResults(o: RenderOptions): Promise<{ rows: number }> {
  mkdirSync(dirname(o.out), { recursive: true });
  const tmp = `${o.out}.tmp-${process.pid}`;
  const ws = createWriteStream(tmp, { mode: 0o600, flags: 'w' });
  let rows = 0;
  try {
    const src = await openSource(o.source);
    if (o.excel) ws.write('\uFEFF');
    ws.write(line([...RESULT_COLUMNS, ...src.info.header]));
    const stored = o.store.iterateRows(o.runId);
    let next: StoredRow | undefined = stored.next().value;
    let chunk = '';
    try {
      for await (const rec of src.records) {
        while (next && next.row < rec.row) next = stored.next().value;
        const s = next && next.row === rec.row ? next : undefined;
        const status = s ? (s.status === 'sending' ? 'uncertain' : s.status) : 'pending';
        chunk += line([rec.row, status, s?.wolkvox_id, s?.error ?? (s ? '' : 'PENDING: not processed yet'), s?.attempts ?? 0, ...rec.values]);
        rows++;
        if (chunk.length > 65536) {
          if (!ws.write(chunk)) await once(ws, 'drain');
          chunk = '';
        }
      }
    } catch (err) {
      // The input breaks here (the run reported it): the result still accounts for every record before.
      if (!isWolkvoxImportError(err)) throw err;
    } finally {
      stored.return?.();
    }
    ws.end(chunk);
    await once(ws, 'finish');
    renameSync(tmp, o.out);
    return { rows };
  } catch (err) {
    ws.destroy();
    rmSync(tmp, { force: true });
    throw err;
  }
}
