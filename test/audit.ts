/** The invariants every end-to-end and fault test checks: the result CSV against what the emulator committed. */
import assert from 'node:assert/strict';
import type { InsertedGestion } from '../src/emulator/index.ts';
import type { ResultRow } from './helpers.ts';

export interface AuditOptions {
  /** Input rows, in order (the call id identifies each). */
  calls: string[];
  /** Column of the result CSV holding the call id. */
  callColumn?: string;
}

/**
 * - each input row exactly once in the results, in input order;
 * - nothing committed twice;
 * - every `ok` row's id was committed for that row;
 * - every committed insert is reported `ok` or `uncertain`;
 * - rows never sent (invalid, skipped, duplicate, pending, failed) were not committed.
 */
export function audit(results: ResultRow[], inserted: InsertedGestion[], o: AuditOptions): Record<string, number> {
  const col = o.callColumn ?? 'call_id';
  assert.equal(results.length, o.calls.length, 'one result line per input row');
  results.forEach((r, i) => {
    assert.equal(r.row, String(i + 1), `result line ${i + 1} is row ${i + 1}`);
    assert.equal(r[col], o.calls[i], `row ${i + 1} carries its own input values`);
  });
  const committed = new Map<string, string>();
  for (const g of inserted) {
    const call = String(g.fields.wolkvox_idCall);
    assert.ok(!committed.has(call), `call ${call} committed twice`);
    committed.set(call, g.wolkvoxId);
  }
  const counts: Record<string, number> = {};
  for (const r of results) {
    counts[r.status] = (counts[r.status] ?? 0) + 1;
    const id = committed.get(r[col]!);
    if (r.status === 'ok') {
      assert.ok(id, `row ${r.row} is ok but the server never committed it`);
      assert.equal(r.wolkvox_id, id, `row ${r.row} carries the id the server issued`);
      assert.ok(r.error === '' || r.error.startsWith('RECONCILED'), `row ${r.row} is ok with an empty error (or the RECONCILED note)`);
    } else if (r.status === 'uncertain') {
      assert.notEqual(r.error, '', `uncertain row ${r.row} says why`);
    } else if (r.status !== 'duplicate') {
      assert.equal(id, undefined, `row ${r.row} is ${r.status} but the server committed it`);
    }
  }
  for (const [call] of committed) {
    const r = results.find((x) => x[col] === call);
    assert.ok(r && (r.status === 'ok' || r.status === 'uncertain'), `committed call ${call} is reported ${r?.status}`);
  }
  return counts;
}
