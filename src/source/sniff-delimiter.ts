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

/** Per-record candidate counts, in CANDIDATES order; a record cut off by the sample's end is left out. */
export function countCandidates(text: string, complete: boolean): number[][] {
  const codes = CANDIDATES.map((c) => c.charCodeAt(0));
  const records: number[][] = [];
  const end = Math.min(text.length, SNIFF_CHARS);
  let counts = codes.map(() => 0);
  let inQuotes = false;
  let fieldStart = true;
  let hasContent = false;
  for (let i = 0; i < end && records.length < MAX_RECORDS; i++) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === QUOTE) {
        if (text.charCodeAt(i + 1) === QUOTE) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (c === CR || c === LF) {
      if (hasContent) records.push(counts);
      counts = codes.map(() => 0);
      hasContent = false;
      fieldStart = true;
      continue;
    }
    const k = codes.indexOf(c);
    if (k !== -1) {
      counts[k] = (counts[k] as number) + 1;
      fieldStart = true;
      if (c !== 0x09) hasContent = true; // a line of tabs is blank, as countRecords and the parser see it
      continue;
    }
    if (c === QUOTE && fieldStart) inQuotes = true;
    fieldStart = false;
    if (c !== 0x20 && c !== 0x09) hasContent = true;
  }
  const wholeText = complete && end === text.length;
  if (wholeText && hasContent && !inQuotes && records.length < MAX_RECORDS) records.push(counts);
  return records;
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
