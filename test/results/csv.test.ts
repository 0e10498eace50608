import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cell, line } from '../../src/results/csv.ts';

describe('result CSV cells', () => {
  const table: [string | number | undefined | null, string][] = [
    ['plain', 'plain'],
    ['', ''],
    [undefined, ''],
    [null, ''],
    [0, '0'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+57300', "'+57300"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['\uFF1DHYPERLINK("x")', `"'\uFF1DHYPERLINK(""x"")"`],
    ['\uFF0B57300', "'\uFF0B57300"],
    ['\uFF0D1', "'\uFF0D1"],
    ['\uFF20SUM(A1)', "'\uFF20SUM(A1)"],
    ['a\uFF1D1', 'a\uFF1D1'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['Peña Gestión', 'Peña Gestión'],
  ];
  for (const [input, expected] of table) {
    it(`renders ${JSON.stringify(input)} as ${JSON.stringify(expected)}`, () => assert.equal(cell(input), expected));
  }
  it('ends a line with CRLF and separates with commas', () => assert.equal(line([1, 'ok', '', 'x']), '1,ok,,x\r\n'));
});
