/**
 * The source stage's options and results, and the one place where its options are
 * checked and normalised (aliases resolved, defaults filled in).
 */
import type { SourceRecord } from '../types.ts';
import { InputError } from '../errors.ts';

export interface SourceOptions {
  /** The input file. */
  path: string;
  /** Force an encoding instead of detecting it: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'latin1' (aliases such as 'utf8', 'cp1252', 'ucs2' accepted). Default: detected. */
  encoding?: string;
  /** Force a delimiter instead of sniffing it: ',' ';' '\t' '|' (also 'tab' or the two characters '\t'). Default: sniffed. */
  delimiter?: string;
  /** A cell longer than this many UTF-8 bytes gives its record a `problem` (the row becomes invalid downstream). Default 65536. */
  maxCellBytes?: number;
}

export interface SourceInfo {
  /** Canonical name of the encoding detected or forced: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'latin1'. */
  encoding: string;
  /** Whether the file starts with a byte order mark (it is never part of the data). */
  bom: boolean;
  /** The field delimiter detected or forced. */
  delimiter: string;
  /** Header names as in the file, trimmed of surrounding spaces. */
  header: string[];
  /** Header names that occur more than once (each listed once); the mapping stage decides. */
  duplicateHeaders: string[];
}

export interface Source {
  info: SourceInfo;
  /** The data records, in file order. Iterate once. Throws InputError where the file cannot be parsed further, after every record before that point. */
  records: AsyncIterable<SourceRecord>;
  /** Releases the file without reading to the end (a `break` out of `for await` does this too). */
  close(): Promise<void>;
}

export type EncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'latin1';

export const DEFAULT_MAX_CELL_BYTES = 65536;
/** Bytes read from the start of the file to detect the encoding and delimiter. */
export const SAMPLE_BYTES = 1024 * 1024;

/** Accepted spellings (lower case, '_' read as '-') → canonical name. */
const ENCODING_ALIASES: Readonly<Record<string, EncodingName>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16le': 'utf-16le',
  utf16le: 'utf-16le',
  'utf-16': 'utf-16le',
  utf16: 'utf-16le',
  ucs2: 'utf-16le',
  'ucs-2': 'utf-16le',
  'utf-16be': 'utf-16be',
  utf16be: 'utf-16be',
  'windows-1252': 'windows-1252',
  windows1252: 'windows-1252',
  cp1252: 'windows-1252',
  'cp-1252': 'windows-1252',
  win1252: 'windows-1252',
  ansi: 'windows-1252',
  latin1: 'latin1',
  'latin-1': 'latin1',
  'iso-8859-1': 'latin1',
  'iso8859-1': 'latin1',
  iso88591: 'latin1',
};

const DELIMITER_ALIASES: Readonly<Record<string, string>> = {
  ',': ',',
  comma: ',',
  ';': ';',
  semicolon: ';',
  '\t': '\t',
  '\\t': '\t',
  tab: '\t',
  '|': '|',
  pipe: '|',
};

export interface NormalizedSourceOptions {
  readonly path: string;
  readonly encoding: EncodingName | undefined;
  readonly delimiter: string | undefined;
  readonly maxCellBytes: number;
}

export function normalizeSourceOptions(opts: SourceOptions): NormalizedSourceOptions {
  const file = opts.path;
  if (typeof file !== 'string' || file === '') {
    throw new InputError('source: expected the path of the input file, got an empty value');
  }
  const maxCellBytes = opts.maxCellBytes ?? DEFAULT_MAX_CELL_BYTES;
  if (!Number.isSafeInteger(maxCellBytes) || maxCellBytes < 1) {
    throw new InputError(`source: maxCellBytes: expected a whole number of bytes above 0, got ${String(opts.maxCellBytes)}`, { file });
  }
  return Object.freeze({
    path: file,
    encoding: opts.encoding === undefined ? undefined : normalizeEncoding(opts.encoding, file),
    delimiter: opts.delimiter === undefined ? undefined : normalizeDelimiter(opts.delimiter, file),
    maxCellBytes,
  });
}

export function normalizeEncoding(name: string, file?: string): EncodingName {
  const found = ENCODING_ALIASES[name.trim().toLowerCase().replace(/_/g, '-')];
  if (found === undefined) {
    throw new InputError(
      `encoding: expected one of utf-8, utf-16le, utf-16be, windows-1252, latin1 (or an alias such as utf8, cp1252, ucs2), got ${JSON.stringify(name)}`,
      { file },
    );
  }
  return found;
}

export function normalizeDelimiter(value: string, file?: string): string {
  const found = DELIMITER_ALIASES[value] ?? DELIMITER_ALIASES[value.trim().toLowerCase()];
  if (found === undefined) {
    throw new InputError(
      `delimiter: expected one of "," ";" "|" or a tab ("tab" or "\\t"), got ${JSON.stringify(value)}`,
      { file },
    );
  }
  return found;
}
