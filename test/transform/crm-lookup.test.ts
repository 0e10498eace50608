/** "crm" lookups in the mapping: the schema's rules and the compiled field against a bound resolver. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MappingError } from '../../src/errors.ts';
import type { CrmAnswer, CrmResolver } from '../../src/transform/crm.ts';
import { parseMapping } from '../../src/transform/index.ts';
import { compile, errorOf, rec, sent } from './helpers.ts';

const header = ['code', 'desc', 'CEDULA'];
const CRM = { records: { crm: { field: 'id_customer', take: 'wolkvox_idRecord' } } };
const fields = (extra: Record<string, unknown> = {}) => ({
  tipifycation_code: 'code', tipifycation_desc: 'desc', wolkvox_idRecord: { lookup: { table: 'records', key: 'CEDULA' }, ...extra },
});

/** A resolver over fixed answers; records what it was asked. */
function resolver(answers: Record<string, CrmAnswer>): CrmResolver & { asked: string[] } {
  const asked: string[] = [];
  return { asked, get: (_t, v) => (asked.push(v), answers[v]), why: () => 'not asked yet' };
}

const refused = (m: unknown): string => {
  try {
    parseMapping(JSON.stringify(m), 'mapping.json');
  } catch (err) {
    assert.ok(err instanceof MappingError);
    return err.message;
  }
  return assert.fail('the mapping was accepted');
};

describe('crm lookups', () => {
  it('a found value fills the field; none and several make the row invalid with the reason; a key not asked yet makes it pending', async () => {
    const c = await compile({ fields: fields(), lookups: CRM }, header);
    assert.ok(c.crm);
    const r = resolver({
      '100': { kind: 'found', value: 'REC-1', seen: 3 },
      '200': { kind: 'none', seen: 0 },
      '300': { kind: 'several', values: ['A', 'B'], seen: 4 },
    });
    c.crm.bind(r);
    assert.equal(sent(c.transform(rec(['01', 'X', ' 100 ']))).wolkvox_idRecord, 'REC-1');
    assert.deepEqual(r.asked, ['100'], 'the key is trimmed');
    assert.equal(errorOf(c.transform(rec(['01', 'X', '200']))), 'INVALID: wolkvox_idRecord: the CRM has no earlier gestión with id_customer "200" (lookup records, queryGestion)');
    assert.match(errorOf(c.transform(rec(['01', 'X', '300']))), /^INVALID: wolkvox_idRecord: the CRM has 2 different wolkvox_idRecord for id_customer "300" \(A, B; 4 gestiones seen\)/);
    const waiting = c.transform(rec(['01', 'X', '400']));
    assert.equal(waiting.kind, 'pending');
    assert.equal(errorOf(waiting), 'LOOKUP_PENDING: wolkvox_idRecord: id_customer "400": not asked yet');
    assert.equal(errorOf(c.transform(rec(['01', 'X', '']))), 'INVALID: wolkvox_idRecord: CEDULA is empty, nothing to look up in the CRM (lookup records)');
  });

  it('a row invalid for another reason is invalid, not pending: it costs no call', async () => {
    const c = await compile({ fields: fields(), lookups: CRM }, header);
    c.crm!.bind(resolver({}));
    assert.match(errorOf(c.transform(rec(['', 'X', '400']))), /^INVALID: tipifycation_code: required$/);
  });

  it('the default covers "none", never "several" nor a key not asked yet', async () => {
    const c = await compile({ fields: fields({ default: 'R0' }), lookups: CRM }, header);
    c.crm!.bind(resolver({ '200': { kind: 'none', seen: 0 }, '300': { kind: 'several', values: ['A', 'B'], seen: 2 } }));
    assert.equal(sent(c.transform(rec(['01', 'X', '200']))).wolkvox_idRecord, 'R0');
    assert.equal(c.transform(rec(['01', 'X', '300'])).kind, 'invalid');
    assert.equal(c.transform(rec(['01', 'X', '400'])).kind, 'pending');
  });

  it('without a bound resolver every key is pending (nothing is asked at compile time)', async () => {
    const c = await compile({ fields: fields(), lookups: CRM }, header);
    assert.equal(c.transform(rec(['01', 'X', '100'])).kind, 'pending');
  });

  it('a mapping without crm lookups has no `crm`', async () => {
    const c = await compile({ fields: { tipifycation_code: 'code', tipifycation_desc: 'desc', wolkvox_idRecord: 'CEDULA' } }, header);
    assert.equal(c.crm, undefined);
  });

  it('the schema: one source (file or crm), a crm lookup has no key/delimiter, one key column, its column is its take', () => {
    assert.match(refused({ fields: fields(), lookups: { records: { file: 'x.csv', key: 'a', crm: CRM.records.crm } } }), /exactly one lookup source among "file", "crm", got "file" and "crm"/);
    assert.match(refused({ fields: fields(), lookups: { records: { ...CRM.records, key: 'id' } } }), /lookups\.records\.key: a "crm" lookup has no key/);
    assert.match(refused({ fields: fields(), lookups: { records: { file: 'x.csv' } } }), /lookups\.records\.key: expected the key column\(s\) of the lookup file/);
    assert.match(refused({ fields: fields(), lookups: { records: { crm: { field: 'id_customer' } } } }), /take/);
    const twoKeys = { ...fields(), wolkvox_idRecord: { lookup: { table: 'records', key: ['CEDULA', 'code'] } } };
    assert.match(refused({ fields: twoKeys, lookups: CRM }), /expected 1 key column\(s\), lookup "records" asks the CRM for one value/);
    const otherColumn = { ...fields(), wolkvox_idRecord: { lookup: { table: 'records', key: 'CEDULA', column: 'agent_id' } } };
    assert.match(refused({ fields: otherColumn, lookups: CRM }), /takes "wolkvox_idRecord" from the CRM \(crm\.take\): leave "column" out/);
    const sameColumn = { ...fields(), wolkvox_idRecord: { lookup: { table: 'records', key: 'CEDULA', column: 'wolkvox_idRecord' } } };
    parseMapping(JSON.stringify({ fields: sameColumn, lookups: CRM }), 'mapping.json');
    const fileWithoutColumn = { ...fields() };
    assert.match(refused({ fields: fileWithoutColumn, lookups: { records: { file: 'x.csv', key: 'id' } } }), /column: expected the lookup file's column/);
  });
});
