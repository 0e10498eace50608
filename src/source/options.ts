/**
 * The source stage's options and results, and the one place where its options are
 * checked and normalised (aliases resolved, defaults filled in).
 */
import iconv from 'iconv-lite';
import type { SourceRecord } from '../types.ts';
import { InputError } from '../errors.ts';

export interface SourceOptions {
  /** The input file. */
  path: string;
  /** Force an encoding instead of detecting it: any encoding iconv-lite knows ('utf-8', 'windows-1252', 'latin9', 'big5'...; aliases such as 'utf8', 'cp1252', 'ucs2' accepted). Default: detected. */
  encoding?: string;
  /** Force a delimiter instead of sniffing it: ',' ';' '\t' '|' (also 'tab' or the two characters '\t'). Default: sniffed. */
  delimiter?: string;
  /** A cell longer than this many UTF-8 bytes gives its record a `problem` (the row becomes invalid downstream). Default 65536. */
  maxCellBytes?: number;
  /** The physical line (1-based; for a workbook, the sheet row) of the header. Default: detected (title lines above it are skipped). */
  headerLine?: number;
  /** Workbook input: the sheet, by name or 1-based number. Default: the first sheet with data. */
  sheet?: string;
  /** Workbook input (read whole into memory): refuse files larger than this. Default 100 MiB. */
  maxWorkbookBytes?: number;
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
  /** 'csv', or the workbook kind read: 'xlsx' | 'xls' | 'html'. */
  format?: string;
  /** Workbook input: the sheet read. */
  sheet?: string;
  /** The physical line (sheet row) of the header; lines above it were skipped (titles, comments). */
  headerLine?: number;
  /** CSV input: the line ending of the header line ('\r\n', '\n' or '\r'), for files written back in the same form. */
  lineEnding?: string;
  /** Things worth a warning line (removed NUL bytes, skipped title lines, no data rows...). */
  warnings?: string[];
}

export interface Source {
  info: SourceInfo;
  /** The data records, in file order. Iterate once. Throws InputError where the file cannot be parsed further, after every record before that point. */
  records: AsyncIterable<SourceRecord>;
  /** Releases the file without reading to the end (a `break` out of `for await` does this too). */
  close(): Promise<void>;
}

/** Canonical encoding name: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'latin1', or another name iconv-lite knows. */
export type EncodingName = string;

export const DEFAULT_MAX_CELL_BYTES = 65536;
const DEFAULT_MAX_WORKBOOK_BYTES = 100 * 1024 * 1024;
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
  readonly headerLine: number | undefined;
  readonly sheet: string | undefined;
  readonly maxWorkbookBytes: number;
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
    headerLine: opts.headerLine === undefined ? undefined : positive(opts.headerLine, 'header line', file),
    sheet: opts.sheet === undefined || opts.sheet === '' ? undefined : opts.sheet,
    maxWorkbookBytes: opts.maxWorkbookBytes === undefined ? DEFAULT_MAX_WORKBOOK_BYTES : positive(opts.maxWorkbookBytes, 'maxWorkbookBytes', file),
  });
}

function positive(n: number, what: string, file: string): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new InputError(`source: ${what}: expected a whole number above 0, got ${String(n)}`, { file });
  return n;
}

/** A known alias → its canonical name; any other name iconv-lite knows (latin9, iso-8859-7, big5...) as given, lower case. */
export function normalizeEncoding(name: string, file?: string): EncodingName {
  const key = name.trim().toLowerCase();
  const found = ENCODING_ALIASES[key.replace(/_/g, '-')];
  if (found !== undefined) return found;
  if (key !== '' && iconv.encodingExists(key)) return key;
  throw new InputError(
    `encoding: expected an encoding name such as utf-8, utf-16le, utf-16be, windows-1252, latin1, latin9, iso-8859-7 or big5 (any name iconv-lite knows), got ${JSON.stringify(name)}`,
    { file },
  );
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

/** What the run's configuration says about the input (the CLI flags of the source stage). */
export interface InputSettings {
  input: string;
  encoding?: string;
  delimiter?: string;
  sheet?: string;
  headerLine?: number;
  maxWorkbookMb?: number;
}

/** The source options of a run's input, from its configuration. */
export function sourceOptions(cfg: InputSettings): SourceOptions {
  const o: SourceOptions = { path: cfg.input, encoding: cfg.encoding, delimiter: cfg.delimiter, sheet: cfg.sheet, headerLine: cfg.headerLine };
  if (cfg.maxWorkbookMb !== undefined) o.maxWorkbookBytes = cfg.maxWorkbookMb * 1024 * 1024;
  return o;
}

/**
 * Options that reopen exactly the source `info` describes (the result and rejects files read the
 * input again): the encoding, delimiter, header line and sheet found the first time.
 */
export function reopenOptions(cfg: InputSettings, info: SourceInfo): SourceOptions {
  return { ...sourceOptions(cfg), encoding: info.encoding, delimiter: info.delimiter, headerLine: info.headerLine, sheet: info.sheet };
}
