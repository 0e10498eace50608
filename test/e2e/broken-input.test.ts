import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.ts';
import { ROOT, lastLine, readResults, runCli, tmp } from '../helpers.ts';

const BROKEN = join(ROOT, 'fixtures', 'input', 'broken');

function mappingFor(dir: string): string {
  const path = join(dir, 'm.json');
  writeFileSync(path, JSON.stringify({ fields: { customer_id: 'customer_id', wolkvox_idRecord: 'wolkvox_idRecord', tipifycation_code: { value: 'PP' }, tipifycation_desc: { value: 'Promesa' } } }));
  return path;
}

describe('validate on broken files: a message a person can act on, never a stack trace', () => {
  const cases: [string, number, RegExp][] = [
    ['binary.bin', 2, /binary file, not CSV text/],
    ['empty.csv', 2, /is empty/],
    ['unterminated_quote.csv', 2, /line 5: a quoted value is never closed/],
    ['header_only.csv', 0, /header but no data rows/],
    ['wrong_field_count.csv', 1, /line 3 \(row 2\): INVALID: line 3: expected 4 fields, found 5/],
  ];
  for (const [file, code, message] of cases) {
    it(`${file}: exit ${code}, "${message.source}"`, async () => {
      const dir = tmp();
      const run = await runCli(['validate', join(BROKEN, file), '--mapping', mappingFor(dir), '--out', join(dir, 'r.csv')], { cwd: dir });
      assert.equal(run.code, code, run.stderr);
      assert.match(run.stdout + run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
    });
  }

  it('duplicate header names used by the mapping are refused, naming the positions', async () => {
    const dir = tmp();
    const m = join(dir, 'm.json');
    writeFileSync(m, JSON.stringify({ fields: { wolkvox_idRecord: 'wolkvox_idRecord', tipifycation_code: { value: 'PP' }, tipifycation_desc: 'comment' } }));
    const run = await runCli(['validate', join(BROKEN, 'duplicate_headers.csv'), '--mapping', m, '--out', join(dir, 'r.csv')], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(lastLine(run.stderr), /"comment" occurs 2 times .*positions 2 and 4/);
  });

  it('an unterminated quote mid-file still accounts for every record read before it', async () => {
    const dir = tmp();
    const out = join(dir, 'r.csv');
    await runCli(['validate', join(BROKEN, 'unterminated_quote.csv'), '--mapping', mappingFor(dir), '--out', out], { cwd: dir });
    assert.equal(readResults(out).length, 3);
  });

  it('a 10 MB cell makes its row invalid and the rest go through', async () => {
    const dir = tmp();
    const input = join(dir, 'big.csv');
    writeFileSync(input, `customer_id,wolkvox_idRecord,comment\n1,R1,ok\n2,R2,"${'x'.repeat(10 * 1024 * 1024)}"\n3,R3,ok\n`);
    const emu = await startEmulator();
    try {
      const m = join(dir, 'm2.json');
      writeFileSync(m, JSON.stringify({ fields: { customer_id: 'customer_id', wolkvox_idRecord: 'wolkvox_idRecord', tipifycation_code: { value: 'PP' }, tipifycation_desc: 'comment' } }));
      const run = await runCli(['import', input, '--mapping', m, '--server', emu.url, '--operation', 'o', '--out', join(dir, 'r.csv'), '--json', '--quiet'], { cwd: dir, env: { WOLKVOX_TOKEN: 'tok-big' } });
      assert.equal(run.code, 1, run.stderr);
      const results = readResults(join(dir, 'r.csv'));
      assert.deepEqual(results.map((r) => r.status), ['ok', 'invalid', 'ok']);
      assert.match(results[1]!.error, /comment/);
      const summary = JSON.parse(run.stdout);
      assert.deepEqual(summary.counts, { ok: 2, invalid: 1 });
      assert.equal(summary.exitCode, 1);
      assert.equal(emu.inserted.length, 2);
    } finally {
      await emu.close();
    }
  });
});
