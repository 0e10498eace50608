import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { judge, normalise, searchFields } from '../../src/reconcile/match.ts';
import { readPage } from '../../src/reconcile/search.ts';
import type { Answer } from '../../src/sink/http.ts';

const SENT = {
  wolkvox_idCall: 'C1', id_customer: '77', wolkvox_idRecord: 'R1', module: 'collections',
  tipifycation_code: '01', tipification_code: '01', tipifycation_desc: 'PROMESA', tipification_desc: 'PROMESA', tipification_description: 'PROMESA',
  date: '2024-03-05', time: '08:05', client_name: 'Ana',
};
/** What the CRM returns for that row: one typification spelling, dates in another spelling, its own fields. */
const back = (extra: Record<string, unknown> = {}) => ({
  wolkvox_idCall: 'C1', id_customer: ' 77 ', wolkvox_idRecord: 'R1', module: 'collections', tipifycation_code: '01', tipifycation_desc: 'PROMESA',
  tipification_code: '', date: '2024-3-5', time: '08:05:00', client_name: 'Ana', wolkvox_id: 'g1', wolkvox_origen: 'API', ...extra,
});
const nobody = () => undefined;

describe('reconcile: matching is conservative', () => {
  it('normalises dates and times on both sides, and trims', () => {
    assert.equal(normalise('2024-3-5T8:05'), '2024-03-05 08:05:00');
    assert.equal(normalise('2024/03/05 08:05:00'), '2024-03-05 08:05:00');
    assert.equal(normalise('5/3/2024'), '05/03/2024');
    assert.equal(normalise(' 8:05 '), '08:05:00');
    assert.equal(normalise(null), '');
  });

  it('a date sent alone equals the same date at midnight (a DATETIME column answers 2024-03-05 00:00:00)', () => {
    for (const date of ['2024-03-05 00:00:00', '2024-03-05T00:00:00.000Z', '2024-03-05 00:00']) {
      assert.equal(normalise(date), normalise('2024-03-05'), date);
      assert.deepEqual(judge({ sent: SENT, by: 'wolkvox_idCall', returned: [back({ date })], ownerOf: nobody }), { kind: 'found', wolkvoxId: 'g1' }, date);
    }
    assert.equal(normalise('05/03/2024 00:00:00'), normalise('5/3/2024'));
    assert.notEqual(normalise('2024-03-05 08:00:00'), normalise('2024-03-05'), 'another time of that day is another value');
    assert.equal(normalise('00:00'), '00:00:00', 'a time of day alone keeps its midnight');
  });

  it('a numeric column answering a JSON number for a sent string of digits is the same value; the ids are compared loosely before saying missing', () => {
    assert.deepEqual(judge({ sent: SENT, by: 'wolkvox_idCall', returned: [back({ tipifycation_code: 1, tipification_code: 1, id_customer: 77 })], ownerOf: nobody }), { kind: 'found', wolkvoxId: 'g1' });
    // Another case, leading zeros in text: maybe the same gestión, maybe not: never "missing" (a duplicate), never "found" either.
    for (const other of [{ wolkvox_idCall: 'c1' }, { tipifycation_code: ' 1' }, { wolkvox_idRecord: 'r1' }]) {
      assert.equal(judge({ sent: SENT, by: 'wolkvox_idCall', returned: [back(other)], ownerOf: nobody }).kind, 'unsure', JSON.stringify(other));
    }
    assert.equal(judge({ sent: SENT, by: 'wolkvox_idCall', returned: [back({ tipifycation_code: 2 })], ownerOf: nobody }).kind, 'missing');
  });

  it('exactly one match in every field sent → found', () => {
    assert.deepEqual(judge({ sent: SENT, by: 'wolkvox_idCall', returned: [back()], ownerOf: nobody }), { kind: 'found', wolkvoxId: 'g1' });
  });

  it('nothing sharing the ids (search value, record, typification code) → missing', () => {
    assert.deepEqual(judge({ sent: SENT, by: 'wolkvox_idCall', returned: [], ownerOf: nobody }), { kind: 'missing' });
    const others = [back({ wolkvox_idRecord: 'R2', wolkvox_id: 'g2' }), back({ tipifycation_code: '02', wolkvox_id: 'g3' })];
    assert.deepEqual(judge({ sent: SENT, by: 'wolkvox_idCall', returned: others, ownerOf: nobody }), { kind: 'missing' });
  });

  it('two matches → still uncertain, with the ids seen', () => {
    const v = judge({ sent: SENT, by: 'wolkvox_idCall', returned: [back(), back({ wolkvox_id: 'g2' })], ownerOf: nobody });
    assert.equal(v.kind, 'unsure');
    assert.deepEqual(v.kind === 'unsure' && v.ids, ['g1', 'g2']);
  });

  it('a near match (same ids, another field differs) → still uncertain, naming the field', () => {
    const v = judge({ sent: SENT, by: 'wolkvox_idCall', returned: [back({ client_name: 'Ana María' })], ownerOf: nobody });
    assert.equal(v.kind, 'unsure');
    assert.match(v.kind === 'unsure' ? v.reason : '', /client_name/);
    const desc = judge({ sent: SENT, by: 'wolkvox_idCall', returned: [back({ tipifycation_desc: 'OTRA' })], ownerOf: nobody });
    assert.equal(desc.kind, 'unsure', 'a differing typification description is a difference');
  });

  it('a gestión another row is known to have produced is never given to this one', () => {
    const owner = (id: string) => (id === 'g1' ? 'row 3 of this run' : undefined);
    const v = judge({ sent: SENT, by: 'wolkvox_idCall', returned: [back()], ownerOf: owner });
    assert.equal(v.kind, 'unsure');
    assert.deepEqual(judge({ sent: SENT, by: 'wolkvox_idCall', returned: [back(), back({ wolkvox_id: 'g9' })], ownerOf: owner }), { kind: 'found', wolkvoxId: 'g9' });
  });

  it('without reconcileBy, the default fields the row has are the ones to fall back to, in order', () => {
    assert.deepEqual(searchFields(SENT, undefined), ['wolkvox_idCall', 'id_customer']);
    assert.deepEqual(searchFields(SENT, 'client_name'), ['client_name'], 'the mapping\'s choice alone');
    assert.deepEqual(searchFields(SENT, 'customer_id'), [], 'a reconcileBy the row lacks');
  });

  it('searches by reconcileBy, else the first of wolkvox_idCall, id_customer, customer_id the row has', () => {
    assert.equal(searchFields(SENT, undefined)[0], 'wolkvox_idCall');
    assert.equal(searchFields({ ...SENT, wolkvox_idCall: ' ' }, undefined)[0], 'id_customer');
    assert.equal(searchFields(SENT, 'client_name')[0], 'client_name');
    assert.deepEqual(searchFields({ a: '1' }, undefined), []);
  });
});

