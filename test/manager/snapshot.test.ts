import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openSource } from '../../src/source/index.ts';
import { REPORT_FIELDS, SnapshotWriter } from '../../src/manager/snapshot.ts';

function capture(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
  return { logger, lines };
}

describe('snapshot writer', () => {
  it('writes .partial (0600), renames when complete; the import reads the same rows, values as sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wv-snap-'));
    const path = join(dir, 'cdr.csv');
    const { logger } = capture();
    const w = await SnapshotWriter.create({ path, report: 'cdr_1', logger });
    assert.equal(statSync(`${path}.partial`).mode & 0o777, 0o600);
    assert.equal(existsSync(path), false);
    const tricky = ['a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', '=1+1', '  padded ', 'ñandú ✓', ''];
    const records = tricky.map((comment, i) => ({ conn_id: `c${i}`, comment, date: '2026-01-01 00:00:00' }));
    await w.write(records.slice(0, 3), 'w1');
    await w.write([], 'w2');
    await w.write(records.slice(3), 'w3');
    const header = await w.finish();
    assert.deepEqual(header, [...REPORT_FIELDS.cdr_1]);
    assert.equal(existsSync(`${path}.partial`), false);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const src = await openSource({ path });
    assert.deepEqual(src.info.header, header);
    const got: { row: number; conn: string; comment: string }[] = [];
    for await (const r of src.records) got.push({ row: r.row, conn: r.values[header.indexOf('conn_id')]!, comment: r.values[header.indexOf('comment')]! });
    await src.close();
    assert.deepEqual(got, records.map((r, i) => ({ row: i + 1, conn: r.conn_id, comment: r.comment })));
    assert.equal(w.rows, records.length);
  });

  it('extra keys of the first records become columns; a key first seen later is warned about and listed, never silently', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wv-snap-'));
    const path = join(dir, 'c3.csv');
    const { logger, lines } = capture();
    const w = await SnapshotWriter.create({ path, report: 'campaign_3', logger });
    await w.write([{ conn_id: '1', extra_a: 'A' }, { conn_id: '2', extra_b: 'B' }], 'w1');
    await w.write([{ conn_id: '3', late: 'L' }, { conn_id: '4', late: 'M' }], 'w2');
    const header = await w.finish();
    assert.deepEqual(header.slice(-2), ['extra_a', 'extra_b']);
    assert.deepEqual(w.droppedFields, ['late']);
    const warns = lines.filter((l) => l.level === 40);
    assert.equal(warns.length, 1);
    assert.equal(warns[0]!.field, 'late');
  });

  it('discard() leaves nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wv-snap-'));
    const path = join(dir, 'x.csv');
    const w = await SnapshotWriter.create({ path, report: 'campaign_5', logger: capture().logger });
    await w.write([{ conn_id: '1' }], 'w');
    await w.discard();
    assert.equal(existsSync(`${path}.partial`), false);
    assert.equal(existsSync(path), false);
  });
});
