import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore, type RunMeta } from '../../src/store/store.ts';
import { acquireLock, releaseLock } from '../../src/store/lock.ts';
import { ledgerKey, forgetBefore, listLedger } from '../../src/store/ledger.ts';
import { LockedError } from '../../src/errors.ts';

const meta = (over: Partial<RunMeta> = {}): RunMeta => ({ inputPath: '/in.csv', fingerprint: 'fp', inputHash: 'ih', mappingHash: 'mh',
  server: 'http://127.0.0.1:1', operation: 'op', outPath: '/out.csv', sourceInfo: { encoding: 'utf-8' }, ...over });

function tmpStore(): RunStore {
  return RunStore.open(join(mkdtempSync(join(tmpdir(), 'wvx-store-')), 'nested', 'state.sqlite'));
}

describe('run store', () => {
  it('creates the state file private (0600) in a private folder', () => {
    const s = tmpStore();
    assert.equal(statSync(s.path).mode & 0o777, 0o600);
    assert.equal(statSync(join(s.path, '..')).mode & 0o777, 0o700);
    s.close();
  });

  it('turns rows left "sending" into "uncertain" when a run is reopened, and leaves the rest alone', () => {
    const s = tmpStore();
    const id = s.createRun(meta());
    s.markSending(id, 1, 1);
    s.recordOutcome(id, { row: 2, status: 'ok', wolkvoxId: 'a', attempts: 1 });
    s.recordOutcome(id, { row: 3, status: 'pending', attempts: 0 });
    assert.equal(s.reopenRun(id, '/out.csv'), 1);
    assert.equal(s.getRow(id, 1)?.status, 'uncertain');
    assert.match(s.getRow(id, 1)?.error ?? '', /--resume --reconcile searches it there/);
    assert.equal(s.getRow(id, 2)?.status, 'ok');
    assert.equal(s.getRow(id, 3)?.status, 'pending');
    s.close();
  });

  it('records an ok row and its dedupe key in the ledger together', () => {
    const s = tmpStore();
    const id = s.createRun(meta());
    const k = ledgerKey('http://h', 'op', 'call-1');
    s.recordOutcome(id, { row: 1, status: 'ok', wolkvoxId: 'w1', attempts: 1 }, k);
    assert.equal(s.ledgerGet(k)?.wolkvoxId, 'w1');
    assert.equal(s.ledgerGet(ledgerKey('http://other', 'op', 'call-1')), undefined, 'keys are scoped by server');
    assert.equal(listLedger(s).length, 1);
    assert.equal(forgetBefore(s, '2000-01-01'), 0);
    assert.equal(forgetBefore(s, '2999-01-01'), 1);
    s.close();
  });

  it('finds the latest run of an input and iterates rows in order', () => {
    const s = tmpStore();
    s.createRun(meta());
    const id2 = s.createRun(meta({ fingerprint: 'fp2' }));
    assert.equal(s.latestRunForInput('/in.csv')?.id, id2);
    s.recordOutcomes(id2, [3, 1, 2].map((row) => ({ row, status: 'invalid' as const, attempts: 0 })));
    assert.deepEqual([...s.iterateRows(id2)].map((r) => r.row), [1, 2, 3]);
    assert.deepEqual(s.countsByStatus(id2), { invalid: 3 });
    s.close();
  });
});

describe('settled rows of a run (what a resume skips)', () => {
  it('marks ok, invalid, skipped, duplicate and uncertain rows, not pending, failed or sending ones', () => {
    const s = tmpStore();
    const id = s.createRun(meta());
    const statuses = ['ok', 'invalid', 'skipped', 'duplicate', 'uncertain', 'pending', 'failed'] as const;
    statuses.forEach((status, i) => s.recordOutcome(id, { row: i + 1, status, attempts: 0 }));
    s.markSending(id, 9, 1);
    const bits = s.settledRows(id);
    const settled = (row: number) => (bits[row >> 3]! & (1 << (row & 7))) !== 0;
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map(settled), [true, true, true, true, true, false, false, false, false]);
    s.close();
  });
});

describe('store lock', () => {
  it('refuses a second holder that is alive, naming its pid', () => {
    const s = tmpStore();
    s.database.prepare("INSERT INTO lock (id, pid, hostname, started_at, command) VALUES (1, ?, (SELECT ?), '2026-01-01T00:00:00Z', 'other')")
      .run(process.ppid, hostname());
    assert.throws(() => acquireLock(s, 'me'), (e: unknown) => e instanceof LockedError && e.message.includes(`pid ${process.ppid}`));
    s.close();
  });
  it('takes over the lock of a process that no longer exists', () => {
    const s = tmpStore();
    s.database.prepare("INSERT INTO lock (id, pid, hostname, started_at, command) VALUES (1, 999999999, ?, '2026-01-01T00:00:00Z', 'dead')").run(hostname());
    const stale = acquireLock(s, 'me');
    assert.equal(stale?.pid, 999999999);
    releaseLock(s);
    assert.deepEqual(s.database.prepare('SELECT COUNT(*) AS n FROM lock').get(), { n: 0 });
    s.close();
  });
});

