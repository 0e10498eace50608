import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.ts';
import { readResults, runCli, startCli, tmp, writeGestiones, writeMapping } from '../helpers.ts';

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
    const emu = await startEmulator({ latencyMs: 30 });
    try {
      const dir = tmp();
      const state = join(dir, 'shared.sqlite');
      const base = ['--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--state', state, '--quiet'];
      const first = startCli(['import', writeGestiones(dir, 200, undefined, 'a.csv'), ...base, '--out', join(dir, 'a.out.csv')], { cwd: dir, env: { WOLKVOX_TOKEN: SECRET } });
      while (emu.inserted.length < 3) await new Promise((r) => setTimeout(r, 10));
      const second = await runCli(['import', writeGestiones(dir, 5, undefined, 'b.csv'), ...base, '--out', join(dir, 'b.out.csv')], { cwd: dir, env: { WOLKVOX_TOKEN: SECRET } });
      assert.equal(second.code, 2);
      assert.match(second.stderr, new RegExp(`in use by another wolkvox-import \\(pid ${first.child.pid} .*started 20\\d\\d-`));
      first.child.kill('SIGTERM');
      assert.equal((await first.done).code, 3);
      const third = await runCli(['import', join(dir, 'b.csv'), ...base, '--out', join(dir, 'b.out.csv')], { cwd: dir, env: { WOLKVOX_TOKEN: SECRET } });
      assert.equal(third.code, 0, 'the lock is released when the first run ends');
      assert.equal(readResults(join(dir, 'b.out.csv')).length, 5);
    } finally {
      await emu.close();
    }
  });
});
