/**
 * Turns csv-parse's arrays into SourceRecords: row numbers, the physical line where each
 * record starts, field-count and cell-size problems. This is the per-row hot path: one
 * pass over the values, no regex, no copies unless a record is malformed.
 *
 * Line numbers: csv-parse's `info.lines` is where a record ends, and it counts a CRLF
 * inside a quoted value as two lines, so we count ourselves. Empty lines reach us as
 * one-value records (skip_empty_lines is off on purpose), so every physical line passes
 * through here: a record starts one line after the previous one ended, and ends as many
 * lines later as its values hold line breaks (CRLF, LF or CR each count one).
 */
import type { SourceRecord } from '../types.ts';

export interface BuilderSettings {
  maxCellBytes: number;
  /** Set by the UTF-8 guard once invalid bytes were replaced with U+FFFD. */
  utf8?: { invalid: boolean };
  /** Tab-separated: a line of only tabs and spaces is blank too. */
  tabDelimited: boolean;
  /** The physical line of the header: records that start above it (titles, comments) are dropped. */
  headerLine: number;
}

/** The header as a record: row 0. */
export interface HeaderRecord {
  row: 0;
  line: number;
  values: string[];
}

export class RecordBuilder {
  /** Data records yielded so far (the last good row). */
  row = 0;
  /** The physical line where the last record (or blank line) ended. */
  lastLine = 0;
  header: string[] | undefined;
  private width = 0;
  private readonly settings: BuilderSettings;

  constructor(settings: BuilderSettings) {
    this.settings = settings;
  }

  /** Returns the record to yield, or undefined for a blank line (see isBlank). */
  build(values: string[]): SourceRecord | HeaderRecord | undefined {
    const line = this.lastLine + 1;
    const maxBytes = this.settings.maxCellBytes;
    let end = line;
    let oversized: string | undefined;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as string;
      if (v.indexOf('\n') !== -1 || v.indexOf('\r') !== -1) end += lineBreaks(v);
      if (v.length * 3 > maxBytes && this.header !== undefined) {
        const bytes = Buffer.byteLength(v, 'utf8');
        if (bytes > maxBytes) oversized = joinProblem(oversized, `column ${this.columnName(i)} is ${bytes} bytes long, more than the ${maxBytes} allowed`);
      }
    }
    this.lastLine = end;
    if ((values[0] as string).trim() === '' && this.isBlank(values)) return undefined;
    if (this.header === undefined) return line < this.settings.headerLine ? undefined : this.acceptHeader(values, line);
    let problem = oversized;
    if (values.length !== this.width) problem = joinProblem(this.fixWidth(values, line, end), problem);
    if (this.settings.utf8?.invalid === true) problem = joinProblem(problem, this.replacementProblem(values));
    const row = ++this.row;
    return problem === undefined ? { row, line, values } : { row, line, values, problem: `line ${line}: ${problem}` };
  }

  /** A blank line: one value of spaces, or (tab-separated) only tabs and spaces. */
  private isBlank(values: string[]): boolean {
    if (values.length === 1) return true;
    if (!this.settings.tabDelimited) return false;
    for (let i = 1; i < values.length; i++) if ((values[i] as string).trim() !== '') return false;
    return true;
  }

  private acceptHeader(values: string[], line: number): HeaderRecord {
    const header = values.map((v) => v.trim());
    if (header[0]?.charCodeAt(0) === 0xfeff) header[0] = header[0].slice(1).trim();
    this.header = header;
    this.width = header.length;
    return { row: 0, line, values: header };
  }

  /** Pads or truncates `values` to the header's width and says what was wrong. */
  private fixWidth(values: string[], line: number, end: number): string {
    const found = values.length;
    if (found > this.width) values.length = this.width;
    else while (values.length < this.width) values.push('');
    const span = end > line ? ` (the record runs from line ${line} to line ${end}: a closing " may be missing)` : '';
    return `expected ${this.width} fields, found ${found}${span}`;
  }

  private replacementProblem(values: string[]): string | undefined {
    let problem: string | undefined;
    for (let i = 0; i < values.length; i++) {
      if ((values[i] as string).indexOf('\ufffd') !== -1) {
        problem = joinProblem(problem, `column ${this.columnName(i)} holds bytes that are not valid UTF-8 (shown as \ufffd)`);
      }
    }
    return problem === undefined ? undefined : `${problem}: if the file is Windows-1252 (ANSI), set the encoding to windows-1252 and run again`;
  }

  private columnName(i: number): string {
    const name = this.header?.[i];
    return name === undefined ? `${i + 1} (beyond the header)` : JSON.stringify(name);
  }
}

/** Line breaks inside a value: CRLF, LF and CR count one each. */
function lineBreaks(v: string): number {
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x0a) n++;
    else if (c === 0x0d) {
      n++;
      if (v.charCodeAt(i + 1) === 0x0a) i++;
    }
  }
  return n;
}

function joinProblem(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return `${a}; ${b}`;
}
