import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderResults } from '../../src/results/render.ts';
import { RunStore } from '../../src/store/store.ts';

describe('renderResults', () => {
  it("writes every input row with what the store holds, and gathers the report's examples as it writes", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wvx-render-'));
    const input = join(dir, 'in.csv');
    // Formula-like values and errors: written guarded in the CSV, shown unguarded in both paths.
    writeFileSync(input, 'ID Llamada,Cédula,Nota\r\nC1,100,a\r\nC2,=1+1,b\r\nC3,300,c\r\nC4,400,d\r\nC5,\uFF0B500,e\r\nC6,600,f\r\n');
    const store = RunStore.open(join(dir, 'state.sqlite'));
    try {
      const run = store.createRun({ inputPath: input, fingerprint: 'fp', inputHash: 'ih', mappingHash: 'mh', server: 'http://127.0.0.1:1', operation: 'op', outPath: join(dir, 'r.csv'), sourceInfo: null });
      store.recordOutcome(run, { row: 1, status: 'ok', wolkvoxId: 'w1', attempts: 1 });
      store.recordOutcome(run, { row: 2, status: 'uncertain', error: 'UNCERTAIN: NET_UND_ERR_SOCKET: other side closed', attempts: 1 });
      store.recordOutcome(run, { row: 3, status: 'invalid', error: 'INVALID: wolkvox_idRecord: required', attempts: 0 });
      store.recordOutcome(run, { row: 4, status: 'failed', error: '=API_400: SOME PARAMETERS ARE REQUIRED', attempts: 1, rule: 'api-400-params' });
      store.markSending(run, 5, 1); // left "sending": the result says uncertain
      // row 6 never recorded: pending
      const out = join(dir, 'r.csv');
      const r = await renderResults({ source: { path: input }, store, runId: run, out, excel: false });
      assert.equal(r.rows, 6);
      assert.equal(r.examples.rows, 6);
      assert.deepEqual(r.examples.statusCounts, { ok: 1, uncertain: 2, invalid: 1, failed: 1, pending: 1 });
      assert.equal(r.examples.uncertainTotal, 2);
      assert.deepEqual(r.examples.uncertain[0]?.values.slice(0, 2), ['C2', '=1+1']);
      assert.deepEqual(r.examples.uncertain[1]?.values.slice(0, 2), ['C5', '\uFF0B500'], 'a full-width formula sign: guarded in the CSV, shown as typed');
      assert.match(readFileSync(out, 'utf8'), /\r\n5,uncertain,,,1,C5,'\uFF0B500,e\r\n/);
      assert.deepEqual(r.examples.codes, { UNCERTAIN: 2, INVALID: 1, FAILED: 1, PENDING: 1 });
      assert.deepEqual(r.examples.byCode.FAILED?.[0], { row: 4, status: 'failed', error: '=API_400: SOME PARAMETERS ARE REQUIRED', rule: 'api-400-params' }, 'shown as the API said it, unguarded, with its rule');
    } finally {
      store.close();
    }
  });
});
