import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore, type RunMeta } from '../../src/store/store.ts';
import { advanceWatermark, getWatermark, latestReportRun, listWatermarks, settledUntil, type ReportSource, type SourceWindow } from '../../src/store/watermark.ts';

const key = { managerServer: 'https://wv0042.wolkvox.com', report: 'cdr_1', campaign: '', crmServer: 'https://crm0001.wolkvox.com', operation: 'op' };
const meta = (over: Partial<RunMeta> = {}): RunMeta => ({ inputPath: '/snap.csv', fingerprint: 'fp', inputHash: 'ih', mappingHash: 'mh',
  server: key.crmServer, operation: 'op', outPath: '/out.csv', sourceInfo: null, ...over });
const at = (h: number) => new Date(Date.UTC(2026, 10, 20, h));
const win = (h: number, rows: [number, number]): SourceWindow => ({ from: at(h).toISOString(), to: at(h + 1).toISOString(), records: rows[1] - rows[0] + 1, firstRow: rows[0], lastRow: rows[1] });

describe('watermarks', () => {
  it('moves forward only, per key', () => {
    const s = RunStore.open(':memory:');
    assert.equal(getWatermark(s, key), undefined);
    assert.deepEqual(advanceWatermark(s, key, { until: at(5), runId: 1 }), at(5));
    assert.deepEqual(advanceWatermark(s, key, { until: at(3), runId: 2 }), at(5), 'never backwards');
    assert.deepEqual(advanceWatermark(s, key, { until: at(7), runId: 3 }), at(7));
    advanceWatermark(s, { ...key, operation: 'other' }, { until: at(1), runId: 4 });
    assert.equal(getWatermark(s, key)!.runId, 3);
    assert.equal(listWatermarks(s).length, 2);
    s.close();
  });

  it('ends at the longest prefix of windows whose rows all settled (ok, invalid, skipped, duplicate); empty windows count as settled', () => {
    const s = RunStore.open(':memory:');
    const id = s.createRun(meta());
    const windows = [win(0, [1, 2]), { ...win(1, [3, 2]), records: 0 }, win(2, [3, 4]), win(3, [5, 5])];
    assert.equal(settledUntil(s, id, windows), undefined, 'nothing settled yet');
    for (const [row, status] of [[1, 'ok'], [2, 'invalid'], [3, 'duplicate'], [4, 'uncertain'], [5, 'ok']] as const) s.recordOutcome(id, { row, status, attempts: 1, wolkvoxId: 'id' });
    assert.deepEqual(settledUntil(s, id, windows), at(2), 'an uncertain row holds its window back, and every later one');
    s.recordOutcome(id, { row: 4, status: 'duplicate', attempts: 0 });
    assert.deepEqual(settledUntil(s, id, windows), at(2), 'a duplicate waiting on an uncertain row (no id) holds it back too');
    s.recordOutcome(id, { row: 4, status: 'skipped', attempts: 0 });
    assert.deepEqual(settledUntil(s, id, windows), at(4));
    s.close();
  });

  it('finds the latest report run of a key; an older state file gains the runs column', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wvx-wm-')), 'old.sqlite');
    const old = new Database(path);
    old.exec('CREATE TABLE runs (id INTEGER PRIMARY KEY, input_path TEXT NOT NULL, fingerprint TEXT NOT NULL, input_hash TEXT NOT NULL, mapping_hash TEXT NOT NULL, server TEXT NOT NULL, operation TEXT NOT NULL, out_path TEXT NOT NULL, started_at TEXT NOT NULL, updated_at TEXT NOT NULL, finished_at TEXT, state TEXT NOT NULL, stop_reason TEXT, exit_code INTEGER, total_rows INTEGER, source_info TEXT)');
    old.close();
    const s = RunStore.open(path);
    const src = (k: typeof key): ReportSource => ({ key: k, tz: 'America/Bogota', from: at(0).toISOString(), to: at(1).toISOString(), windows: [], managerCalls: 1 });
    s.createRun(meta({ reportSource: JSON.stringify(src(key)) }));
    const other = s.createRun(meta({ reportSource: JSON.stringify(src({ ...key, report: 'campaign_3', campaign: 'all' })) }));
    const mine = s.createRun(meta({ reportSource: JSON.stringify(src(key)) }));
    s.createRun(meta());
    assert.equal(latestReportRun(s, key)!.id, mine);
    assert.equal(latestReportRun(s, { ...key, report: 'campaign_3', campaign: 'all' })!.id, other);
    assert.equal(latestReportRun(s, { ...key, crmServer: 'https://crm0002.wolkvox.com' }), undefined);
    s.close();
  });
});
