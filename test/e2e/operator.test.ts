import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { readResults, runCli, tmp, writeGestiones, writeMapping } from '../helpers.ts';

const TOKEN = { WOLKVOX_TOKEN: 'tok-operator' };

describe('operator commands', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ quota: 1000, tokens: ['tok-operator'] });
  });
  after(() => emu.close());

  it('check prints the server URL and the token quota with one call', async () => {
    emu.reset();
    const dir = tmp();
    const run = await runCli(['check', '--server', emu.url, '--operation', 'op'], { cwd: dir, env: TOKEN });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /insertGestion\.php/);
    assert.match(run.stdout, /limit 1000 calls\/day · used today 1 · left 999/);
    assert.equal(emu.stats().calls, 1);
  });

  it('check with --input plans the file against the quota without sending it', async () => {
    emu.reset();
    const dir = tmp();
    const input = writeGestiones(dir, 30, (i, r) => (i <= 5 ? { ...r, record: '' } : r));
    const run = await runCli(['check', '--server', emu.url, '--operation', 'op', '--input', input, '--mapping', writeMapping(dir), '--json'], { cwd: dir, env: TOKEN });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.plan.toSend, 25);
    assert.equal(report.plan.invalid, 5);
    assert.equal(report.plan.fitsToday, true);
    assert.equal(emu.stats().insertCalls, 0);
  });

  it('check exits 3 on a rejected token and says to use an internal token', async () => {
    const dir = tmp();
    const run = await runCli(['check', '--server', emu.url, '--operation', 'op'], { cwd: dir, env: { WOLKVOX_TOKEN: 'not-this-one' } });
    assert.equal(run.code, 3);
    assert.match(run.stdout, /internal CRM token/);
  });

  it('check exits 2 on a retired host, naming the new one', async () => {
    const run = await runCli(['check', '--server', 'sv0000.crmvox.com', '--operation', 'op'], { cwd: tmp(), env: TOKEN });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /crm0000\.wolkvox\.com/);
  });

  it('--max-calls caps the calls of a run and leaves the rest pending (exit 3)', async () => {
    emu.reset();
    const dir = tmp();
    const out = join(dir, 'r.csv');
    const run = await runCli(['import', writeGestiones(dir, 20), '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--out', out, '--max-calls', '7', '--quiet'], { cwd: dir, env: TOKEN });
    assert.equal(run.code, 3, run.stderr);
    assert.equal(emu.stats().insertCalls, 7);
    assert.equal(readResults(out).filter((r) => r.status === 'pending').length, 13);
  });

  it('--check-quota sends only what fits in the calls left today, and says when to resume', async () => {
    const small = await startEmulator({ quota: 6 });
    try {
      const dir = tmp();
      const out = join(dir, 'r.csv');
      const run = await runCli(['import', writeGestiones(dir, 20), '--mapping', writeMapping(dir), '--server', small.url, '--operation', 'op', '--out', out, '--check-quota', '--quiet'], { cwd: dir, env: TOKEN });
      assert.equal(run.code, 3, run.stderr);
      assert.equal(small.stats().insertCalls, 5, 'one call for tokenInformation, five inserts');
      assert.equal(small.stats().byHttpStatus['403'] ?? 0, 0, 'never ran into TOKEN LIMIT EXCEEDED');
      assert.match(run.stderr, /--resume/);
    } finally {
      await small.close();
    }
  });

  it('a job file supplies flags (paths relative to it), flags on the command line win, and a token in it is refused', async () => {
    emu.reset();
    const dir = tmp();
    writeGestiones(dir, 4);
    writeMapping(dir);
    writeFileSync(join(dir, 'tok'), 'tok-operator\n', { mode: 0o600 });
    writeFileSync(join(dir, 'job.json'), JSON.stringify({ server: emu.url, operation: 'from-file', mapping: 'mapping.json', tokenFile: 'tok', out: 'job.csv' }));
    const run = await runCli(['import', join(dir, 'input.csv'), '--config', join(dir, 'job.json'), '--operation', 'from-flag'], { cwd: tmp() });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(emu.inserted[0]!.operation, 'from-flag');
    assert.equal(readResults(join(dir, 'job.csv')).length, 4);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ token: 'secret-in-file' }));
    const bad = await runCli(['import', join(dir, 'input.csv'), '--config', join(dir, 'bad.json')], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /never goes in a job file/);
  });

  it('validate lists each kind of problem with line numbers and needs no token', async () => {
    const dir = tmp();
    const input = writeGestiones(dir, 8, (i, r) => (i === 2 || i === 6 ? { ...r, record: '' } : r));
    const run = await runCli(['validate', input, '--mapping', writeMapping(dir), '--out', join(dir, 'v.csv')], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /2 × INVALID: wolkvox_idRecord/);
    assert.match(run.stdout, /line 3 \(row 2\)/);
    assert.match(run.stdout, /line 7 \(row 6\)/);
  });

  it('runs lists the runs of the state file with counts and whether they can be resumed', async () => {
    emu.reset();
    const dir = tmp();
    const state = join(dir, 's.sqlite');
    await runCli(['import', writeGestiones(dir, 10), '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--out', join(dir, 'r.csv'), '--max-calls', '4', '--state', state], { cwd: dir, env: TOKEN });
    const run = await runCli(['runs', '--state', state], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /run 1 +stopped \(max-calls\)/);
    assert.match(run.stdout, /ok 4/);
    assert.match(run.stdout, /pending 6/);
    assert.match(run.stdout, /resumable/);
  });

  it('ledger lists, exports and forgets inserted keys', async () => {
    emu.reset();
    const dir = tmp();
    const state = join(dir, 's.sqlite');
    await runCli(['import', writeGestiones(dir, 3), '--mapping', writeMapping(dir, { dedupeKey: ['wolkvox_idCall'] }), '--server', emu.url, '--operation', 'op', '--out', join(dir, 'r.csv'), '--state', state], { cwd: dir, env: TOKEN });
    const list = await runCli(['ledger', '--state', state], { cwd: dir });
    assert.match(list.stdout, /C000001 +→/);
    const exp = await runCli(['ledger', '--state', state, '--export', join(dir, 'ledger.csv')], { cwd: dir });
    assert.match(exp.stdout, /exported 3 keys/);
    assert.match(readFileSync(join(dir, 'ledger.csv'), 'utf8'), /^server,operation,key,wolkvox_id/);
    const forget = await runCli(['ledger', '--state', state, '--forget-before', new Date().toISOString()], { cwd: dir });
    assert.match(forget.stdout, /forgot 3 keys/);
  });
});
