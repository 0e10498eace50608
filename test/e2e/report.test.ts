/**
 * `import --report`: the Manager report source end to end, the real CLI against the emulator's
 * Manager and CRM sides on 127.0.0.1. Audited call by call: every dialer call of the range is in the
 * snapshot once, every importable call is inserted exactly once across runs, and the Manager token is
 * in no output.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.ts';
import { runCli, startCli, tmp, until, type CliRun } from '../helpers.ts';
import { storedWatermarks } from '../state-file.ts';

const MGR = 'mgr-SECRET-token-7f3a9c';
const CRM = 'crm-SECRET-token-21b8e0';
/** Midnight in Bogota (UTC-5, no DST) of a day, as an instant. */
const bogota = (day: string) => new Date(`${day}T05:00:00.000Z`);

/** Each test's own emulator (the CLI tests run three at a time), all closed at the end. */
const emulators: Emulator[] = [];
after(async () => {
  for (const e of emulators) await e.close();
});

async function start(o: EmulatorOptions & { manager: NonNullable<EmulatorOptions['manager']> }): Promise<Emulator> {
  const e = await startEmulator({ latencyMs: 0, ...o, manager: { token: MGR, ...o.manager } });
  emulators.push(e);
  return e;
}

interface Setup {
  dir: string;
  emu: Emulator;
  outputs: string[];
}

function setup(e: Emulator): Setup {
  const dir = tmp('wvx-report-');
  writeFileSync(join(dir, 'crm_records.csv'), e.recordsCsv());
  return { dir, emu: e, outputs: [] };
}

/** `import --report cdr_1 ...` (or validate); every output is kept for the token check. */
/** What the tests read of `--json`'s summary. */
interface Summary {
  out: string;
  calls: number;
  stopped: { reason: string } | null;
  managerReport: { snapshot: string; from: string; watermark: string; managerCalls: number; fromSnapshot: boolean; windows: unknown[] };
}

async function report(s: Setup, args: string[], o: { command?: string; env?: Record<string, string> } = {}): Promise<{ run: CliRun; json: Summary | undefined }> {
  const run = await runCli([o.command ?? 'import', ...common(s), ...args], { cwd: s.dir, env: { WOLKVOX_TOKEN: CRM, WOLKVOX_MANAGER_TOKEN: MGR, ...o.env } });
  s.outputs.push(run.stdout, run.stderr);
  const line = run.stdout.trim().split('\n').pop();
  return { run, json: line?.startsWith('{') ? (JSON.parse(line) as Summary) : undefined };
}

function common(s: Setup): string[] {
  return ['--report', 'cdr_1', '--manager-server', s.emu.url, '--server', s.emu.url, '--operation', 'op', '--preset', 'cdr_1',
    '--lookup', `records=${join(s.dir, 'crm_records.csv')}`, '--state', join(s.dir, 'state.sqlite'), '--json'];
}

