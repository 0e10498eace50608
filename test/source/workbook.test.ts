/** Issue 14 point 1: .xlsx, .xls (BIFF8) and HTML-table input, recognised by content. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as XLSX from '@e965/xlsx';
import iconv from 'iconv-lite';
import { InputError } from '../../src/errors.ts';
import { countRecords, openSource, reopenOptions } from '../../src/source/index.ts';
import { readAll, tempFile } from './helpers.ts';

export const GESTIONES: string[][] = [
  ['conn_id', 'cod_act', 'description_cod_act', 'customer_id', 'telephone', 'date', 'agent_name'],
  ['C-1', '01', 'PROMESA DE PAGO', '1020304050', '3005551234', '15/08/2026 10:30:05', 'Laura Ríos'],
  ['C-2', '02', 'NO CONTESTA', '80123456', '3105550000', '16/08/2026 9:05:00', 'José Núñez'],
  ['C-3', '01', 'PROMESA DE PAGO', '52987654', '', '17/08/2026 17:45:59', 'Ana "la jefa" Pérez'],
];

/** The rows written as a workbook of text cells, in `bookType`. */
export function workbookBytes(rows: string[][], bookType: 'xlsx' | 'biff8' | 'html', sheets: Record<string, string[][]> = {}): Buffer {
  const wb = XLSX.utils.book_new();
  for (const [name, aoa] of Object.entries(sheets)) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), name);
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Gestiones');
  return XLSX.write(wb, { bookType, type: 'buffer' }) as Buffer;
}

const csvOf = (rows: string[][]): string => rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(',')).join('\r\n') + '\r\n';

describe('workbook input', () => {
  it('the same gestiones as .csv, .xlsx, .xls (BIFF8) and .html read as the same header and records', async () => {
    const csv = await readAll({ path: tempFile(csvOf(GESTIONES)) });
    assert.equal(csv.records.length, 3);
    for (const [bookType, format, name] of [['xlsx', 'xlsx', 'g.xlsx'], ['biff8', 'xls', 'g.xls'], ['html', 'html', 'g.xls']] as const) {
      const path = tempFile(workbookBytes(GESTIONES, bookType), name.replace('g.', `g-${bookType}.`));
      const wb = await readAll({ path });
      assert.equal(wb.error, undefined, bookType);
      assert.equal(wb.source.info.format, format);
      if (bookType !== 'html') assert.equal(wb.source.info.sheet, 'Gestiones');
      assert.deepEqual(wb.source.info.header, csv.source.info.header, bookType);
      assert.deepEqual(wb.records, csv.records, bookType);
      assert.equal(await countRecords({ path }), 3);
    }
  });

  it('typed cells become the text the transforms read: dates ISO, numbers in plain digits', async () => {
    const aoa = [['phone', 'amount', 'small', 'when', 'hour', 'ok'], [3005551234, 12000000, 0.00000015, new Date(2026, 7, 15, 10, 30, 5), 0.5, true]];
    for (const bookType of ['xlsx', 'biff8'] as const) {
      const wb = XLSX.utils.book_new();
      const ws = XLSX.utils.aoa_to_sheet(aoa);
      ws.E2 = { t: 'n', v: 0.5, z: 'hh:mm:ss' };
      XLSX.utils.book_append_sheet(wb, ws, 'S');
      const { records } = await readAll({ path: tempFile(XLSX.write(wb, { bookType, type: 'buffer' }) as Buffer, `typed.${bookType}`) });
      assert.deepEqual(records[0]?.values, ['3005551234', '12000000', '0.00000015', '2026-08-15 10:30:05', '12:00:00', 'TRUE'], bookType);
    }
  });

  it('row numbers are the sheet rows; title rows and empty rows are skipped', async () => {
    const rows = [['Reporte de gestiones'], [], GESTIONES[0]!, GESTIONES[1]!, [], GESTIONES[2]!];
    const { source, records } = await readAll({ path: tempFile(workbookBytes(rows as string[][], 'xlsx'), 'titled.xlsx') });
    assert.equal(source.info.headerLine, 3);
    assert.deepEqual(records.map((r) => [r.row, r.line]), [[1, 4], [2, 6]]);
    assert.match(source.info.warnings?.join('\n') ?? '', /header is on row 3/);
  });

  it('--sheet by name or number; default the first sheet with data; an unknown sheet lists them', async () => {
    const path = tempFile(workbookBytes(GESTIONES, 'xlsx', { Vacía: [], Otra: [['a', 'b'], ['1', '2']] }), 'sheets.xlsx');
    assert.equal((await openSource({ path })).info.sheet, 'Otra');
    assert.equal((await openSource({ path, sheet: '3' })).info.sheet, 'Gestiones');
    assert.equal((await openSource({ path, sheet: 'gestiones' })).info.sheet, 'Gestiones');
    await assert.rejects(openSource({ path, sheet: 'Nope' }), (e: unknown) => e instanceof InputError && /1 "Vacía", 2 "Otra", 3 "Gestiones"/.test(e.message));
  });

  it('a workbook above the size limit is refused with a hint to export CSV', async () => {
    const path = tempFile(workbookBytes(GESTIONES, 'xlsx'), 'big.xlsx');
    await assert.rejects(openSource({ path, maxWorkbookBytes: 1000 }), (e: unknown) => e instanceof InputError && /limit for workbooks .*export the data as CSV/.test(e.message));
  });

  it('a zip that is not a workbook is a binary file', async () => {
    await assert.rejects(openSource({ path: tempFile(Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(40)]), 'a.zip') }), /zip archive/);
  });
});

describe('HTML exports in other encodings', () => {
  const html = '<html><body><table><tr><td>nombre</td><td>código</td></tr><tr><td>Núñez</td><td>01</td></tr></table></body></html>';
  it('a Windows-1252 HTML report (no charset) reads its accents', async () => {
    const { source, records } = await readAll({ path: tempFile(iconv.encode(html, 'windows-1252'), 'report-1252.xls') });
    assert.deepEqual(source.info.header, ['nombre', 'código']);
    assert.deepEqual(records[0]?.values, ['Núñez', '01']);
  });
  it('a <meta charset> is honoured, and --encoding wins', async () => {
    const greek = html.replace('<html>', '<html><head><meta charset="iso-8859-7"></head>').replace('Núñez', 'Ελλάδα');
    const { records } = await readAll({ path: tempFile(iconv.encode(greek, 'iso-8859-7'), 'greek.html') });
    assert.deepEqual(records[0]?.values, ['Ελλάδα', '01']);
    const forced = await readAll({ path: tempFile(iconv.encode(html, 'latin1'), 'latin.html'), encoding: 'latin1' });
    assert.deepEqual(forced.records[0]?.values, ['Núñez', '01']);
  });
});

describe('reading a workbook again', () => {
  it('a Windows-1252 HTML report reopened with reopenOptions (as the result file does) reads the same values', async () => {
    const html = '<html><body><table><tr><td>nombre</td><td>código</td></tr><tr><td>Núñez</td><td>01</td></tr></table></body></html>';
    const path = tempFile(iconv.encode(html, 'windows-1252'), 'again.xls');
    const first = await readAll({ path });
    assert.equal(first.source.info.encoding, 'windows-1252');
    const again = await readAll(reopenOptions({ input: path }, first.source.info));
    assert.deepEqual(again.records, first.records);
  });
});
