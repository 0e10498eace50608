/** init-mapping on real export shapes (issues 13.1, 14.3, 14.9): never a "next:" command that fails. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { runCli, tmp } from '../helpers.ts';

describe('init-mapping on export shapes', () => {
  it('a ; export with a title line and an impossible date: header found, the date kept, the bad line named, next says what to add first', async () => {
    const dir = tmp();
    const input = join(dir, 'export.csv');
    writeFileSync(input, 'Reporte de gestiones\r\nNUM_DOCUMENTO;NOMBRE_COMPLETO;FECHA\r\n1020;Ana Gómez;15/08/2026\r\n1030;Luis Paz;31/02/2026\r\n1040;Eva Ríos;16/08/2026\r\n');
    const run = await runCli(['init-mapping', input, '--lang', 'en'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /header is on line 2/);
    assert.match(run.stdout, /customer_id +← NUM_DOCUMENTO/);
    assert.match(run.stdout, /date +← .*"from":"d\/M\/yyyy"/);
    assert.match(run.stdout, /"d\/M\/yyyy" reads most values; these lines do not .*: 4/);
    // What to add comes first, then the command (which fails until it is added).
    assert.match(run.stdout, /^first: add wolkvox_idRecord, tipifycation_code, tipifycation_desc to \S+ \(validate refuses the mapping without them\)\nnext: wolkvox-import validate /m);
  });

  it('reads a workbook: --sheet picks the sheet, --header-line the row', async () => {
    const dir = tmp();
    const input = join(dir, 'export.xlsx');
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['otra', 'cosa'], ['1', '2']]), 'Resumen');
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Reporte'], ['NUM_DOCUMENTO', 'Gestor'], ['1020', 'Ana']]), 'Detalle');
    writeFileSync(input, XLSX.write(wb, { bookType: 'xlsx', type: 'buffer' }) as Buffer);
    const run = await runCli(['init-mapping', input, '--lang', 'en', '--sheet', 'Detalle', '--header-line', '2'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /customer_id +← NUM_DOCUMENTO/);
    assert.match(run.stdout, /agent_name +← Gestor/);
  });
});

