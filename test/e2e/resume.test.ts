import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { defaultStatePath } from '../../src/store/paths.ts';
import { audit } from '../audit.ts';
import { journaled } from '../state-file.ts';
import { readResults, runCli, startCli, tmp, until, writeGestiones, writeMapping } from '../helpers.ts';

const TOKEN = { WOLKVOX_TOKEN: 'tok-resume' };
const callsOf = (n: number) => Array.from({ length: n }, (_, i) => `C${String(i + 1).padStart(6, '0')}`);

describe('durable state: kill -9, resume, quota stop, duplicate guard', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ latencyMs: { min: 5, max: 15 } });
  });
  after(() => emu.close());

  for (const killAfter of [1, 60, 170]) {
    it(`SIGKILL after ${killAfter} inserts, then --resume: every row once, nothing inserted twice, at most 2 uncertain`, async () => {
      emu.reset();
      // held, not raced: the emulator never answers past request killAfter, so the run cannot finish before the kill
      emu.setFaults([{ fault: 'hang', fromRequest: killAfter + 1 }]);
      const dir = tmp();
      const n = 200;
      const input = writeGestiones(dir, n);
      const mapping = writeMapping(dir);
      const out = join(dir, 'r.csv');
      const state = defaultStatePath({ XDG_STATE_HOME: join(dir, '.state') }); // the CLI's env (test/helpers.ts)
      const args = ['import', input, '--mapping', mapping, '--server', emu.url, '--operation', 'op', '--out', out, '--quiet'];
      const first = startCli(args, { cwd: dir, env: TOKEN });
      // Killed once both hung requests are out and the answered rows' outcomes are on disk (the journal writes an
      // outcome just after the next request leaves): the run is then still, so exactly the 2 in flight are unknown.
      await until(() => emu.stats().insertCalls >= killAfter + 2);
      await until(() => journaled(state, 'ok') >= killAfter);
      first.child.kill('SIGKILL');
      const killed = await first.done;
      assert.equal(killed.signal, 'SIGKILL');
      const committedAtKill = emu.inserted.length;
      emu.setFaults([]);
      const second = await runCli([...args, '--resume'], { cwd: dir, env: TOKEN });
      assert.ok(second.code === 0 || second.code === 1, second.stderr);
      const results = readResults(out);
      const counts = audit(results, emu.inserted, { calls: callsOf(n) });
      assert.ok((counts.uncertain ?? 0) <= 2, `uncertain ${counts.uncertain}`);
      assert.equal((counts.ok ?? 0) + (counts.uncertain ?? 0), n);
      assert.ok(emu.inserted.length >= committedAtKill);
      if ((counts.uncertain ?? 0) > 0) assert.equal(second.code, 1);
    });
  }

  it('a quota stop leaves the rest pending (exit 3); the next day --resume finishes the file', async () => {
    const quotaEmu = await startEmulator({ quota: 40, latencyMs: 1 });
    try {
      const dir = tmp();
      const input = writeGestiones(dir, 100);
      const out = join(dir, 'r.csv');
      const args = ['import', input, '--mapping', writeMapping(dir), '--server', quotaEmu.url, '--operation', 'op', '--out', out, '--quiet'];
      const first = await runCli(args, { cwd: dir, env: TOKEN });
      assert.equal(first.code, 3, first.stderr);
      assert.match(first.stderr, /TOKEN LIMIT EXCEEDED/);
      assert.match(first.stderr, /--resume/);
      const mid = readResults(out);
      assert.ok(mid.filter((r) => r.status === 'pending').length >= 55);
      quotaEmu.newDay();
      const second = await runCli([...args, '--resume'], { cwd: dir, env: TOKEN });
      assert.equal(second.code, 3, 'the second day runs out too: 40 calls per day');
      quotaEmu.newDay();
      const third = await runCli([...args, '--resume'], { cwd: dir, env: TOKEN });
      assert.equal(third.code, 0, third.stderr);
      const counts = audit(readResults(out), quotaEmu.inserted, { calls: callsOf(100) });
      assert.equal(counts.ok, 100);
    } finally {
      await quotaEmu.close();
    }
  });

  it('a second file repeating keys of the first gets duplicate rows and no API calls for them', async () => {
    emu.reset();
    const dir = tmp();
    const mapping = writeMapping(dir, { dedupeKey: ['wolkvox_idCall'] });
    const a = writeGestiones(dir, 50, undefined, 'a.csv');
    const b = writeGestiones(dir, 30, (i, r) => (i > 20 ? { ...r, call: `N${i}` } : r), 'b.csv');
    const base = ['--mapping', mapping, '--server', emu.url, '--operation', 'op', '--quiet'];
    assert.equal((await runCli(['import', a, ...base, '--out', join(dir, 'a.out.csv')], { cwd: dir, env: TOKEN })).code, 0);
    const callsBefore = emu.stats().insertCalls;
    const run = await runCli(['import', b, ...base, '--out', join(dir, 'b.out.csv')], { cwd: dir, env: TOKEN });
    assert.equal(run.code, 0, run.stderr);
    const results = readResults(join(dir, 'b.out.csv'));
    assert.equal(results.filter((r) => r.status === 'duplicate').length, 20);
    assert.equal(emu.stats().insertCalls - callsBefore, 10);
    const firstId = emu.inserted.find((g) => g.fields.wolkvox_idCall === 'C000001')!.wolkvoxId;
    assert.equal(results[0]!.wolkvox_id, firstId, 'a duplicate carries the earlier wolkvox_id');
  });

  it('a repeated key inside one file is inserted once', async () => {
    emu.reset();
    const dir = tmp();
    const input = writeGestiones(dir, 10, (i, r) => (i % 2 === 0 ? { ...r, call: 'SAME' } : r));
    const run = await runCli(['import', input, '--mapping', writeMapping(dir, { dedupeKey: ['wolkvox_idCall'] }), '--server', emu.url, '--operation', 'op', '--out', join(dir, 'r.csv')], { cwd: dir, env: TOKEN });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(emu.inserted.filter((g) => g.fields.wolkvox_idCall === 'SAME').length, 1);
    assert.equal(readResults(join(dir, 'r.csv')).filter((r) => r.status === 'duplicate').length, 4);
  });

  it('uncertain rows stay uncertain on --resume, and are resent only with --retry-uncertain', async () => {
    emu.reset();
    emu.setFaults([{ fault: '500-after', requests: [3] }]);
    const dir = tmp();
    const out = join(dir, 'r.csv');
    const args = ['import', writeGestiones(dir, 6), '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--out', out, '--quiet'];
    assert.equal((await runCli(args, { cwd: dir, env: TOKEN })).code, 1);
    const uncertainRow = readResults(out).find((r) => r.status === 'uncertain')!;
    emu.setFaults([]);
    const calls = emu.stats().insertCalls;
    assert.equal((await runCli([...args, '--resume'], { cwd: dir, env: TOKEN })).code, 1);
    assert.equal(emu.stats().insertCalls, calls, 'a plain resume sends nothing');
    const again = await runCli([...args, '--resume', '--retry-uncertain'], { cwd: dir, env: TOKEN });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(emu.stats().insertCalls, calls + 1, 'only the uncertain row is sent again');
    assert.equal(readResults(out).find((r) => r.row === uncertainRow.row)!.status, 'ok');
  });

  it('the "next:" command after an uncertain row searches the CRM first: following it never inserts the row twice', async () => {
    emu.reset();
    emu.setFaults([{ fault: '500-after', requests: [3] }]); // committed, then a 500: the row is in the CRM
    const dir = tmp();
    const out = join(dir, 'r.csv');
    const first = await runCli(['import', writeGestiones(dir, 6), '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--out', out], { cwd: dir, env: TOKEN });
    assert.equal(first.code, 1, first.stderr);
    emu.setFaults([]);
    const next = /next: (.*)$/m.exec(first.stderr)?.[1];
    assert.ok(next !== undefined && next.endsWith(' --resume --reconcile'), first.stderr);
    assert.doesNotMatch(first.stderr, /next: .*--retry-uncertain/);
    const followed = await runCli(next.split(' ').slice(1), { cwd: dir, env: TOKEN });
    assert.equal(followed.code, 0, followed.stderr);
    assert.equal(emu.inserted.length, 6, 'six rows, six gestiones: the uncertain one was found, not resent');
    assert.deepEqual(readResults(out).map((r) => r.status), ['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    assert.doesNotMatch(followed.stderr, /next: /);
  });

  it('--resume refuses a changed file with a clear message unless --force-new-run', async () => {
    emu.reset();
    const dir = tmp();
    const mapping = writeMapping(dir);
    const input = writeGestiones(dir, 5);
    const args = ['import', input, '--mapping', mapping, '--server', emu.url, '--operation', 'op', '--out', join(dir, 'r.csv')];
    assert.equal((await runCli(args, { cwd: dir, env: TOKEN })).code, 0);
    writeGestiones(dir, 6);
    const refused = await runCli([...args, '--resume'], { cwd: dir, env: TOKEN });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /input file changed/);
    assert.match(refused.stderr, /--force-new-run/);
  });
});
