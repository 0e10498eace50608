import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TZDate } from '@date-fns/tz';
import pino from 'pino';
import { capSplitPoint, recordTime, WindowEdges } from '../../src/manager/boundary.ts';
import { classifyReport } from '../../src/manager/classify.ts';
import { apiDate, splitRange, splitWindow, wallText, wallToDate } from '../../src/manager/windows.ts';

const TZ = 'America/Bogota';
const DAY = 86_400_000;
const silent = pino({ level: 'silent' });
const at = (wall: string): Date => wallToDate(wall, TZ) as Date;

describe('windows', () => {
  it('cuts a range into windows of at most 31 days, with no gap', () => {
    const from = at('2026-01-01 00:00:00');
    const to = new Date(from.getTime() + 70 * DAY + 5000);
    const ws = splitRange(from, to, 31);
    assert.equal(ws.length, 3);
    assert.deepEqual(ws.map((w) => (w.to.getTime() - w.from.getTime()) / DAY), [31, 31, 8 + 5000 / DAY]);
    assert.equal(ws[0]!.from.getTime(), from.getTime());
    for (let i = 1; i < ws.length; i++) assert.equal(ws[i]!.from.getTime(), ws[i - 1]!.to.getTime());
    assert.equal(ws.at(-1)!.to.getTime(), to.getTime());
    assert.deepEqual(splitRange(from, from, 31), []);
  });

  it('halves whole seconds; a one-second window stays whole', () => {
    const w = { from: at('2026-01-01 00:00:00'), to: at('2026-01-01 00:00:03') };
    const [a, b] = splitWindow(w, 2);
    assert.equal(wallText(a!.to, TZ), '2026-01-01 00:00:02');
    assert.equal(b!.to.getTime(), w.to.getTime());
    const one = { from: w.from, to: new Date(w.from.getTime() + 1000) };
    assert.deepEqual(splitWindow(one, 2), [one]);
  });

  it('speaks the API date forms in the dialer zone', () => {
    const d = new Date('2026-11-20T05:07:09Z');
    assert.equal(apiDate(d, TZ), '20261120000709');
    assert.equal(wallText(d, TZ), '2026-11-20 00:07:09');
    assert.equal(wallToDate('2026-11-20 00:07:09', TZ)?.getTime(), d.getTime());
    assert.equal(wallToDate('20/11/2026', TZ), undefined);
  });

  it("reads a wall time as the zone's rules do, second by second, across daylight-saving changes", () => {
    // New York springs forward at 02:00 (02:xx does not exist) and falls back at 02:00 (01:xx twice); Lord Howe moves 30 minutes.
    const days = [['America/New_York', 2026, 2, 8], ['America/New_York', 2026, 10, 1], ['Australia/Lord_Howe', 2026, 3, 5], [TZ, 2026, 10, 20]] as const;
    for (const [tz, y, mo, d] of days) {
      for (let s = 0; s < 86_400; s += 7) {
        const [h, mi, se] = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
        const text = `${y}-${String(mo + 1).padStart(2, '0')}-${String(d).padStart(2, '0')} ${[h, mi, se].map((n) => String(n).padStart(2, '0')).join(':')}`;
        assert.equal(wallToDate(text, tz)?.getTime(), new TZDate(y, mo, d, h, mi, se, tz).getTime(), `${tz} ${text}`);
      }
    }
  });
});

describe('window edges: a record dated at a window end is written once, whichever way the API counts date_end', () => {
  const w1 = { from: at('2026-01-01 00:00:00'), to: at('2026-01-01 01:00:00') };
  const w2 = { from: w1.to, to: at('2026-01-01 02:00:00') };
  const edge = { date: '2026-01-01 01:00:00', conn_id: 'edge' };
  const inside = { date: '2026-01-01 00:30:00', conn_id: 'in1' };
  const later = { date: '2026-01-01 01:30:00', conn_id: 'in2' };

  it('inclusive API: both answers hold the edge record: kept once, in the window it belongs to', () => {
    const e = new WindowEdges(TZ, silent);
    assert.deepEqual(e.rows(w1, [inside, edge], false), [inside]);
    assert.deepEqual(e.rows(w2, [edge, later], true), [edge, later]);
  });

  it('exclusive API: only the next answer holds it', () => {
    const e = new WindowEdges(TZ, silent);
    assert.deepEqual(e.rows(w1, [inside], false), [inside]);
    assert.deepEqual(e.rows(w2, [edge, later], true), [edge, later]);
  });

  it('a record the next answer does not repeat is carried, never lost; the last window leaves a record at the range end to the next range', () => {
    const e = new WindowEdges(TZ, silent);
    assert.deepEqual(e.rows(w1, [inside, edge], false), [inside]);
    // --until is exclusive: 02:00:00 is the next range's first second (an API counting date_end in sends it).
    assert.deepEqual(e.rows(w2, [later, { date: '2026-01-01 02:00:00', conn_id: 'end' }], true), [edge, later]);
  });

  it('reads campaign_5 date + time', () => {
    assert.equal(recordTime({ date: '2026-01-01', time: '01:00:00' }), '2026-01-01 01:00:00');
    assert.equal(recordTime({ date: '01/01/2026' }), undefined);
  });
});

