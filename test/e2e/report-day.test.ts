/**
 * A real-size day for the Manager report source: 150,000 dialer calls at the API's cap of 60,000
 * records a call, fetched by the product's fetch in this process against the emulator (the CLI's
 * wiring of the same fetch is test/e2e/report.test.ts; this one runs in its own file because its
 * long synchronous steps would hold up those tests' emulators).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import pino from 'pino';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { fetchReport } from '../../src/manager/fetch.ts';
import { tmp } from '../helpers.ts';

const MGR = 'mgr-SECRET-token-7f3a9c';
/** Midnight in Bogota (UTC-5, no DST) of a day, as an instant. */
const bogota = (day: string) => new Date(`${day}T05:00:00.000Z`);

let emulator: Emulator | undefined;
after(() => emulator?.close());

async function start(o: { manager: { callsPerDay: number } }): Promise<Emulator> {
  emulator = await startEmulator({ latencyMs: 0, manager: { token: MGR, ...o.manager } });
  return emulator;
}

/** The snapshot's conn_id column (read as arrays: a whole day's objects are not needed). */
function connIds(path: string): string[] {
  const [header, ...rows] = parse(readFileSync(path, 'utf8'), { skip_empty_lines: true }) as string[][];
  const at = header!.indexOf('conn_id');
  assert.ok(at >= 0, 'the snapshot has a conn_id column');
  return rows.map((r) => r[at]!);
}

describe('import --report: a whole day fetched in this process', () => {
  it('a day of 150,000 calls at the API cap (60,000 records a call): every call once in the snapshot, Manager calls ≤ 2 × the minimum', { timeout: 300_000 }, async () => {
    // The product's fetch (the CLI's wiring of it is the test above), at the real cap and the default split point:
    // a whole real-size day without planning 150,000 rows that no assertion reads.
    const e = await start({ manager: { callsPerDay: 150_000 } });
    const day = { from: bogota('2026-11-20'), to: bogota('2026-11-21') };
    let logs = '';
    const snap = await fetchReport({ origin: e.url, token: MGR, report: 'cdr_1', ...day, tz: 'America/Bogota', snapshotPath: join(tmp('wvx-report-150k-'), 'r.snapshot.csv'),
      logger: pino({ level: 'debug' }, { write: (t: string) => void (logs += t) }) });
    const expected = e.manager.rows('cdr_1', day).map((r) => r.conn_id!);
    const got = connIds(snap.path);
    assert.equal(expected.length, 150_000);
    assert.equal(snap.records, 150_000);
    assert.equal(new Set(got).size, got.length, 'no call twice in the snapshot');
    assert.deepEqual(got.sort(), expected.sort(), 'every call of the day in the snapshot, and no other');
    // Every call the emulator saw is counted; an attempt that never reached it (a keep-alive connection the server
    // closed as the request left, likelier here where the server shares the test's busy process) is counted as well.
    const retried = logs.split('\n').filter((l) => l.includes('manager report call failed; trying again')).length;
    assert.ok(snap.calls >= e.manager.calls && snap.calls <= e.manager.calls + retried, `every Manager call counted: the fetch counted ${snap.calls}, the emulator ${e.manager.calls}, ${retried} retried`);
    assert.ok(e.manager.calls <= 2 * Math.ceil(150_000 / 59_000), `Manager calls ${e.manager.calls} ≤ 2 × the minimum`);
    assert.ok(snap.windows.length >= Math.ceil(150_000 / 60_000), 'the day was split into windows under the cap');
    assert.ok(!logs.includes(MGR) && !readFileSync(snap.path, 'utf8').includes(MGR), 'the Manager token is in no log line nor the snapshot');
    assert.equal(statSync(snap.path).mode & 0o777, 0o600, 'the snapshot is private');
  });
});
