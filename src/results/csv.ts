/**
 * CSV cell rendering for result files. A cell a spreadsheet would run as a formula (starting with
 * =, +, -, @, tab or CR, or the full-width ＝ ＋ － ＠ some spreadsheets read the same way) is
 * prefixed with a single quote (OWASP's CSV-injection advice).
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function cell(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return '';
  let v = typeof value === 'number' ? String(value) : value;
  if (v === '') return '';
  if (typeof value === 'string' && FORMULA_START.test(v)) v = `'${v}`;
  return NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function line(cells: readonly (string | number | undefined | null)[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) out += ',';
    out += cell(cells[i]);
  }
  return out + '\r\n';
}

export const RESULT_COLUMNS = ['row', 'status', 'wolkvox_id', 'error', 'attempts'] as const;
