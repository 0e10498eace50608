/**
 * Never twice, never lost: attacks on the whole CLI against the emulator on 127.0.0.1, each audited
 * against what the emulator committed. Bounded: a few hundred rows, a handful of kills.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { audit } from '../audit.ts';
import { readResults, runCli, startCli, tmp, until, writeGestiones, writeMapping } from '../helpers.ts';

const TOKEN = 'tok-adversarial';
const ENV = { WOLKVOX_TOKEN: TOKEN };
const callsOf = (n: number) => Array.from({ length: n }, (_, i) => `C${String(i + 1).padStart(6, '0')}`);
const KEYED = { dedupeKey: ['wolkvox_idCall'] };

/** A small seeded generator: the same kill moments every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('never twice, never lost', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ latencyMs: { min: 2, max: 8 }, tokens: [TOKEN] });
  });
  after(() => emu.close());

  it('a key whose row ended uncertain is not sent again: not by a later row of the file, not by the next day\'s file', async () => {
    emu.reset();
    emu.setFaults([{ fault: 'reset-after', requests: [1] }]);
    const dir = tmp();
    const input = writeGestiones(dir, 3, (i, r) => ({ ...r, call: i <= 2 ? 'CALL-1' : 'CALL-3' }));
    const mapping = writeMapping(dir, KEYED);
    const base = ['--mapping', mapping, '--server', emu.url, '--operation', 'op', '--quiet'];
    const day1 = await runCli(['import', input, ...base, '--out', join(dir, 'r1.csv')], { cwd: dir, env: ENV });
    assert.equal(day1.code, 1, day1.stderr);
    const r1 = readResults(join(dir, 'r1.csv'));
    assert.deepEqual(r1.map((r) => r.status), ['uncertain', 'duplicate', 'ok']);
    assert.match(r1[1]!.error, /waiting for the uncertain row 1/);
    assert.equal(emu.inserted.filter((g) => g.fields.wolkvox_idCall === 'CALL-1').length, 1, 'the reset request was committed once');
    const next = writeGestiones(dir, 1, (_i, r) => ({ ...r, call: 'CALL-1' }), 'day2.csv');
    const day2 = await runCli(['import', next, ...base, '--out', join(dir, 'r2.csv')], { cwd: dir, env: ENV });
    assert.equal(day2.code, 0, day2.stderr);
    assert.equal(readResults(join(dir, 'r2.csv'))[0]!.status, 'duplicate');
    assert.equal(emu.inserted.filter((g) => g.fields.wolkvox_idCall === 'CALL-1').length, 1, 'CALL-1 is in the CRM once');
  });

  it('re-running a file already imported is refused before any call (exit 2), even without a dedupe key', async () => {
    emu.reset();
    const dir = tmp();
    const input = writeGestiones(dir, 5);
    const args = ['import', input, '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--quiet'];
    assert.equal((await runCli([...args, '--out', join(dir, 'a.csv')], { cwd: dir, env: ENV })).code, 0);
    const calls = emu.stats().calls;
    const again = await runCli([...args, '--out', join(dir, 'b.csv')], { cwd: dir, env: ENV });
    assert.equal(again.code, 2, again.stderr);
    assert.match(again.stderr, /already imported: run 1 .*5 rows inserted.*--force-new-run/);
    assert.equal(emu.stats().calls, calls, 'no call spent');
    const forced = await runCli([...args, '--out', join(dir, 'c.csv'), '--force-new-run'], { cwd: dir, env: ENV });
    assert.equal(forced.code, 2, forced.stderr);
    assert.match(forced.stderr, /5 rows already inserted by run 1 .*have no dedupe key.*--yes/);
    assert.equal(emu.inserted.length, 5);
  });

  it('--out naming the input or the state file is refused; both stay intact', async () => {
    const dir = tmp();
    const input = writeGestiones(dir, 3);
    const before = readFileSync(input);
    const state = join(dir, 'state.sqlite');
    const base = ['import', input, '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--state', state, '--quiet'];
    for (const out of [input, state, `${state}-wal`, '/dev/null', dir]) {
      const r = await runCli([...base, '--out', out], { cwd: dir, env: ENV });
      assert.equal(r.code, 2, `${out}: ${r.stderr}`);
    }
    assert.deepEqual(readFileSync(input), before);
    assert.ok(statSync('/dev/null').isCharacterDevice());
  });

  it('kill -9 at random moments while sending and writing results, then --resume: every committed insert reported, none twice, none lost', { timeout: 120_000 }, async () => {
    emu.reset();
    emu.setFaults([{ fault: '503', rate: 0.03 }, { fault: 'reset-after', rate: 0.02 }, { fault: '500-after', rate: 0.02 }]);
    const dir = tmp();
    const n = 300;
    const input = writeGestiones(dir, n);
    const out = join(dir, 'r.csv');
    const args = ['import', input, '--mapping', writeMapping(dir, KEYED), '--server', emu.url, '--operation', 'op', '--out', out, '--quiet', '--resume'];
    const random = prng(20261201);
    for (let k = 0; k < 4; k++) {
      const target = emu.inserted.length + 10 + Math.floor(random() * 50);
      const run = startCli(args, { cwd: dir, env: ENV });
      const ended = run.done.then(() => true);
      await Promise.race([until(() => emu.inserted.length >= target, 30_000).catch(() => undefined), ended]);
      if (random() < 0.3) await new Promise((r) => setTimeout(r, Math.floor(random() * 40)));
      run.child.kill('SIGKILL');
      await run.done;
    }
    emu.setFaults([]);
    const last = await runCli(args, { cwd: dir, env: ENV });
    assert.ok(last.code === 0 || last.code === 1, last.stderr);
    const counts = audit(readResults(out), emu.inserted, { calls: callsOf(n) });
    assert.equal((counts.pending ?? 0) + (counts.failed ?? 0), 0, JSON.stringify(counts));
    assert.equal((counts.ok ?? 0) + (counts.uncertain ?? 0) + (counts.duplicate ?? 0), n);
  });

  it('a temporary result file left by a kill -9 is removed by the next run', async () => {
    const dir = tmp();
    const input = writeGestiones(dir, 2);
    const out = join(dir, 'r.csv');
    writeFileSync(`${out}.tmp-999999`, 'stale');
    const r = await runCli(['validate', input, '--mapping', writeMapping(dir), '--out', out], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.throws(() => statSync(`${out}.tmp-999999`));
  });

  it('a server that echoes the token, and a --server URL with credentials: neither reaches the results, the state file, the summary or the report', async () => {
    const secret = 'tok-ECHOED-secret-123';
    const srv = createServer((req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 400, error: `bad token ${String(req.headers['wolkvox-token'])}`, msg: `token ${String(req.headers['wolkvox-token'])} refused` }));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    try {
      const dir = tmp();
      const input = writeGestiones(dir, 3);
      const server = `http://user:pa55word@127.0.0.1:${(srv.address() as AddressInfo).port}/?token=${secret}`;
      const r = await runCli(['import', input, '--mapping', writeMapping(dir), '--server', server, '--operation', 'op', '--out', join(dir, 'r.csv'), '--state', join(dir, 's.sqlite')], { cwd: dir, env: { WOLKVOX_TOKEN: secret } });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(readResults(join(dir, 'r.csv'))[0]!.status, 'failed');
      for (const f of readdirSync(dir)) {
        if (f.endsWith('.csv') && f !== 'r.csv' && f !== 'input.csv') continue;
        const bytes = readFileSync(join(dir, f)).toString('latin1');
        assert.ok(!bytes.includes(secret), `${f} holds the token`);
        assert.ok(!bytes.includes('pa55word'), `${f} holds the URL password`);
      }
      assert.ok(!r.stderr.includes(secret) && !r.stderr.includes('pa55word'));
    } finally {
      srv.close();
    }
  });

  for (const [what, token] of [['an inner newline', 'abcdef\nghijkl'], ['a pasted zero-width space', 'abcdef\u200bghijkl'], ['a non-Latin-1 character', 'abcdef\u4e2dghijkl']] as const) {
    it(`a token with ${what} is refused before any call, without showing it, and the run does not hang`, async () => {
      emu.reset();
      const dir = tmp();
      const r = await runCli(['import', writeGestiones(dir, 3), '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--out', join(dir, 'r.csv')], { cwd: dir, env: { WOLKVOX_TOKEN: token } });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /E_TOKEN|token/i);
      assert.ok(!r.stderr.includes('ghijkl') && !r.stderr.includes('abcdef'), r.stderr);
      assert.equal(emu.stats().calls, 0);
    });
  }

  it('a catastrophic regex in the mapping (classic ReDoS patterns) does not hang the run', { timeout: 30_000 }, async () => {
    const dir = tmp();
    const input = writeGestiones(dir, 3, (i, r) => ({ ...r, name: `${'a'.repeat(40)}${i === 2 ? '!' : ''}` }));
    const skip = ['^(a+)+$', '(a|aa)+$', '^(\\w+\\s?)*$'].map((m, i) => ({ name: `redos-${i}`, column: 'nombre', matches: m }));
    const r = await runCli(['validate', input, '--mapping', writeMapping(dir, { skip }), '--out', join(dir, 'r.csv')], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readResults(join(dir, 'r.csv')).map((x) => x.status), ['skipped', 'pending', 'skipped']);
  });

  it('ledger --forget-before while an import holds the state file is refused (E_LOCKED); the ledger is intact', async () => {
    emu.reset();
    emu.setFaults([{ fault: 'hang', fromRequest: 4 }]);
    const dir = tmp();
    const state = join(dir, 's.sqlite');
    const run = startCli(['import', writeGestiones(dir, 20), '--mapping', writeMapping(dir, KEYED), '--server', emu.url, '--operation', 'op', '--state', state, '--out', join(dir, 'r.csv'), '--quiet'], { cwd: dir, env: ENV });
    try {
      await until(() => emu.inserted.length >= 3);
      const forget = await runCli(['ledger', '--state', state, '--forget-before', new Date().toISOString()], { cwd: dir });
      assert.equal(forget.code, 2, forget.stderr);
      assert.match(forget.stderr, /in use by another wolkvox-import/);
    } finally {
      run.child.kill('SIGKILL');
      await run.done;
    }
    const list = await runCli(['ledger', '--state', state], { cwd: dir });
    assert.equal((list.stdout.match(/C0000\d\d +→/g) ?? []).length, 3, list.stdout);
  });

  it('a reader that goes away (import --json | true) does not change the exit code; an existing --log-file is made private', async () => {
    emu.reset();
    const dir = tmp();
    const log = join(dir, 'run.log');
    writeFileSync(log, 'earlier lines\n', { mode: 0o644 });
    const run = startCli(['import', writeGestiones(dir, 5), '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--out', join(dir, 'r.csv'), '--json', '--log-file', log], { cwd: dir, env: ENV });
    run.child.stdout!.destroy();
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!/EPIPE|internal error/.test(r.stderr), r.stderr);
    assert.equal(statSync(log).mode & 0o777, 0o600);
  });
});
