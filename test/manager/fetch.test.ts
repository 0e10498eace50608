import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ManagerError } from '../../src/errors.ts';
import { REPORT_FIELDS } from '../../src/manager/snapshot.ts';
import { capture, connIds, DAY_MS, DAY_START, fetchFrom, readSnapshot, tempPath, TOKEN, TZ, withManager } from './helpers.ts';

const dayEnd = new Date(DAY_START.getTime() + DAY_MS);

function checkRowRanges(snap: { records: number; windows: { from: Date; to: Date; records: number; firstRow: number; lastRow: number }[] }, from: Date, to: Date): void {
  let next = 1;
  let at = from.getTime();
  for (const w of snap.windows) {
    assert.equal(w.from.getTime(), at, 'windows cover the range with no gap, in time order');
    assert.equal(w.firstRow, next);
    assert.equal(w.lastRow, w.firstRow + w.records - 1);
    next = w.lastRow + 1;
    at = w.to.getTime();
  }
  assert.equal(at, to.getTime());
  assert.equal(next - 1, snap.records);
}

describe('fetchReport against the emulator', () => {
  for (const dateEnd of ['inclusive', 'exclusive'] as const) {
    it(`cap splits recurse until every window is under the cap; every call exactly once (date_end ${dateEnd})`, async () => {
      await withManager({ callsPerDay: 3000, cap: 300, dateEnd }, async (emu) => {
        const snap = await fetchFrom(emu, { capSplitAt: 290 });
        const rows = await readSnapshot(snap.path);
        const expected = emu.manager.rows('cdr_1', { from: DAY_START, to: dayEnd });
        assert.equal(expected.length, 3000);
        assert.deepEqual(connIds(rows), connIds(expected));
        assert.ok(snap.windows.length >= 11, `${snap.windows.length} windows`);
        for (const w of snap.windows) assert.ok(w.records < 290);
        checkRowRanges(snap, DAY_START, dayEnd);
        assert.equal(snap.calls, emu.manager.calls);
        assert.ok(snap.calls <= 2 * Math.ceil(3000 / 290) + 1, `${snap.calls} calls`);
        assert.ok(emu.manager.stats().truncated > 0, 'the emulator did cut answers at its cap');
        assert.deepEqual(snap.header, [...REPORT_FIELDS.cdr_1]);
        // Rows in the snapshot are in time order, and each window's rows are dated inside it.
        const dates = rows.map((r) => r.date as string);
        assert.deepEqual(dates, [...dates].sort());
      });
    });
  }

  it('a one-second window still at the cap is a coded error naming it; nothing is left behind', async () => {
    await withManager({ callsPerDay: 5_000_000, cap: 3 }, async (emu) => {
      const from = new Date(DAY_START.getTime() + 10 * 3_600_000);
      const snapshotPath = tempPath();
      await assert.rejects(fetchFrom(emu, { from, to: new Date(from.getTime() + 4000), capSplitAt: 3, snapshotPath }), (e: unknown) =>
        e instanceof ManagerError && e.kind === 'cap' && /2026-11-20 10:00:0\d/.test(e.message) && /one second/.test(e.message));
      assert.equal(existsSync(snapshotPath), false);
      assert.equal(existsSync(`${snapshotPath}.partial`), false);
    });
  });

  it('404 "Validate dates entered" windows are empty, not errors; the snapshot then holds the header only', async () => {
    await withManager({ callsPerDay: 2 }, async (emu) => {
      // Three one-day windows of a quiet dialer: some are empty (404), then a range after the emulator's clock (all 404).
      const snap = await fetchFrom(emu, { from: DAY_START, to: new Date(DAY_START.getTime() + 3 * DAY_MS), maxWindowDays: 1 });
      assert.equal(snap.windows.length, 3);
      assert.equal(snap.records, 6);
      const future = await fetchFrom(emu, { from: new Date('2027-01-01T05:00:00Z'), to: new Date('2027-01-02T05:00:00Z') });
      assert.equal(future.records, 0);
      assert.deepEqual(future.windows.map((w) => [w.records, w.firstRow, w.lastRow]), [[0, 1, 0]]);
      assert.deepEqual(await readSnapshot(future.path), []);
      assert.ok((emu.manager.stats().byHttpStatus['404'] ?? 0) >= 1);
    });
  });

  it('a range over 31 days is cut into windows of at most 31 days (the API refuses longer ones)', async () => {
    await withManager({ callsPerDay: 4 }, async (emu) => {
      const from = new Date('2026-09-01T05:00:00Z');
      const to = new Date(from.getTime() + 70 * DAY_MS);
      const snap = await fetchFrom(emu, { from, to });
      assert.deepEqual(snap.windows.map((w) => (w.to.getTime() - w.from.getTime()) / DAY_MS), [31, 31, 8]);
      assert.equal(snap.calls, 3);
      assert.equal(snap.records, 280);
      checkRowRanges(snap, from, to);
    });
  });

  it('retries 5xx, resets, garbage and hung calls with backoff, and counts every call', async () => {
    const faults = [
      { fault: '503' as const, requests: [1] },
      { fault: 'reset-before' as const, requests: [2] },
      { fault: '502' as const, requests: [3] },
      { fault: 'garbage-200' as const, requests: [4] },
      { fault: 'hang' as const, requests: [5] },
    ];
    await withManager({ callsPerDay: 300, faults }, async (emu) => {
      const { logger, lines } = capture();
      const snap = await fetchFrom(emu, { logger, timeoutMs: 300 });
      assert.equal(snap.records, 300);
      assert.equal(snap.calls, 6);
      assert.equal(lines.filter((l) => l.includes('trying again')).length, 5);
    });
  });

  it('gives up after the attempts allowed, with a coded error and no snapshot', async () => {
    await withManager({ callsPerDay: 300, faults: [{ fault: '503' }] }, async (emu) => {
      const snapshotPath = tempPath();
      await assert.rejects(fetchFrom(emu, { snapshotPath, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 } }), (e: unknown) => e instanceof ManagerError && e.kind === 'network' && /after 3 calls/.test(e.message));
      assert.equal(emu.manager.calls, 3);
      assert.equal(existsSync(snapshotPath), false);
      assert.equal(existsSync(`${snapshotPath}.partial`), false);
    });
  });

  it('never has more than 2 calls in flight, and does use both', async () => {
    await withManager({ callsPerDay: 50, latencyMs: { min: 5, max: 40 } }, async (emu) => {
      const snap = await fetchFrom(emu, { from: DAY_START, to: new Date(DAY_START.getTime() + 12 * DAY_MS), maxWindowDays: 1 });
      const stats = emu.manager.stats();
      assert.equal(snap.calls, 12);
      assert.equal(stats.maxInflightSeen, 2);
      assert.equal(stats.rejectedConcurrency, 0);
      checkRowRanges(snap, DAY_START, new Date(DAY_START.getTime() + 12 * DAY_MS));
      const rows = await readSnapshot(snap.path);
      const dates = rows.map((r) => r.date as string);
      assert.deepEqual(dates, [...dates].sort(), 'written in time order although answers may come back out of order');
    });
  });

  it('token refusals and quota are coded stop errors, not retried; the token is in no error and no log line', async () => {
    const cases = [
      { faults: [{ fault: 'quota' as const }], kind: 'quota' },
      { faults: [{ fault: 'fatal-token' as const }], kind: 'token' },
      { faults: [], kind: 'token', token: 'another-wrong-token-123' },
      { faults: [{ fault: 'maintenance' as const }], kind: 'refused' },
    ];
    for (const c of cases) {
      await withManager({ callsPerDay: 300, faults: c.faults }, async (emu) => {
        const { logger, lines } = capture();
        const snapshotPath = tempPath();
        const err = await fetchFrom(emu, { logger, snapshotPath, token: c.token ?? TOKEN }).then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof ManagerError, String(err));
        assert.equal(err.kind, c.kind, err.message);
        assert.equal(err.code, 'E_MANAGER');
        const answered = Object.values(emu.manager.stats().byHttpStatus).reduce((a, b) => a + b, 0);
        assert.equal(answered, 1, 'not retried');
        const everything = [err.message, String(err.stack), JSON.stringify(err.context), ...lines].join('\n');
        for (const secret of [TOKEN, c.token ?? TOKEN]) assert.ok(!everything.includes(secret), `the token leaked: ${everything}`);
        assert.equal(existsSync(snapshotPath), false);
      });
    }
  });

  it('the snapshot appears only when complete (.partial, 0600, then renamed); a stopped fetch leaves none', async () => {
    await withManager({ callsPerDay: 100, latencyMs: 20 }, async (emu) => {
      const snapshotPath = tempPath();
      const seen: boolean[] = [];
      const { logger } = capture();
      const spy = logger.child({});
      spy.info = ((obj: unknown, msg?: string) => {
        if (msg === 'manager report: window written') seen.push(existsSync(snapshotPath) || !existsSync(`${snapshotPath}.partial`));
      }) as typeof spy.info;
      const snap = await fetchFrom(emu, { snapshotPath, logger: spy, from: DAY_START, to: new Date(DAY_START.getTime() + 4 * DAY_MS), maxWindowDays: 1 });
      assert.deepEqual(seen, [false, false, false, false], 'while windows are written only the .partial file exists');
      assert.equal(snap.path, snapshotPath);
      assert.equal(statSync(snapshotPath).mode & 0o777, 0o600);
      assert.equal(existsSync(`${snapshotPath}.partial`), false);

      const stopped = tempPath();
      const ctl = new AbortController();
      const stopper = logger.child({});
      stopper.info = ((obj: unknown, msg?: string) => {
        if (msg === 'manager report: window written') ctl.abort();
      }) as typeof stopper.info;
      await assert.rejects(fetchFrom(emu, { snapshotPath: stopped, logger: stopper, signal: ctl.signal, maxWindowDays: 1, to: new Date(DAY_START.getTime() + 6 * DAY_MS) }), (e: unknown) => e instanceof ManagerError && e.kind === 'aborted');
      assert.equal(existsSync(stopped), false);
      assert.equal(existsSync(`${stopped}.partial`), false);
    });
  });

  it('campaign reports send campaign_id (all by default)', async () => {
    await withManager({ callsPerDay: 2000 }, async (emu) => {
      const snap = await fetchFrom(emu, { report: 'campaign_3' });
      const expected = emu.manager.rows('campaign_3', { from: DAY_START, to: dayEnd, campaignId: 'all' });
      assert.ok(expected.length > 0);
      assert.deepEqual(connIds(await readSnapshot(snap.path)), connIds(expected));
      assert.deepEqual(snap.header.slice(0, REPORT_FIELDS.campaign_3.length), [...REPORT_FIELDS.campaign_3]);
      assert.equal(TZ, 'America/Bogota');
    });
  });
});

