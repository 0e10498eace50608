import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countCandidates, sniffDelimiter } from '../../src/source/sniff-delimiter.ts';

describe('delimiter sniffing', () => {
  const cases: Array<{ name: string; text: string; expected: string }> = [
    { name: 'a plain comma file', text: 'a,b,c\n1,2,3\n4,5,6\n', expected: ',' },
    { name: 'a semicolon file with decimal commas in the data', text: 'COST;TIME_MIN;COMMENT\n31,5;0,58;ok\n0;0,00;sin, respuesta\n', expected: ';' },
    { name: 'a tab file', text: 'COD_ACT\tDESCRIPTION\nPP\tPromesa de pago, total\n', expected: '\t' },
    { name: 'a pipe file', text: 'a|b|c\r\n1|2|3\r\n', expected: '|' },
    {
      name: 'a comma file whose quoted values hold semicolons',
      text: 'id,comment\n1,"a;b;c;d"\n2,"e;f;g"\n3,"h;i"\n',
      expected: ',',
    },
    {
      name: 'a semicolon file whose quoted values hold commas and a line break',
      text: 'id;comment;x\n1;"a, b,\nc, d";y\n2;"e,f";z\n',
      expected: ';',
    },
    { name: 'a header-only file', text: 'customer_id;wolkvox_idRecord;comment\r\n', expected: ';' },
    { name: 'a single-column file (defaults to a comma)', text: 'customer_id\n1\n2\n', expected: ',' },
    {
      name: 'a file where the header agrees with most records',
      text: 'a;b;c\n1;2;3\n1;2;3;4\n1;2;3\n',
      expected: ';',
    },
    {
      name: 'a CR-only (old Mac) file',
      text: 'a;b\r1,5;2\r3;4\r',
      expected: ';',
    },
  ];
  for (const c of cases) {
    it(`picks ${JSON.stringify(c.expected)} for ${c.name}`, () => {
      assert.equal(sniffDelimiter(c.text, true), c.expected);
    });
  }

  it('does not count delimiters inside quotes, and keeps quoted line breaks inside their record', () => {
    const records = countCandidates('id,comment\n1,"x,y\nz,w"\n', true);
    assert.deepEqual(records, [
      [1, 0, 0, 0],
      [1, 0, 0, 0],
    ]);
  });

  it('treats a quote in the middle of a value as data, as csv-parse does', () => {
    const records = countCandidates('size,name\n5" screen,tv\n', true);
    assert.deepEqual(records[1], [1, 0, 0, 0]);
  });

  it('leaves out the last record of a partial sample and blank lines', () => {
    assert.equal(countCandidates('a,b\n\n  \n1,2\n3,', false).length, 2);
    assert.equal(countCandidates('a,b\n\n  \n1,2\n3,', true).length, 3);
  });
});
