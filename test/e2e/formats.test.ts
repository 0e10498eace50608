/**
 * Issue 14, end to end against the emulator: the same gestiones as .csv, .xlsx, .xls (BIFF8) and
 * .html send identical bodies and give identical result columns; the rejects file round-trips
 * (reject, fix, import, all ok) in the input's own form.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import * as XLSX from '@e965/xlsx';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { readResults, runCli, tmp } from '../helpers.ts';

const TOKEN = 'tok-formats';
const HEADER = ['call_id', 'codigo', 'descripcion', 'registro', 'nombre', 'telefono', 'fecha'];
const ROWS: string[][] = Array.from({ length: 12 }, (_, i) => [
  `C${String(i + 1).padStart(4, '0')}`, '01', 'PROMESA DE PAGO', i === 4 ? '' : `R${i + 1}`, `Núñez, José ${i + 1}`, `300555${String(i).padStart(4, '0')}`, `${(i % 28) + 1}/08/2026 9:0${i % 10}:05`,
]);
const MAPPING = {
  fields: {
    wolkvox_idCall: 'call_id', tipifycation_code: 'codigo', tipifycation_desc: 'descripcion', wolkvox_idRecord: 'registro', client_name: 'nombre',
    client_telephone: { column: 'telefono', transforms: ['digits'] },
    date: { column: 'fecha', transforms: [{ date: { from: 'd/M/yyyy H:mm:ss' } }] },
    time: { column: 'fecha', transforms: [{ date: { from: 'd/M/yyyy H:mm:ss', to: 'HH:mm:ss' } }] },
  },
  dedupeKey: ['wolkvox_idCall'],
};

const quote = (v: string, d: string): string => (v.includes(d) || v.includes('"') ? `"${v.replaceAll('"', '""')}"` : v);
const csvText = (rows: string[][], d = ','): string => rows.map((r) => r.map((v) => quote(v, d)).join(d)).join('\r\n') + '\r\n';

function book(rows: string[][], bookType: 'xlsx' | 'biff8' | 'html'): Buffer {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 'Gestiones');
  return XLSX.write(wb, { bookType, type: 'buffer' }) as Buffer;
}

describe('every export form end to end', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ latencyMs: { min: 1, max: 3 }, tokens: [TOKEN] });
  });
  after(() => emu.close());

  async function importFile(dir: string, input: string, extra: string[] = [], out = join(dir, 'r.csv')): Promise<{ code: number | null; stderr: string; out: string }> {
    const mapping = join(dir, 'mapping.json');
    writeFileSync(mapping, JSON.stringify(MAPPING));
    const run = await runCli(['import', input, '--mapping', mapping, '--server', emu.url, '--operation', 'op', '--out', out, '--quiet', ...extra], { cwd: dir, env: { WOLKVOX_TOKEN: TOKEN } });
    return { code: run.code, stderr: run.stderr, out };
  }

  it('.csv, .xlsx, .xls (BIFF8) and .html: identical API bodies and identical result columns', async () => {
    const all = [HEADER, ...ROWS];
    const forms: [string, Buffer | string][] = [
      ['g.csv', csvText(all)], ['g.xlsx', book(all, 'xlsx')], ['g.xls', book(all, 'biff8')], ['report.xls', book(all, 'html')],
    ];
    const seen: { bodies: unknown[]; results: unknown[] }[] = [];
    for (const [name, bytes] of forms) {
      emu.reset();
      const dir = tmp();
      const input = join(dir, name);
      writeFileSync(input, bytes);
      const run = await importFile(dir, input);
      assert.equal(run.code, 1, `${name}: ${run.stderr}`); // row 5 has no record: invalid
      const bodies = emu.inserted.map((x) => x.fields).sort((a, b) => String(a.wolkvox_idCall).localeCompare(String(b.wolkvox_idCall)));
      const results = readResults(run.out).map(({ wolkvox_id: _id, ...rest }) => rest);
      assert.equal(bodies.length, 11, name);
      seen.push({ bodies, results });
    }
    assert.equal((seen[0]!.bodies[0] as Record<string, string>).date, '2026-08-01');
    assert.equal((seen[0]!.bodies[0] as Record<string, string>).client_telephone, '3005550000');
    for (let i = 1; i < seen.length; i++) {
      assert.deepEqual(seen[i]!.bodies, seen[0]!.bodies, forms[i]![0]);
      assert.deepEqual(seen[i]!.results, seen[0]!.results, forms[i]![0]);
    }
  });

  it('rejects round-trip: reject, fix, import the rejects file as it is, all ok (Windows-1252, ;, CRLF kept)', async () => {
    emu.reset();
    const dir = tmp();
    const input = join(dir, 'gestiones.csv');
    const bad = ROWS.map((r, i) => (i % 4 === 1 ? r.map((v, c) => (c === 3 ? '' : v)) : r)); // rows 2, 5, 6, 10 lack the record
    writeFileSync(input, iconv.encode(csvText([HEADER, ...bad], ';'), 'windows-1252'));
    const rejects = join(dir, 'rechazos.csv');
    const first = await importFile(dir, input, ['--rejects', rejects]);
    assert.equal(first.code, 1, first.stderr);
    assert.equal(emu.inserted.length, 8);

    const bytes = readFileSync(rejects);
    assert.equal(bytes.indexOf(Buffer.from('Núñez', 'utf8')), -1, 'written in the input encoding, not UTF-8');
    const text = iconv.decode(bytes, 'windows-1252');
    const lines = text.split('\r\n');
    assert.equal(lines[0], [...HEADER, 'reason'].join(';'));
    assert.equal(lines.length, 1 + 4 + 1); // header, 4 rejected rows, the empty string after the last CRLF
    assert.match(lines[1]!, /^C0002;01;PROMESA DE PAGO;;Núñez, José 2;3005550001;2\/08\/2026 9:01:05;INVALID: wolkvox_idRecord/);

    // The operator fixes the record column in a spreadsheet and saves (same form), keeping `reason`.
    const fixed = lines.map((l, i) => (i === 0 || l === '' ? l : l.replace(/^(C(\d+);01;PROMESA DE PAGO;)/, (_m, p: string, n: string) => `${p}R${Number(n)}`)));
    writeFileSync(rejects, iconv.encode(fixed.join('\r\n'), 'windows-1252'));
    const second = await importFile(dir, rejects, [], join(dir, 'r2.csv'));
    assert.equal(second.code, 0, second.stderr);
    assert.equal(emu.inserted.length, 12);
    assert.deepEqual(new Set(emu.inserted.map((x) => x.fields.wolkvox_idCall)).size, 12, 'every row once');
    assert.equal(emu.inserted.find((x) => x.fields.wolkvox_idCall === 'C0002')?.fields.client_name, 'Núñez, José 2');
  });

  it('a workbook\'s rejects are CSV in UTF-8 with a BOM', async () => {
    emu.reset();
    const dir = tmp();
    const input = join(dir, 'g.xlsx');
    writeFileSync(input, book([HEADER, ...ROWS], 'xlsx'));
    const rejects = join(dir, 'rej.csv');
    const run = await importFile(dir, input, ['--rejects', rejects]);
    assert.equal(run.code, 1, run.stderr);
    const text = readFileSync(rejects, 'utf8');
    assert.ok(text.startsWith('\uFEFFcall_id,codigo,'));
    assert.match(text, /\r\nC0005,01,PROMESA DE PAGO,,"Núñez, José 5",3005550004,5\/08\/2026 9:04:05,INVALID: wolkvox_idRecord/);
  });

  it('a ; file with three title lines imports with the header found; a header-only file exits 0 with a "0 data rows" warning', async () => {
    emu.reset();
    const dir = tmp();
    const input = join(dir, 'titled.csv');
    writeFileSync(input, `Reporte de gestiones\r\nDesde 01/08/2026 hasta 31/08/2026\r\n# Manager\r\n${csvText([HEADER, ...ROWS.filter((_r, i) => i !== 4)], ';')}`);
    const run = await importFile(dir, input);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(emu.inserted.length, 11);
    assert.match(run.stderr, /header is on line 4/);
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, `${HEADER.join(';')}\r\n`);
    const none = await importFile(dir, empty, [], join(dir, 'r3.csv'));
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stderr, /0 data rows/);
  });
});