function csv(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

/** A cdr_1 row the preset sends (not TIMEOUTACW, not a test call, typified). */
function importable(r: Record<string, string>): boolean {
  return r.cod_act !== '' && r.cod_act !== 'TIMEOUTACW' && r.description_cod_act !== '' && !/^prueba/i.test(r.description_cod_act ?? '');
}

/** No call inserted twice, and every importable call of [from, to) inserted; returns how many those are. */
function auditInserted(e: Emulator, range: { from: Date; to: Date }): number {
  const ids = e.inserted.map((g) => String(g.fields.wolkvox_idCall));
  assert.equal(new Set(ids).size, ids.length, 'no call inserted twice');
  const inserted = new Set(ids);
  const expected = e.manager.rows('cdr_1', range).filter(importable).map((r) => r.conn_id!);
  const missing = expected.filter((c) => !inserted.has(c));
  assert.deepEqual(missing, [], 'every importable call of the range inserted');
  return expected.length;
}

/** The Manager token (and the CRM one) in no output, result, summary, report, snapshot or log; private files. */
function auditSecrets(s: Setup): void {
  for (const text of s.outputs) {
    assert.ok(!text.includes(MGR), 'the Manager token is in no output');
    assert.ok(!text.includes(CRM), 'the CRM token is in no output');
  }
  const reports = join(s.dir, 'reports');
  for (const f of existsSync(reports) ? readdirSync(reports) : []) {
    const text = readFileSync(join(reports, f), 'utf8');
    assert.ok(!text.includes(MGR) && !text.includes(CRM), `${f} holds no token`);
    assert.equal(statSync(join(reports, f)).mode & 0o777, 0o600, `${f} is private`);
  }
  const state = join(s.dir, 'state.sqlite');
  if (existsSync(state)) assert.equal(statSync(state).mode & 0o777, 0o600, 'the state file is private');
}

/** The watermarks as `runs --json` prints them (the command an operator reads them with). */
async function watermarksCli(s: Setup): Promise<string[]> {
  const r = await runCli(['runs', '--state', join(s.dir, 'state.sqlite'), '--json'], { cwd: s.dir });
  return r.stdout.split('\n').filter((l) => l.startsWith('{"watermark"')).map((l) => JSON.parse(l).watermark.untilAt as string);
}

/** The same read from the state file in this process (no CLI start for each look between runs). */
const watermarks = (s: Setup): Promise<string[]> => Promise.resolve(storedWatermarks(join(s.dir, 'state.sqlite')));

describe('import --report (wolkvox Manager source)', () => {
  // Each test has its own emulator, directory and state file: the CLI runs go three at a time. A whole day of
  // 150,000 calls is fetched in its own file (report-day.test.ts): its long synchronous steps would hold up these.
  describe('the CLI', { concurrency: 3 }, () => {
    it('fetches a whole day completely, splitting windows at the cap, every call once in the snapshot', { timeout: 180_000 }, async () => {
      const e = await start({ manager: { callsPerDay: 6_000, cap: 500 } });
      const s = setup(e);
      // validate: the fetch and the plan, no CRM call. The emulator cuts answers at 500 records silently; split at 475.
      const { run, json } = await report(s, ['--since', '2026-11-20'], { command: 'validate', env: { WOLKVOX_MANAGER_SPLIT_AT: '475' } });
      assert.equal(run.code, 0, run.stderr.slice(-800)); // untypified calls (TIMEOUTACW, empty) are skipped by the preset: a normal night ends 0
      const m = json!.managerReport;
      const day = { from: bogota('2026-11-20'), to: bogota('2026-11-21') };
      const expected = e.manager.rows('cdr_1', day).map((r) => r.conn_id!);
      const got = csv(m.snapshot).map((r) => r.conn_id!);
      assert.equal(expected.length, 6_000);
      assert.equal(new Set(got).size, got.length, 'no call twice in the snapshot');
      assert.deepEqual([...got].sort(), [...expected].sort(), 'every call of the day in the snapshot');
      assert.equal(m.managerCalls, e.manager.calls, 'the summary counts the Manager calls made');
      assert.ok(e.manager.calls <= 2 * Math.ceil(6_000 / 475), `Manager calls ${e.manager.calls} ≤ 2 × the minimum`);
      assert.ok(m.windows.length >= Math.ceil(6_000 / 500), 'the day was split into windows under the cap');
      assert.equal(json!.calls, 0, 'validate makes no CRM call');
      assert.equal(e.inserted.length, 0);
      assert.ok(!existsSync(join(s.dir, 'state.sqlite')), 'a dry run creates no state file');
      auditSecrets(s);
    });

    it('--since today, then --since last twice while calls are still being written: every settled call once', { timeout: 240_000 }, async () => {
      // The emulator's clock runs `lag` behind: calls of the last `lag` are "not written yet" and appear later. During
      // the first run it stands still (`frozen`), so which calls it had not written yet is known to the second.
      const lag: { ms: number; frozen?: number } = { ms: 60 * 60_000 };
      const e = await start({ manager: { callsPerDay: 750, now: () => lag.frozen ?? Date.now() - lag.ms } });
      const s = setup(e);
      const flags = ['--settle-delay', '1s', '--overlap', '90m'];
      lag.frozen = Date.now() - lag.ms;
      const writtenUntil = (Math.floor(lag.frozen / 1000) + 1) * 1000; // the emulator serves calls that start before this second
      const first = await report(s, ['--since', 'today', ...flags]);
      lag.frozen = undefined;
      assert.ok([0, 1].includes(first.run.code ?? -1), first.run.stderr.slice(-800));
      const todayStart = new Date(first.json!.managerReport.from);
      const wm1 = new Date(first.json!.managerReport.watermark);
      lag.ms = 30 * 60_000;
      const second = await report(s, ['--since', 'last', ...flags]);
      assert.ok([0, 1].includes(second.run.code ?? -1), second.run.stderr.slice(-800));
      assert.equal(new Date(second.json!.managerReport.from).getTime(), wm1.getTime() - 90 * 60_000, '--since last starts at the watermark minus the overlap');
      lag.ms = 0;
      const third = await report(s, ['--since', 'last', ...flags]);
      assert.ok([0, 1].includes(third.run.code ?? -1), third.run.stderr.slice(-800));
      const wm3 = new Date(third.json!.managerReport.watermark);
      assert.ok(wm3 > wm1, 'the watermark moved forward');
      // Calls written late (inside the first run's range, served only later) were caught by the overlap.
      const late = e.manager.rows('cdr_1', { from: new Date(writtenUntil), to: wm1 }).filter(importable);
      // In the first hour after midnight in Bogota the emulator, an hour behind, has written no call of today yet: no snapshot.
      const snap1 = first.json!.managerReport.snapshot;
      const firstSnapshot = new Set(existsSync(snap1) ? csv(snap1).map((r) => r.conn_id) : []);
      for (const r of late) assert.ok(!firstSnapshot.has(r.conn_id), 'a call not yet written was not in the first fetch');
      // (Just after midnight in Bogota today may still hold no call: the audit then has nothing to find.)
      auditInserted(e, { from: todayStart, to: wm3 });
      auditSecrets(s);
    });

    it('--since last on consecutive nights, one stopped on quota and one that never ran: every call once', { timeout: 240_000 }, async () => {
      const e = await start({ quota: 260, manager: { callsPerDay: 120 } });
      const s = setup(e);
      const night = (args: string[]) => report(s, [...args, '--log-file', join(s.dir, 'reports', 'nights.log')]);
      const n1 = await night(['--since', '2026-11-20', '--until', '2026-11-21']);
      assert.ok([0, 1].includes(n1.run.code ?? -1), n1.run.stderr.slice(-800));
      const n2 = await night(['--since', 'last', '--until', '2026-11-22']);
      assert.ok([0, 1].includes(n2.run.code ?? -1), n2.run.stderr.slice(-800));
      assert.deepEqual(await watermarksCli(s), [bogota('2026-11-22').toISOString()]);
      // Night 3: the CRM quota runs out part-way: the watermark stays where it was.
      const n3 = await night(['--since', 'last', '--until', '2026-11-23']);
      assert.equal(n3.run.code, 3, n3.run.stderr.slice(-800));
      assert.equal(n3.json!.stopped?.reason, 'quota');
      assert.deepEqual(await watermarks(s), [bogota('2026-11-22').toISOString()], 'a night stopped on quota leaves the watermark');
      // Night 4 never ran. Night 5 and after (the quota resets every day) catch up from the watermark;
      // three days of calls need more than one day's quota: each night inserts what fits.
      let n5 = n3;
      for (let nights = 0; nights < 4 && n5.run.code === 3; nights++) {
        e.newDay();
        n5 = await night(['--since', 'last', '--until', '2026-11-25']);
        assert.equal(n5.json!.managerReport.from, new Date(bogota('2026-11-22').getTime() - 10 * 60_000).toISOString(), 'every catch-up night starts at the watermark');
      }
      assert.ok([0, 1].includes(n5.run.code ?? -1), n5.run.stderr.slice(-800));
      assert.deepEqual(await watermarks(s), [bogota('2026-11-25').toISOString()]);
      assert.ok(auditInserted(e, { from: bogota('2026-11-20'), to: bogota('2026-11-25') }) > 0);
      // check --report: the windows the next night would fetch and the calls, fetching nothing.
      const before = e.manager.calls;
      const check = await runCli(['check', '--report', 'cdr_1', '--manager-server', e.url, '--server', e.url, '--operation', 'op', '--state', join(s.dir, 'state.sqlite'),
        '--since', 'last', '--until', '2026-11-27'], { cwd: s.dir, env: { WOLKVOX_TOKEN: CRM, WOLKVOX_MANAGER_TOKEN: MGR } });
      s.outputs.push(check.stdout, check.stderr);
      assert.equal(check.code, 0, check.stderr);
      assert.match(check.stdout, /window 2026-11-24 23:50 → 2026-11-27 00:00/);
      assert.match(check.stdout, /Manager {4}about 1 call for 1 window/);
      assert.match(check.stdout, /left \d+/, 'the CRM calls left');
      assert.match(check.stdout, /Manager {4}token ok · limit 10000 calls\/day · left \d+\n {11}used today \d+/, 'the Manager calls left');
      assert.equal(e.manager.calls, before + 1, 'check asks the Manager token once and fetches no report');
      auditSecrets(s);
    });

    it('kill -9 during the fetch, then --resume: fetched again, nothing inserted twice; kill -9 during the import, then --resume: no fetch', { timeout: 240_000 }, async () => {
      const e = await start({ latencyMs: 15, manager: { callsPerDay: 400 } });
      const s = setup(e);
      const args = [...common(s), '--since', '2026-11-20'];
      const env = { WOLKVOX_TOKEN: CRM, WOLKVOX_MANAGER_TOKEN: MGR };
      e.manager.setFaults([{ fault: 'hang', requests: [1] }]);
      const killed = startCli(['import', ...args], { cwd: s.dir, env });
      await until(() => e.manager.calls >= 1);
      killed.child.kill('SIGKILL');
      s.outputs.push((await killed.done).stderr);
      e.manager.setFaults([]);
      const reports = join(s.dir, 'reports');
      assert.deepEqual(readdirSync(reports).filter((f) => f.endsWith('.snapshot.csv')), [], 'a killed fetch leaves no snapshot');
      assert.equal(e.inserted.length, 0);
      // --resume: no run to continue (nothing was imported): it fetches; killed again part-way through the inserts.
      const callsBefore = e.manager.calls;
      const second = startCli(['import', ...args, '--resume'], { cwd: s.dir, env });
      await until(() => e.inserted.length >= 40);
      second.child.kill('SIGKILL');
      s.outputs.push((await second.done).stderr);
      assert.ok(e.manager.calls > callsBefore, 'the second command fetched');
      const fetched = e.manager.calls;
      // A row killed while being sent is uncertain: --reconcile finds it in the CRM or (--resend) sends it now.
      const third = await report(s, ['--since', '2026-11-20', '--resume', '--reconcile', '--resend']);
      assert.ok([0, 1].includes(third.run.code ?? -1), third.run.stderr.slice(-800));
      assert.equal(e.manager.calls, fetched, '--resume of a report run continues its snapshot: no Manager call');
      assert.equal(third.json!.managerReport.fromSnapshot, true);
      assert.equal(third.json!.managerReport.managerCalls, 0);
      // The HTML report and summary.json name the report, its window and the Manager calls, apart from the CRM's.
      const stem = (third.json!.out as string).replace(/\.results\.csv$/, '');
      const html = readFileSync(`${stem}.report.html`, 'utf8');
      assert.match(html, /Manager report<\/dt><dd>cdr_1 · http:\/\/127\.0\.0\.1:\d+ · 2026-11-20 00:00 → 2026-11-21 00:00 \(America\/Bogota\)/);
      assert.match(html, /Windows \(records\)<\/dt><dd>2026-11-20 00:00 → 2026-11-21 00:00 \(400\)/);
      const summary = JSON.parse(readFileSync(`${stem}.summary.json`, 'utf8'));
      assert.deepEqual([summary.managerReport.managerCalls, summary.managerReport.fetchCalls], [0, fetched - callsBefore]);
      assert.equal(summary.calls, third.json!.calls, 'CRM calls counted apart');
      assert.ok(auditInserted(e, { from: bogota('2026-11-20'), to: bogota('2026-11-21') }) > 0);
      auditSecrets(s);
    });

    it('campaign presets: campaign_3 rows imported; an empty campaign_5 window imports nothing and still moves its watermark', { timeout: 120_000 }, async () => {
      const e = await start({ manager: { callsPerDay: 600 } });
      const s = setup(e);
      const swap = (report: string) => common(s).map((a) => (a === 'cdr_1' ? report : a));
      const env = { WOLKVOX_TOKEN: CRM, WOLKVOX_MANAGER_TOKEN: MGR };
      const c3 = await runCli(['import', ...swap('campaign_3'), '--campaign-id', 'all', '--since', '2026-11-20'], { cwd: s.dir, env });
      s.outputs.push(c3.stdout, c3.stderr);
      assert.ok([0, 1].includes(c3.code ?? -1), c3.stderr.slice(-800));
      const day = { from: bogota('2026-11-20'), to: bogota('2026-11-21') };
      const predictive = e.manager.rows('campaign_3', { ...day, campaignId: 'all' });
      assert.ok(predictive.length > 0);
      const inserted = new Set(e.inserted.map((g) => String(g.fields.wolkvox_idCall)));
      assert.deepEqual(predictive.map((r) => r.conn_id).filter((c) => !inserted.has(c!)), [], 'every predictive call inserted');
      assert.equal(inserted.size, e.inserted.length, 'none twice');
      const c5 = await runCli(['import', ...swap('campaign_5'), '--campaign-id', 'no-such-campaign', '--since', '2026-11-20'], { cwd: s.dir, env });
      s.outputs.push(c5.stdout, c5.stderr);
      assert.equal(c5.code, 0, c5.stderr.slice(-800));
      const summary = JSON.parse(c5.stdout.trim()) as Summary;
      assert.equal(summary.managerReport.watermark, bogota('2026-11-21').toISOString(), 'empty windows are settled');
      assert.ok(!existsSync(summary.managerReport.snapshot), 'no snapshot is left for an empty fetch');
      auditSecrets(s);
    });

    it('refuses an input file with --report, and a mapping without a dedupe key before any Manager call', async () => {
      const e = await start({ manager: {} });
      const s = setup(e);
      const withFile = await runCli(['import', 'x.csv', ...common(s), '--since', 'yesterday'], { cwd: s.dir, env: { WOLKVOX_TOKEN: CRM, WOLKVOX_MANAGER_TOKEN: MGR } });
      assert.equal(withFile.code, 2);
      assert.match(withFile.stderr, /give no input file/);
      const mapping = join(s.dir, 'm.json');
      writeFileSync(mapping, JSON.stringify({ fields: { tipifycation_code: 'cod_act', tipifycation_desc: 'description_cod_act', wolkvox_idRecord: 'customer_id', wolkvox_idCall: 'conn_id' } }));
      const args = common(s).filter((a, i, all) => a !== '--preset' && all[i - 1] !== '--preset');
      const noKey = await runCli(['import', ...args, '--mapping', mapping, '--since', 'yesterday'], { cwd: s.dir, env: { WOLKVOX_TOKEN: CRM, WOLKVOX_MANAGER_TOKEN: MGR } });
      assert.equal(noKey.code, 2);
      assert.match(noKey.stderr, /dedupeKey/);
      const lastFirst = await runCli(['import', ...common(s), '--since', 'last'], { cwd: s.dir, env: { WOLKVOX_TOKEN: CRM, WOLKVOX_MANAGER_TOKEN: MGR } });
      assert.equal(lastFirst.code, 2);
      assert.match(lastFirst.stderr, /give a date the first time/);
      assert.equal(e.manager.calls, 0, 'no Manager call was made');
    });
  });
});
