/**
 * Encoding detection on the file's leading sample: byte order mark first, then NUL bytes
 * (BOM-less UTF-16, or a binary file), then strict UTF-8, else Windows-1252.
 * (chardet and jschardet get this wrong for our files: see docs/architecture.md, "Dependencies".)
 */
import { InputError } from '../errors.ts';
import type { OpenedFile } from './open-file.ts';
import type { EncodingName } from './options.ts';

export interface DetectedEncoding {
  encoding: EncodingName;
  /** Length of the byte order mark at the start of the file (0 when there is none). */
  bomLength: number;
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
    if (!forced.startsWith('utf-16')) rejectBinary(sample, file);
    return { encoding: forced, bomLength };
  }
  if (bom !== undefined) return { encoding: bom.encoding, bomLength: bom.bytes.length };
  const utf16 = rejectBinary(sample, file);
  if (utf16 !== undefined) return { encoding: utf16, bomLength: 0 };
  return { encoding: isUtf8Sample(sample, complete) ? 'utf-8' : 'windows-1252', bomLength: 0 };
}

/**
 * Text files hold no NUL bytes, except UTF-16, where every other byte of Latin text is
 * NUL. Returns the UTF-16 flavour for that pattern, undefined for no NULs, and throws for
 * anything else.
 */
function rejectBinary(sample: Buffer, file: string): EncodingName | undefined {
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
  throw new InputError(
    `${file}: looks like a binary file, not CSV text (it contains NUL bytes); export the data as CSV (comma, semicolon or tab separated) and try again`,
    { file },
  );
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
