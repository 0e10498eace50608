import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { RESULT_COLUMNS } from './csv.ts';

/** One example row of an error code: its row number, status and the `error` cell. */
export interface ErrorExample {
  row: number;
  status: string;
  error: string;
}

/** One `uncertain` row to check in the CRM, with the input values that identify it. */
export interface UncertainRow {
  row: number;
  error: string;
  /** Values of `ReportExamples.idColumns`, in that order. */
  values: string[];
}

/** What the report shows of the result CSV, gathered in one streaming pass with bounded memory. */
export interface ReportExamples {
  /** Data rows of the result CSV. */
  rows: number;
  /** Rows per status, as the result CSV shows them. */
  statusCounts: Record<string, number>;
  /** Rows per error code (the `error` cell's code prefix) of every row that is not ok. */
  codes: Record<string, number>;
  /** Up to `maxExamplesPerCode` example rows per code (varied messages, by row), for the first `maxCodes` codes met. */
  byCode: Record<string, ErrorExample[]>;
  /** Input columns shown for uncertain rows (identifying ones such as the call id). */
  idColumns: string[];
  /** The first `maxUncertain` uncertain rows. */
  uncertain: UncertainRow[];
  /** Every uncertain row, shown or not. */
  uncertainTotal: number;
}

export interface CollectOptions {
  /** Example rows kept per error code (default 5). */
  maxExamplesPerCode?: number;
  /** Error codes that keep examples (default 50); the rest are only counted. */
  maxCodes?: number;
  /** Uncertain rows kept for the table (default 200). */
  maxUncertain?: number;
  /** Input columns that identify a row (case and accents ignored); default: the call id, customer id, phone, date... when present. */
  idColumns?: readonly string[];
  /** Characters kept of an error cell (default 300). */
  maxErrorLength?: number;
}

/** Input columns that identify a gestión in the CRM, best first (normalised: lower case, letters and digits only). */
const ID_COLUMN_CANDIDATES = [
  'connid', 'callid', 'idcall', 'wolkvoxidcall', 'idllamada', 'llamadaid',
  'customerid', 'idcustomer', 'wolkvoxidcustomer', 'idcliente', 'clienteid', 'cedula', 'documento', 'nit',
  'wolkvoxidrecord', 'idrecord', 'idregistro', 'registroid', 'obligation', 'obligacion',
  'telephone', 'telefono', 'phone', 'celular', 'destiny',
  'date', 'fecha', 'time', 'hora', 'agentname', 'agente', 'codact',
];
const MAX_ID_COLUMNS = 6;
/** Codes counted at most; the rest go to OTHER (bounds memory whatever the error cells hold). */
const MAX_COUNTED_CODES = 500;

/** Statuses whose rows are grouped under the status itself, whatever the cell says. */
const STATUS_CODES: Readonly<Record<string, string>> = { invalid: 'INVALID', skipped: 'SKIPPED', duplicate: 'DUPLICATE', uncertain: 'UNCERTAIN' };

/**
 * The code of a row that is not ok: INVALID, SKIPPED, DUPLICATE, UNCERTAIN by status; else the
 * `error` cell's prefix (`API_400: SOME PARAMETERS ARE REQUIRED` → API_400, `STOPPED_QUOTA: ...`,
 * `NET_ECONNREFUSED: ...`); else the status in capitals (FAILED, PENDING).
 */
export function errorCode(status: string, error: string): string {
  const byStatus = STATUS_CODES[status];
  if (byStatus) return byStatus;
  const m = /^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)(?::|$)/.exec(error.trim());
  return m?.[1] ?? (status.toUpperCase() || 'UNKNOWN');
}

