/**
 * Reading a lookup CSV: bytes → text (BOM first, then the declared encoding; UTF-8 strictly)
 * → csv-parse, streamed (stream/promises pipeline), one array of fields per record.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import type { LookupEncoding } from './schema.ts';

const DELIMITERS = [',', ';', '\t', '|'];

/** Which decoder label an encoding name means, unless a BOM says otherwise. */
function decoderLabel(encoding: LookupEncoding | undefined): string {
  switch (encoding) {
    case 'latin1':
    case 'iso-8859-1':
    case 'windows-1252':
      return 'windows-1252'; // WHATWG: latin1 is windows-1252, a superset for text files
    case 'utf-16le':
      return 'utf-16le';
    default:
      return 'utf-8';
  }
}

/** The label a byte-order mark announces, if any. */
function bomLabel(head: Uint8Array): string | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** A Transform decoding bytes to text; the BOM (if any) picks the decoder and is dropped. */
function decoder(encoding: LookupEncoding | undefined): Transform {
  let td: TextDecoder | undefined;
  const start = (chunk: Buffer): TextDecoder => {
    const label = bomLabel(chunk) ?? decoderLabel(encoding);
    return new TextDecoder(label, { fatal: label === 'utf-8' });
  };
  return new Transform({
    decodeStrings: true,
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      try {
        td ??= start(chunk);
        done(null, td.decode(chunk, { stream: true }));
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done) {
      try {
        done(null, td ? td.decode() : '');
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

/** The delimiter that splits the first line into the most fields (outside quotes); ',' by default. */
export function sniffDelimiter(firstLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    let count = 0;
    let quoted = false;
    for (const ch of firstLine) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** The first line of a file's text (first 64 KiB), for sniffing. */
async function firstLine(path: string, encoding: LookupEncoding | undefined): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead);
    const text = new TextDecoder(bomLabel(head) ?? decoderLabel(encoding)).decode(head);
    return text.split(/\r?\n/, 1)[0] ?? '';
  } finally {
    await fh.close();
  }
}

export interface CsvReadOptions {
  delimiter?: string;
  encoding?: LookupEncoding;
}

/**
 * Streams a CSV file's records (header first) to `onRecord`. Errors are the raw fs / csv-parse /
 * TextDecoder errors; the caller names the file. Returns the delimiter used.
 */
export async function readCsv(path: string, opts: CsvReadOptions, onRecord: (fields: string[]) => void): Promise<string> {
  const delimiter = opts.delimiter ?? sniffDelimiter(await firstLine(path, opts.encoding));
  const parser = parse({ delimiter, relax_column_count: true, skip_empty_lines: true });
  await pipeline(createReadStream(path), decoder(opts.encoding), parser, async (records: AsyncIterable<string[]>) => {
    for await (const rec of records) onRecord(rec);
  });
  return delimiter;
}
