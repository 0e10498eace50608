import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { InputError } from '../../src/errors.ts';
import { detectEncoding } from '../../src/source/detect-encoding.ts';
import { Utf8Guard } from '../../src/source/utf8-guard.ts';

const text = 'CUSTOMER_ID;COMMENT\r\n1020304050;Peña: Gestión pagó\r\n';
const utf8 = Buffer.from(text, 'utf8');

describe('encoding detection', () => {
  const cases: Array<{ name: string; bytes: Buffer; complete?: boolean; encoding: string; bomLength: number }> = [
    { name: 'a UTF-8 BOM', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]), encoding: 'utf-8', bomLength: 3 },
    { name: 'a UTF-16 LE BOM', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]), encoding: 'utf-16le', bomLength: 2 },
    { name: 'a UTF-16 BE BOM', bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]), encoding: 'utf-16be', bomLength: 2 },
    { name: 'BOM-less UTF-16 LE (every other byte NUL)', bytes: iconv.encode(text, 'utf-16le'), encoding: 'utf-16le', bomLength: 0 },
    { name: 'BOM-less UTF-16 BE', bytes: iconv.encode(text, 'utf-16be'), encoding: 'utf-16be', bomLength: 0 },
    { name: 'valid UTF-8 without BOM', bytes: utf8, encoding: 'utf-8', bomLength: 0 },
    { name: 'plain ASCII', bytes: Buffer.from('a,b\n1,2\n'), encoding: 'utf-8', bomLength: 0 },
    { name: 'Windows-1252 bytes (ñ is 0xF1)', bytes: iconv.encode(text, 'windows-1252'), encoding: 'windows-1252', bomLength: 0 },
    {
      name: 'a partial sample that ends in the middle of a UTF-8 character',
      bytes: utf8.subarray(0, utf8.indexOf(Buffer.from('ñ')) + 1),
      complete: false,
      encoding: 'utf-8',
      bomLength: 0,
    },
  ];
  for (const c of cases) {
    it(`recognises ${c.name}`, () => {
      assert.deepEqual(detectEncoding(c.bytes, c.complete ?? true, 'x.csv'), { encoding: c.encoding, bomLength: c.bomLength });
    });
  }

  it('reads a whole file that ends in a cut UTF-8 character as Windows-1252', () => {
    const cut = utf8.subarray(0, utf8.indexOf(Buffer.from('ñ')) + 1);
    assert.equal(detectEncoding(cut, true, 'x.csv').encoding, 'windows-1252');
  });

  it('calls a file with NUL bytes that do not look like UTF-16 a binary file, naming it', () => {
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0xff, 0x13, 0x00, 0x9a]);
    assert.throws(
      () => detectEncoding(bytes, true, 'orders.xlsx'),
      (err: unknown) => err instanceof InputError && /^orders\.xlsx: .*binary file/.test(err.message) && err.context.file === 'orders.xlsx',
    );
  });

  it('uses a forced encoding and skips a BOM only when it belongs to that encoding', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
    assert.deepEqual(detectEncoding(withBom, true, 'x.csv', 'utf-8'), { encoding: 'utf-8', bomLength: 3 });
    assert.deepEqual(detectEncoding(withBom, true, 'x.csv', 'windows-1252'), { encoding: 'windows-1252', bomLength: 0 });
    assert.deepEqual(detectEncoding(utf8, true, 'x.csv', 'latin1'), { encoding: 'latin1', bomLength: 0 });
  });
});

describe('the UTF-8 guard', () => {
  it('accepts a multi-byte character split across two chunks', () => {
    const guard = new Utf8Guard();
    const at = utf8.indexOf(Buffer.from('ñ')) + 1; // between the two bytes of ñ
    guard.check(utf8.subarray(0, at));
    guard.check(utf8.subarray(at));
    guard.end();
    assert.equal(guard.invalid, false);
  });

  it('accepts a 4-byte character fed one byte at a time', () => {
    const guard = new Utf8Guard();
    for (const b of Buffer.from('a😀b')) guard.check(Buffer.from([b]));
    guard.end();
    assert.equal(guard.invalid, false);
  });

  const invalid: Array<[string, Buffer[]]> = [
    ['a Windows-1252 ñ in a later chunk', [Buffer.from('abc'), Buffer.from([0x50, 0x65, 0xf1, 0x61])]],
    ['a lead byte followed by ASCII across chunks', [Buffer.from([0x61, 0xe2]), Buffer.from([0x82, 0x41])]],
    ['a character cut by the end of the file', [Buffer.from([0x61, 0xc3])]],
  ];
  for (const [name, chunks] of invalid) {
    it(`notices ${name}`, () => {
      const guard = new Utf8Guard();
      for (const c of chunks) guard.check(c);
      guard.end();
      assert.equal(guard.invalid, true);
    });
  }
});
