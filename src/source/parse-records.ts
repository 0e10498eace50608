/**
 * Drives csv-parse over the chunks and yields records in file order: the header first
 * (row 0), then the data records. Errors the parser cannot continue from become an
 * InputError naming the line where the broken record starts, after every record before it.
 *
 * Why not `for await (const r of parser)`: when the parser fails, Node destroys the
 * stream and the iterator drops the records still buffered. Here each chunk is written,
 * the records it produced are read out synchronously (`parser.read()`), and only then
 * is the next chunk written, so nothing is buffered when an error can arise (an
 * unterminated quote is only known at the end). The consumer's pace is the backpressure.
 */
import { parse, type CsvError, type Parser } from 'csv-parse';
import { InputError } from '../errors.ts';
import { RecordBuilder, type HeaderRecord } from './record-builder.ts';
import type { SourceRecord } from '../types.ts';

export interface ParseSettings {
  file: string;
  delimiter: string;
  maxCellBytes: number;
  utf8?: { invalid: boolean };
  /** The physical line of the header (records above it are dropped). Default 1. */
  headerLine?: number;
  /** Override of MAX_RECORD_BYTES (tests). */
  maxRecordBytes?: number;
}

/**
 * CRLF, LF and CR all end a record outside quotes. (csv-parse alone takes the first line ending it
 * meets as the only one: LF lines appended to a CRLF file collapsed into one record.)
 */
export const RECORD_DELIMITERS = ['\r\n', '\n', '\r'];

/**
 * Bytes handed to csv-parse at a time. It parses all it is given before returning, so a whole
 * 256 KiB read (about 2,000 rows) held the event loop ~50 ms and every request slot with it;
 * 16 KiB slices of the same read keep each burst near a millisecond.
 */
const PARSE_SLICE = 16 * 1024;

/** A record this long means a quote was never closed; beyond it we stop instead of buffering the rest of the file. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export async function* parseRecords(chunks: AsyncIterable<Buffer>, s: ParseSettings): AsyncGenerator<SourceRecord | HeaderRecord, void, undefined> {
  const parser = parse({
    delimiter: s.delimiter,
    relax_quotes: true, // a stray " inside an unquoted value (5" screen) stays data
    relax_column_count: true, // wrong field counts become a record `problem`, not an error
    record_delimiter: RECORD_DELIMITERS, // every line ending ends a record, even mixed in one file
    skip_empty_lines: false, // blank lines are counted for line numbers, then dropped by the builder
    bom: false, // the BOM was skipped before decoding
  });
  parser.on('error', () => undefined); // reported through write/end callbacks; never unhandled
  const builder = new RecordBuilder({
    maxCellBytes: s.maxCellBytes,
    utf8: s.utf8,
    tabDelimited: s.delimiter === '\t',
    headerLine: s.headerLine ?? 1,
  });
  const recordLimit = s.maxRecordBytes ?? Math.max(MAX_RECORD_BYTES, 4 * s.maxCellBytes);
  let bytesSinceRecord = 0;
  try {
    for await (const chunk of chunks) {
      for (let at = 0; at < chunk.length; at += PARSE_SLICE) {
        const slice = chunk.subarray(at, at + PARSE_SLICE);
        const written = write(parser, slice);
        const before = builder.lastLine;
        let values: string[] | null;
        while ((values = parser.read() as string[] | null) !== null) {
          const record = builder.build(values);
          if (record !== undefined) yield record;
        }
        const err = await written;
        if (err !== undefined) throw toInputError(err, s.file, builder);
        bytesSinceRecord = builder.lastLine === before ? bytesSinceRecord + slice.length : 0;
        if (bytesSinceRecord > recordLimit) throw tooLong(s.file, builder, recordLimit);
      }
    }
    const err = await end(parser);
    let values: string[] | null;
    while ((values = parser.read() as string[] | null) !== null) {
      const record = builder.build(values);
      if (record !== undefined) yield record;
    }
    if (err !== undefined) throw toInputError(err, s.file, builder);
  } finally {
    parser.destroy();
  }
}

function write(parser: Parser, chunk: Buffer): Promise<Error | undefined> {
  return new Promise((resolve) => {
    parser.write(chunk, (err) => resolve(err ?? undefined));
  });
}

function end(parser: Parser): Promise<Error | undefined> {
  return new Promise((resolve) => {
    parser.once('error', resolve);
    parser.end(() => resolve(undefined));
  });
}

function recordsBefore(row: number): string {
  if (row === 0) return 'no records before it were read';
  return row === 1 ? 'the 1 record before it was read' : `the ${row} records before it were read`;
}

function where(builder: RecordBuilder): string {
  return builder.header === undefined ? ' in the header' : '';
}

function tooLong(file: string, builder: RecordBuilder, limit: number): InputError {
  const line = builder.lastLine + 1;
  const mib = Math.round(limit / (1024 * 1024));
  return new InputError(
    `${file}: line ${line}: a record${where(builder)} is longer than ${mib} MiB, so a quoted value is most likely never closed (a " is missing); ${recordsBefore(builder.row)}`,
    { file, line, row: builder.row },
  );
}

function toInputError(err: Error, file: string, builder: RecordBuilder): InputError {
  const line = builder.lastLine + 1;
  const context = { file, line, row: builder.row };
  const code = (err as Partial<CsvError>).code;
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return new InputError(
      `${file}: line ${line}: a quoted value${where(builder)} is never closed (a " is missing); ${recordsBefore(builder.row)}`,
      context,
    );
  }
  return new InputError(`${file}: line ${line}: the file cannot be read past this point (${err.message}); ${recordsBefore(builder.row)}`, {
    ...context,
    parserCode: code,
  });
}
