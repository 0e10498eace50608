/** The journal: an answered outcome waits for the next request's departure, and a stop at once still finds it on disk. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Journal } from '../../src/run/journal.ts';
import { RunStore } from '../../src/store/store.ts';
import type { RowOutcome } from '../../src/types.ts';

function setup() {
  const store = RunStore.open(':memory:');
  const runId = store.createRun({ inputPath: '/in.csv', fingerprint: 'f', inputHash: 'h', mappingHash: 'm', server: 'https://crm.example', operation: 'OP', outPath: '/o.csv', sourceInfo: null });
  const failures: unknown[] = [];
  const journal = new Journal({ store, runId, secrets: ['s3cret'], onFailure: (e) => failures.push(e) });
  const status = (row: number) => [...store.iterateRows(runId)].find((r) => r.row === row)?.status;
  return { store, runId, journal, failures, status };
}

const ok = (row: number): RowOutcome => ({ row, status: 'ok', wolkvoxId: `W${row}`, attempts: 1, httpStatus: 200 });

describe('journal: answered outcomes', () => {
  it('an answered outcome is on disk once afterDeparture resolves, with its key in the ledger', async () => {
    const { store, journal, failures, status } = setup();
    assert.equal(journal.sending(1, 1, 'K1'), true);
    assert.equal(status(1), 'sending');
    await journal.afterDeparture(ok(1), 'K1');
    assert.equal(status(1), 'ok');
    assert.equal(store.ledgerGet('K1')?.wolkvoxId, 'W1');
    assert.deepEqual(failures, []);
  });

  it('flush() (the stop-at-once path) writes an outcome still waiting for its turn', async () => {
    const { store, journal, failures, status } = setup();
    journal.sending(2, 1, 'K2');
    const waiting = journal.afterDeparture(ok(2), 'K2');
    journal.flush();
    assert.equal(status(2), 'ok', 'written by flush, before its turn');
    await waiting;
    assert.equal(status(2), 'ok');
    assert.equal(store.ledgerGet('K2')?.wolkvoxId, 'W2');
    assert.deepEqual(failures, []);
  });
});
