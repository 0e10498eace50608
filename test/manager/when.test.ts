import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManagerError, UsageError } from '../../src/errors.ts';
import { parseManagerServer } from '../../src/manager/server.ts';
import { parseWhen, resolveRange } from '../../src/manager/when.ts';

const TZ = 'America/Bogota';
/** 2026-11-21 10:30:00 in Bogota (UTC-5). */
const NOW = new Date('2026-11-21T15:30:00Z');
const MIN = 60_000;
const base = { tz: TZ, now: NOW, settleMs: 10 * MIN, overlapMs: 10 * MIN };

describe('parseWhen: wall-clock time in --tz', () => {
  it('reads days, date-times, yesterday, today and last', () => {
    const o = { tz: TZ, now: NOW, edge: 'since' as const };
    assert.equal((parseWhen('2026-11-20', o) as Date).toISOString(), '2026-11-20T05:00:00.000Z');
    assert.equal((parseWhen('2026-11-20T08:30', o) as Date).toISOString(), '2026-11-20T13:30:00.000Z');
    assert.equal((parseWhen('2026-11-20 08:30:15', o) as Date).toISOString(), '2026-11-20T13:30:15.000Z');
    assert.equal((parseWhen('today', o) as Date).toISOString(), '2026-11-21T05:00:00.000Z');
    assert.equal((parseWhen('Yesterday', o) as Date).toISOString(), '2026-11-20T05:00:00.000Z');
    assert.equal(parseWhen('last', o), 'last');
    // The day is the zone's: at 02:00 UTC it is still the 20th in Bogota.
    assert.equal((parseWhen('today', { ...o, now: new Date('2026-11-21T02:00:00Z') }) as Date).toISOString(), '2026-11-20T05:00:00.000Z');
    assert.equal((parseWhen('2026-11-20', { ...o, tz: 'UTC' }) as Date).toISOString(), '2026-11-20T00:00:00.000Z');
  });

  it('refuses what is not a moment, "last" as --until, and an unknown zone, as UsageErrors', () => {
    const o = { tz: TZ, now: NOW, edge: 'since' as const };
    for (const bad of ['2026-02-30', '2026-13-01', '2026-11-20T24:00', '20261120', 'tomorrow', '', '2026-11-20T08:61']) {
      assert.throws(() => parseWhen(bad, o), UsageError, bad);
    }
    assert.throws(() => parseWhen('last', { ...o, edge: 'until' }), /only for --since/);
    assert.throws(() => parseWhen('today', { ...o, tz: 'Mars/Olympus' }), /IANA time zone/);
  });
});

describe('resolveRange: [since, until), clamped to now minus the settle delay', () => {
  it('a day alone is that whole day; --until is exclusive', () => {
    assert.deepEqual(resolveRange({ ...base, since: 'yesterday' }), { from: new Date('2026-11-20T05:00:00Z'), to: new Date('2026-11-21T05:00:00Z') });
    assert.deepEqual(resolveRange({ ...base, since: '2026-11-01', until: '2026-11-03' }), { from: new Date('2026-11-01T05:00:00Z'), to: new Date('2026-11-03T05:00:00Z') });
  });

  it('today, and a date-time with no --until, end at now minus the settle delay (whole seconds)', () => {
    const now = new Date('2026-11-21T15:30:45.678Z');
    assert.deepEqual(resolveRange({ ...base, now, since: 'today' }), { from: new Date('2026-11-21T05:00:00Z'), to: new Date('2026-11-21T15:20:45Z') });
    assert.deepEqual(resolveRange({ ...base, now, since: '2026-11-21T06:00' }).to, new Date('2026-11-21T15:20:45Z'));
    // An --until beyond now is clamped too.
    assert.deepEqual(resolveRange({ ...base, now, since: '2026-11-20', until: '2026-12-01' }).to, new Date('2026-11-21T15:20:45Z'));
  });

  it('last = watermark minus the overlap, to now minus the settle delay', () => {
    const watermark = new Date('2026-11-21T12:00:00Z');
    assert.deepEqual(resolveRange({ ...base, since: 'last', watermark }), { from: new Date('2026-11-21T11:50:00Z'), to: new Date('2026-11-21T15:20:00Z') });
    // Nothing settled since: an empty range, not an error (a cron job may run twice).
    const late = new Date(NOW.getTime() - 5 * MIN);
    const r = resolveRange({ ...base, since: 'last', watermark: late, overlapMs: 0 });
    assert.equal(r.to.getTime(), r.from.getTime());
  });

  it('last with no watermark tells to give a date', () => {
    assert.throws(() => resolveRange({ ...base, since: 'last' }), (e: unknown) => e instanceof UsageError && /give a date/.test(e.message) && /--since yesterday/.test(e.message));
  });

  it('refuses --until not after --since, and a range that has not settled at all', () => {
    assert.throws(() => resolveRange({ ...base, since: '2026-11-20', until: '2026-11-20' }), /not later than/);
    assert.throws(() => resolveRange({ ...base, since: '2026-11-21T10:25' }), /nothing has settled yet/);
  });
});

describe('parseManagerServer', () => {
  it('accepts the host, a pasted URL and the number alone', () => {
    assert.equal(parseManagerServer('wv0042.wolkvox.com'), 'https://wv0042.wolkvox.com');
    assert.equal(parseManagerServer('  https://wv0042.wolkvox.com/manager/index.php?x=1 '), 'https://wv0042.wolkvox.com');
    assert.equal(parseManagerServer('0042'), 'https://wv0042.wolkvox.com');
    assert.equal(parseManagerServer('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
    assert.equal(parseManagerServer('http://localhost:9/x'), 'http://localhost:9');
  });

  it('refuses plain http beyond loopback, other schemes, credentials and empty values, never echoing a pasted secret', () => {
    assert.throws(() => parseManagerServer('http://wv0042.wolkvox.com'), /only allowed to this machine/);
    assert.throws(() => parseManagerServer('ftp://wv0042.wolkvox.com'), /https:\/\//);
    assert.throws(() => parseManagerServer(''), /empty/);
    assert.throws(() => parseManagerServer('https://user:s3cretpass@wv0042.wolkvox.com'), (e: unknown) => e instanceof UsageError && !e.message.includes('s3cretpass'));
    assert.throws(() => parseManagerServer('https://wv 0042.wolkvox.com/?token=abcdef123'), (e: unknown) => e instanceof UsageError && !e.message.includes('abcdef123'));
  });
});

describe('ManagerError', () => {
  it('has the E_MANAGER code and its kind', () => {
    const e = new ManagerError('quota', 'x');
    assert.equal(e.code, 'E_MANAGER');
    assert.equal(e.kind, 'quota');
    assert.equal(e.context.kind, 'quota');
  });
});
