/**
 * `import --report` against an INDEPENDENT implementation of the documented Manager report API
 * (test/independent-report.ts: written from the documented facts only, not the project's emulator).
 * The CRM side is the project's emulator. Audited call by call.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { audit } from '../audit.ts';
import { readResults, runCli, startCli, tmp, until, type CliRun } from '../helpers.ts';
import { auditProtocol, auditSnapshot, bogota, connIds, CRM, DAY, Dialer, flagTime, HOUR, importable, MGR, prng, ReportServer, wall, type DialCall, type Fault, type ServerOptions } from '../independent-report.ts';
import { storedWatermark } from '../state-file.ts';

// ---------------------------------------------------------------- the CLI side

const servers: { close(): Promise<void> }[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function startServers(o: ServerOptions): Promise<{ mgr: ReportServer; emu: Emulator }> {
  const mgr = await new ReportServer(o).listen();
  const emu = await startEmulator({ latencyMs: 0, tokens: [CRM] });
  servers.push(mgr, emu);
  return { mgr, emu };
}

interface Setup {
  dir: string;
  mgr: ReportServer;
  emu: Emulator;
  outputs: string[];
}

function setup(mgr: ReportServer, emu: Emulator, dialer: Dialer): Setup {
  const dir = tmp('wvx-indep-');
  writeFileSync(join(dir, 'crm_records.csv'), dialer.recordsCsv());
  return { dir, mgr, emu, outputs: [] };
}

interface Summary {
  out: string;
  stopped: { reason: string } | null;
  managerReport: { snapshot: string; from: string; to: string; watermark?: string; managerCalls: number; fromSnapshot: boolean; windows: { from: string; to: string; records: number }[] };
}

function args(s: Setup, extra: string[]): string[] {
  return ['import', '--report', 'cdr_1', '--manager-server', s.mgr.url, '--server', s.emu.url, '--operation', 'op', '--preset', 'cdr_1',
    '--lookup', `records=${join(s.dir, 'crm_records.csv')}`, '--state', join(s.dir, 'state.sqlite'), '--json', ...extra];
}

const ENV = (extra: Record<string, string> = {}) => ({ WOLKVOX_TOKEN: CRM, WOLKVOX_MANAGER_TOKEN: MGR, ...extra });

function summaryOf(run: CliRun): Summary | undefined {
  const line = run.stdout.trim().split('\n').pop();
  return line?.startsWith('{') ? (JSON.parse(line) as Summary) : undefined;
}

async function cli(s: Setup, extra: string[], env: Record<string, string> = {}): Promise<{ run: CliRun; json: Summary | undefined }> {
  const run = await runCli(args(s, extra), { cwd: s.dir, env: ENV(env) });
  s.outputs.push(run.stdout, run.stderr);
  return { run, json: summaryOf(run) };
}

const okExit = (run: CliRun) => assert.ok([0, 1].includes(run.code ?? -1), `exit ${run.code}: ${run.stderr.slice(-1500)}`);



/** Nothing inserted twice; every importable call of `expected` inserted. Returns how many. */
function auditInserted(emu: Emulator, expected: DialCall[]): number {
  const ids = emu.inserted.map((g) => String(g.fields.wolkvox_idCall));
  assert.equal(new Set(ids).size, ids.length, 'no call inserted twice');
  const inserted = new Set(ids);
  const want = expected.filter(importable).map((c) => c.connId);
  assert.deepEqual(want.filter((c) => !inserted.has(c)), [], 'every importable call inserted');
  const wantAll = new Set(expected.map((c) => c.connId));
  assert.deepEqual(ids.filter((c) => !wantAll.has(c)), [], 'nothing inserted that is not a call of the range');
  return want.length;
}

/** The tokens in no output, file or log; files private. */
function auditSecrets(s: Setup): void {
  for (const text of s.outputs) assert.ok(!text.includes(MGR) && !text.includes(CRM), 'no token in any output');
  const reports = join(s.dir, 'reports');
  for (const f of existsSync(reports) ? readdirSync(reports) : []) {
    assert.ok(!readFileSync(join(reports, f), 'utf8').includes(MGR), `${f} holds no token`);
    assert.equal(statSync(join(reports, f)).mode & 0o777, 0o600, `${f} is private`);
  }
}


