/**
 * Workbook input: .xlsx, .xls (BIFF8) and HTML-table exports (wolkvox Manager's "XLS" may be any
 * of them), recognised by their first bytes, never by the file name. Read with SheetJS CE
 * (`@e965/xlsx`, loaded only here, only for such files; docs/architecture.md says why this
 * package and version). SheetJS reads the whole workbook into memory, so files above
 * maxWorkbookBytes are refused with a hint to export CSV.
 *
 * Cells become the text the transforms already read: a date cell → `yyyy-MM-dd HH:mm:ss`
 * (`HH:mm:ss` for a time of day), a number → its plain decimal digits (never `1.2E+7`: a phone
 * stored as a number keeps every digit), text as it is. HTML cells are kept as written.
 * Records carry the sheet's row numbers as their `line`; title rows above the header are skipped
 * as in a CSV file (header-line.ts); empty rows are dropped.
 */
import iconv from 'iconv-lite';
import { InputError, InternalError } from '../errors.ts';
import { detectEncoding } from './detect-encoding.ts';
import type { SourceRecord } from '../types.ts';
import { duplicates, findHeaderRow, nonEmpty } from './header-line.ts';
import { readAt, type OpenedFile } from './open-file.ts';
import type { NormalizedSourceOptions, Source, SourceInfo } from './options.ts';

export type WorkbookKind = 'xlsx' | 'xls' | 'html';

/** The SheetJS version this code was written and tested against (pinned in package.json). */
const SHEETJS_VERSION = '0.20.3';

type XlsxModule = typeof import('@e965/xlsx');
type WorkSheet = import('@e965/xlsx').WorkSheet;
type CellObject = import('@e965/xlsx').CellObject;

const starts = (b: Buffer, bytes: readonly number[]): boolean => bytes.every((x, i) => b[i] === x);

/** 'xls' (OLE2/BIFF), 'xlsx' (a zip holding an Excel part), 'html' (markup), or undefined (text: CSV). */
export function workbookKind(sample: Buffer): WorkbookKind | undefined {
  if (starts(sample, [0xd0, 0xcf, 0x11, 0xe0])) return 'xls';
  if (starts(sample, [0x50, 0x4b, 0x03, 0x04])) return sample.includes('[Content_Types].xml') || sample.includes('xl/') ? 'xlsx' : undefined;
  const head = sample.subarray(0, 4096).toString('latin1').replace(/^(\xef\xbb\xbf|\xff\xfe|\xfe\xff)/, '').trimStart();
  if (!head.startsWith('<')) return undefined;
  return /<(html|table|!doctype html|\?xml|body|head|meta)\b/i.test(head) ? 'html' : undefined;
}

let loaded: XlsxModule | undefined;

/** The SheetJS module, loaded on first use and checked to be the pinned version. */
async function loadXlsx(): Promise<XlsxModule> {
  if (loaded) return loaded;
  const mod = (await import('@e965/xlsx')) as XlsxModule & { default?: XlsxModule };
  const x = typeof mod.read === 'function' ? mod : (mod.default as XlsxModule);
  if (x.version !== SHEETJS_VERSION) {
    throw new InternalError(`@e965/xlsx ${x.version} is installed, but this build expects ${SHEETJS_VERSION} (reinstall with npm ci)`);
  }
  loaded = x;
  return x;
}

/**
 * The last workbook parsed, by path, size, modification time and encoding: an import reads its input
 * up to three times (the progress total, the run, the result file), and a workbook is parsed whole.
 */
let lastParsed: { key: string; wb: import('@e965/xlsx').WorkBook; encoding: string } | undefined;

export async function openWorkbook(file: OpenedFile, kind: WorkbookKind, o: NormalizedSourceOptions): Promise<Source> {
  let buf: Buffer;
  let key: string;
  try {
    if (file.size > o.maxWorkbookBytes) throw tooBig(file, kind, o.maxWorkbookBytes);
    key = [file.path, file.size, (await file.handle.stat()).mtimeMs, kind === 'html' ? (o.encoding ?? '') : ''].join('\0');
    buf = lastParsed?.key === key ? Buffer.alloc(0) : file.complete ? file.sample : await readAt(file.handle, file.path, 0, file.size);
  } finally {
    await file.handle.close().catch(() => undefined);
  }
  const X = await loadXlsx();
  const parsed = lastParsed?.key === key ? lastParsed : { key, ...parseWorkbook(X, buf, kind, { path: file.path, encoding: o.encoding }) };
  lastParsed = parsed;
  const { wb } = parsed;
  const name = pickSheet(wb, o.sheet, file.path);
  const sheet = new SheetText(X, wb.Sheets[name] as WorkSheet, Boolean(wb.Workbook?.WBProps?.date1904));
  return sheetSource(sheet, { file: file.path, kind, name, headerLine: o.headerLine, encoding: parsed.encoding });
}

