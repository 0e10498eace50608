/**
 * openSource: bytes → text → records. Opens the file; a workbook (xlsx, xls, HTML table:
 * recognised by its first bytes) goes to workbook.ts. A CSV file: the encoding is detected
 * on its first MiB, the header line and delimiter on its first lines (title lines above the
 * header are skipped: header-line.ts), and the remaining records come as a lazy async
 * iterable: the file is read as the consumer asks, never held whole.
 */
import iconv from 'iconv-lite';
import type { SourceRecord } from '../types.ts';
import { detectInput, emptyFile, isWideEncoding, type DetectedEncoding } from './detect-encoding.ts';
import { chooseHeader, duplicates, titlesWarning, type HeaderChoice } from './header-line.ts';
import { openInputFile, readAt, type OpenedFile } from './open-file.ts';
import { normalizeSourceOptions, SAMPLE_BYTES, type NormalizedSourceOptions, type Source, type SourceInfo, type SourceOptions } from './options.ts';
import { parseRecords } from './parse-records.ts';
import { readUtf8Chunks } from './read-chunks.ts';
import { SNIFF_CHARS } from './sniff-delimiter.ts';
import { Utf8Guard } from './utf8-guard.ts';
import { openWorkbook, workbookKind } from './workbook.ts';

/** Internal knobs for tests (small chunks exercise records cut across reads). */
export interface SourceTuning {
  chunkBytes?: number;
  maxRecordBytes?: number;
}

export async function openSource(opts: SourceOptions, tuning: SourceTuning = {}): Promise<Source> {
  const o = normalizeSourceOptions(opts);
  const file = await openInputFile(o.path, SAMPLE_BYTES);
  const kind = workbookKind(file.sample);
  const source = kind === undefined ? await openCsv(file, o, tuning) : await openWorkbook(file, kind, o);
  return withDataCheck(source, o.path);
}

async function openCsv(file: OpenedFile, o: NormalizedSourceOptions, tuning: SourceTuning): Promise<Source> {
  let detected: DetectedEncoding;
  let choice: HeaderChoice;
  let text: string;
  const warnings: string[] = [];
  try {
    detected = detectInput(file, o.encoding);
    text = sampleText(file, detected);
    choice = chooseHeader(text, isWholeSample(file, detected, text), { delimiter: o.delimiter, headerLine: o.headerLine });
    warnings.push(...(await encodingWarnings(file, detected, o.encoding !== undefined)));
  } catch (err) {
    await file.handle.close().catch(() => undefined);
    throw err;
  }
  const titles = titlesWarning(o.path, choice);
  if (titles !== undefined) warnings.push(titles);
  const guard = detected.encoding === 'utf-8' ? new Utf8Guard() : undefined;
  const chunks = readUtf8Chunks(file, detected, { chunkBytes: tuning.chunkBytes, guard });
  const all = parseRecords(chunks, {
    file: o.path, delimiter: choice.delimiter, maxCellBytes: o.maxCellBytes, utf8: guard, maxRecordBytes: tuning.maxRecordBytes, headerLine: choice.headerLine,
  });
  const first = await all.next(); // the file is closed by the generator if this throws
  if (first.done === true) throw emptyFile(o.path);
  const header = first.value.values;
  const info: SourceInfo = {
    encoding: detected.encoding,
    bom: detected.bomLength > 0,
    delimiter: choice.delimiter,
    header,
    duplicateHeaders: duplicates(header),
    format: 'csv',
    headerLine: first.value.line,
    lineEnding: lineEnding(text),
    warnings,
  };
  const records = all as AsyncGenerator<SourceRecord, void, undefined>;
  return { info, records, close: async () => void (await records.return(undefined)) };
}

/** The start of the file, decoded (NULs removed). */
function sampleText(file: OpenedFile, detected: DetectedEncoding): string {
  const maxBytes = SNIFF_CHARS * (isWideEncoding(detected.encoding) ? 2 : 1);
  const bytes = file.sample.subarray(detected.bomLength, detected.bomLength + maxBytes);
  // UTF-8 (most files) through Buffer, as read-chunks.ts reads the rest: iconv-lite's codec tables load only for other encodings.
  const text = detected.encoding === 'utf-8' ? bytes.toString('utf8') : iconv.decode(bytes, detected.encoding, { stripBOM: false });
  return detected.nulBytes === undefined ? text : text.replaceAll('\0', '');
}

function isWholeSample(file: OpenedFile, detected: DetectedEncoding, _text: string): boolean {
  const maxBytes = SNIFF_CHARS * (isWideEncoding(detected.encoding) ? 2 : 1);
  return file.complete && detected.bomLength + maxBytes >= file.sample.length;
}

/** The first line ending of the text ('\r\n' when there is none: what Excel writes). */
function lineEnding(text: string): string {
  const m = /\r\n|\n|\r/.exec(text);
  return m === null ? '\r\n' : m[0];
}

/** Stray NUL bytes (counted over the whole file, with the line of the first) and undefined Windows-1252 bytes. */
async function encodingWarnings(file: OpenedFile, detected: DetectedEncoding, forced: boolean): Promise<string[]> {
  const out: string[] = [];
  if (detected.nulBytes !== undefined) {
    const total = file.complete ? detected.nulBytes : await countNulBytes(file);
    const before = file.sample.subarray(0, file.sample.indexOf(0));
    let line = 1;
    for (let i = before.indexOf(0x0a); i !== -1; i = before.indexOf(0x0a, i + 1)) line++;
    out.push(`${file.path}: ${total} NUL byte${total === 1 ? '' : 's'} (a database export's padding) removed, the first on line ${line}`);
  }
  if (detected.undefinedBytes !== undefined && !forced) {
    out.push(
      `${file.path}: read as Windows-1252, but ${detected.undefinedBytes} byte(s) are undefined in that encoding (0x81, 0x8D, 0x8F, 0x90, 0x9D): the file is probably in another encoding; give --encoding (e.g. utf-16le, iso-8859-7, big5, cp850) if the text looks wrong`,
    );
  }
  return out;
}

async function countNulBytes(file: OpenedFile): Promise<number> {
  const step = 4 * 1024 * 1024;
  let n = 0;
  for (let pos = 0; pos < file.size; pos += step) {
    const bytes = await readAt(file.handle, file.path, pos, step);
    for (let i = bytes.indexOf(0); i !== -1; i = bytes.indexOf(0, i + 1)) n++;
    if (bytes.length < step) break;
  }
  return n;
}

/** A header and no data rows: a warning (cron mail should show an empty export), not an error. */
async function withDataCheck(source: Source, path: string): Promise<Source> {
  const it = source.records[Symbol.asyncIterator]() as AsyncGenerator<SourceRecord, void, undefined>;
  // A file that breaks on its first record still opens; the error comes from the iteration, as for any record.
  const first = await it.next().catch((err: unknown) => ({ error: err }));
  if ('done' in first && first.done === true) (source.info.warnings ??= []).push(`${path}: 0 data rows (the file has a header line and nothing below it)`);
  // The peeked record first, then straight to the source's own iterator (no generator layer per record).
  let peeked: Promise<IteratorResult<SourceRecord, void>> | undefined = 'error' in first ? Promise.reject(first.error) : Promise.resolve(first);
  peeked.catch(() => undefined);
  const records: AsyncIterableIterator<SourceRecord> = {
    next: () => {
      const p = peeked;
      peeked = undefined;
      return p ?? it.next();
    },
    return: async () => {
      peeked = undefined;
      return it.return(undefined);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return { info: source.info, records, close: source.close };
}
