import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isWolkvoxImportError } from '../errors.ts';
import { writeAtomic, type AtomicWriter } from '../fs-atomic.ts';
import { openSource, type Source, type SourceOptions } from '../source/index.ts';
import { RejectsWriter } from './rejects.ts';
import type { RunStore, StoredRow } from '../store/store.ts';
import { line, RESULT_COLUMNS } from './csv.ts';
import { ExampleCollector, type ReportExamples, type ResultRow } from './report-examples.ts';

interface RenderOptions {
  source: SourceOptions;
  store: RunStore;
  runId: number;
  out: string;
  /** Write a UTF-8 BOM (Excel opens the file with the right encoding). */
  excel: boolean;
  /** The `error` of rows the store does not hold (a stop ended the run before it read them). */
  unsentError?: string;
  /** --rejects: also write the invalid and failed rows to this file, in the input's form (rejects.ts). */
  rejects?: string;
}

/** Bytes gathered before a write. */
const CHUNK = 65536;

/** The result columns of one input row from what the store holds of it (nothing: `pending`). */
function resultCells(row: number, s: StoredRow | undefined, unsent: string): ResultRow & { wolkvoxId: string | null; attempts: number } {
  if (!s) return { row, status: 'pending', wolkvoxId: null, error: unsent, attempts: 0 };
  return { row, status: s.status === 'sending' ? 'uncertain' : s.status, wolkvoxId: s.wolkvox_id, error: s.error ?? '', attempts: s.attempts, rule: s.rule };
}

/** The store's rows of a run, read alongside the input (both in row order). */
class StoredRows {
  private next: StoredRow | undefined;
  constructor(private readonly it: IterableIterator<StoredRow>) {
    this.next = it.next().value;
  }

  /** The stored row numbered `row` (rows are asked in increasing order), if any. */
  at(row: number): StoredRow | undefined {
    while (this.next && this.next.row < row) this.next = this.it.next().value;
    return this.next?.row === row ? this.next : undefined;
  }

  close(): void {
    this.it.return?.();
  }
}

async function writeRows(o: RenderOptions, out: AtomicWriter): Promise<{ rows: number; examples: ReportExamples }> {
  const src = await openSource(o.source);
  const rejects = o.rejects === undefined ? undefined : await RejectsWriter.open(o.rejects, src.info);
  try {
    const written = await writeRowsTo(o, out, src, rejects);
    await rejects?.commit();
    return written;
  } catch (err) {
    await rejects?.abort();
    throw err;
  }
}

async function writeRowsTo(o: RenderOptions, out: AtomicWriter, src: Source, rejects: RejectsWriter | undefined): Promise<{ rows: number; examples: ReportExamples }> {
  let chunk = (o.excel ? '\uFEFF' : '') + line([...RESULT_COLUMNS, ...src.info.header]);
  // The report's counts and examples, gathered as the lines are written (no second pass over the file).
  const collector = new ExampleCollector(src.info.header);
  const stored = new StoredRows(o.store.iterateRows(o.runId));
  let rows = 0;
  try {
    for await (const rec of src.records) {
      const r = resultCells(rec.row, stored.at(rec.row), o.unsentError ?? 'PENDING: not processed yet');
      chunk += line([rec.row, r.status, r.wolkvoxId, r.error, r.attempts, ...rec.values]);
      collector.add(r, rec.values);
      if (rejects !== undefined && (r.status === 'invalid' || r.status === 'failed')) await rejects.add(rec.values, r.error);
      rows++;
      if (chunk.length > CHUNK) {
        await out.write(chunk);
        chunk = '';
      }
    }
  } catch (err) {
    // The input breaks here (the run reported it): the result still accounts for every record before.
    if (!isWolkvoxImportError(err)) throw err;
  } finally {
    stored.close();
  }
  await out.write(chunk);
  return { rows, examples: collector.examples };
}

/**
 * Writes the result CSV in input order from the input file and the store: one line per data
 * record, whatever happened to the process before. Rows the store does not know are `pending`.
 * Written all or nothing (a private temporary file, renamed): never a half-written result.
 */
export async function renderResults(o: RenderOptions): Promise<{ rows: number; examples: ReportExamples }> {
  mkdirSync(dirname(o.out), { recursive: true });
  return writeAtomic(o.out, (out) => writeRows(o, out));
}
