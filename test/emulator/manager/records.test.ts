import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, withEmulator } from '../helpers.ts';
import { bogota, cdr1, report } from './helpers.ts';

const now = () => bogota('2026-11-21 12:00:00');

describe('Manager emulator: collections records, admin endpoints, a whole day', () => {
  it('has deterministic records: distinct customer ids and 24-hex record ids; the lookup CSV lists them', async () => {
    const [a, b] = await Promise.all([7, 7].map((seed) => withEmulator({ seed, records: 300 }, async (emu) => emu.records)));
    assert.deepEqual(a, b);
    assert.equal(new Set(a!.map((r) => r.customerId)).size, 300);
    assert.equal(new Set(a!.map((r) => r.wolkvoxIdRecord)).size, 300);
    for (const r of a!) assert.match(r.wolkvoxIdRecord, /^[0-9a-f]{24}$/);
    await withEmulator({ seed: 7, records: 300 }, async (emu) => {
      const lines = emu.recordsCsv().trimEnd().split('\n');
      assert.equal(lines[0], 'customer_id,wolkvox_idRecord,client_name');
      assert.equal(lines.length, 301);
      assert.ok(lines[1]!.startsWith(`${a![0]!.customerId},${a![0]!.wolkvoxIdRecord},`));
    });
  });

  it('serves the records, the Manager stats and Manager fault rules on admin endpoints; reset() forgets the Manager side', () =>
    withEmulator({ records: 20, manager: { now } }, async (emu) => {
      const csv = await call(emu, { method: 'GET', path: '/__emulator/crm-records.csv', token: null });
      assert.equal(csv.status, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.equal(csv.text, emu.recordsCsv());
      const set = await call(emu, { path: '/__emulator/manager-faults', body: [{ fault: '503', requests: [1] }], token: null });
      assert.equal(set.status, 200, set.text);
      assert.equal((await report(emu, cdr1('20261120000000', '20261120235959'))).status, 503);
      const stats = await call(emu, { method: 'GET', path: '/__emulator/manager', token: null });
      assert.equal((stats.json as unknown as { calls: number }).calls, 1);
      assert.equal((stats.json as unknown as { faultsInjected: number }).faultsInjected, 1);
      assert.equal((await call(emu, { path: '/__emulator/reset', body: '', token: null })).status, 200);
      assert.equal(emu.manager.calls, 0);
      assert.equal((await report(emu, cdr1('20261120000000', '20261120235959'))).status, 200, 'reset dropped the fault rules');
    }));

  it('serves a 30,000-call day completely in six 4-hour windows: every call once, as the audit hook lists them (the product fetches a 150,000-call day in test/e2e/report.test.ts)', () =>
    withEmulator({ manager: { callsPerDay: 30_000, now } }, async (emu) => {
      const seen = new Set<string>();
      let records = 0;
      for (let h = 0; h < 24; h += 4) {
        const ini = `20261120${String(h).padStart(2, '0')}0000`;
        const end = `20261120${String(h + 3).padStart(2, '0')}5959`;
        const a = await report(emu, cdr1(ini, end));
        assert.equal(a.status, 200);
        const data = a.json!.data!;
        assert.ok(data.length < 60_000, `window ${ini} reached the cap`);
        records += data.length;
        for (const r of data) seen.add(r.conn_id as string);
      }
      assert.equal(records, 30_000);
      assert.equal(seen.size, 30_000);
      const audit = emu.manager.rows('cdr_1', { from: new Date(bogota('2026-11-20 00:00:00')), to: new Date(bogota('2026-11-21 00:00:00')) });
      assert.equal(audit.length, 30_000);
      assert.ok(audit.every((r) => seen.has(r.conn_id!)));
      assert.equal(emu.manager.servedConnIds('cdr_1').size, 30_000);
      assert.equal(emu.manager.calls, 6);
    }));
});
