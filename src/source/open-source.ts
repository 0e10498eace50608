/**
 * openSource: bytes → text → records. Opens the file, detects the encoding and the
 * delimiter on its first MiB, reads the header, and hands back the remaining records as
 * a lazy async iterable: the file is read as the consumer asks, never held whole.
 */
import iconv from 'iconv-lite';
import type { SourceRecord } from '../types.ts';
import { detectInput, emptyFile, type DetectedEncoding } from './detect-encoding.ts';
import { openInputFile, type OpenedFile } from './open-file.ts';
import { normalizeSourceOptions, SAMPLE_BYTES, type Source, type SourceInfo, type SourceOptions } from './options.ts';
import { parseRecords } from './parse-records.ts';
import { readUtf8Chunks } from './read-chunks.ts';
import { sniffDelimiter, SNIFF_CHARS } from './sniff-delimiter.ts';
import { Utf8Guard } from './utf8-guard.ts';

/** Internal knobs for tests (small chunks exercise records cut across reads). */
export interface SourceTuning {
  chunkBytes?: number;
  maxRecordBytes?: number;
}

export async function openSource(opts: SourceOptions, tuning: SourceTuning = {}): Promise<Source> {
  const o = normalizeSourceOptions(opts);
  const file = await openInputFile(o.path, SAMPLE_BYTES);
  let detected: DetectedEncoding;
  let delimiter: string;
  try {
    detected = detectInput(file, o.encoding);
    delimiter = o.delimiter ?? sniffSample(file, detected);
  } catch (err) {
    await file.handle.close().catch(() => undefined);
    throw err;
  }
  const guard = detected.encoding === 'utf-8' ? new Utf8Guard() : undefined;
  const chunks = readUtf8Chunks(file, detected, { chunkBytes: tuning.chunkBytes, guard });
  const all = parseRecords(chunks, { file: o.path, delimiter, maxCellBytes: o.maxCellBytes, utf8: guard, maxRecordBytes: tuning.maxRecordBytes });
  const first = await all.next(); // the file is closed by the generator if this throws
  if (first.done === true) throw emptyFile(o.path);
  const header = first.value.values;
  const info: SourceInfo = {
    encoding: detected.encoding,
    bom: detected.bomLength > 0,
    delimiter,
    header,
    duplicateHeaders: duplicates(header),
  };
  const records = all as AsyncGenerator<SourceRecord, void, undefined>;
  return {
    info,
    records,
    close: async () => {
      await records.return(undefined);
    },
  };
}

/** Sniffs the delimiter on the start of the file, decoded. */
function sniffSample(file: OpenedFile, detected: DetectedEncoding): string {
  const maxBytes = SNIFF_CHARS * (detected.encoding.startsWith('utf-16') ? 2 : 1);
  const bytes = file.sample.subarray(detected.bomLength, detected.bomLength + maxBytes);
  const wholeFile = file.complete && detected.bomLength + bytes.length === file.sample.length;
  return sniffDelimiter(iconv.decode(bytes, detected.encoding, { stripBOM: false }), wholeFile);
}

function duplicates(header: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) dup.add(name);
    seen.add(name);
  }
  return [...dup];
}