/** The watermark as `runs --json` prints it (the command an operator reads it with). */
async function watermarkCli(s: Setup): Promise<number | undefined> {
  const r = await runCli(['runs', '--state', join(s.dir, 'state.sqlite'), '--json'], { cwd: s.dir });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{"watermark"'));
  return line ? Date.parse(JSON.parse(line).watermark.untilAt as string) : undefined;
}

/** The watermark read from the state file in this process (what `runs` lists; no CLI start for each look between runs). */
function watermark(s: Setup): Promise<number | undefined> {
  return Promise.resolve(storedWatermark(join(s.dir, 'state.sqlite')));
}

// ---------------------------------------------------------------- the tests

// ---------------------------------------------------------------- the tests

describe('import --report against an independent report API', () => {
  // Each test has its own servers, directory and state file: the CLI runs go three at a time. The product's fetch
  // alone, in the test's process, is report-independent-fetch.test.ts.
  describe('the CLI', { concurrency: 3 }, () => {
    it('three days (bursts, edges, midnight, an empty day), cap 300 as an arbitrary subset, faults: every call once', { timeout: 120_000 }, async () => {
      const d = new Dialer(16);
      const d1 = bogota('2026-10-05');
      const d2 = d1 + DAY;
      const d3 = d2 + DAY;
      const d4 = d3 + DAY;
      d.burst(d1, 7); // 00:00:00: the range's first second
      d.spread(d1, d2, 1900);
      for (let h = 1; h < 24; h++) d.burst(d1 + h * HOUR, 3); // on every hour (likely window edges)
      d.burst(d1 + 9 * HOUR + 17 * 60_000, 240); // a burst of 240 calls in one second, under the cap
      d.burst(d1 + 12 * HOUR, 120); // midday: the middle of the day, where a halving cuts
      d.burst(d2 - 1000, 5); // 23:59:59
      // d2: no call at all
      d.burst(d3, 4); // 00:00:00 after the empty day
      d.spread(d3, d4, 500);
      d.burst(d4 - 1000, 3);
      d.burst(d4, 6); // the range's end: NOT in this range (date_end exclusive, --until exclusive)
      // Each fault followed by two normal answers: the faults fall on different windows and attempts (five in a row
      // on one window, with the backoff growing to its fifth step, is test/manager/fetch.test.ts's retry test).
      const faults: Fault[] = ['status500', 'reset', 'html200', 'code429in200', 'echo500'];
      const { mgr, emu } = await startServers({ dialer: d, cap: 300, faults: faults.flatMap((f) => [f, null, null]) });
      const s = setup(mgr, emu, d);
      const t0 = Date.now();
      const { run, json } = await cli(s, ['--since', '2026-10-05', '--until', '2026-10-08', '--log-file', join(s.dir, 'reports', 'run.log')], { WOLKVOX_MANAGER_SPLIT_AT: '300' });
      okExit(run);
      const expected = d.in(d1, d4);
      const snap = auditSnapshot(json!.managerReport.snapshot, expected);
      const counts = audit(readResults(json!.out), emu.inserted, { calls: snap, callColumn: 'conn_id' });
      const inserted = auditInserted(emu, expected);
      assert.equal(counts.ok, inserted, 'every importable call ok');
      auditProtocol(mgr, t0);
      auditSecrets(s);
      assert.ok(readFileSync(join(s.dir, 'reports', 'run.log'), 'utf8').length > 0);
      // Manager calls: the faulted ones are retries; the rest against the minimum (one call per 300 records).
      const minimum = Math.ceil(expected.length / 300);
      assert.equal(json!.managerReport.managerCalls, mgr.requests, 'the summary counts every Manager call');
      console.log(`[independent] ${expected.length} calls, ${inserted} inserted, Manager calls ${mgr.requests} (${faults.length} faulted), minimum ${minimum}, windows ${json!.managerReport.windows.length}`);
      assert.deepEqual(mgr.served.filter((x) => x.fault !== undefined).map((x) => x.fault), faults, 'every fault was met');
      assert.ok(mgr.requests - faults.length <= 2 * minimum, `Manager calls ${mgr.requests - faults.length} (without the faulted) ≤ 2 × the minimum ${minimum}`);
      // The watermark is the range's end: the empty day and the edge records settled.
      assert.equal(await watermarkCli(s), d4);
    });

    it('a one-second window still at the cap stops with the coded error naming that second; nothing imported', { timeout: 60_000 }, async () => {
      const d = new Dialer(7);
      const day = bogota('2026-10-12');
      d.spread(day, day + DAY, 200);
      const second = day + 14 * HOUR + 3 * 60_000 + 9_000;
      d.burst(second, 301);
      const { mgr, emu } = await startServers({ dialer: d, cap: 300 });
      const s = setup(mgr, emu, d);
      const { run } = await cli(s, ['--since', '2026-10-12'], { WOLKVOX_MANAGER_SPLIT_AT: '300' });
      assert.equal(run.code, 3, run.stderr.slice(-1500));
      assert.match(run.stderr, /at the API's cap .* cannot be fetched completely/);
      assert.ok(run.stderr.includes(`${wall(second)} .. ${wall(second + 1000)}`), `names the second: ${run.stderr.slice(-800)}`);
      assert.equal(emu.inserted.length, 0, 'nothing inserted');
      const reports = join(s.dir, 'reports');
      assert.deepEqual(existsSync(reports) ? readdirSync(reports).filter((f) => f.includes('snapshot')) : [], [], 'no snapshot (nor .partial) left');
      auditProtocol(mgr);
      auditSecrets(s);
    });

    it('an explicit run after a gap leaves the watermark; --since last then imports the gap: every call once', { timeout: 120_000 }, async () => {
      const d = new Dialer(23);
      const d5 = bogota('2026-10-05');
      for (let i = 0; i < 4; i++) d.spread(d5 + i * DAY, d5 + (i + 1) * DAY, 60);
      const { mgr, emu } = await startServers({ dialer: d, cap: 1000 });
      const s = setup(mgr, emu, d);
      okExit((await cli(s, ['--since', '2026-10-05', '--until', '2026-10-06'])).run);
      assert.equal(await watermark(s), d5 + DAY);
      // The night of the 6th and the 7th never ran; someone imports the 8th by hand.
      okExit((await cli(s, ['--since', '2026-10-08'])).run);
      assert.equal(await watermark(s), d5 + DAY, 'a run that started after the watermark does not move it past the calls it skipped');
      const { run, json } = await cli(s, ['--since', 'last', '--until', '2026-10-09']);
      okExit(run);
      assert.equal(Date.parse(json!.managerReport.from), d5 + DAY - 10 * 60_000);
      assert.equal(await watermark(s), d5 + 4 * DAY);
      assert.ok(auditInserted(emu, d.in(d5, d5 + 4 * DAY)) > 150);
      auditProtocol(mgr);
      auditSecrets(s);
    });

    it('kill -9 at random points of the fetch and the import, then --resume until done: never inserted twice, none lost', { timeout: 180_000 }, async () => {
      const d = new Dialer(47);
      const day = bogota('2026-10-14');
      d.spread(day, day + DAY, 700);
      d.burst(day + 10 * HOUR, 90);
      const { mgr, emu } = await startServers({ dialer: d, cap: 150, faults: ['slow', 'slow', 'hang'], slowMs: 300 });
      const s = setup(mgr, emu, d);
      const env = ENV({ WOLKVOX_MANAGER_SPLIT_AT: '150' });
      const rnd = prng(2026);
      const startRun = (extra: string[]) => {
        const r = startCli(args(s, ['--since', '2026-10-14', ...extra]), { cwd: s.dir, env });
        let exited = false;
        void r.done.then((x) => {
          exited = true;
          s.outputs.push(x.stdout, x.stderr);
        });
        return { ...r, exited: () => exited };
      };
      // 1. Killed during the fetch (the third report call hangs): no snapshot, nothing inserted.
      const first = startRun([]);
      await until(() => mgr.requests >= 3 || first.exited());
      first.child.kill('SIGKILL');
      await first.done;
      assert.equal(emu.inserted.length, 0);
      assert.deepEqual(readdirSync(join(s.dir, 'reports')).filter((f) => f.endsWith('.snapshot.csv')), [], 'a killed fetch leaves no snapshot');
      // 2. Killed during the inserts at random points (or not at all when it finished first), several times.
      let kills = 0;
      let last: CliRun | undefined;
      for (let round = 0; round < 3; round++) {
        const target = emu.inserted.length + 20 + Math.floor(rnd() * 120);
        const r = startRun(['--resume', '--reconcile', '--resend']);
        await until(() => emu.inserted.length >= target || r.exited(), 120_000);
        if (!r.exited()) {
          r.child.kill('SIGKILL');
          kills++;
        }
        last = await r.done;
      }
      // 3. --resume until done.
      for (let i = 0; i < 3 && (last?.signal !== null || ![0, 1].includes(last.code ?? -1)); i++) {
        const r = startRun(['--resume', '--reconcile', '--resend']);
        last = await r.done;
      }
      okExit(last!);
      const json = summaryOf(last!)!;
      assert.ok(kills >= 2, `killed during the import ${kills} times`);
      const n = auditInserted(emu, d.in(day, day + DAY));
      const rows = readResults(json.out);
      const statuses = new Set(rows.map((r) => r.status));
      assert.ok(!statuses.has('uncertain') && !statuses.has('pending') && !statuses.has('failed'), `settled: ${[...statuses].join(',')}`);
      assert.equal(await watermark(s), day + DAY);
      auditProtocol(mgr);
      auditSecrets(s);
      console.log(`[independent] kill -9: ${kills + 1} kills, ${n} calls inserted once, Manager calls ${mgr.requests}`);
    });

    it('--since last while calls are still being written late: overlap catches them, the watermark never passes now − settle', { timeout: 150_000 }, async () => {
      const d = new Dialer(59);
      const t0 = Math.floor(Date.now() / 60_000) * 60_000;
      const start = t0 - 3 * HOUR;
      d.spread(start, t0, 500);
      d.burst(start, 4); // on the range's first second
      const late1 = new Set<DialCall>();
      for (let i = 0; i < 30; i++) late1.add(d.add(t0 - 34 * 60_000 + i * 40_000)); // t0−34m .. t0−14m: written only after run 1
      const hidden = new Set<DialCall>(late1);
      const LAG = 5 * 60_000; // the dialer writes a call within 5 minutes (under the 10-minute settle delay)
      const { mgr, emu } = await startServers({ dialer: d, cap: 400, visible: (c) => !hidden.has(c) && c.t <= Date.now() - LAG });
      const s = setup(mgr, emu, d);
      const flags = ['--overlap', '40m', '--settle-delay', '10m'];
      const split = { WOLKVOX_MANAGER_SPLIT_AT: '400' };
      const r1 = await cli(s, ['--since', flagTime(start), ...flags], split);
      okExit(r1.run);
      const wm1 = (await watermark(s))!;
      assert.ok(wm1 <= Date.now() - 10 * 60_000, 'the watermark is not past now − settle');
      const snap1 = new Set(connIds(r1.json!.managerReport.snapshot));
      for (const c of late1) assert.ok(!snap1.has(c.connId), 'a call not yet written is not in the first snapshot');
      // Run 2: the late calls are written now; more calls keep coming late (after run 2).
      hidden.clear();
      const late2 = new Set<DialCall>();
      for (let i = 0; i < 20; i++) late2.add(d.add(wm1 - 25 * 60_000 + i * 30_000));
      for (const c of late2) hidden.add(c);
      const r2 = await cli(s, ['--since', 'last', ...flags], split);
      okExit(r2.run);
      assert.equal(Date.parse(r2.json!.managerReport.from), wm1 - 40 * 60_000, 'starts at the watermark minus the overlap');
      const snap2 = new Set(connIds(r2.json!.managerReport.snapshot));
      for (const c of late1) assert.ok(snap2.has(c.connId), 'the overlap caught a late call');
      hidden.clear();
      const r3 = await cli(s, ['--since', 'last', ...flags], split);
      okExit(r3.run);
      const wm3 = (await watermark(s))!;
      assert.ok(wm3 >= wm1 && wm3 <= Date.now() - 10 * 60_000);
      // No window asked for ended later than its request's moment minus the settle delay.
      for (const x of mgr.served) assert.ok(x.end <= x.at - 10 * 60_000, `date_end ${wall(x.end)} asked at ${wall(x.at)}`);
      const n = auditInserted(emu, d.in(start, wm3));
      assert.ok([...late1, ...late2].filter(importable).length > 20 && n > 300);
      auditProtocol(mgr);
      auditSecrets(s);
    });

    it('a wrong Manager token echoed back by a 401 is in no output', { timeout: 30_000 }, async () => {
      const d = new Dialer(3);
      d.spread(bogota('2026-10-20'), bogota('2026-10-21'), 10);
      const { mgr, emu } = await startServers({ dialer: d, cap: 100 });
      const s = setup(mgr, emu, d);
      const wrong = 'mgr-WRONG-secret-0000';
      const { run } = await cli(s, ['--since', '2026-10-20'], { WOLKVOX_MANAGER_TOKEN: wrong });
      assert.equal(run.code, 3, run.stderr.slice(-800));
      assert.ok(!run.stdout.includes(wrong) && !run.stderr.includes(wrong), 'the wrong token is not printed');
      assert.equal(emu.inserted.length, 0);
    });

    it('kill -9 during the inserts, then the next night runs --since last without --resume: no call inserted twice, none lost', { timeout: 120_000 }, async () => {
      const d = new Dialer(71);
      const day = bogota('2026-10-16');
      d.spread(day, day + 2 * DAY, 500);
      const { mgr, emu } = await startServers({ dialer: d, cap: 1000 });
      const s = setup(mgr, emu, d);
      okExit((await cli(s, ['--since', '2026-10-15', '--until', '2026-10-16'])).run); // an empty first night sets the watermark
      assert.equal(await watermark(s), day);
      const killed = startCli(args(s, ['--since', 'last', '--until', '2026-10-17']), { cwd: s.dir, env: ENV() });
      await until(() => emu.inserted.length >= 60);
      killed.child.kill('SIGKILL');
      s.outputs.push((await killed.done).stderr);
      assert.equal(await watermark(s), day, 'a killed night leaves the watermark');
      // The next nights, as cron runs them: --since last, never --resume (the first one without --reconcile).
      const nights: string[] = [];
      for (let n = 0; n < 5 && (await watermark(s)) !== day + 2 * DAY; n++) {
        const night = await cli(s, ['--since', 'last', '--until', '2026-10-18', ...(n === 0 ? [] : ['--reconcile', '--resend'])]);
        okExit(night.run);
        nights.push(`${night.json!.managerReport.fromSnapshot ? 'continued' : 'fetched'} ${night.json!.managerReport.from}`);
        const ids = emu.inserted.map((g) => String(g.fields.wolkvox_idCall));
        assert.equal(new Set(ids).size, ids.length, 'no call inserted twice');
      }
      assert.equal(await watermark(s), day + 2 * DAY, nights.join('; '));
      assert.equal(nights[0]?.split(' ')[0], 'continued', 'the night after the kill continues the killed run');
      console.log(`[independent] nights after a kill: ${nights.join('; ')}`);
      auditInserted(emu, d.in(day, day + 2 * DAY));
      auditProtocol(mgr);
      auditSecrets(s);
    });
  });
});
