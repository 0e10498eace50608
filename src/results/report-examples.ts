/** One example row of an error code: its row number, status and the `error` cell. */
export interface ErrorExample {
  row: number;
  status: string;
  error: string;
  /** Id of the classification rule the run decided the row with (src/sink/classify.ts), when the store has it. */
  rule?: string;
}

/** One row of the result as the collector reads it (`error`: the cell as written). */
export interface ResultRow {
  row: number;
  status: string;
  error: string;
  rule?: string | null;
}

/** One `uncertain` row to check in the CRM, with the input values that identify it. */
interface UncertainRow {
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
  /** Up to 5 example rows per code (varied messages, by row), for the first 50 codes met. */
  byCode: Record<string, ErrorExample[]>;
  /** Input columns shown for uncertain rows (identifying ones such as the call id). */
  idColumns: string[];
  /** The first `maxUncertain` uncertain rows. */
  uncertain: UncertainRow[];
  /** Every uncertain row, shown or not. */
  uncertainTotal: number;
}

export interface CollectOptions {
  /** Uncertain rows kept for the table (default 200). */
  maxUncertain?: number;
  /** Input columns that identify a row (case and accents ignored); default: the call id, customer id, phone, date... when present. */
  idColumns?: readonly string[];
}

/** Example rows kept per error code. */
const MAX_EXAMPLES_PER_CODE = 5;
/** Error codes that keep examples; the rest are only counted. */
const MAX_CODES_WITH_EXAMPLES = 50;
/** Characters kept of an error cell. */
const MAX_ERROR_LENGTH = 300;

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

function normaliseName(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Indexes (in `header`) of the identifying columns: the asked ones in the order asked, else up to
 * six known names (best first) in the file's order, else the first four columns.
 */
function pickIdColumns(header: readonly string[], wanted?: readonly string[]): number[] {
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
 * Gathers the report's counts and capped examples row by row, in bounded memory, fed by the result
 * writer as it writes each line (one pass over the data).
 */
export class ExampleCollector {
  readonly examples: ReportExamples = emptyExamples();
  private readonly idIdx: number[];
  private readonly maxUncertain: number;

  /** `inputHeader`: the input's columns (the result's columns after the fixed ones). */
  constructor(inputHeader: readonly string[], opts: CollectOptions = {}) {
    this.maxUncertain = opts.maxUncertain ?? 200;
    this.idIdx = pickIdColumns(inputHeader, opts.idColumns);
    this.examples.idColumns = this.idIdx.map((i) => inputHeader[i] ?? '');
  }

  /** One result row and its input values. */
  add(r: ResultRow, values: readonly string[]): void {
    const ex = this.examples;
    ex.rows++;
    ex.statusCounts[r.status] = (ex.statusCounts[r.status] ?? 0) + 1;
    if (r.status === 'ok') return;
    const error = cut(r.error, MAX_ERROR_LENGTH);
    this.count(errorCode(r.status, r.error), { row: r.row, status: r.status, error, ...(r.rule ? { rule: r.rule } : {}) });
    if (r.status === 'uncertain') {
      ex.uncertainTotal++;
      if (ex.uncertain.length < this.maxUncertain) {
        ex.uncertain.push({ row: r.row, error, values: this.idIdx.map((i) => cut(values[i] ?? '', 120)) });
      }
    }
  }

  /** Counts a row under its code and keeps it as an example while the code has room. */
  private count(code: string, e: ErrorExample): void {
    const ex = this.examples;
    const key = code in ex.codes || Object.keys(ex.codes).length < MAX_COUNTED_CODES ? code : 'OTHER';
    ex.codes[key] = (ex.codes[key] ?? 0) + 1;
    let list = ex.byCode[key];
    if (!list && Object.keys(ex.byCode).length < MAX_CODES_WITH_EXAMPLES) list = ex.byCode[key] = [];
    if (list) keepExample(list, e, MAX_EXAMPLES_PER_CODE);
  }
}
