import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Planner } from '../../src/plan/plan.ts';
import { RunStore } from '../../src/store/store.ts';
import type { RowOutcome } from '../../src/types.ts';

const SCOPE = { server: 'https://crm.example', operation: 'OP' };

function setup(runId?: number) {
  const store = RunStore.open(':memory:');
  const meta = { inputPath: '/in.csv', fingerprint: 'f', inputHash: 'h', mappingHash: 'm', ...SCOPE, outPath: '/o.csv', sourceInfo: null };
  const id = runId ?? store.createRun(meta);
  const planner = new Planner(store, { id, ...SCOPE, resumed: false, retryUncertain: false });
  return { store, planner, id, meta };
}

const ok = (row: number, id = `W${row}`): RowOutcome => ({ row, status: 'ok', wolkvoxId: id, attempts: 1 });

describe('planner: a key is sent at most once', () => {
  it('a second row with a key in flight waits for the first, then is a duplicate of its insert', async () => {
    const { store, planner, id } = setup();
    const key = planner.ledgerKeyOf('CALL-1');
    const sent: number[] = [];
    let release!: () => void;
    const first = planner.admit(1, key, async () => {
      sent.push(1);
      await new Promise<void>((r) => (release = r));
      const o = ok(1);
      store.recordOutcome(id, o, key);
      return o;
    });
    const second = planner.admit(2, key, async () => {
      sent.push(2);
      return ok(2);
    });
    release();
    assert.equal((await first).status, 'ok');
    const dup = await second;
    assert.equal(dup.status, 'duplicate');
    assert.match(dup.error ?? '', /already inserted as W1 \(row 1 of this run/);
    assert.deepEqual(sent, [1]);
  });

  it('a key held by an uncertain row blocks every other row with it, in this run and the next', async () => {
    const { store, planner, id, meta } = setup();
    const key = planner.ledgerKeyOf('CALL-1')!;
    store.markSending(id, 1, 1, key);
    store.recordOutcome(id, { row: 1, status: 'uncertain', attempts: 1, error: 'UNCERTAIN: NET_ECONNRESET' }, key);
    let sent = 0;
    const same = await planner.admit(2, key, async () => (sent++, ok(2)));
    assert.equal(same.status, 'duplicate');
    assert.match(same.error ?? '', /waiting for the uncertain row 1/);
    const next = new Planner(store, { id: store.createRun(meta), ...SCOPE, resumed: false, retryUncertain: false });
    const later = await next.admit(1, key, async () => (sent++, ok(1)));
    assert.equal(later.status, 'duplicate');
    assert.match(later.error ?? '', /run 1, row 1/);
    assert.equal(sent, 0);
  });

  it('a key held by a row that was being sent at a crash blocks too (the hold outlives the process)', async () => {
    const { store, planner, id } = setup();
    const key = planner.ledgerKeyOf('CALL-9')!;
    store.markSending(id, 4, 1, key);
    assert.equal((await planner.admit(5, key, async () => ok(5))).status, 'duplicate');
    assert.equal(store.reopenRun(id, '/o.csv'), 1);
    assert.equal(store.holdGet(key)?.state, 'uncertain');
  });

  it('the holder itself may be resent (--retry-uncertain), and a definite "no" releases the key', async () => {
    const { store, planner, id } = setup();
    const key = planner.ledgerKeyOf('CALL-2')!;
    store.markSending(id, 1, 1, key);
    store.recordOutcome(id, { row: 1, status: 'uncertain', attempts: 1 }, key);
    let sent = 0;
    assert.equal((await planner.admit(1, key, async () => (sent++, ok(1)))).status, 'ok');
    assert.equal(sent, 1);
    store.recordOutcome(id, { row: 1, status: 'failed', attempts: 2, error: 'API_400: x' }, key);
    assert.equal(store.holdGet(key), undefined);
    assert.equal((await planner.admit(2, key, async () => (sent++, ok(2)))).status, 'ok');
    assert.equal(sent, 2);
  });

  it('rows without a key are always sent', async () => {
    const { planner } = setup();
    assert.equal((await planner.admit(1, undefined, async () => ok(1))).status, 'ok');
    assert.equal((await planner.admit(2, undefined, async () => ok(2))).status, 'ok');
  });

  it('a row left unsent by a stop is a duplicate when its key is already inserted, else the given outcome', () => {
    const { store, planner, id } = setup();
    const key = planner.ledgerKeyOf('CALL-3')!;
    store.recordOutcome(id, ok(1, 'W-3'), key);
    const pending: RowOutcome = { row: 2, status: 'pending', attempts: 0, error: 'STOPPED_QUOTA: x' };
    assert.equal(planner.unsent(2, key, pending).status, 'duplicate');
    assert.equal(planner.unsent(3, planner.ledgerKeyOf('OTHER'), { ...pending, row: 3 }).status, 'pending');
  });
});