/** The workbook, and the encoding its text was decoded with (HTML; 'utf-8' for Excel files, whose text is Unicode). */
function parseWorkbook(X: XlsxModule, buf: Buffer, kind: WorkbookKind, at: { path: string; encoding: string | undefined }): { wb: import('@e965/xlsx').WorkBook; encoding: string } {
  const { path, encoding } = at;
  try {
    const opts = { dense: true, raw: kind === 'html', cellNF: true, cellHTML: false } as const;
    // SheetJS reads HTML bytes as UTF-8: a Windows-1252 report (Manager's "XLS") is decoded here first.
    if (kind !== 'html') return { wb: X.read(buf, { ...opts, type: 'buffer' }), encoding: 'utf-8' };
    const html = htmlText(buf, path, encoding);
    return { wb: X.read(html.text, { ...opts, type: 'string' }), encoding: html.encoding };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${path}: looks like an ${kind === 'html' ? 'HTML' : 'Excel'} file but cannot be read (${(err as Error).message}); open it in Excel and save it as CSV`, { file: path });
  }
}

/** An HTML export's text: --encoding, else its BOM, else its `<meta charset>`, else UTF-8 when valid, else Windows-1252. */
function htmlText(buf: Buffer, path: string, forced: string | undefined): { text: string; encoding: string } {
  const meta = /<meta[^>]+charset=["']?([\w-]+)/i.exec(buf.subarray(0, 4096).toString('latin1'))?.[1];
  const declared = meta !== undefined && iconv.encodingExists(meta) ? meta : undefined;
  const detected = detectEncoding(buf, true, path, forced);
  const encoding = forced ?? (detected.bomLength > 0 || declared === undefined ? detected.encoding : declared);
  return { text: iconv.decode(buf.subarray(detected.bomLength), encoding), encoding };
}

function tooBig(file: OpenedFile, kind: WorkbookKind, limit: number): InputError {
  const mb = (n: number): string => (n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0);
  return new InputError(
    `${file.path}: is ${kind === 'html' ? 'an HTML' : `an ${kind}`} workbook of ${mb(file.size)} MB, above the ${mb(limit)} MB limit for workbooks (they are read whole into memory); export the data as CSV instead, or raise --max-workbook-mb`,
    { file: file.path },
  );
}

/** The sheet asked for (a name, or a 1-based number), else the first sheet holding data. */
function pickSheet(wb: import('@e965/xlsx').WorkBook, wanted: string | undefined, path: string): string {
  const names = wb.SheetNames;
  if (wanted === undefined) return names.find((n) => hasData(wb.Sheets[n])) ?? (names[0] as string);
  const exact = names.find((n) => n === wanted) ?? names.find((n) => n.trim().toLowerCase() === wanted.trim().toLowerCase());
  if (exact !== undefined) return exact;
  const n = /^\d+$/.test(wanted.trim()) ? Number(wanted) : NaN;
  if (n >= 1 && n <= names.length) return names[n - 1] as string;
  throw new InputError(`${path}: --sheet ${JSON.stringify(wanted)}: no such sheet; the workbook has ${names.map((s, i) => `${i + 1} ${JSON.stringify(s)}`).join(', ')}`, { file: path });
}

function hasData(ws: WorkSheet | undefined): boolean {
  const rows = (ws?.['!data'] ?? []) as (CellObject[] | undefined)[];
  return rows.some((r) => r?.some((c) => c !== undefined && c.v !== undefined && String(c.v).trim() !== ''));
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A number as plain decimal digits: 12000000, not 1.2E+7; 0.00000015, not 1.5e-7. */
function plainNumber(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  if (Number.isInteger(n)) return BigInt(n).toString();
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** One sheet's cells as text, row by row. */
class SheetText {
  readonly first: number;
  readonly last: number;
  private readonly firstCol: number;
  private readonly rows: (CellObject[] | undefined)[];

  constructor(
    private readonly X: XlsxModule,
    ws: WorkSheet,
    private readonly date1904: boolean,
  ) {
    const range = X.utils.decode_range(ws['!ref'] ?? 'A1:A1');
    this.first = range.s.r;
    this.last = range.e.r;
    this.firstCol = range.s.c;
    this.rows = (ws['!data'] ?? []) as (CellObject[] | undefined)[];
  }

  /** Row `r` (0-based) as text, from the sheet's first column to its last non-empty cell. */
  row(r: number): string[] {
    const cells = this.rows[r] ?? [];
    const out: string[] = [];
    for (let c = this.firstCol; c < cells.length; c++) out.push(this.text(cells[c]));
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  }

  private text(cell: CellObject | undefined): string {
    if (cell === undefined || cell.v === undefined || cell.v === null) return '';
    switch (cell.t) {
      case 'n':
        return typeof cell.z === 'string' && this.X.SSF.is_date(cell.z) ? this.date(cell.v as number) : plainNumber(cell.v as number);
      case 'd':
        return localDate(cell.v as Date);
      case 'b':
        return cell.v ? 'TRUE' : 'FALSE';
      case 'e':
        return cell.w ?? '';
      default:
        return String(cell.v);
    }
  }

  /** An Excel date serial → `yyyy-MM-dd HH:mm:ss` (a time of day alone: `HH:mm:ss`). */
  private date(serial: number): string {
    const p = this.X.SSF.parse_date_code(serial, { date1904: this.date1904 });
    if (!p) return plainNumber(serial);
    const time = `${pad(p.H)}:${pad(p.M)}:${pad(p.S)}`;
    return serial < 1 && serial >= 0 ? time : `${p.y}-${pad(p.m)}-${pad(p.d)} ${time}`;
  }
}

interface SheetContext {
  /** The encoding the text was decoded with (HTML), reported so the result file reads it the same way. */
  encoding: string;
  file: string;
  kind: WorkbookKind;
  name: string;
  headerLine: number | undefined;
}

const LOOK_ROWS = 21;

/** The header row (0-based sheet row): forced, or found below any title rows. */
function headerRow(sheet: SheetText, ctx: SheetContext): number {
  if (ctx.headerLine !== undefined) return ctx.headerLine - 1;
  const seen: { r: number; values: string[] }[] = [];
  for (let r = sheet.first; r <= sheet.last && seen.length < LOOK_ROWS; r++) {
    const values = sheet.row(r);
    if (nonEmpty(values) > 0) seen.push({ r, values });
  }
  if (seen.length === 0) throw new InputError(`${ctx.file}: sheet ${JSON.stringify(ctx.name)} is empty (no header row)`, { file: ctx.file });
  const h = findHeaderRow(seen.map((s) => s.values), false) ?? 0;
  return (seen[h] as { r: number }).r;
}

function sheetSource(sheet: SheetText, ctx: SheetContext): Source {
  const h = headerRow(sheet, ctx);
  const header = sheet.row(h).map((v) => v.trim());
  if (nonEmpty(header) === 0) throw new InputError(`${ctx.file}: sheet ${JSON.stringify(ctx.name)}, row ${h + 1}: the header row is empty`, { file: ctx.file });
  const warnings: string[] = [];
  const titleRows = countTitles(sheet, h);
  if (titleRows > 0 && ctx.headerLine === undefined) {
    warnings.push(`${ctx.file}: sheet ${JSON.stringify(ctx.name)}: the header is on row ${h + 1}; ${titleRows} row(s) above it (a title) were skipped; give --header-line to choose another row`);
  }
  const info: SourceInfo = {
    encoding: ctx.encoding, bom: true, delimiter: ',', header, duplicateHeaders: duplicates(header),
    format: ctx.kind, sheet: ctx.name, headerLine: h + 1, lineEnding: '\r\n', warnings,
  };
  const records = rowsBelow(sheet, h, header.length);
  return { info, records, close: async () => void (await records.return(undefined)) };
}

function countTitles(sheet: SheetText, h: number): number {
  let n = 0;
  for (let r = sheet.first; r < h; r++) if (nonEmpty(sheet.row(r)) > 0) n++;
  return n;
}

async function* rowsBelow(sheet: SheetText, h: number, width: number): AsyncGenerator<SourceRecord, void, undefined> {
  let row = 0;
  for (let r = h + 1; r <= sheet.last; r++) {
    const values = sheet.row(r);
    if (nonEmpty(values) === 0) continue;
    const found = values.length;
    while (values.length < width) values.push('');
    row++;
    if (found > width) {
      values.length = width;
      yield { row, line: r + 1, values, problem: `line ${r + 1}: expected ${width} fields, found ${found} (cells right of the header's last column)` };
    } else {
      yield { row, line: r + 1, values };
    }
  }
}
