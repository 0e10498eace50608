import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withEmulator } from '../helpers.ts';
import { bogota, cdr1, manualClock, report } from './helpers.ts';

const LAG_MS = 90_000;
const dates = (a: { json?: { data?: Record<string, unknown>[] } }) => (a.json?.data ?? []).map((r) => r.date as string);

describe('Manager emulator: write lag, the future, date_end', () => {
  it('serves a call only writeLagMs after its start, never the future; a window served early grows in later fetches', () => {
    const clock = manualClock(bogota('2026-11-20 10:00:00'));
    return withEmulator({ manager: { callsPerDay: 20_000, writeLagMs: LAG_MS, now: clock.now } }, async (emu) => {
      const window = cdr1('20261120094500', '20261120101500'); // 09:45 to 10:15, asked at 10:00
      const early = await report(emu, window);
      assert.equal(early.status, 200);
      const first = dates(early);
      assert.ok(first.length > 0);
      assert.ok(first.every((d) => d <= '2026-11-20 09:58:30'), `a call after now − lag was served: ${first.at(-1)}`);
      const all = emu.manager.rows('cdr_1', { from: new Date(bogota('2026-11-20 09:45:00')), to: new Date(bogota('2026-11-20 10:15:01')) });
      const due = all.filter((r) => (r.date as string) <= '2026-11-20 09:58:30');
      assert.deepEqual(early.json!.data!.map((r) => r.conn_id), due.map((r) => r.conn_id), 'exactly the calls written so far');

      clock.set(bogota('2026-11-20 10:05:00'));
      const later = await report(emu, window);
      const second = dates(later);
      assert.ok(second.length > first.length, 'calls written since the first fetch appear');
      assert.deepEqual(later.json!.data!.slice(0, first.length), early.json!.data!, 'what was served stays the same');
      assert.ok(second.every((d) => d <= '2026-11-20 10:03:30'));

      clock.set(bogota('2026-11-20 10:16:30'));
      const settled = await report(emu, window);
      assert.equal(settled.json!.data!.length, all.length, 'once the lag has passed, the whole window');
    });
  });

  it('answers 404 for a window whose calls are all younger than the lag', () => {
    const clock = manualClock(bogota('2026-11-20 10:00:00'));
    return withEmulator({ manager: { callsPerDay: 20_000, writeLagMs: LAG_MS, now: clock.now } }, async (emu) => {
      const window = cdr1('20261120095900', '20261120100000');
      assert.equal((await report(emu, window)).status, 404);
      clock.set(bogota('2026-11-20 10:02:00'));
      assert.equal((await report(emu, window)).status, 200);
    });
  });

  it('serves a call at exactly date_end by default (inclusive), not with dateEnd "exclusive"; date_ini is inclusive', async () => {
    const now = () => bogota('2026-11-21 00:00:00');
    const probe = async (dateEnd: 'inclusive' | 'exclusive') =>
      withEmulator({ manager: { callsPerDay: 100_000, now, dateEnd } }, async (emu) => {
        const sample = emu.manager.rows('cdr_1', { from: new Date(bogota('2026-11-20 09:00:00')), to: new Date(bogota('2026-11-20 09:01:00')) });
        const at = sample[10]!.date as string; // a second that has calls
        const compact = at.replace(/\D/g, '');
        const ending = dates(await report(emu, cdr1('20261120085900', compact)));
        const starting = dates(await report(emu, cdr1(compact, '20261120091000')));
        return { endsWithIt: ending.includes(at), startsWithIt: starting[0] === at };
      });
    assert.deepEqual(await probe('inclusive'), { endsWithIt: true, startsWithIt: true });
    assert.deepEqual(await probe('exclusive'), { endsWithIt: false, startsWithIt: true });
  });

  it('uses the real clock by default: today so far is served, the rest of today is not', () =>
    withEmulator({ manager: { callsPerDay: 86_400 } }, async (emu) => {
      const stamp = (ms: number) => new Date(ms - 5 * 3_600_000).toISOString().slice(0, 19).replace(/\D/g, '');
      const start = Date.now() - 3_600_000;
      const a = await report(emu, cdr1(stamp(start), stamp(start + 2 * 3_600_000)));
      assert.equal(a.status, 200);
      const last = dates(a).at(-1)!;
      const lastMs = Date.parse(`${last.replace(' ', 'T')}-05:00`);
      assert.ok(lastMs <= Date.now(), `served ${last}, after now`);
    }));
});
