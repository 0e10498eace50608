/**
 * countRecords: a fast count of data records for progress bars, without parsing CSV.
 * It counts the physical lines holding something other than spaces and tabs, minus the
 * header line.
 *
 * Exact for files without line breaks inside quoted values. Approximate where a quoted
 * value spans lines: each continuation line that is not blank counts as one more record
 * (an over-count). A line holding only `""` counts too, though the source skips it.
 */
import { detectInput, emptyFile } from './detect-encoding.ts';
import { type OpenedFile, openInputFile } from './open-file.ts';
import { normalizeSourceOptions, SAMPLE_BYTES, type SourceOptions } from './options.ts';
import { readUtf8Chunks } from './read-chunks.ts';
import { workbookKind } from './workbook.ts';

const COUNT_CHUNK_BYTES = 1024 * 1024;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Fast count of data records (for progress bars): non-blank physical lines minus the header.
 * Exact unless quoted values span lines; then it over-counts by their non-blank continuation lines.
 */
export async function countRecords(opts: SourceOptions): Promise<number> {
  const o = normalizeSourceOptions(opts);
  const file: OpenedFile = await openInputFile(o.path, SAMPLE_BYTES);
  if (workbookKind(file.sample) !== undefined) {
    await file.handle.close().catch(() => undefined);
    return countWorkbookRows(opts);
  }
  let counter: LineCounter | undefined;
  // readUtf8Chunks closes the file when it ends or fails; detection failures close it here.
  let chunks: AsyncGenerator<Buffer, void, undefined>;
  try {
    chunks = readUtf8Chunks(file, detectInput(file, o.encoding), { chunkBytes: COUNT_CHUNK_BYTES });
  } catch (err) {
    await file.handle.close().catch(() => undefined);
    throw err;
  }
  for await (const chunk of chunks) {
    counter ??= new LineCounter(chunk.includes(LF) || !chunk.includes(CR) ? LF : CR);
    counter.add(chunk);
  }
  // Lines above the header (titles) are counted as data here: an over-count of a few lines at most.
  const lines = counter?.finish() ?? 0;
  if (lines === 0) throw emptyFile(o.path);
  return lines - 1;
}

/** A workbook's data rows, read through the source (a workbook is read whole anyway). */
async function countWorkbookRows(opts: SourceOptions): Promise<number> {
  const { openSource } = await import('./open-source.ts');
  const source = await openSource(opts);
  let n = 0;
  for await (const _ of source.records) n++;
  return n;
}

/** Counts non-blank lines in UTF-8 bytes split on `newline` (LF, or CR for old Mac files). */
class LineCounter {
  private lines = 0;
  private hasContent = false;
  private readonly newline: number;

  constructor(newline: number) {
    this.newline = newline;
  }

  add(buf: Buffer): void {
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(this.newline, pos);
      const stop = nl === -1 ? buf.length : nl;
      if (!this.hasContent) {
        for (let i = pos; i < stop; i++) {
          const b = buf[i];
          if (b !== 0x20 && b !== 0x09 && b !== CR && b !== LF) {
            this.hasContent = true;
            break;
          }
        }
      }
      if (nl === -1) return;
      if (this.hasContent) this.lines++;
      this.hasContent = false;
      pos = nl + 1;
    }
  }

  finish(): number {
    if (this.hasContent) this.lines++;
    this.hasContent = false;
    return this.lines;
  }
}
