/**
 * Encoding detection on the file's leading sample: byte order mark first, then NUL bytes
 * (BOM-less UTF-16; a binary file, named by its signature where known; a few stray NULs in a
 * text file, which the reader removes), then strict UTF-8, else Windows-1252.
 * (chardet and jschardet get this wrong for our files: see docs/architecture.md, "Dependencies".)
 */
import { InputError } from '../errors.ts';
import type { OpenedFile } from './open-file.ts';
import type { EncodingName } from './options.ts';

export interface DetectedEncoding {
  encoding: EncodingName;
  /** Length of the byte order mark at the start of the file (0 when there is none). */
  bomLength: number;
  /** Stray NUL bytes in the sample of a single-byte or UTF-8 text (removed while reading). */
  nulBytes?: number;
  /** Windows-1252 was guessed but the sample holds bytes that encoding leaves undefined. */
  undefinedBytes?: number;
}

const BOMS: ReadonlyArray<{ bytes: readonly number[]; encoding: EncodingName }> = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/** Encoding detection on the file's sample, plus the "is empty" check (openSource and countRecords). */
export function detectInput(file: OpenedFile, forced: EncodingName | undefined): DetectedEncoding {
  if (file.sample.length === 0) throw emptyFile(file.path);
  const detected = detectEncoding(file.sample, file.complete, file.path, forced);
  if (file.complete && file.sample.length <= detected.bomLength) throw emptyFile(file.path);
  return detected;
}

export function emptyFile(path: string): InputError {
  return new InputError(`${path}: is empty (no header line: the file has no text, or only blank lines)`, { file: path });
}

/** How much of the sample the NUL-byte census looks at. */
const NUL_CENSUS_BYTES = 64 * 1024;

export function detectEncoding(sample: Buffer, complete: boolean, file: string, forced?: EncodingName): DetectedEncoding {
  const bom = BOMS.find(({ bytes }) => bytes.every((b, i) => sample[i] === b));
  if (forced !== undefined) {
    // A BOM is skipped only when it belongs to the forced encoding; otherwise it is data.
    const bomLength = bom !== undefined && bom.encoding === forced ? bom.bytes.length : 0;
    const nul = isWideEncoding(forced) ? undefined : rejectBinary(sample, file);
    return typeof nul === 'number' ? { encoding: forced, bomLength, nulBytes: nul } : { encoding: forced, bomLength };
  }
  if (bom !== undefined) return { encoding: bom.encoding, bomLength: bom.bytes.length };
  const nul = rejectBinary(sample, file);
  if (typeof nul === 'string') return { encoding: nul, bomLength: 0 };
  const found: DetectedEncoding = { encoding: 'utf-8', bomLength: 0 };
  if (nul !== undefined) found.nulBytes = nul;
  if (isUtf8Sample(nul === undefined ? sample : stripNul(sample), complete)) return found;
  found.encoding = 'windows-1252';
  const undefinedBytes = countUndefined1252(sample);
  if (undefinedBytes !== undefined) found.undefinedBytes = undefinedBytes;
  return found;
}

/** UTF-16 and UTF-32: NUL bytes belong to the characters. */
export function isWideEncoding(encoding: string): boolean {
  return /^(utf-?(16|32)|ucs-?[24])/i.test(encoding);
}

/** The five bytes Windows-1252 leaves undefined: a file holding them is in some other encoding. */
const UNDEFINED_1252 = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

function countUndefined1252(sample: Buffer): number | undefined {
  let n = 0;
  for (const b of UNDEFINED_1252) for (let i = sample.indexOf(b); i !== -1; i = sample.indexOf(b, i + 1)) n++;
  return n > 0 ? n : undefined;
}

/** A copy of `bytes` without its NUL bytes (or `bytes` itself when it has none). */
export function stripNul(bytes: Buffer): Buffer {
  if (bytes.indexOf(0) === -1) return bytes;
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  for (let start = 0; start < bytes.length; ) {
    const nul = bytes.indexOf(0, start);
    const end = nul === -1 ? bytes.length : nul;
    n += bytes.copy(out, n, start, end);
    start = end + 1;
  }
  return out.subarray(0, n);
}

/** File signatures of binary formats people mistake for exports, named in the refusal. */
const SIGNATURES: ReadonlyArray<{ bytes: readonly number[]; what: string }> = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive (not an Excel workbook)' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7-Zip archive' },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: 'a RAR archive' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'a program (ELF)' },
  { bytes: [0x4d, 0x5a], what: 'a Windows program' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'an SQLite database' },
];

/** What a binary sample looks like ("a PNG image"), or undefined when its signature is not known. */
function binaryKind(sample: Buffer): string | undefined {
  return SIGNATURES.find(({ bytes }) => bytes.every((b, i) => sample[i] === b))?.what;
}

function binaryError(file: string, kind: string | undefined): InputError {
  const what = `looks like a binary file, not CSV text (${kind ?? 'it holds many NUL bytes'})`;
  return new InputError(`${file}: ${what}; export the data as CSV (comma, semicolon or tab separated), Excel (.xlsx, .xls) or an HTML table and try again`, { file });
}

/** Above this share of NUL bytes (outside the UTF-16 pattern) a file is binary, not text with stray NULs. */
const STRAY_NUL_SHARE = 0.01;

/**
 * Text files hold no NUL bytes, except UTF-16, where every other byte of Latin text is
 * NUL, and database exports with a few stray NULs. Returns the UTF-16 flavour for that
 * pattern, undefined for no NULs, the count of stray NULs, and throws for a binary file.
 */
function rejectBinary(sample: Buffer, file: string): EncodingName | number | undefined {
  const kind = binaryKind(sample);
  if (kind !== undefined) throw binaryError(file, kind);
  const end = Math.min(sample.length, NUL_CENSUS_BYTES);
  let even = 0;
  let odd = 0;
  for (let i = sample.indexOf(0); i !== -1 && i < end; i = sample.indexOf(0, i + 1)) {
    if (i % 2 === 0) even++;
    else odd++;
  }
  if (even + odd === 0) return undefined;
  const pairs = Math.max(1, Math.floor(end / 2));
  // Mostly Latin text: at least a third of the high bytes are NUL, on one side only.
  if (odd >= pairs / 3 && even * 20 <= odd) return 'utf-16le';
  if (even >= pairs / 3 && odd * 20 <= even) return 'utf-16be';
  if (even + odd > Math.max(1, end * STRAY_NUL_SHARE)) throw binaryError(file, undefined);
  return countNul(sample);
}

function countNul(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(0); i !== -1; i = bytes.indexOf(0, i + 1)) n++;
  return n;
}

/** Strict UTF-8 check. A multi-byte character cut at the end of a partial sample is not an error. */
function isUtf8Sample(sample: Buffer, complete: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}
