import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/errors.ts';
import { DEFAULT_MAX_CELL_BYTES, normalizeSourceOptions } from '../../src/source/options.ts';
import { normalizeDelimiter, normalizeEncoding } from '../../src/source/index.ts';

describe('source options', () => {
  const encodings: Array<[string, string]> = [
    ['utf-8', 'utf-8'],
    ['UTF8', 'utf-8'],
    ['utf_8', 'utf-8'],
    ['utf-16le', 'utf-16le'],
    ['ucs2', 'utf-16le'],
    ['UTF-16', 'utf-16le'],
    ['utf16be', 'utf-16be'],
    ['windows-1252', 'windows-1252'],
    ['cp1252', 'windows-1252'],
    ['win1252', 'windows-1252'],
    ['ANSI', 'windows-1252'],
    ['latin1', 'latin1'],
    ['ISO-8859-1', 'latin1'],
  ];
  for (const [given, canonical] of encodings) {
    it(`reads the encoding ${JSON.stringify(given)} as ${canonical}`, () => {
      assert.equal(normalizeEncoding(given), canonical);
    });
  }

  it('rejects an unknown encoding with an InputError that names the accepted ones', () => {
    assert.throws(
      () => normalizeEncoding('ebcdic'),
      (err: unknown) =>
        err instanceof InputError &&
        err.code === 'E_INPUT' &&
        /"ebcdic"/.test(err.message) &&
        ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'latin1'].every((n) => err.message.includes(n)),
    );
  });

  const delimiters: Array<[string, string]> = [
    [',', ','],
    [';', ';'],
    ['\t', '\t'],
    ['tab', '\t'],
    ['TAB', '\t'],
    ['\\t', '\t'],
    ['|', '|'],
    ['semicolon', ';'],
  ];
  for (const [given, canonical] of delimiters) {
    it(`reads the delimiter ${JSON.stringify(given)} as ${JSON.stringify(canonical)}`, () => {
      assert.equal(normalizeDelimiter(given), canonical);
    });
  }

  it('rejects a delimiter it cannot sniff or parse, naming the accepted ones', () => {
    assert.throws(() => normalizeDelimiter(':'), (err: unknown) => err instanceof InputError && /","/.test(err.message) && /tab/.test(err.message));
  });

  it('defaults maxCellBytes to 65536 and rejects a value that is not a positive whole number', () => {
    assert.equal(DEFAULT_MAX_CELL_BYTES, 65536);
    assert.equal(normalizeSourceOptions({ path: 'a.csv' }).maxCellBytes, 65536);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => normalizeSourceOptions({ path: 'a.csv', maxCellBytes: bad }), InputError);
    }
  });

  it('rejects an empty path', () => {
    assert.throws(() => normalizeSourceOptions({ path: '' }), InputError);
  });
});
