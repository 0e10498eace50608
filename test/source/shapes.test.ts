/** Issue 14 points 2–5 and 8: the shapes real exports have (mixed line endings, title lines, stray NULs, encodings, no data). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { InputError } from '../../src/errors.ts';
import { countRecords, openSource } from '../../src/source/index.ts';
import { readAll, readText, tempFile } from './helpers.ts';

const HEADER = 'id;name;phone;code';
const row = (i: number): string => `${i};Name ${i};300555${String(i).padStart(4, '0')};0${i % 3}`;

describe('mixed line endings', () => {
  it('a CRLF file with LF lines appended reads 40 rows of 4 fields, none with a stray CR', async () => {
    const lines = [HEADER, ...Array.from({ length: 40 }, (_, i) => row(i + 1))];
    const text = `${lines.slice(0, 21).join('\r\n')}\r\n${lines.slice(21).join('\n')}\n`;
    for (const chunkBytes of [undefined, 7]) {
      const { records, error } = await readText(text, {}, { chunkBytes });
      assert.equal(error, undefined);
      assert.equal(records.length, 40);
      assert.ok(records.every((r) => r.problem === undefined && r.values.length === 4 && !r.values.some((v) => /[\r\n]/.test(v))));
      assert.deepEqual(records.map((r) => r.line), Array.from({ length: 40 }, (_, i) => i + 2));
    }
    assert.equal(await countRecords({ path: tempFile(text) }), 40);
  });

  it('a CR-only line and a last line ending in CR do not leave a CR in a value', async () => {
    const { records } = await readText(`a,b\r\n1,2\r3,4\n5,6\r`);
    assert.deepEqual(records.map((r) => r.values), [['1', '2'], ['3', '4'], ['5', '6']]);
    assert.deepEqual(records.map((r) => r.line), [2, 3, 4]);
  });

  it('a quoted value keeps its own line break', async () => {
    const { records } = await readText(`a,b\n"x\r\ny",2\r\n3,4\n`);
    assert.deepEqual(records.map((r) => [r.line, ...r.values]), [[2, 'x\r\ny', '2'], [4, '3', '4']]);
  });
});

describe('title lines above the header', () => {
  const titled = ['Reporte de gestiones', 'Desde: 01/08/2026 hasta 31/08/2026', '# generado por Manager', HEADER, row(1), row(2), row(3)].join('\r\n');

  it('a ; file with three title lines: the header is found, the delimiter sniffed below, a warning names the lines', async () => {
    const { source, records } = await readText(titled);
    assert.equal(source.info.delimiter, ';');
    assert.deepEqual(source.info.header, ['id', 'name', 'phone', 'code']);
    assert.equal(source.info.headerLine, 4);
    assert.deepEqual(records.map((r) => [r.row, r.line, r.values[0]]), [[1, 5, '1'], [2, 6, '2'], [3, 7, '3']]);
    assert.match(source.info.warnings?.join('\n') ?? '', /header is on line 4; lines 1–3 .*"Reporte de gestiones"/);
  });

  it('Excel-style titles padded with delimiters, a blank line between', async () => {
    const { source, records } = await readText(`Reporte;;;\r\n;;;\r\n${HEADER}\r\n${row(1)}\r\n${row(2)}\r\n`);
    assert.deepEqual(source.info.header, ['id', 'name', 'phone', 'code']);
    assert.equal(records.length, 2);
  });

  it('--header-line forces the line', async () => {
    const { source, records } = await readText(titled, { headerLine: 5 });
    assert.deepEqual(source.info.header, ['1', 'Name 1', '3005550001', '01']);
    assert.equal(source.info.delimiter, ';');
    assert.equal(records.length, 2);
  });

  it('a plain file and a header narrower than its rows are left as they are', async () => {
    assert.equal((await readText(`${HEADER}\n${row(1)}\n`)).source.info.headerLine, 1);
    const narrow = await readText('a,b\n1,2,3\n4,5,6\n');
    assert.deepEqual(narrow.source.info.header, ['a', 'b']);
    assert.equal(narrow.records.length, 2);
  });
});

describe('stray NUL bytes', () => {
  it('one NUL in a text file: removed, with a warning that counts it and names its line', async () => {
    const text = Buffer.from(`${HEADER}\n${row(1)}\n${row(2)}\n`);
    const at = text.indexOf('Name 2');
    const bytes = Buffer.concat([text.subarray(0, at), Buffer.from([0]), text.subarray(at)]);
    const { source, records, error } = await readAll({ path: tempFile(bytes) });
    assert.equal(error, undefined);
    assert.deepEqual(records[1]?.values, ['2', 'Name 2', '3005550002', '02']);
    assert.match(source.info.warnings?.join('\n') ?? '', /1 NUL byte .*removed, the first on line 3/);
  });

  it('--encoding does not bypass the check for a real binary, which is named', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
    await assert.rejects(openSource({ path: tempFile(png), encoding: 'latin1' }), (e: unknown) => e instanceof InputError && /a PNG image/.test(e.message));
    await assert.rejects(openSource({ path: tempFile(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])) }), /gzip/);
  });
});

describe('encodings', () => {
  it('a Big5 file with --encoding big5 decodes', async () => {
    const path = tempFile(iconv.encode('編號,姓名\r\n1,陳大文\r\n', 'big5'));
    const { source, records } = await readAll({ path, encoding: 'big5' });
    assert.equal(source.info.encoding, 'big5');
    assert.deepEqual(source.info.header, ['編號', '姓名']);
    assert.deepEqual(records[0]?.values, ['1', '陳大文']);
  });

  it('latin9 and iso-8859-7 are accepted', async () => {
    const greek = await readAll({ path: tempFile(iconv.encode('a,b\n1,Ελλάδα\n', 'iso-8859-7')), encoding: 'iso-8859-7' });
    assert.deepEqual(greek.records[0]?.values, ['1', 'Ελλάδα']);
    const euro = await readAll({ path: tempFile(iconv.encode('a,b\n1,€\n', 'latin9')), encoding: 'LATIN9' });
    assert.deepEqual(euro.records[0]?.values, ['1', '€']);
  });

  it('detection warns when Windows-1252 meets one of its undefined bytes', async () => {
    const { source } = await readAll({ path: tempFile(Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xa4, 0x81]), Buffer.from('\n')])) });
    assert.equal(source.info.encoding, 'windows-1252');
    assert.match(source.info.warnings?.join('\n') ?? '', /undefined in that encoding.*--encoding/);
  });
});

describe('no data rows', () => {
  it('a header-only file opens with a "0 data rows" warning', async () => {
    const { source, records, error } = await readText('a,b,c\r\n');
    assert.equal(error, undefined);
    assert.equal(records.length, 0);
    assert.match(source.info.warnings?.join('\n') ?? '', /0 data rows/);
  });

  it('a file with data has no such warning', async () => {
    const { source } = await readText('a,b\n1,2\n');
    assert.deepEqual(source.info.warnings, []);
  });
});