describe('capSplitPoint', () => {
  const w = { from: at('2026-01-01 00:00:00'), to: at('2026-01-02 00:00:00') };
  const rec = (s: number) => ({ date: wallText(new Date(w.from.getTime() + s * 1000), TZ) });

  it('an answer in time order from the start: cut at the last second before the cap-th record (fewer than the cap up to it, date_end counted in or not)', () => {
    const records = [0, 10, 10, 20, 30, 40].map(rec);
    assert.equal(capSplitPoint(w, records, { splitAt: 4, tz: TZ, side: 'earliest' })?.cut.getTime(), w.from.getTime() + 10_000);
  });

  it('read as the latest records (in time order, either way): cut just after the second of the cap-th record from the end', () => {
    const latest = { splitAt: 4, tz: TZ, side: 'latest' } as const;
    assert.equal(capSplitPoint(w, [5, 10, 20, 20, 30, 40].map(rec), latest)?.cut.getTime(), w.from.getTime() + 21_000);
    assert.equal(capSplitPoint(w, [40, 30, 20, 20, 10, 5].map(rec), latest)?.cut.getTime(), w.from.getTime() + 21_000);
    // auto: the answer lies at the window's end (its first record is further from the start than its last from the end)
    const late = [86_390, 86_391, 86_392, 86_393, 86_399].map(rec);
    assert.deepEqual(capSplitPoint(w, late, { splitAt: 4, tz: TZ, side: 'auto' }), { cut: new Date(w.from.getTime() + 86_392_000), side: 'latest' });
  });

  it('any other answer: no hint (cut in the middle)', () => {
    assert.equal(capSplitPoint(w, [30, 10, 20, 40].map(rec), { splitAt: 4, tz: TZ, side: 'earliest' }), undefined);
    assert.equal(capSplitPoint(w, [{ date: 'x' }, ...[1, 2, 3].map(rec)], { splitAt: 4, tz: TZ, side: 'earliest' }), undefined);
    assert.equal(capSplitPoint(w, [0, 0, 0, 0].map(rec), { splitAt: 4, tz: TZ, side: 'earliest' }), undefined); // the cut would be the start
  });
});

describe('classifyReport', () => {
  const ok = (data: unknown, msg = '2 records were found') => classifyReport({ status: 200, body: { code: 200, error: null, msg, data }, latencyMs: 1 });

  it('records, with every value a string; the announced count', () => {
    const v = ok([{ a: '1', b: 2, c: null }, { a: 'x' }]);
    assert.deepEqual(v, { kind: 'records', records: [{ a: '1', b: '2', c: '' }, { a: 'x' }], found: 2 });
  });

  it('a record keyed "__proto__" (a hostile answer) keeps it as a plain text value, not a prototype', () => {
    const v = ok(JSON.parse('[{"a": 1, "__proto__": {"polluted": "yes"}}]'), '1 record was found');
    assert.equal(v.kind, 'records');
    const [r] = (v as { records: Record<string, string>[] }).records;
    assert.equal(Object.getPrototypeOf(r), Object.prototype);
    assert.equal(r!.polluted, undefined);
    assert.deepEqual(Object.entries(r!), [['a', '1'], ['__proto__', '{"polluted":"yes"}']]);
  });

  it('404 Validate dates entered (in a 404 or inside a 200) and data [] are empty windows', () => {
    assert.equal(classifyReport({ status: 404, body: { code: 404, error: 'Validate dates entered' }, latencyMs: 1 }).kind, 'empty');
    assert.equal(classifyReport({ status: 200, body: { code: 404, error: 'Validate dates entered' }, latencyMs: 1 }).kind, 'empty');
    assert.equal(ok([]).kind, 'empty');
  });

  it('never reads an unknown answer as empty', () => {
    assert.deepEqual(classifyReport({ status: 404, text: '<html>Not Found</html>', latencyMs: 1 }).kind, 'stop');
    assert.equal(ok(null).kind, 'stop');
    assert.equal(ok(['x']).kind, 'stop');
    assert.equal(classifyReport({ status: 200, text: '<html>', latencyMs: 1 }).kind, 'retry');
  });

  it('retries 5xx, 429, resets, timeouts and SIMULTANEOUS; stops on token, quota and 400', () => {
    const kinds = (a: Parameters<typeof classifyReport>[0]) => {
      const v = classifyReport(a);
      return v.kind === 'stop' ? `stop:${v.error}` : v.kind;
    };
    assert.equal(kinds({ status: 503, text: 'x', latencyMs: 1 }), 'retry');
    assert.equal(kinds({ status: 200, body: { code: 500, error: 'INTERNAL' }, latencyMs: 1 }), 'retry');
    assert.equal(kinds({ status: 429, latencyMs: 1, retryAfter: '3' }), 'retry');
    assert.equal(kinds({ networkCode: 'ECONNRESET', latencyMs: 1 }), 'retry');
    assert.equal(kinds({ networkCode: 'TIMEOUT', latencyMs: 1 }), 'retry');
    assert.equal(kinds({ networkCode: 'ABORTED', latencyMs: 1 }), 'stop:aborted');
    assert.equal(kinds({ status: 403, body: { code: 403, error: 'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)' }, latencyMs: 1 }), 'retry');
    assert.equal(kinds({ status: 401, body: { code: 401, error: 'PLEASE ENTER THE WOLKVOX-TOKEN' }, latencyMs: 1 }), 'stop:token');
    assert.equal(kinds({ status: 403, body: { code: 403, error: 'PLEASE VALIDATE TOKEN' }, latencyMs: 1 }), 'stop:token');
    assert.equal(kinds({ status: 200, body: { code: 403, error: 'TOKEN LIMIT EXCEEDED' }, latencyMs: 1 }), 'stop:quota');
    assert.equal(kinds({ status: 400, body: { code: 400, error: 'SOME PARAMETERS ARE REQUIRED' }, latencyMs: 1 }), 'stop:refused');
  });
});