describe('fetchReport killed mid-fetch', () => {
  it('kill -9 after a window was written leaves no snapshot; the next fetch starts afresh and completes', async () => {
    await withManager({ callsPerDay: 100, latencyMs: 150 }, async (emu) => {
      const snapshotPath = tempPath();
      const to = new Date(DAY_START.getTime() + 5 * DAY_MS);
      const code = `
        import pino from 'pino';
        const { fetchReport } = await import(process.env.FETCH_TS);
        await fetchReport({ origin: process.env.ORIGIN, token: process.env.MGR_TOKEN, report: 'cdr_1', tz: '${TZ}',
          from: new Date(${DAY_START.getTime()}), to: new Date(${to.getTime()}), maxWindowDays: 1,
          snapshotPath: process.env.SNAPSHOT, logger: pino(pino.destination({ dest: 1, sync: true })) });`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
        cwd: process.cwd(),
        env: { ...process.env, FETCH_TS: new URL('../../src/manager/fetch.ts', import.meta.url).href, ORIGIN: emu.url, MGR_TOKEN: TOKEN, SNAPSHOT: snapshotPath },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      const lines = createInterface({ input: child.stdout });
      for await (const line of lines) {
        if (line.includes('window written')) {
          child.kill('SIGKILL');
          break;
        }
      }
      assert.equal(await exited, 'SIGKILL', stderr);
      assert.ok(emu.manager.calls < 5, `killed mid-fetch (${emu.manager.calls} calls)`);
      assert.equal(existsSync(snapshotPath), false, 'no snapshot after a kill');
      const snap = await fetchFrom(emu, { snapshotPath, to, maxWindowDays: 1 });
      assert.equal(snap.records, 500);
      assert.equal(existsSync(`${snapshotPath}.partial`), false);
      assert.equal((await readSnapshot(snapshotPath)).length, 500);
    });
  });
});

describe('fetchReport on an empty range', () => {
  it('from = to (a --since last with nothing settled): no call, a snapshot with the header only', async () => {
    await withManager({ callsPerDay: 10 }, async (emu) => {
      const snap = await fetchFrom(emu, { from: DAY_START, to: DAY_START, snapshotPath: tempPath('sub/dir/empty.csv') });
      assert.deepEqual([snap.calls, snap.records, snap.windows.length], [0, 0, 0]);
      assert.equal(emu.manager.calls, 0);
      assert.deepEqual(snap.header, [...REPORT_FIELDS.cdr_1]);
      assert.deepEqual(await readSnapshot(snap.path), []);
    });
  });
});

describe('fetchReport with a token a header cannot carry', () => {
  it('stops at once (kind token), nothing sent, the token not echoed', async () => {
    await withManager({ callsPerDay: 10 }, async (emu) => {
      const bad = 'bad-token-\u00e9\u00e8-xyz\n';
      const err = await fetchFrom(emu, { token: bad }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof ManagerError, String(err));
      assert.equal(err.kind, 'token');
      assert.ok(!err.message.includes('bad-token'));
      assert.equal(Object.values(emu.manager.stats().byHttpStatus).reduce((a, b) => a + b, 0), 0);
    });
  });
});