/** Undoes csv.ts's formula guard for display: `'=1+1` was `=1+1` in the input. */
export function unguard(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

function normaliseName(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Indexes (in `header`) of the identifying columns: the asked ones in the order asked, else up to
 * six known names (best first) in the file's order, else the first four columns.
 */
export function pickIdColumns(header: readonly string[], wanted?: readonly string[]): number[] {
  const norm = header.map(normaliseName);
  const want = wanted ? wanted.map(normaliseName) : ID_COLUMN_CANDIDATES;
  const out: number[] = [];
  for (const w of want) {
    const i = norm.indexOf(w);
    if (i >= 0 && !out.includes(i)) out.push(i);
    if (out.length >= MAX_ID_COLUMNS) break;
  }
  if (out.length === 0 && !wanted) return header.slice(0, 4).map((_, i) => i);
  return wanted ? out : out.sort((a, b) => a - b);
}

export function emptyExamples(): ReportExamples {
  return { rows: 0, statusCounts: {}, codes: {}, byCode: {}, idColumns: [], uncertain: [], uncertainTotal: 0 };
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Keeps at most `max` examples, varied: once full, a message not seen yet replaces the last
 * example whose message is there twice, so 1,000 identical errors do not hide a different one.
 */
function keepExample(list: ErrorExample[], e: ErrorExample, max: number): void {
  if (list.length < max) {
    list.push(e);
    return;
  }
  if (list.some((x) => x.error === e.error)) return;
  for (let i = list.length - 1; i >= 0; i--) {
    const msg = list[i]?.error;
    if (list.filter((x) => x.error === msg).length > 1) {
      list.splice(i, 1);
      list.push(e);
      return;
    }
  }
}

/**
 * Gathers the report's counts and capped examples row by row, in bounded memory: fed by the result
 * writer as it writes each line (one pass over the data), or by `collectExamples` from a result CSV.
 */
export class ExampleCollector {
  readonly examples: ReportExamples = emptyExamples();
  private readonly idIdx: number[];
  private readonly maxPerCode: number;
  private readonly maxCodes: number;
  private readonly maxUncertain: number;
  private readonly maxLen: number;

  /**
   * `inputHeader`: the input's columns (the result's columns after the fixed ones). `fromCsv`: the
   * cells come from a result CSV, where formula-like values carry csv.ts's guard (undone for display).
   */
  constructor(inputHeader: readonly string[], opts: CollectOptions = {}, private readonly fromCsv = false) {
    this.maxPerCode = opts.maxExamplesPerCode ?? 5;
    this.maxCodes = opts.maxCodes ?? 50;
    this.maxUncertain = opts.maxUncertain ?? 200;
    this.maxLen = opts.maxErrorLength ?? 300;
    this.idIdx = pickIdColumns(inputHeader, opts.idColumns);
    this.examples.idColumns = this.idIdx.map((i) => inputHeader[i] ?? '');
  }

  /** One result row: its status, its `error` cell and its input values. */
  add(row: number, status: string, errorCell: string, values: readonly string[]): void {
    const ex = this.examples;
    ex.rows++;
    ex.statusCounts[status] = (ex.statusCounts[status] ?? 0) + 1;
    if (status === 'ok') return;
    const show = this.fromCsv ? unguard : (v: string) => v;
    const error = show(errorCell);
    let code = errorCode(status, error);
    if (!(code in ex.codes) && Object.keys(ex.codes).length >= MAX_COUNTED_CODES) code = 'OTHER';
    ex.codes[code] = (ex.codes[code] ?? 0) + 1;
    let list = ex.byCode[code];
    if (!list && Object.keys(ex.byCode).length < this.maxCodes) list = ex.byCode[code] = [];
    if (list) keepExample(list, { row, status, error: cut(error, this.maxLen) }, this.maxPerCode);
    if (status === 'uncertain') {
      ex.uncertainTotal++;
      if (ex.uncertain.length < this.maxUncertain) {
        ex.uncertain.push({ row, error: cut(error, this.maxLen), values: this.idIdx.map((i) => cut(show(values[i] ?? ''), 120)) });
      }
    }
  }
}

/**
 * Streams a result CSV (`row,status,wolkvox_id,error,attempts,<input columns>`; it may hold a
 * million rows) and keeps only the counts and the capped examples. A run gets its examples from
 * the result writer instead (renderResults); this reads a result file after the fact.
 */
export async function collectExamples(resultCsvPath: string, opts: CollectOptions = {}): Promise<ReportExamples> {
  const fixed = RESULT_COLUMNS.length;
  let collector: ExampleCollector | undefined;
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  // .pipe() does not forward a read error: without this an unreadable file would crash the process.
  const input = createReadStream(resultCsvPath).on('error', (err) => parser.destroy(err));
  input.pipe(parser);
  for await (const rec of parser as AsyncIterable<string[]>) {
    if (!collector) {
      collector = new ExampleCollector(rec.slice(fixed), opts, true);
      continue;
    }
    collector.add(Number(rec[0]), rec[1] ?? '', rec[3] ?? '', rec.slice(fixed));
  }
  return collector?.examples ?? emptyExamples();
}
