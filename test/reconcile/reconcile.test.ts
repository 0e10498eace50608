/** reconcileRun over a real store and the emulator: outcomes go through the journal, the ledger gets the key, holds are released. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startEmulator } from '../../src/emulator/index.ts';
import { reconcileRun, type SentRow } from '../../src/reconcile/reconcile.ts';
import { Journal } from '../../src/run/journal.ts';
import { createClient, type ApiClient } from '../../src/sink/client.ts';
import type { RetryPolicy } from '../../src/sink/policy.ts';
import { RunStore } from '../../src/store/store.ts';

const POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxBackoffPerRowMs: 1000, probeIntervalMs: 50, maxProbeIntervalMs: 100, maxPauseMs: 500, raiseAfterSuccesses: 20, unknown403Streak: 3 };
const fields = (i: number) => ({ wolkvox_idCall: `C${i}`, tipifycation_code: '01', tipifycation_desc: 'PROMESA', module: 'collections', wolkvox_idRecord: `R${i}`, client_name: `Cliente ${i}` });
const META = { inputPath: '/x.csv', fingerprint: 'f', inputHash: 'h', mappingHash: 'm', server: 's', operation: 'op', outPath: '/x.out', sourceInfo: null };

function setup(store: RunStore, rows: number[]) {
  const runId = store.createRun(META);
  for (const row of rows) store.recordOutcome(runId, { row, status: 'uncertain', attempts: 1, error: 'UNCERTAIN: API_500: INTERNAL SERVER ERROR', rule: 'api-5xx-after-send' }, `key-${row}`);
  const journal = new Journal({ store, runId, secrets: [], onFailure: (e) => assert.fail(e.message) });
  const sent = new Map<number, SentRow>(rows.map((r) => [r, { fields: fields(r), key: `key-${r}` }]));
  return { runId, journal, sentRows: async () => sent };
}

function deps(store: RunStore, client: ApiClient, s: ReturnType<typeof setup>, spend = () => true) {
  return { store, runId: s.runId, journal: s.journal, client, operation: 'op', policy: POLICY, sentRows: s.sentRows, spend, stop: () => assert.fail('no stop'), signal: new AbortController().signal, log: pino({ level: 'silent' }) };
}

describe('reconcileRun', () => {
  it('found → ok + RECONCILED + ledger key, hold released; missing → pending, hold released; near match → uncertain with ids', async () => {
    const emu = await startEmulator();
    const client = createClient({ origin: emu.url, token: 'tok-rec', timeoutMs: 5000, connections: 1 });
    const store = RunStore.open(':memory:');
    try {
      await client.insert('op', fields(1)); // row 1 landed
      await client.insert('op', { ...fields(3), client_name: 'Otro' }); // row 3: same ids, another name
      const s = setup(store, [1, 2, 3]);
      const stats = await reconcileRun(deps(store, client, s));
      assert.deepEqual(stats, { rows: 3, found: 1, missing: 1, uncertain: 1, calls: 3 });
      const r1 = store.getRow(s.runId, 1)!;
      assert.deepEqual([r1.status, r1.wolkvox_id, r1.rule], ['ok', emu.inserted[0]!.wolkvoxId, 'reconciled']);
      assert.match(r1.error!, /^RECONCILED: found in the CRM as /);
      assert.equal(store.ledgerGet('key-1')?.wolkvoxId, emu.inserted[0]!.wolkvoxId);
      assert.equal(store.holdGet('key-1'), undefined);
      assert.equal(store.getRow(s.runId, 2)!.status, 'pending');
      assert.equal(store.holdGet('key-2'), undefined);
      const r3 = store.getRow(s.runId, 3)!;
      assert.equal(r3.status, 'uncertain');
      assert.match(r3.error!, /^UNCERTAIN: API_500: INTERNAL SERVER ERROR; RECONCILE: 1 gestión\(es\) share its ids but differ \(e\.g\. in client_name\) \(ids seen: /);
      assert.equal(store.holdGet('key-3')?.state, 'uncertain', 'still held');
      // A second pass replaces the note instead of stacking it.
      await reconcileRun(deps(store, client, { ...s, sentRows: s.sentRows }));
      assert.equal(store.getRow(s.runId, 3)!.error!.split('RECONCILE:').length, 2);
    } finally {
      store.close();
      await client.close();
      await emu.close();
    }
  });

  it('never gives one gestión to two rows, and stops searching when no call is left', async () => {
    const emu = await startEmulator();
    const client = createClient({ origin: emu.url, token: 'tok-rec', timeoutMs: 5000, connections: 1 });
    const store = RunStore.open(':memory:');
    try {
      await client.insert('op', fields(1));
      const s = setup(store, [1, 2]);
      // row 2 sent exactly what row 1 sent: the one gestión goes to the first, the second stays uncertain.
      const same = new Map<number, SentRow>([[1, { fields: fields(1), key: 'key-1' }], [2, { fields: fields(1), key: 'key-2' }]]);
      const stats = await reconcileRun({ ...deps(store, client, s), sentRows: async () => same });
      assert.deepEqual([stats.found, stats.uncertain], [1, 1]);
      assert.match(store.getRow(s.runId, 2)!.error!, /belongs to another row \(.* is row 1 of this run\)/);
      const t = setup(store, [5, 6]);
      let left = 1;
      const capped = await reconcileRun(deps(store, client, t, () => left-- > 0));
      assert.deepEqual([capped.calls, capped.missing, capped.uncertain], [1, 1, 1]);
      assert.match(store.getRow(t.runId, 6)!.error!, /RECONCILE: not searched/);
    } finally {
      store.close();
      await client.close();
      await emu.close();
    }
  });
});
