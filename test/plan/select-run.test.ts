import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { ImportConfig } from '../../src/config/config.ts';
import { selectRun } from '../../src/plan/select-run.ts';
import type { Prepared } from '../../src/run/prepare.ts';
import { RunStore } from '../../src/store/store.ts';

const log = pino({ level: 'silent' });
const cfg = (over: Partial<ImportConfig> = {}) => ({
  input: '/data/in.csv', out: '/data/out.csv', outGiven: true, server: 'https://crm.example', operation: 'OP',
  dryRun: false, resume: false, forceNewRun: false, yes: false, ...over,
}) as unknown as ImportConfig;
const prepared = (fingerprint = 'fp-1') => ({ fingerprint, inputHash: 'ih', mappingHash: 'mh', source: { info: {} } }) as unknown as Prepared;

function finishedRun(store: RunStore, rows: { ok: number; keyed: boolean }) {
  const first = selectRun(cfg(), store, prepared(), log);
  for (let r = 1; r <= rows.ok; r++) store.recordOutcome(first.runId, { row: r, status: 'ok', wolkvoxId: `W${r}`, attempts: 1 }, rows.keyed ? `k${r}` : undefined);
  store.finishRun(first.runId, { state: 'finished', stopReason: null, exitCode: 0, totalRows: rows.ok });
  return first.runId;
}

describe('selectRun: a file is never imported twice by accident', () => {
  it('refuses a new run of a file already imported with the same mapping, server and operation, naming the run and its inserts', () => {
    const store = RunStore.open(':memory:');
    const id = finishedRun(store, { ok: 3, keyed: false });
    assert.throws(() => selectRun(cfg(), store, prepared(), log), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'E_STATE');
      assert.match(e.message, new RegExp(`run ${id} .*finished, 3 rows inserted`));
      assert.match(e.message, /--force-new-run/);
      return true;
    });
  });

  it('refuses a new run of a file whose earlier run stopped, pointing at --resume', () => {
    const store = RunStore.open(':memory:');
    selectRun(cfg(), store, prepared(), log);
    assert.throws(() => selectRun(cfg(), store, prepared(), log), /stopped before the end: continue it with --resume/);
  });

  it('another file (another fingerprint) starts a new run', () => {
    const store = RunStore.open(':memory:');
    finishedRun(store, { ok: 1, keyed: false });
    assert.equal(selectRun(cfg({ input: '/data/other.csv' }), store, prepared('fp-2'), log).resumed, false);
  });

  it('--force-new-run over rows inserted without a dedupe key says how many would be sent again, and needs --yes', () => {
    const store = RunStore.open(':memory:');
    const id = finishedRun(store, { ok: 100, keyed: false });
    assert.throws(() => selectRun(cfg({ forceNewRun: true }), store, prepared(), log), new RegExp(`100 rows already inserted by run ${id} .*--yes`));
    assert.ok(selectRun(cfg({ forceNewRun: true, yes: true }), store, prepared(), log).runId > id);
  });

  it('--force-new-run needs no --yes when every inserted row has a dedupe key (the ledger stops repeats)', () => {
    const store = RunStore.open(':memory:');
    const id = finishedRun(store, { ok: 5, keyed: true });
    assert.ok(selectRun(cfg({ forceNewRun: true }), store, prepared(), log).runId > id);
  });

  it('--resume with no earlier run starts one (one command line for "start or continue")', () => {
    const store = RunStore.open(':memory:');
    const s = selectRun(cfg({ resume: true }), store, prepared(), log);
    assert.equal(s.resumed, false);
    assert.ok(s.runId > 0);
    const again = selectRun(cfg({ resume: true }), store, prepared(), log);
    assert.equal(again.resumed, true);
    assert.equal(again.runId, s.runId);
  });
});
