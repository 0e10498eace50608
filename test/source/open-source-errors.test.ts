import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chmodSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../src/errors.ts';
import { countRecords, openSource } from '../../src/source/index.ts';
import { fixture, readAll, readText, tempDir, tempFile } from './helpers.ts';

function isInputError(err: unknown, pattern: RegExp, context: Record<string, unknown> = {}): boolean {
  assert.ok(err instanceof InputError, `expected an InputError, got ${String(err)}`);
  assert.equal(err.code, 'E_INPUT');
  assert.match(err.message, pattern);
  for (const [k, v] of Object.entries(context)) assert.deepEqual(err.context[k], v, `context.${k}`);
  return true;
}

describe('bad input', () => {
  for (const chunkBytes of [undefined, 5]) {
    it(`reads every record before an unterminated quote, then names its line and the count read (${chunkBytes ?? 'default'} reads)`, async () => {
      const file = fixture('broken/unterminated_quote.csv');
      const { records, error } = await readAll({ path: file }, { chunkBytes });
      assert.deepEqual(
        records.map((r) => [r.row, r.line]),
        [
          [1, 2],
          [2, 3],
          [3, 4],
        ],
      );
      isInputError(error, /unterminated_quote\.csv: line 5: a quoted value is never closed \(a " is missing\); the 3 records before it were read$/, {
        file,
        line: 5,
        row: 3,
      });
    });
  }

  it('counts blank lines when it names the line of an unterminated quote', async () => {
    const { records, error } = await readText('a,b\n1,2\n\n\n3,"x\n4,5\n');
    assert.equal(records.length, 1);
    isInputError(error, /: line 5: .*never closed.*the 1 record before it was read/, { line: 5, row: 1 });
  });

  it('rejects openSource itself when the quote is never closed in the header', async () => {
    await assert.rejects(openSource({ path: tempFile('a,"b\n1,2\n') }), (err) =>
      isInputError(err, /: line 1: a quoted value in the header is never closed.*no records before it were read/, { line: 1, row: 0 }),
    );
  });

  it('stops with an InputError instead of buffering a record longer than the limit', async () => {
    const text = 'a,b\n1,2\n3,"' + 'x'.repeat(5000) + '\n4,5\n'.repeat(200);
    const { records, error } = await readText(text, {}, { chunkBytes: 512, maxRecordBytes: 4096 });
    assert.equal(records.length, 1);
    isInputError(error, /: line 3: a record is longer than .* MiB, so a quoted value is most likely never closed/, { line: 3, row: 1 });
  });

  it('yields records with the wrong field count with a problem, padded or truncated to the header', async () => {
    const { records, error } = await readAll({ path: fixture('broken/wrong_field_count.csv') });
    assert.equal(error, undefined);
    assert.deepEqual(
      records.map((r) => [r.row, r.line, r.values.length, r.problem]),
      [
        [1, 2, 4, undefined],
        [2, 3, 4, 'line 3: expected 4 fields, found 5'],
        [3, 4, 4, 'line 4: expected 4 fields, found 3'],
        [4, 5, 4, undefined],
      ],
    );
    assert.deepEqual(records[2]!.values, ['52123987', '66b1f0a0c3e2d10000000003', 'BZ', '']);
  });

  it('hints at a missing closing quote when a record with the wrong field count spans lines', async () => {
    const { records } = await readText('a,b,c\n1,"x,2\n4,5",6,7,8\n10,11,12\n');
    assert.equal(records.length, 2);
    assert.equal(records[0]!.problem, 'line 2: expected 3 fields, found 5 (the record runs from line 2 to line 3: a closing " may be missing)');
    assert.deepEqual(records[0]!.values, ['1', 'x,2\n4,5', '6']);
    assert.equal(records[1]!.line, 4);
  });

  it('flags a cell over maxCellBytes (a 10 MB cell) by column and size, and reads on', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const { records, error } = await readText(`id,COMMENT\n1,ok\n2,"${big}"\n3,ok\n`);
    assert.equal(error, undefined);
    assert.deepEqual(
      records.map((r) => [r.row, r.line]),
      [
        [1, 2],
        [2, 3],
        [3, 4],
      ],
    );
    assert.equal(records[1]!.problem, `line 3: column "COMMENT" is ${big.length} bytes long, more than the 65536 allowed`);
    assert.equal(records[1]!.values[1]!.length, big.length);
    assert.equal(records[2]!.problem, undefined);
  });

  it('measures cells in UTF-8 bytes, not characters', async () => {
    const { records } = await readText(`a,b\n${'ñ'.repeat(40)},${'n'.repeat(60)}\n`, { maxCellBytes: 60 });
    assert.equal(records[0]!.problem, 'line 2: column "a" is 80 bytes long, more than the 60 allowed');
  });

  it('flags records holding bytes that are not UTF-8 after a UTF-8-looking first MiB, and reads on', async () => {
    const ascii = 'id,name\n' + '1,plain ascii name\n'.repeat(Math.ceil((1.2 * 1024 * 1024) / 19));
    const bytes = Buffer.concat([Buffer.from(ascii), Buffer.from([0x39, 0x2c, 0x50, 0x65, 0xf1, 0x61, 0x0a]), Buffer.from('10,ok\n')]);
    const { source, records, error } = await readAll({ path: tempFile(bytes) });
    assert.equal(error, undefined);
    assert.equal(source.info.encoding, 'utf-8');
    const bad = records.filter((r) => r.problem !== undefined);
    assert.equal(bad.length, 1);
    assert.equal(bad[0]!.values[1], 'Pe\ufffda');
    assert.match(bad[0]!.problem!, /column "name" holds bytes that are not valid UTF-8.*windows-1252/i);
    assert.equal(records.at(-1)!.values[0], '10');
  });

  const empties: Array<[string, string | Buffer]> = [
    ['a 0-byte file', ''],
    ['a file with only a UTF-8 BOM', Buffer.from([0xef, 0xbb, 0xbf])],
    ['a file with only a UTF-16 BOM', Buffer.from([0xff, 0xfe])],
    ['a file of blank lines and spaces', '\r\n  \r\n\t\n\n'],
  ];
  for (const [name, content] of empties) {
    it(`says "is empty" for ${name}, in openSource and countRecords`, async () => {
      const path = tempFile(content);
      await assert.rejects(openSource({ path }), (err) => isInputError(err, /: is empty/, { file: path }));
      await assert.rejects(countRecords({ path }), (err) => isInputError(err, /: is empty/));
    });
  }

  it('refuses a binary file, naming it, in openSource and countRecords', async () => {
    const path = fixture('broken/binary.bin');
    await assert.rejects(openSource({ path }), (err) => isInputError(err, /binary\.bin: looks like a binary file/, { file: path }));
    await assert.rejects(countRecords({ path }), (err) => isInputError(err, /binary file/));
  });

  const unreadable: Array<[string, string, RegExp]> = [
    ['a missing file', join(tempDir, 'nope.csv'), /nope\.csv: not found \(ENOENT\)$/],
    ['a folder', tempDir, /: is a folder, not a file \(EISDIR\)$/],
    ['a path through a file', join(fixture('crm_records.csv'), 'x.csv'), /x\.csv: not found .*\(ENOTDIR\)$/],
  ];
  for (const [name, path, pattern] of unreadable) {
    it(`names the path and the reason for ${name}, in openSource and countRecords`, async () => {
      await assert.rejects(openSource({ path }), (err) => isInputError(err, pattern, { file: path }));
      await assert.rejects(countRecords({ path }), (err) => isInputError(err, pattern));
    });
  }

  const NOT_REGULAR = /: is not a regular file \(a pipe, a FIFO, standard input or a device\); .*save the data to a file first, e\.g\. `cat > data\.csv`/;

  it('refuses a FIFO without opening it (a FIFO with no writer would block the open for ever)', { timeout: 10_000 }, async () => {
    const path = join(tempDir, 'input.fifo');
    execFileSync('mkfifo', [path]);
    await assert.rejects(openSource({ path }), (err) => isInputError(err, NOT_REGULAR, { file: path }));
    await assert.rejects(countRecords({ path }), (err) => isInputError(err, NOT_REGULAR));
  });

  it('refuses /dev/stdin when standard input is a pipe', { timeout: 10_000 }, () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const code = `import('./src/source/index.ts').then((m) => m.openSource({ path: '/dev/stdin' })).then(() => console.log('opened'), (e) => console.log(e.code + ' ' + e.message))`;
    // stdin: a pipe the parent never writes to (kept open until the child exits)
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], encoding: 'utf8', timeout: 9_000 });
    assert.match(r.stdout, /^E_INPUT \/dev\/stdin: is not a regular file/, r.stderr);
  });

  it('names the path and "permission denied" for an unreadable file', async (t) => {
    if (process.getuid?.() === 0) return t.skip('root reads any file');
    const path = tempFile('a,b\n1,2\n');
    chmodSync(path, 0o000);
    await assert.rejects(openSource({ path }), (err) => isInputError(err, /: permission denied \(EACCES\)$/));
  });
});
