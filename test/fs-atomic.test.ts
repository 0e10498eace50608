import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeAtomic, writeFileAtomic } from '../src/fs-atomic.ts';

const dir = mkdtempSync(join(tmpdir(), 'wvx-atomic-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('writeAtomic', () => {
  it('replaces a file with a private one (0600) holding every chunk written', async () => {
    const path = join(dir, 'a.csv');
    writeFileSync(path, 'old', { mode: 0o644 });
    const n = await writeAtomic(path, async (out) => {
      await out.write('one,');
      await out.write('two');
      return 2;
    });
    assert.equal(n, 2);
    assert.equal(readFileSync(path, 'utf8'), 'one,two');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('a.csv')), ['a.csv']);
  });

  it('leaves the file as it was and no temporary file when writing fails', async () => {
    const path = join(dir, 'b.csv');
    writeFileSync(path, 'before');
    await assert.rejects(writeAtomic(path, async (out) => {
      await out.write('half');
      throw new Error('disk full');
    }), /disk full/);
    assert.equal(readFileSync(path, 'utf8'), 'before');
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('b.csv')), ['b.csv']);
  });

  it("removes a killed writer's leftover temporary file, not a live writer's", async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const path = join(dir, 'c.csv');
    writeFileSync(`${path}.tmp-${dead}-00ff`, 'leftover');
    writeFileSync(`${path}.tmp-${process.pid}-abcd`, 'in progress');
    await writeFileAtomic(path, 'done');
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('c.csv')).sort(), ['c.csv', `c.csv.tmp-${process.pid}-abcd`]);
  });
});
