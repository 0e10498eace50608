/**
 * The product's Manager report fetch, in the test's process, against an INDEPENDENT implementation
 * of the documented report API (test/independent-report.ts): faults one by one, refusals that echo
 * the token, Manager calls against the minimum, and a range longer than the API allows. The tests go
 * one at a time: their Manager-call counts are read from one fetch alone. The CLI against the same
 * server is report-independent.test.ts.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { ManagerError } from '../../src/errors.ts';
import { fetchReport } from '../../src/manager/fetch.ts';
import { tmp } from '../helpers.ts';
import { auditProtocol, auditSnapshot, bogota, DAY, Dialer, HOUR, MGR, ReportServer, type Fault } from '../independent-report.ts';

const servers: ReportServer[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

describe('the Manager fetch against an independent report API, in this process', () => {
  it('faults one by one (a hung call, a slow answer, 5xx, reset, HTML 200, code 429 in a 200, the token echoed): retried, complete, no token in the log', { timeout: 60_000 }, async () => {
    const d = new Dialer(31);
    const from = bogota('2026-10-20');
    d.spread(from, from + DAY, 700);
    const faults: Fault[] = ['hang', 'slow', 'status500', 'reset', 'html200', 'code429in200', 'echo500'];
    const mgr = await new ReportServer({ dialer: d, cap: 200, faults, slowMs: 600 }).listen();
    servers.push(mgr);
    let logs = '';
    const logger = pino({ level: 'debug' }, { write: (t: string) => void (logs += t) });
    const dir = tmp('wvx-indep-faults-');
    const snap = await fetchReport({ origin: mgr.url, token: MGR, report: 'cdr_1', from: new Date(from), to: new Date(from + DAY), tz: 'America/Bogota',
      snapshotPath: join(dir, 'r.snapshot.csv'), logger, capSplitAt: 200, timeoutMs: 3_000, retry: { baseDelayMs: 20, maxDelayMs: 200 } });
    auditSnapshot(snap.path, d.in(from, from + DAY));
    assert.equal(snap.calls, mgr.requests, 'every attempt counted');
    assert.equal(mgr.faults.length, 0, 'every fault was met');
    assert.ok(!logs.includes(MGR), 'the token is in no log line');
    assert.match(logs, /trying again/);
    auditProtocol(mgr);
    console.log(`[independent] faults: ${mgr.requests} calls for ${snap.records} records, minimum ${Math.ceil(snap.records / 200)} + ${faults.length} faults`);
  });

  for (const [fault, kind] of [['code401in200', 'token'], ['quota403', 'quota']] as const) {
    it(`a refusal (${fault}) that echoes the token stops at once with kind ${kind}, the token in no message`, async () => {
      const d = new Dialer(5);
      d.spread(bogota('2026-10-20'), bogota('2026-10-21'), 50);
      const mgr = await new ReportServer({ dialer: d, cap: 100, faults: [fault] }).listen();
      servers.push(mgr);
      let logs = '';
      const logger = pino({ level: 'debug' }, { write: (t: string) => void (logs += t) });
      const dir = tmp('wvx-indep-refused-');
      const err = await fetchReport({ origin: mgr.url, token: MGR, report: 'cdr_1', from: new Date(bogota('2026-10-20')), to: new Date(bogota('2026-10-21')), tz: 'America/Bogota',
        snapshotPath: join(dir, 'r.snapshot.csv'), logger }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof ManagerError, String(err));
      assert.equal(err.kind, kind);
      assert.ok(!err.message.includes(MGR) && !JSON.stringify(err).includes(MGR) && !logs.includes(MGR), 'no token in the error or the log');
      assert.equal(mgr.requests, 1, 'no retry');
      assert.deepEqual(readdirSync(dir), [], 'nothing left behind');
    });
  }

  it('Manager calls stay ≤ 2 × the minimum for days of 1 to 12 caps of calls, uniform or in office hours, the cap keeping an arbitrary subset or the latest records', { timeout: 60_000 }, async () => {
    const day = bogota('2026-10-21');
    const figures: string[] = [];
    const CAP = 1000;
    const cases = [[1030, 'uniform', 'shuffled'], [2050, 'uniform', 'shuffled'], [2600, 'office', 'shuffled'], [4600, 'uniform', 'shuffled'], [6500, 'office', 'shuffled'],
      [12100, 'office', 'shuffled'], [2600, 'office', 'latest'], [6500, 'uniform', 'latest'], [6500, 'office', 'latest'], [6500, 'office', 'earliest']] as const;
    for (const [n, shape, order] of cases) {
      const d = new Dialer(n);
      if (shape === 'uniform') d.spread(day, day + DAY, n);
      else {
        d.spread(day + 8 * HOUR, day + 12 * HOUR, Math.floor(n * 0.55)); // mornings are busy
        d.spread(day + 14 * HOUR, day + 18 * HOUR, Math.floor(n * 0.35));
        d.spread(day, day + DAY, n - Math.floor(n * 0.55) - Math.floor(n * 0.35));
      }
      const mgr = await new ReportServer({ dialer: d, cap: CAP, order }).listen();
      servers.push(mgr);
      const snap = await fetchReport({ origin: mgr.url, token: MGR, report: 'cdr_1', from: new Date(day), to: new Date(day + DAY), tz: 'America/Bogota',
        snapshotPath: join(tmp('wvx-indep-calls-'), 'r.snapshot.csv'), logger: pino({ level: 'silent' }), capSplitAt: CAP });
      auditSnapshot(snap.path, d.in(day, day + DAY));
      const minimum = Math.ceil(n / CAP);
      figures.push(`${n} ${shape} ${order}: ${snap.calls} calls (minimum ${minimum})`);
      assert.ok(snap.calls <= 2 * minimum, `${n} calls (${shape}, ${order}): ${snap.calls} Manager calls ≤ 2 × ${minimum}`);
      auditProtocol(mgr);
    }
    console.log(`[independent] ${figures.join('; ')}`);
  });

  it('a 40-day range: windows of at most 31 days (the server refuses longer), calls on the window edge and every midnight, each once', async () => {
    const d = new Dialer(91);
    const from = bogota('2026-09-01');
    for (let day = 0; day < 40; day++) {
      d.burst(from + day * DAY, 2); // 00:00:00
      d.burst(from + (day + 1) * DAY - 1000, 1); // 23:59:59
      if (day % 9 !== 4) d.spread(from + day * DAY, from + (day + 1) * DAY, 5); // some days hold only their midnight calls
    }
    d.burst(from + 31 * DAY, 3); // exactly on the 31-day edge
    const mgr = await new ReportServer({ dialer: d, cap: 1000 }).listen();
    servers.push(mgr);
    const snap = await fetchReport({ origin: mgr.url, token: MGR, report: 'cdr_1', from: new Date(from), to: new Date(from + 40 * DAY), tz: 'America/Bogota',
      snapshotPath: join(tmp('wvx-indep-40d-'), 'r.snapshot.csv'), logger: pino({ level: 'silent' }) });
    auditSnapshot(snap.path, d.in(from, from + 40 * DAY));
    assert.equal(snap.calls, 2, 'two windows, no refusal');
    assert.deepEqual(snap.windows.map((w) => w.to.getTime()), [from + 31 * DAY, from + 40 * DAY]);
    assert.ok(mgr.served.every((x) => x.status === 200), 'no 400');
    auditProtocol(mgr);
  });
});
