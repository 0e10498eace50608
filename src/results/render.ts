import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { isWolkvoxImportError } from '../errors.ts';
import { openSource, type SourceOptions } from '../source/index.ts';
import type { RunStore, StoredRow } from '../store/store.ts';
import { line, RESULT_COLUMNS } from './csv.ts';
import { ExampleCollector, type ReportExamples } from './report-examples.ts';

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
export async function renderResults(o: RenderOptions): Promise<{ rows: number; examples: ReportExamples }> {
  mkdirSync(dirname(o.out), { recursive: true });
  const tmp = `${o.out}.tmp-${process.pid}`;
  const ws = createWriteStream(tmp, { mode: 0o600, flags: 'w' });
  let rows = 0;
  try {
    const src = await openSource(o.source);
    if (o.excel) ws.write('\uFEFF');
    ws.write(line([...RESULT_COLUMNS, ...src.info.header]));
    // The report's counts and examples, gathered as the lines are written (no second pass over the file).
    const collector = new ExampleCollector(src.info.header);
    const stored = o.store.iterateRows(o.runId);
    let next: StoredRow | undefined = stored.next().value;
    let chunk = '';
    try {
      for await (const rec of src.records) {
        while (next && next.row < rec.row) next = stored.next().value;
        const s = next && next.row === rec.row ? next : undefined;
        const status = s ? (s.status === 'sending' ? 'uncertain' : s.status) : 'pending';
        const error = s?.error ?? (s ? '' : 'PENDING: not processed yet');
        chunk += line([rec.row, status, s?.wolkvox_id, error, s?.attempts ?? 0, ...rec.values]);
        collector.add(rec.row, status, error, rec.values);
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
    await once(ws, 'close'); // flushed and its descriptor closed before the file takes its name
    renameSync(tmp, o.out);
    return { rows, examples: collector.examples };
  } catch (err) {
    ws.destroy();
    rmSync(tmp, { force: true });
    throw err;
  }
}
