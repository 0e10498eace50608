import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.ts';
import { readResults, runCli, startCli, tmp, until, writeGestiones, writeMapping } from '../helpers.ts';

const SECRET = 'Sup3r-Secret-Token-0123456789';

describe('security', () => {
  it('the token appears in no log line, result, summary or report, even when requests fail', { timeout: 60_000 }, async () => {
    const emu = await startEmulator({ tokens: [SECRET], faults: [{ fault: '500-after', requests: [2] }, { fault: 'reset-after', requests: [3] }, { fault: 'params', requests: [4] }] });
    try {
      const dir = tmp();
      const out = join(dir, 'out', 'r.csv');
      const log = join(dir, 'run.log');
      const run = await runCli(['import', writeGestiones(dir, 10), '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--out', out, '--log-file', log], { cwd: dir, env: { WOLKVOX_TOKEN: SECRET } });
      assert.equal(run.code, 1, run.stderr);
      const files = readdirSync(join(dir, 'out')).map((f) => join(dir, 'out', f)).concat(log);
      assert.ok(files.some((f) => f.endsWith('.report.html')) && files.some((f) => f.endsWith('.summary.json')));
      for (const f of files) {
        assert.ok(!readFileSync(f, 'utf8').includes(SECRET), `${f} holds the token`);
        assert.equal(statSync(f).mode & 0o077, 0, `${f} is private`);
      }
      assert.ok(!run.stderr.includes(SECRET) && !run.stdout.includes(SECRET));
    } finally {
      await emu.close();
    }
  });

  it('refuses to send the token over plain http to another host', async () => {
    const dir = tmp();
    const run = await runCli(['import', writeGestiones(dir, 1), '--mapping', writeMapping(dir), '--server', 'http://crm0001.wolkvox.com', '--operation', 'op'], { cwd: dir, env: { WOLKVOX_TOKEN: SECRET } });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /only allowed to this machine/);
  });

  it('a second run on the same state file fails fast, naming the running process', { timeout: 60_000 }, async () => {
    // The first run is held, not raced: from its third request on the emulator never answers.
    const emu = await startEmulator({ faults: [{ fault: 'hang', fromRequest: 3 }] });
    const next = await startEmulator();
    try {
      const dir = tmp();
      const state = join(dir, 'shared.sqlite');
      const base = ['--mapping', writeMapping(dir), '--operation', 'op', '--state', state];
      const first = startCli(['import', writeGestiones(dir, 200, undefined, 'a.csv'), ...base, '--server', emu.url, '--out', join(dir, 'a.out.csv')], { cwd: dir, env: { WOLKVOX_TOKEN: SECRET } });
      await until(() => emu.stats().insertCalls >= 3, 30_000);
      const second = await runCli(['import', writeGestiones(dir, 5, undefined, 'b.csv'), ...base, '--server', emu.url, '--quiet', '--out', join(dir, 'b.out.csv')], { cwd: dir, env: { WOLKVOX_TOKEN: SECRET } });
      assert.equal(second.code, 2, second.stderr);
      assert.match(second.stderr, new RegExp(`in use by another wolkvox-import \\(pid ${first.child.pid} .*started 20\\d\\d-`));
      assert.equal(first.child.exitCode, null, 'the first run is still held');
      // Stop the first run, then end its hung requests (closing the emulator resets them) instead of waiting out the grace.
      first.child.kill('SIGTERM');
      await until(() => /stopping/i.test(first.stderr()), 30_000);
      await emu.close();
      assert.equal((await first.done).code, 3);
      const third = await runCli(['import', join(dir, 'b.csv'), ...base, '--server', next.url, '--quiet', '--out', join(dir, 'b.out.csv')], { cwd: dir, env: { WOLKVOX_TOKEN: SECRET } });
      assert.equal(third.code, 0, `the lock is released when the first run ends: ${third.stderr}`);
      assert.equal(readResults(join(dir, 'b.out.csv')).length, 5);
    } finally {
      await emu.close();
      await next.close();
    }
  });
});
