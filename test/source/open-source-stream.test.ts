import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, readdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openSource, countRecords } from '../../src/source/index.ts';
import { parseRecords } from '../../src/source/parse-records.ts';
import { fixture, tempDir } from './helpers.ts';

const openFds = (): number => readdirSync('/proc/self/fd').length;
const hasProc = ((): boolean => {
  try {
    openFds();
    return true;
  } catch {
    return false;
  }
})();

/** A full garbage collection, so heap samples measure what is held, not what awaits collection. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function writeRows(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('id,name,amount\n');
  let buf = '';
  for (let i = 1; i <= rows; i++) {
    buf += `${i},name ${i % 977},${i % 10000}\n`;
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

describe('streaming', () => {
  it('reads a 250,000-row file with flat memory, never holding the file', async () => {
    // 250,000 rows with an 8 MiB bound: a leak of 34 bytes a row is caught, as with 32 MiB over 1,000,000 rows
    // (holding the records takes ~300 bytes a row; streaming holds ~1 MiB). `npm run bench` runs 1,000,000 through the bin.
    const ROWS = 250_000;
    const path = join(tempDir, 'rows.csv');
    await writeRows(path, ROWS);
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let n = 0;
    let last = 0;
    const src = await openSource({ path });
    for await (const r of src.records) {
      n++;
      last = r.line;
      if ((n & 0x3fff) === 0) { // 15 samples, as every 65,536 rows of 1,000,000
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      }
    }
    assert.equal(n, ROWS);
    assert.equal(last, ROWS + 1);
    // Holding the records would take ~75 MiB of heap; streaming holds one chunk's worth.
    assert.ok(peak < 8 * 2 ** 20, `heap grew by ${(peak / 2 ** 20).toFixed(1)} MiB`);
    assert.equal(await countRecords({ path }), ROWS);
  });

  it('releases the file when the consumer breaks out early or calls close()', { skip: !hasProc && 'needs /proc' }, async () => {
    const before = openFds();
    const src = await openSource({ path: fixture('cdr_1_cp1252_semicolon.csv') });
    assert.equal(openFds(), before + 1);
    for await (const r of src.records) if (r.row === 2) break;
    assert.equal(openFds(), before);

    const other = await openSource({ path: fixture('crm_records.csv') });
    await other.close();
    assert.equal(openFds(), before);
  });

  it('releases the file after an error and after a failed open', { skip: !hasProc && 'needs /proc' }, async () => {
    const before = openFds();
    const src = await openSource({ path: fixture('broken/unterminated_quote.csv') });
    await assert.rejects(async () => {
      for await (const _r of src.records) {
        // read to the error
      }
    });
    await assert.rejects(openSource({ path: fixture('broken/binary.bin') }));
    await assert.rejects(openSource({ path: fixture('broken/empty.csv') }));
    assert.equal(openFds(), before);
  });

  it('lets the consumer set the pace: the next chunk is read only when the records of the last one are taken', async () => {
    let pulled = 0;
    async function* chunks(): AsyncGenerator<Buffer> {
      yield Buffer.from('id,name\n');
      for (let c = 0; c < 100; c++) {
        pulled++;
        yield Buffer.from(`${c}a,x\n${c}b,y\n${c}c,z\n`);
      }
    }
    const records = parseRecords(chunks(), { file: 'paced.csv', delimiter: ',', maxCellBytes: 65536 });
    const seen: string[] = [];
    for await (const r of records) {
      seen.push(r.values[0]!);
      if (seen.length === 7) break; // the header and chunks 0 and 1; a record may wait for the next chunk's first byte
    }
    assert.deepEqual(seen, ['id', '0a', '0b', '0c', '1a', '1b', '1c']);
    assert.ok(pulled <= 3, `pulled ${pulled} chunks`);
  });

  it('parses one large read in slices without losing or splitting anything at their edges', async () => {
    // 3-byte characters and quoted line breaks fall on every possible offset of the 16 KiB slices.
    const rows = Array.from({ length: 6000 }, (_, i) => [`r${i}`, `€${'ñ'.repeat(i % 7)}€`, `"line ${i}\nnext ""q"""`]);
    const text = `id,name,note\n${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
    async function* oneRead(): AsyncGenerator<Buffer> {
      yield Buffer.from(text);
    }
    const got: string[][] = [];
    for await (const r of parseRecords(oneRead(), { file: 'big.csv', delimiter: ',', maxCellBytes: 65536 })) got.push(r.values);
    assert.ok(Buffer.byteLength(text) > 8 * 16 * 1024, 'several slices');
    assert.equal(got.length, rows.length + 1);
    assert.deepEqual(got[0], ['id', 'name', 'note']);
    for (let i = 0; i < rows.length; i++) assert.deepEqual(got[i + 1], [`r${i}`, `€${'ñ'.repeat(i % 7)}€`, `line ${i}\nnext "q"`], `row ${i}`);
  });
});