const ans = (status: number | undefined, body?: unknown, text?: string): Answer => ({ status, body, text, latencyMs: 1 });

describe('reconcile: reading a queryGestion answer', () => {
  it('reads data with code 200 or "200" and error null or "null"', () => {
    assert.deepEqual(readPage(ans(200, { code: '200', error: 'null', data: [{ wolkvox_id: 'a' }] })), { rows: [{ wolkvox_id: 'a' }] });
    assert.deepEqual(readPage(ans(200, { code: 200, error: null, data: [] })), { rows: [] });
  });

  it('takes both undocumented "nothing found" forms as no match', () => {
    assert.deepEqual(readPage(ans(404, { code: 404, error: 'NO RECORDS FOUND', msg: 'NO RECORDS FOUND' })), { rows: [] });
    assert.deepEqual(readPage(ans(200, { code: '404', msg: 'no records were found' })), { rows: [] });
    assert.deepEqual(readPage(ans(200, { code: 200, msg: '0 records were are found' })), { rows: [] });
  });

  it('never reads a proxy page, another status or an unknown shape as "nothing found"', () => {
    for (const a of [ans(404, undefined, '<html>Not Found</html>'), ans(500, { code: 500, msg: 'INTERNAL SERVER ERROR' }), ans(200, { code: 200, data: { wolkvox_id: 'x' } }), ans(undefined)]) {
      assert.ok('refused' in readPage(a), JSON.stringify(a));
    }
    // An error inside a 200 whose message says NOT FOUND is an error, not an empty search (e.g. a field the API cannot search by).
    for (const body of [{ code: '400', error: 'FIELD NOT FOUND', msg: 'null' }, { code: 400, msg: 'SOME PARAMETERS ARE REQUIRED: operation not found' }, { code: '500', error: 'NO DATA: database error' }]) {
      assert.ok('refused' in readPage(ans(200, body)), JSON.stringify(body));
      assert.ok('refused' in readPage(ans(404, body)), `HTTP 404 but ${JSON.stringify(body)}`);
    }
    const quota = readPage(ans(403, { code: 403, msg: 'TOKEN LIMIT EXCEEDED' }));
    assert.equal('refused' in quota && quota.refused.action, 'quota');
  });
});
