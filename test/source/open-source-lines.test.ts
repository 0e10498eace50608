import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { countRecords } from '../../src/source/index.ts';
import { readAll, readText, tempFile } from './helpers.ts';

/** [line where the record starts, first value] per record. */
type Expect = Array<[number, string]>;

const cases: Array<{ name: string; text: string; records: Expect; count?: number }> = [
  { name: 'LF line ends', text: 'a,b\n1,x\n2,y\n', records: [[2, '1'], [3, '2']] },
  { name: 'CRLF line ends', text: 'a,b\r\n1,x\r\n2,y\r\n', records: [[2, '1'], [3, '2']] },
  { name: 'CR line ends', text: 'a,b\r1,x\r2,y\r', records: [[2, '1'], [3, '2']] },
  { name: 'no line end after the last record', text: 'a,b\n1,x\n2,y', records: [[2, '1'], [3, '2']] },
  { name: 'blank lines between records', text: 'a,b\n\n1,x\n\n\n2,y\n', records: [[3, '1'], [6, '2']] },
  { name: 'blank lines before the header', text: '\n\na,b\n1,x\n', records: [[4, '1']] },
  { name: 'trailing whitespace-only lines', text: 'a,b\r\n1,x\r\n2,y\r\n   \r\n\t\r\n\r\n', records: [[2, '1'], [3, '2']] },
  { name: 'lines of only tabs in a tab-separated file', text: 'a\tb\n1\tx\n\t\n  \t \n2\ty\n\t\t\n', records: [[2, '1'], [5, '2']] },
  { name: 'an LF inside quotes', text: 'a,b\n1,"x\ny"\n2,y\n', records: [[2, '1'], [4, '2']], count: 3 },
  { name: 'a CRLF inside quotes in a CRLF file', text: 'a,b\r\n1,"x\r\ny\r\nz"\r\n2,y\r\n', records: [[2, '1'], [5, '2']], count: 4 },
  { name: 'a CR inside quotes in a CR file', text: 'a,b\r1,"x\ry"\r2,y\r', records: [[2, '1'], [4, '2']], count: 3 },
  { name: 'a quoted line break in the header', text: '"a\nb",c\n1,x\n2,y\n', records: [[3, '1'], [4, '2']], count: 3 },
  { name: 'a blank line inside quotes', text: 'a,b\n1,"x\n\ny"\n2,y\n', records: [[2, '1'], [5, '2']], count: 3 },
  { name: 'an LF file with a few CRLF lines', text: 'a,b\n1,x\r\n2,y\r\n3,z\n', records: [[2, '1'], [3, '2'], [4, '3']] },
  { name: 'a quoted delimiter', text: 'a;b\n"1;2";x\n', records: [[2, '1;2']] },
  { name: 'a stray quote inside an unquoted value', text: 'a,b\n5" screen,tv\n', records: [[2, '5" screen']] },
];

describe('record and line numbering', () => {
  for (const c of cases) {
    for (const chunkBytes of [1, 2, 3, 7, undefined]) {
      const size = chunkBytes === undefined ? 'default reads' : `${chunkBytes}-byte reads`;
      it(`numbers records by the line they start on with ${c.name} (${size})`, async () => {
        const { records, error } = await readText(c.text, {}, { chunkBytes });
        assert.equal(error, undefined);
        assert.deepEqual(
          records.map((r) => [r.line, r.values[0]]),
          c.records,
        );
        assert.deepEqual(
          records.map((r) => r.row),
          c.records.map((_, i) => i + 1),
        );
      });
    }
    it(`counts ${c.count ?? c.records.length} records with ${c.name}`, async () => {
      assert.equal(await countRecords({ path: tempFile(c.text) }), c.count ?? c.records.length);
    });
  }

  it('keeps values exactly as in the file: spaces, quotes and line breaks', async () => {
    const { records } = await readText('a,b,c\n  x  ," y ","p\r\nq"\n');
    assert.deepEqual(records[0]!.values, ['  x  ', ' y ', 'p\r\nq']);
  });

  it('numbers lines the same in UTF-16 and Windows-1252 files read in small pieces', async () => {
    const text = 'a;b\r\nPeña;"Gestión\r\ncon salto"\r\n\r\nÑandú;ok\r\n';
    for (const [encoding, bytes] of [
      ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])],
      ['utf-16be', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')])],
      ['windows-1252', iconv.encode(text, 'windows-1252')],
    ] as const) {
      const { source, records } = await readAll({ path: tempFile(bytes) }, { chunkBytes: 3 });
      assert.equal(source.info.encoding, encoding);
      assert.deepEqual(
        records.map((r) => [r.line, ...r.values]),
        [
          [2, 'Peña', 'Gestión\r\ncon salto'],
          [5, 'Ñandú', 'ok'],
        ],
        encoding,
      );
    }
  });
});
