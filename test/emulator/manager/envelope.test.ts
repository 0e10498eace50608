import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { envelope, withEmulator } from '../helpers.ts';
import { bogota, cdr1, manualClock, report } from './helpers.ts';

/** Every answer below is asked on 2026-11-21 at noon (Bogota): 2026-11-20 is a whole past day. */
const NOON_AFTER = bogota('2026-11-21 12:00:00');
const CDR1_FIELDS = [
  'agent_name', 'date', 'destiny', 'telephone', 'cost', 'time_seg', 'time_min', 'cod_act', 'description_cod_act', 'cod_act_2',
  'description_cod_act_2', 'type_interaction', 'customer_id', 'hang_up', 'campaign_id', 'conn_id', 'skill_id', 'skill_name',
  'agent_id', 'comment',
];

describe('Manager emulator: the report envelope', () => {
  it('answers cdr_1 with the envelope, every documented field, string values, unique conn_ids, dates inside the window', () =>
    withEmulator({ manager: { callsPerDay: 3000, now: () => NOON_AFTER } }, async (emu) => {
      const a = await report(emu, cdr1('20261120000000', '20261120235959'));
      assert.equal(a.status, 200, a.text);
      const { code, error, msg, data } = a.json!;
      assert.equal(code, 200);
      assert.equal(error, null);
      assert.equal(msg, '3000 records were found');
      assert.equal(data!.length, 3000);
      assert.deepEqual(Object.keys(data![0]!), CDR1_FIELDS);
      for (const row of data!) {
        for (const [k, v] of Object.entries(row)) assert.equal(typeof v, 'string', `${k} is ${typeof v}`);
        assert.match(row.date as string, /^2026-11-20 \d\d:\d\d:\d\d$/);
      }
      assert.equal(new Set(data!.map((r) => r.conn_id)).size, 3000);
      const dates = data!.map((r) => r.date as string);
      assert.deepEqual(dates, [...dates].sort(), 'rows come in time order');
    }));

  it('has the quirks: TIMEOUTACW, PRUEBA descriptions and empty typifications; customer ids from the records', () =>
    withEmulator({ records: 50, manager: { now: () => NOON_AFTER } }, async (emu) => {
      const data = (await report(emu, cdr1('20261120000000', '20261120235959'))).json!.data!;
      const codes = new Set(data.map((r) => r.cod_act));
      assert.ok(codes.has('TIMEOUTACW'));
      assert.ok(codes.has(''), 'an empty typification');
      assert.ok(data.some((r) => /^PRUEBA/.test(r.description_cod_act as string)));
      const known = new Map(emu.records.map((r) => [r.customerId, r.wolkvoxIdRecord]));
      assert.equal(known.size, 50);
      for (const r of data) assert.ok(known.has(r.customer_id as string), `customer ${String(r.customer_id)} is not a record`);
      assert.ok(new Set(data.map((r) => r.type_interaction)).has('inbound'));
    }));

  it('serves campaign_3 (predictive) and campaign_5 (preview) by campaign_id, "all" or one id, with their fields', () =>
    withEmulator({ manager: { now: () => NOON_AFTER } }, async (emu) => {
      const window = { date_ini: '20261120000000', date_end: '20261120235959' };
      const all3 = (await report(emu, { api: 'campaign_3', campaign_id: 'all', ...window })).json!.data!;
      assert.ok(all3.length > 100);
      assert.deepEqual(Object.keys(all3[0]!).slice(0, 8), ['campaign_id', 'customer_name', 'customer_last_name', 'id_type', 'customer_id', 'date', 'telephone', 'result']);
      assert.ok('opt12' in all3[0]! && 'conn_id' in all3[0]!);
      const one = (await report(emu, { api: 'campaign_3', campaign_id: '1057', ...window })).json!.data!;
      assert.ok(one.length > 0 && one.length < all3.length);
      assert.deepEqual(one.map((r) => r.conn_id), all3.filter((r) => r.campaign_id === '1057').map((r) => r.conn_id));
      const five = (await report(emu, { api: 'campaign_5', campaign_id: 'ALL', ...window })).json!.data!;
      assert.ok(five.length > 0);
      assert.ok(five.every((r) => r.type_interaction === 'outbound_ma' && typeof r.time === 'string'));
      const cdr = (await report(emu, { api: 'cdr_1', ...window })).json!.data!;
      const inCdr = new Set(cdr.map((r) => r.conn_id));
      assert.ok([...all3, ...five].every((r) => inCdr.has(r.conn_id)), 'a campaign row is a call of cdr_1 (same conn_id)');
      const none = await report(emu, { api: 'campaign_5', campaign_id: '999', ...window });
      assert.equal(none.status, 404);
    }));

  it('answers an empty window with 404 "Validate dates entered" (a future window, a not yet written past)', () => {
    const clock = manualClock(bogota('2026-11-20 00:00:00'));
    return withEmulator({ manager: { now: clock.now } }, async (emu) => {
      const future = await report(emu, cdr1('20261121000000', '20261121235959'));
      assert.equal(future.status, 404);
      assert.deepEqual(future.json, envelope(404, 'Validate dates entered'));
      clock.set(bogota('2026-11-22 00:00:00'));
      assert.equal((await report(emu, cdr1('20261121000000', '20261121235959'))).status, 200);
      assert.deepEqual(emu.manager.stats().byHttpStatus, { 200: 1, 404: 1 });
    });
  });

  it('is deterministic per (seed, day): the same rows for the same seed, other rows for another seed, any day', async () => {
    const ask = (seed: number, day: string) =>
      withEmulator({ seed, manager: { now: () => NOON_AFTER } }, async (emu) => (await report(emu, cdr1(`${day}080000`, `${day}083000`))).text);
    const first = await ask(7, '20261120');
    assert.equal(await ask(7, '20261120'), first);
    assert.notEqual(await ask(8, '20261120'), first);
    assert.notEqual(await ask(7, '20261119'), first);
    assert.match(await ask(7, '20200301'), /records were found/, 'a day years back exists too');
  });

  it('refuses bad parameters with 400 SOME PARAMETERS ARE REQUIRED; each counts as a call', () =>
    withEmulator({ manager: { now: () => NOON_AFTER } }, async (emu) => {
      const bad: Record<string, string>[] = [
        { date_ini: '20261120000000', date_end: '20261120235959' }, // no api
        { api: 'agent_1', date_ini: '20261120000000', date_end: '20261120235959' }, // not a served report
        cdr1('2026-11-20', '20261120235959'), // malformed
        cdr1('20261130240000', '20261201000000'), // hour 24
        cdr1('20260230000000', '20260301000000'), // February 30
        cdr1('20261120000000', '20261120000000'), // end = start
        cdr1('20261120000000', '20261119000000'), // end before start
        cdr1('20261001000000', '20261101000001'), // 31 days and a second
        { api: 'campaign_3', date_ini: '20261120000000', date_end: '20261120235959' }, // no campaign_id
        { api: 'campaign_5', campaign_id: ' ', date_ini: '20261120000000', date_end: '20261120235959' },
      ];
      for (const params of bad) {
        const a = await report(emu, params);
        assert.equal(a.status, 400, JSON.stringify(params));
        assert.deepEqual(a.json, envelope(400, 'SOME PARAMETERS ARE REQUIRED'));
      }
      assert.equal(emu.manager.calls, bad.length);
      assert.equal((await report(emu, cdr1('20261001000000', '20261101000000'))).status, 200, 'exactly 31 days is allowed');
      assert.equal((await report(emu, cdr1('20261120000000', '20261120235959'), { method: 'POST' })).status, 405);
    }));
});
