import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { audit } from '../audit.ts';
import { lastLine, readResults, runCli, tmp, writeGestiones, writeMapping } from '../helpers.ts';

describe('import end to end against the emulator', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ latencyMs: { min: 1, max: 8 }, tokens: ['tok-e2e'] });
  });
  after(() => emu.close());

  it('inserts every valid row once, reports invalid rows without sending them, and keeps input order', async () => {
    emu.reset();
    const dir = tmp();
    const input = writeGestiones(dir, 120, (i, r) => (i % 10 === 0 ? { ...r, record: '' } : i % 17 === 0 ? { ...r, code: '' } : r));
    const mapping = writeMapping(dir);
    const out = join(dir, 'r.csv');
    const run = await runCli(['import', input, '--mapping', mapping, '--server', emu.url, '--operation', 'op1', '--out', out, '--quiet'], { cwd: dir, env: { WOLKVOX_TOKEN: 'tok-e2e' } });
    assert.equal(run.code, 1, run.stderr);
    const results = readResults(out);
    const counts = audit(results, emu.inserted, { calls: results.map((_, i) => `C${String(i + 1).padStart(6, '0')}`) });
    // rows 10,20,...,120 lack the record (12); rows 17,34,51,68,85,102,119 lack the code (7)
    assert.equal(counts.invalid, 19);
    assert.equal(counts.ok, 120 - counts.invalid!);
    assert.equal(emu.inserted.length, counts.ok);
    assert.match(results.find((r) => r.row === '10')!.error, /^INVALID: wolkvox_idRecord/);
    assert.ok(emu.stats().maxInflightSeen <= 2, 'never more than --concurrency in flight');
    assert.equal(emu.stats().rejectedConcurrency, 0);
    assert.match(lastLine(run.stderr), /ok 10\d, invalid 1\d/);
    assert.match(lastLine(run.stderr), /r\.csv/);
    assert.equal(statSync(out).mode & 0o777, 0o600, 'the result file is private');
    assert.ok(!run.stderr.includes('tok-e2e') && !run.stdout.includes('tok-e2e'), 'the token never appears in the output');
  });

  it('exits 0 when every row is inserted and sends the typification under every spelling with module collections', async () => {
    emu.reset();
    const dir = tmp();
    const input = writeGestiones(dir, 5);
    const out = join(dir, 'r.csv');
    const run = await runCli(['import', input, '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op1', '--out', out], { cwd: dir, env: { WOLKVOX_TOKEN: 'tok-e2e' } });
    assert.equal(run.code, 0, run.stderr);
    const f = emu.inserted[0]!.fields;
    assert.equal(f.module, 'collections');
    for (const k of ['tipifycation_code', 'tipification_code']) assert.equal(f[k], '01');
    for (const k of ['tipifycation_desc', 'tipification_desc', 'tipification_description']) assert.equal(f[k], 'PROMESA DE PAGO');
    assert.equal(emu.inserted[0]!.operation, 'op1');
  });

  it('respects --concurrency 1: never two requests in flight', async () => {
    emu.reset();
    const dir = tmp();
    const input = writeGestiones(dir, 30);
    const run = await runCli(['import', input, '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'o', '--out', join(dir, 'r.csv'), '--concurrency', '1'], { cwd: dir, env: { WOLKVOX_TOKEN: 'tok-e2e' } });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(emu.stats().maxInflightSeen, 1);
  });

  it('stops at once with exit 3 and every row pending when the token is rejected', async () => {
    emu.reset();
    const dir = tmp();
    const input = writeGestiones(dir, 20);
    const out = join(dir, 'r.csv');
    const run = await runCli(['import', input, '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'o', '--out', out], { cwd: dir, env: { WOLKVOX_TOKEN: 'wrong-token' } });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /internal CRM token/);
    const results = readResults(out);
    assert.equal(results.length, 20);
    assert.ok(results.every((r) => r.status === 'pending'));
    assert.ok(emu.stats().insertCalls <= 2, 'no more calls after the token was refused');
  });

  it('--dry-run sends nothing, needs no token, and marks sendable rows pending', async () => {
    emu.reset();
    const dir = tmp();
    const input = writeGestiones(dir, 10, (i, r) => (i === 3 ? { ...r, record: '' } : r));
    const out = join(dir, 'r.csv');
    const run = await runCli(['import', input, '--mapping', writeMapping(dir), '--dry-run', '--out', out], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    const results = readResults(out);
    assert.deepEqual(results.map((r) => r.status), ['pending', 'pending', 'invalid', ...Array(7).fill('pending')]);
    assert.equal(emu.stats().calls, 0);
  });

  it('refuses a missing token with exit 2 and a message naming WOLKVOX_TOKEN', async () => {
    const dir = tmp();
    const run = await runCli(['import', writeGestiones(dir, 2), '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'o'], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /WOLKVOX_TOKEN/);
    assert.doesNotMatch(run.stderr, /at .*\.ts:\d+/, 'no stack trace');
  });

  it('writes the result under reports/ by default, named after the input', async () => {
    emu.reset();
    const dir = tmp();
    const run = await runCli(['import', writeGestiones(dir, 3, undefined, 'nightly.csv'), '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'o'], { cwd: dir, env: { WOLKVOX_TOKEN: 'tok-e2e' } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(lastLine(run.stderr), /reports\/nightly-\d{8}-\d{6}\.results\.csv/);
  });
});
