/**
 * Where the header is. Exports often carry a report title, a date range or `# comment` lines
 * above the header; those lines must neither become the header nor decide the delimiter.
 *
 * The header is the first row with at least two named cells (half of its cells or more) whose
 * width most of the following rows share; every row above it must look like a title: at most two
 * non-empty cells, and fewer than half the header's. The common case (the header on line 1) costs
 * one parse of the sample's first lines with the sniffed delimiter; only when that first line is
 * not a header are the other delimiters tried below the titles.
 */
import { parse } from 'csv-parse/sync';
import { RECORD_DELIMITERS } from './parse-records.ts';
import { CANDIDATES, sniffDelimiter } from './sniff-delimiter.ts';

/** A non-blank row of the sample and the physical line where it ends. */
export interface SampleRow {
  values: string[];
  line: number;
}

export interface HeaderChoice {
  delimiter: string;
  /** The header's physical line (1-based). */
  headerLine: number;
  /** The title rows above it (empty when the header is the first line). */
  titles: SampleRow[];
}

/** Rows above the header that are looked at, and rows below it compared with it. */
const MAX_TITLE_ROWS = 10;
const LOOKAHEAD = 10;
/** Lines of the sample parsed (titles + header + lookahead, with room for blank lines). */
const SAMPLE_LINES = 64;

export function nonEmpty(values: readonly string[]): number {
  let n = 0;
  for (const v of values) if (v.trim() !== '') n++;
  return n;
}

/** A title, a date range, a comment: at most two non-empty cells, fewer than half of `width`. */
function titleLike(values: readonly string[], width: number): boolean {
  const n = nonEmpty(values);
  return n <= 2 && n * 2 < width;
}

/**
 * Whether `row` reads as a header above `next`: two or more named cells, half of its cells or
 * more; with `sameWidth` (CSV), four in five of the following rows have its width too.
 */
function isHeaderRow(row: readonly string[], next: readonly (readonly string[])[], sameWidth: boolean): boolean {
  const named = nonEmpty(row);
  if (named < 2 || named * 2 < row.length) return false;
  if (!sameWidth || next.length === 0) return true;
  const agree = next.reduce((n, r) => (r.length === row.length ? n + 1 : n), 0);
  return agree * 5 >= next.length * 4;
}

/** Index of the header among `rows` (0 when it is the first; undefined when none qualifies). */
export function findHeaderRow(rows: readonly (readonly string[])[], sameWidth: boolean): number | undefined {
  const last = Math.min(MAX_TITLE_ROWS, rows.length - 1);
  for (let h = 0; h <= last; h++) {
    const row = rows[h] as readonly string[];
    if (!isHeaderRow(row, rows.slice(h + 1, h + 1 + LOOKAHEAD), sameWidth)) continue;
    const width = sameWidth ? row.length : nonEmpty(row);
    // The first header-like row is the header only when everything above it looks like a title.
    return rows.slice(0, h).every((r) => titleLike(r, width)) ? h : undefined;
  }
  return undefined;
}

/** The text up to the end of its SAMPLE_LINES-th line (a partial last line is left out unless `complete`). */
function firstLines(text: string, complete: boolean): string {
  let lines = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x0a && c !== 0x0d) continue;
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    if (++lines === SAMPLE_LINES) return text.slice(0, i + 1);
  }
  if (complete) return text;
  const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  return cut === -1 ? '' : text.slice(0, cut + 1);
}

/** The sample's non-blank rows with `delimiter` ([] when they cannot be parsed, e.g. a quote left open). */
function sampleRows(text: string, delimiter: string): SampleRow[] {
  try {
    const out = parse(text, {
      delimiter, record_delimiter: RECORD_DELIMITERS, relax_quotes: true, relax_column_count: true, skip_empty_lines: true, info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return out.filter((r) => nonEmpty(r.record) > 0).map((r) => ({ values: r.record, line: r.info.lines }));
  } catch {
    return [];
  }
}

/** Text from physical line `line` on (line breaks inside quotes are not special here: it only feeds the sniffer). */
function fromLine(text: string, line: number): string {
  let at = 0;
  for (let n = 1; n < line && at !== -1; n++) {
    const lf = text.indexOf('\n', at);
    const cr = text.indexOf('\r', at);
    const end = cr !== -1 && (lf === -1 || cr < lf) ? (text.charCodeAt(cr + 1) === 0x0a ? cr + 1 : cr) : lf;
    at = end === -1 ? -1 : end + 1;
  }
  return at === -1 ? '' : text.slice(at);
}

/** The delimiter and header line for the decoded start of a CSV file. */
export function chooseHeader(text: string, complete: boolean, forced: { delimiter?: string; headerLine?: number }): HeaderChoice {
  if (forced.headerLine !== undefined) {
    const below = fromLine(text, forced.headerLine);
    return { delimiter: forced.delimiter ?? sniffDelimiter(below, complete), headerLine: forced.headerLine, titles: [] };
  }
  const sample = firstLines(text, complete);
  const first = forced.delimiter ?? sniffDelimiter(text, complete);
  const rows = sampleRows(sample, first);
  const plain: HeaderChoice = { delimiter: first, headerLine: 1, titles: [] };
  if (rows.length < 2 || isHeaderRow(rows[0]!.values, rows.slice(1, 1 + LOOKAHEAD).map((r) => r.values), true)) return plain;
  let best: { choice: HeaderChoice; width: number } | undefined;
  for (const delimiter of forced.delimiter !== undefined ? [forced.delimiter] : CANDIDATES) {
    const found = titledHeader(sampleRows(sample, delimiter), delimiter);
    if (found === undefined) continue;
    const better = best === undefined || found.choice.titles.length < best.choice.titles.length
      || (found.choice.titles.length === best.choice.titles.length && found.width > best.width);
    if (better) best = found;
  }
  return best?.choice ?? plain;
}

/** A header below one or more title rows, with this delimiter. */
function titledHeader(rows: SampleRow[], delimiter: string): { choice: HeaderChoice; width: number } | undefined {
  const h = findHeaderRow(rows.map((r) => r.values), true);
  if (h === undefined || h === 0) return undefined;
  const titles = rows.slice(0, h);
  const header = rows[h] as SampleRow;
  // The line where the header starts: where it ends, less the line breaks inside its quoted names.
  const breaks = header.values.reduce((n, v) => n + (v.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
  return { choice: { delimiter, headerLine: header.line - breaks, titles }, width: header.values.length };
}

/** The warning for skipped title lines: which lines, and what the first one says. */
export function titlesWarning(file: string, choice: { headerLine: number; titles: readonly SampleRow[] }): string | undefined {
  const first = choice.titles[0];
  if (first === undefined) return undefined;
  const text = first.values.filter((v) => v.trim() !== '').join(' ').trim();
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  const lines = choice.headerLine === 2 ? 'line 1' : `lines 1–${choice.headerLine - 1}`;
  return `${file}: the header is on line ${choice.headerLine}; ${lines} above it (a title or comment: ${JSON.stringify(shown)}) were skipped; give --header-line to choose another line`;
}

/** Header names that occur more than once (each listed once). */
export function duplicates(header: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) dup.add(name);
    seen.add(name);
  }
  return [...dup];
}
