import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, envelope, TOKEN, withEmulator } from '../helpers.ts';
import { bogota, cdr1, MANAGER_TOKEN, report } from './helpers.ts';

const INFO = '/api/v2/information.php?api=token_info';
const now = () => bogota('2026-11-21 12:00:00');
const DAY = cdr1('20261120000000', '20261120235959');

describe('Manager emulator: GET information.php?api=token_info', () => {
  it('answers the Manager token counters as strings; the call itself counts against the quota', () =>
    withEmulator({ manager: { quota: 50, now } }, async (emu) => {
      assert.equal((await report(emu, DAY)).status, 200);
      assert.equal((await report(emu, cdr1('bad', 'bad'))).status, 400, 'a refused report call counts too');
      const a = await call(emu, { method: 'GET', path: INFO, token: MANAGER_TOKEN });
      assert.equal(a.status, 200);
      assert.deepEqual(a.json, {
        code: 200,
        error: null,
        msg: '1 records were found',
        data: { description: 'Emulator Manager token', token_limit: '50', token_use_today: '3', all_token_today: '3', available_consumption_options: '47' },
      });
      assert.equal(emu.manager.calls, 3);
      assert.equal(emu.manager.stats().answers, 1, 'answers counts report answers only');
      assert.equal(emu.stats().calls, 0, 'nothing counted on the CRM side');
      emu.newDay();
      const next = await call(emu, { method: 'GET', path: INFO, token: MANAGER_TOKEN });
      assert.equal((next.json as { data: { token_use_today: string } }).data.token_use_today, '1');
    }));

  it('refuses like the report endpoint: 405, 401, 403 PLEASE VALIDATE TOKEN (none counted), then the quota (counted)', () =>
    withEmulator({ tokens: [TOKEN], manager: { token: 'mgr-1', quota: 1, now } }, async (emu) => {
      assert.equal((await call(emu, { method: 'POST', path: INFO, token: 'mgr-1', body: '' })).status, 405);
      assert.deepEqual((await call(emu, { method: 'GET', path: INFO, token: null })).json, envelope(401, 'PLEASE ENTER THE WOLKVOX-TOKEN'));
      assert.deepEqual((await call(emu, { method: 'GET', path: INFO, token: TOKEN })).json, envelope(403, 'PLEASE VALIDATE TOKEN'), 'the CRM token is not a Manager token');
      assert.equal(emu.manager.calls, 0);
      assert.equal((await call(emu, { method: 'GET', path: INFO, token: 'mgr-1' })).status, 200);
      assert.deepEqual((await call(emu, { method: 'GET', path: INFO, token: 'mgr-1' })).json, envelope(403, 'TOKEN LIMIT EXCEEDED'));
      assert.deepEqual((await report(emu, DAY, { token: 'mgr-1' })).json, envelope(403, 'TOKEN LIMIT EXCEEDED'), 'token_info used the quota reports share');
      assert.equal(emu.manager.calls, 3);
    }));

  it('answers 400 SOME PARAMETERS ARE REQUIRED (counted) without api=token_info', () =>
    withEmulator({ manager: { now } }, async (emu) => {
      for (const path of ['/api/v2/information.php', '/api/v2/information.php?api=cdr_1']) {
        assert.deepEqual((await call(emu, { method: 'GET', path, token: MANAGER_TOKEN })).json, envelope(400, 'SOME PARAMETERS ARE REQUIRED'), path);
      }
      assert.equal(emu.manager.calls, 2);
    }));

  it('an open Manager maintenance window answers token_info too', () =>
    withEmulator({ manager: { now, faults: [{ fault: 'maintenance', requests: [1], forMs: 3_600_000 }] } }, async (emu) => {
      const first = await report(emu, DAY);
      assert.equal(first.status, 403);
      const a = await call(emu, { method: 'GET', path: INFO, token: MANAGER_TOKEN });
      assert.equal(a.status, 403);
      assert.deepEqual(a.json, first.json);
      assert.equal(emu.manager.stats().faultsInjected, 2);
    }));
});
