/**
 * Delimiter sniffing on the decoded start of the file. csv-parse's own `delimiter_auto`
 * throws on a quoted field that does not start a line and a delimiter array splits on
 * every member (docs/architecture.md, "Dependencies"), so we count candidates ourselves and pass one.
 *
 * Per record (up to MAX_RECORDS; quoted line breaks stay inside their record), count each
 * candidate outside quotes. A quote opens a quoted value only at the start of a field
 * (start of record or right after any candidate), as csv-parse reads it. The winner is
 * the candidate present in the header whose count matches the header's on the most
 * records; ties go to the larger header count, then to the order of CANDIDATES.
 */

export const CANDIDATES: readonly string[] = [',', ';', '\t', '|'];
export const SNIFF_CHARS = 64 * 1024;
const MAX_RECORDS = 20;
const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

const CODES = CANDIDATES.map((c) => c.charCodeAt(0));

/** Counts candidates per record, one character at a time, outside quoted values. */
class CandidateCounter {
  readonly records: number[][] = [];
  counts: number[] = CODES.map(() => 0);
  inQuotes = false;
  private fieldStart = true;
  hasContent = false;

  /** Reads the character at `i`; returns the index of the last character it consumed. */
  read(text: string, i: number): number {
    const c = text.charCodeAt(i);
    if (this.inQuotes) return this.quoted(text, i, c);
    if (c === CR || c === LF) {
      this.endRecord();
      return i;
    }
    const k = CODES.indexOf(c);
    if (k !== -1) {
      this.counts[k] = (this.counts[k] as number) + 1;
      this.fieldStart = true;
      if (c !== 0x09) this.hasContent = true; // a line of tabs is blank, as countRecords and the parser see it
      return i;
    }
    if (c === QUOTE && this.fieldStart) this.inQuotes = true;
    this.fieldStart = false;
    if (c !== 0x20 && c !== 0x09) this.hasContent = true;
    return i;
  }

  /** Inside quotes: `""` is an escaped quote, a lone `"` closes the value. */
  private quoted(text: string, i: number, c: number): number {
    if (c !== QUOTE) return i;
    if (text.charCodeAt(i + 1) === QUOTE) return i + 1;
    this.inQuotes = false;
    return i;
  }

  endRecord(): void {
    if (this.hasContent) this.records.push(this.counts);
    this.counts = CODES.map(() => 0);
    this.hasContent = false;
    this.fieldStart = true;
  }
}

/** Per-record candidate counts, in CANDIDATES order; a record cut off by the sample's end is left out. */
export function countCandidates(text: string, complete: boolean): number[][] {
  const counter = new CandidateCounter();
  const end = Math.min(text.length, SNIFF_CHARS);
  for (let i = 0; i < end && counter.records.length < MAX_RECORDS; i++) i = counter.read(text, i);
  const wholeText = complete && end === text.length;
  if (wholeText && counter.hasContent && !counter.inQuotes && counter.records.length < MAX_RECORDS) counter.records.push(counter.counts);
  return counter.records;
}

/** The delimiter for `text` (the start of the file); ',' when no candidate occurs in the header. */
export function sniffDelimiter(text: string, complete: boolean): string {
  const records = countCandidates(text, complete);
  const header = records[0];
  if (header === undefined) return ',';
  let best = -1;
  let bestAgree = -1;
  for (let k = 0; k < CANDIDATES.length; k++) {
    const inHeader = header[k] as number;
    if (inHeader === 0) continue;
    const agree = records.reduce((n, r) => (r[k] === inHeader ? n + 1 : n), 0);
    if (agree > bestAgree || (agree === bestAgree && inHeader > (header[best] as number))) {
      best = k;
      bestAgree = agree;
    }
  }
  return best === -1 ? ',' : (CANDIDATES[best] as string);
}
