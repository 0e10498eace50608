import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { call, envelope, TOKEN, until, withEmulator } from '../helpers.ts';
import { bogota, cdr1, report } from './helpers.ts';

const NOON_AFTER = bogota('2026-11-21 12:00:00');
const DAY = cdr1('20261120000000', '20261120235959');
const now = () => NOON_AFTER;

describe('Manager emulator: cap, token, quota, in-flight limit, faults', () => {
  it('cuts an answer at the cap silently: the first `cap` records in time order, msg and stats say so', () =>
    withEmulator({ manager: { callsPerDay: 1000, cap: 300, now } }, async (emu) => {
      const a = await report(emu, DAY);
      assert.equal(a.status, 200);
      assert.equal(a.json!.msg, '300 records were found');
      assert.equal(a.json!.data!.length, 300);
      const all = emu.manager.rows('cdr_1', { from: new Date(bogota('2026-11-20 00:00:00')), to: new Date(bogota('2026-11-21 00:00:00')) });
      assert.equal(all.length, 1000, 'the audit hook sees every call of the day');
      assert.deepEqual(a.json!.data!.map((r) => r.conn_id), all.slice(0, 300).map((r) => r.conn_id));
      assert.equal(emu.manager.servedConnIds('cdr_1').size, 300);
      const under = await report(emu, cdr1('20261120000000', '20261120075959'));
      assert.ok(under.json!.data!.length < 300, 'a smaller window is not cut');
      const s = emu.manager.stats();
      assert.equal(s.truncated, 1);
      assert.equal(s.answers, 2);
      assert.equal(s.recordsServed, 300 + under.json!.data!.length);
    }));

  it('takes only its own Manager token: 401 without one, 403 PLEASE VALIDATE TOKEN for another (the CRM token too), none counted', () =>
    withEmulator({ tokens: [TOKEN], manager: { token: 'mgr-1', now } }, async (emu) => {
      assert.deepEqual((await report(emu, DAY, { token: null })).json, envelope(401, 'PLEASE ENTER THE WOLKVOX-TOKEN'));
      assert.deepEqual((await report(emu, DAY, { token: TOKEN })).json, envelope(403, 'PLEASE VALIDATE TOKEN'));
      assert.deepEqual((await report(emu, DAY)).json, envelope(403, 'PLEASE VALIDATE TOKEN'), 'the default token is not accepted when another is set');
      assert.equal((await report(emu, DAY, { token: 'mgr-1' })).status, 200);
      assert.equal((await call(emu, { token: 'mgr-1' })).status, 403, 'the CRM refuses the Manager token');
      assert.equal(emu.manager.calls, 1);
      assert.equal(emu.stats().calls, 0, 'report calls do not count on the CRM side');
    }));

  it('has its own daily quota: every call counts, refused ones too; newDay() starts it again', () =>
    withEmulator({ manager: { quota: 2, now } }, async (emu) => {
      assert.equal((await report(emu, DAY)).status, 200);
      assert.equal((await report(emu, cdr1('bad', 'bad'))).status, 400);
      assert.deepEqual((await report(emu, DAY)).json, envelope(403, 'TOKEN LIMIT EXCEEDED'));
      assert.equal(emu.manager.calls, 3);
      assert.equal((await call(emu)).status, 200, 'the CRM token has its own quota');
      emu.newDay();
      assert.equal((await report(emu, DAY)).status, 200);
    }));

  it('allows 2 requests in flight: a 3rd concurrent one gets 403 EXCEEDS THE LIMIT at once; a slot frees when its client leaves', () =>
    withEmulator({ manager: { now, faults: [{ fault: 'hang', requests: [1, 2] }] } }, async (emu) => {
      const path = `/api/v2/reports_manager.php?${new URLSearchParams(DAY).toString()}`;
      const hung = [1, 2].map(() => request(`${emu.url}${path}`, { headers: { 'wolkvox-token': 'manager-token' }, agent: false }));
      const ended = hung.map((req) => new Promise((resolve) => req.on('error', resolve).end()));
      await until(() => emu.manager.stats().inflight === 2);
      const third = await report(emu, DAY);
      assert.deepEqual(third.json, envelope(403, 'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)'));
      assert.equal(emu.manager.stats().rejectedConcurrency, 1);
      hung[0]!.destroy();
      await until(() => emu.manager.stats().inflight === 1);
      assert.equal((await report(emu, DAY)).status, 200);
      hung[1]!.destroy();
      await Promise.all(ended);
      assert.equal(emu.manager.stats().maxInflightSeen, 2);
    }));

  it('injects faults by report call number: 503, nginx 502, a reset, then answers', () =>
    withEmulator({ manager: { now, faults: [{ fault: '503', requests: [1] }, { fault: '502', requests: [2] }, { fault: 'reset-before', requests: [3] }] } }, async (emu) => {
      assert.deepEqual((await report(emu, DAY)).json, envelope(503, 'SERVICE UNAVAILABLE'));
      const proxy = await report(emu, DAY);
      assert.equal(proxy.status, 502);
      assert.match(proxy.text, /<h1>502 Bad Gateway<\/h1>/);
      await assert.rejects(report(emu, DAY), /ECONNRESET|socket hang up/);
      assert.equal((await report(emu, DAY)).status, 200);
      assert.equal(emu.manager.stats().faultsInjected, 3);
      assert.equal(emu.manager.calls, 4);
    }));

  it('matches fault rules on the query (whenField api) and answers slow calls after the latency', () =>
    withEmulator({ manager: { now, latencyMs: 30, faults: [{ fault: '500-after', whenField: { name: 'api', equals: 'campaign_3' } }] } }, async (emu) => {
      const t0 = performance.now();
      assert.equal((await report(emu, DAY)).status, 200);
      assert.ok(performance.now() - t0 >= 29, 'answered after the latency');
      const camp = await report(emu, { api: 'campaign_3', campaign_id: 'all', date_ini: '20261120000000', date_end: '20261120235959' });
      assert.deepEqual(camp.json, envelope(500, 'INTERNAL SERVER ERROR'));
    }));
});
