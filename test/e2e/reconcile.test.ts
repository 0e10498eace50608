/** Issue 15's "done when": uncertain rows resolve themselves through queryGestion, every row inserted exactly once. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { audit } from '../audit.ts';
import { readResults, runCli, tmp, writeGestiones, writeMapping, type ResultRow } from '../helpers.ts';

const TOKEN = { WOLKVOX_TOKEN: 'tok-reconcile' };
const callsOf = (n: number) => Array.from({ length: n }, (_, i) => `C${String(i + 1).padStart(6, '0')}`);
const count = (rs: ResultRow[], s: string) => rs.filter((r) => r.status === s).length;

function setup(emu: Emulator, n: number) {
  const dir = tmp();
  const input = writeGestiones(dir, n);
  const out = join(dir, 'r.csv');
  const base = ['--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--out', out, '--quiet'];
  return { dir, input, out, base };
}

describe('reconcile: uncertain rows resolve themselves (queryGestion)', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ latencyMs: { min: 1, max: 4 }, seed: 15 });
  });
  after(() => emu.close());

  it('an import under 5 % 500-after and 3 % reset-after ends, after --reconcile, with no uncertain row, each row once, <= 1.1 queries per uncertain row', async () => {
    emu.reset();
    emu.setFaults([{ fault: '500-after', rate: 0.05 }, { fault: 'reset-after', rate: 0.03 }]);
    const n = 600;
    const { dir, input, out, base } = setup(emu, n);
    const run = await runCli(['import', input, ...base, '--reconcile', '--json'], { cwd: dir, env: TOKEN });
    assert.equal(run.code, 0, run.stderr);
    const rs = readResults(out);
    const counts = audit(rs, emu.inserted, { calls: callsOf(n) });
    assert.equal(counts.uncertain ?? 0, 0);
    assert.equal(counts.ok, n);
    assert.equal(emu.inserted.length, n, 'every row inserted exactly once');
    const reconciled = rs.filter((r) => r.error.startsWith('RECONCILED')).length;
    assert.ok(reconciled >= 20, `the faults left rows to reconcile (${reconciled})`);
    const queries = emu.stats().queryCalls;
    assert.ok(queries <= 1.1 * reconciled, `${queries} queries for ${reconciled} uncertain rows`);
    assert.deepEqual(JSON.parse(run.stdout).reconciled, { rows: reconciled, found: reconciled, missing: 0, uncertain: 0, calls: queries });
    const line = `reconciled ${reconciled}: found ${reconciled}, missing 0, still uncertain 0, calls ${queries}`;
    assert.ok(readFileSync(join(dir, 'r.report.html'), 'utf8').includes(line), 'the HTML report shows the figures');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'r.summary.json'), 'utf8')).reconciled.calls, queries);
  });

  it('rows the CRM proves missing become pending; --reconcile --resend sends them at once; nothing twice', async () => {
    emu.reset();
    emu.setFaults([{ fault: '502', requests: [3, 10, 11] }, { fault: '500-after', requests: [7] }]);
    const n = 30;
    const { dir, input, out, base } = setup(emu, n);
    const run = await runCli(['import', input, ...base, '--reconcile', '--resend', '--json'], { cwd: dir, env: TOKEN });
    assert.equal(run.code, 0, run.stderr);
    const rs = readResults(out);
    audit(rs, emu.inserted, { calls: callsOf(n) });
    assert.equal(count(rs, 'ok'), n);
    assert.equal(emu.inserted.length, n);
    assert.deepEqual(JSON.parse(run.stdout).reconciled, { rows: 4, found: 1, missing: 3, uncertain: 0, calls: 4 });
  });

  it('without --resend the missing rows are pending (exit 3), and --resume sends them', async () => {
    emu.reset();
    emu.setFaults([{ fault: '502', requests: [2, 5] }]);
    const n = 12;
    const { dir, input, out, base } = setup(emu, n);
    const first = await runCli(['import', input, ...base, '--reconcile'], { cwd: dir, env: TOKEN });
    assert.equal(first.code, 3, first.stderr);
    const rs = readResults(out);
    assert.equal(count(rs, 'pending'), 2);
    assert.match(rs.find((r) => r.status === 'pending')!.error, /^NOT_IN_CRM/);
    emu.setFaults([]);
    const second = await runCli(['import', input, ...base, '--resume'], { cwd: dir, env: TOKEN });
    assert.equal(second.code, 0, second.stderr);
    audit(readResults(out), emu.inserted, { calls: callsOf(n) });
    assert.equal(emu.inserted.length, n);
  });

  it('`reconcile <input>` resolves what an import left uncertain and rewrites its results; a resume with --reconcile does it first', async () => {
    emu.reset();
    emu.setFaults([{ fault: '500-after', requests: [4] }, { fault: '504', requests: [6] }]);
    const n = 10;
    const { dir, input, out, base } = setup(emu, n);
    const first = await runCli(['import', input, ...base], { cwd: dir, env: TOKEN });
    assert.equal(first.code, 1, first.stderr);
    assert.equal(count(readResults(out), 'uncertain'), 2);
    const mapping = base[base.indexOf('--mapping') + 1]!;
    const check = await runCli(['check', '--server', emu.url, '--operation', 'op', '--input', input, '--mapping', mapping, '--json'], { cwd: dir, env: TOKEN });
    assert.equal(check.code, 0, check.stderr);
    assert.equal(JSON.parse(check.stdout).plan.reconcileCalls, 2, 'check plans one query per uncertain row');
    const rec = await runCli(['reconcile', input, ...base.filter((a) => a !== '--quiet'), '--json'], { cwd: dir, env: TOKEN });
    assert.equal(rec.code, 3, `one row is pending now: ${rec.stderr}`);
    const summary = JSON.parse(rec.stdout) as { reconciled: Record<string, number> };
    assert.deepEqual(summary.reconciled, { rows: 2, found: 1, missing: 1, uncertain: 0, calls: 2 });
    const rs = readResults(out);
    assert.equal(rs[3]!.status, 'ok');
    assert.match(rs[3]!.error, /^RECONCILED/);
    assert.equal(rs[5]!.status, 'pending');
    const resumed = await runCli(['import', input, ...base, '--resume', '--reconcile'], { cwd: dir, env: TOKEN });
    assert.equal(resumed.code, 0, resumed.stderr);
    audit(readResults(out), emu.inserted, { calls: callsOf(n) });
    assert.equal(emu.inserted.length, n);
  });

  it('--resume --reconcile reconciles first: a row proven missing is sent by that same resume', async () => {
    emu.reset();
    emu.setFaults([{ fault: '502', requests: [2] }, { fault: '500-after', requests: [3] }]);
    const n = 8;
    const { dir, input, out, base } = setup(emu, n);
    const first = await runCli(['import', input, ...base, '--max-calls', '4'], { cwd: dir, env: TOKEN });
    assert.equal(first.code, 3, first.stderr);
    assert.equal(count(readResults(out), 'uncertain'), 2);
    const resumed = await runCli(['import', input, ...base, '--resume', '--reconcile', '--json'], { cwd: dir, env: TOKEN });
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(JSON.parse(resumed.stdout).reconciled, { rows: 2, found: 1, missing: 1, uncertain: 0, calls: 2 });
    audit(readResults(out), emu.inserted, { calls: callsOf(n) });
    assert.equal(emu.inserted.length, n);
  });

  it('--max-calls counts the queries: the rows it leaves unsearched stay uncertain, with the reason', async () => {
    emu.reset();
    emu.setFaults([{ fault: '500-after', requests: [1, 2, 3] }]);
    const n = 5;
    const { dir, input, out, base } = setup(emu, n);
    const run = await runCli(['import', input, ...base, '--reconcile', '--max-calls', '7'], { cwd: dir, env: TOKEN });
    assert.equal(run.code, 3, run.stderr);
    const rs = readResults(out);
    assert.equal(emu.stats().calls, 7);
    assert.equal(count(rs, 'ok'), 4, 'two inserted + two reconciled');
    assert.match(rs.find((r) => r.status === 'uncertain')!.error, /RECONCILE: not searched/);
  });
});

describe('reconcile: the "404 NO RECORDS FOUND" form of nothing found', () => {
  it('is read as no match (missing), like data: []', async () => {
    const emu = await startEmulator({ notFound: '404', faults: [{ fault: '502', requests: [2] }] });
    try {
      const { dir, input, out, base } = setup(emu, 4);
      const run = await runCli(['import', input, ...base, '--reconcile', '--resend'], { cwd: dir, env: TOKEN });
      assert.equal(run.code, 0, run.stderr);
      audit(readResults(out), emu.inserted, { calls: callsOf(4) });
      assert.equal(emu.inserted.length, 4);
    } finally {
      await emu.close();
    }
  });
});
