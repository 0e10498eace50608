import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, withEmulator } from './helpers.ts';

const admin = (path: string, method = 'POST', body?: unknown) => ({ path: `/__emulator/${path}`, method, token: null, body });

interface StateBody {
  stats: { calls: number; insertCalls: number; byHttpStatus: Record<string, number> };
  insertedCount: number;
  offset: number;
  inserted: { wolkvoxId: string; requestNo: number; fields: Record<string, unknown> }[];
}

describe('emulator: admin endpoints', () => {
  it('reports stats and every committed insert on GET /__emulator/state, without counting a call', () =>
    withEmulator({}, async (emu) => {
      await call(emu);
      await call(emu);
      const a = await call(emu, admin('state', 'GET'));
      assert.equal(a.status, 200);
      const state = a.json as unknown as StateBody;
      assert.equal(state.stats.calls, 2);
      assert.equal(state.insertedCount, 2);
      assert.deepEqual(state.inserted, JSON.parse(JSON.stringify(emu.inserted)));
      assert.equal(emu.stats().calls, 2);
    }));

  it('pages the inserted list with offset and limit', () =>
    withEmulator({}, async (emu) => {
      for (let i = 0; i < 5; i++) await call(emu);
      const state = (await call(emu, admin('state?offset=1&limit=2', 'GET'))).json as unknown as StateBody;
      assert.equal(state.insertedCount, 5);
      assert.equal(state.offset, 1);
      assert.deepEqual(state.inserted.map((g) => g.requestNo), [2, 3]);
    }));

  it('streams a large state as valid JSON', () =>
    withEmulator({}, async (emu) => {
      const fields = { comment: 'x'.repeat(200) };
      for (let i = 0; i < 6000; i++) emu.inserted.push({ wolkvoxId: `id${i}`, operation: 'op', fields, token: 't', requestNo: i + 1 });
      const state = (await call(emu, admin('state', 'GET'))).json as unknown as StateBody;
      assert.equal(state.inserted.length, 6000);
      assert.equal(state.inserted[5999]!.wolkvoxId, 'id5999');
    }));

  it('replaces the fault rules on POST /__emulator/faults', () =>
    withEmulator({}, async (emu) => {
      const a = await call(emu, admin('faults', 'POST', [{ fault: '503', requests: [1] }]));
      assert.equal(a.status, 200);
      assert.equal((await call(emu)).status, 503);
      assert.equal((await call(emu)).status, 200);
    }));

  it('answers 400 naming the wrong value when POST /__emulator/faults gets a bad rule', () =>
    withEmulator({}, async (emu) => {
      const bad = await call(emu, admin('faults', 'POST', [{ fault: '503', times: -1 }]));
      assert.equal(bad.status, 400);
      assert.match(String(bad.json?.msg), /body\[0\]\.times: expected an integer >= 0, got -1/);
      assert.equal((await call(emu, admin('faults', 'POST', 'not json'))).status, 400);
      assert.equal((await call(emu)).status, 200, 'the old rules (none) stay');
    }));

  it('resets the daily quota on POST /__emulator/new-day', () =>
    withEmulator({ quota: 1 }, async (emu) => {
      await call(emu);
      assert.equal((await call(emu)).status, 403);
      assert.equal((await call(emu, admin('new-day'))).status, 200);
      assert.equal((await call(emu)).status, 200);
    }));

  it('forgets inserts, counters and faults on POST /__emulator/reset', () =>
    withEmulator({ faults: [{ fault: '503', requests: [2] }] }, async (emu) => {
      await call(emu);
      assert.equal((await call(emu, admin('reset'))).status, 200);
      assert.equal(emu.inserted.length, 0);
      assert.equal(emu.stats().calls, 0);
      assert.deepEqual(emu.stats().byHttpStatus, {});
      assert.equal((await call(emu)).status, 200);
      assert.equal((await call(emu)).status, 200, 'the fault on request 2 is gone');
      assert.deepEqual(emu.inserted.map((g) => g.requestNo), [1, 2], 'request numbers start again');
    }));

  it('answers 404 to an unknown admin endpoint and 405 to a wrong method', () =>
    withEmulator({}, async (emu) => {
      assert.equal((await call(emu, admin('nope', 'GET'))).status, 404);
      assert.equal((await call(emu, admin('state', 'POST'))).status, 405);
      assert.equal((await call(emu, admin('reset', 'GET'))).status, 405);
    }));
});
