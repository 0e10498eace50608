/** The lookup cache (per server and operation) and the verdict on what queryGestion returned. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { forgetLookups, listLookups, LookupCache, lookupScope } from '../../src/crm-lookup/cache.ts';
import { verdictOf } from '../../src/crm-lookup/verdict.ts';
import { RunStore, TEMPORARY } from '../../src/store/store.ts';
import type { CrmTable } from '../../src/transform/crm.ts';
import { tmp } from '../helpers.ts';

const T: CrmTable = { name: 'records', field: 'id_customer', take: 'wolkvox_idRecord' };
const g = (id_customer: unknown, wolkvox_idRecord: unknown) => ({ id_customer, wolkvox_idRecord, wolkvox_id: 'x' });

describe('verdictOf', () => {
  it('one distinct value is found, whatever the number of gestiones; numbers and spaces are read as text', () => {
    assert.deepEqual(verdictOf([g('1', 'R1'), g('1', ' R1 '), g(1, 'R1')], T, '1'), { kind: 'found', value: 'R1', seen: 3 });
  });
  it('no gestión, or none with the value, is none', () => {
    assert.deepEqual(verdictOf([], T, '1'), { kind: 'none', seen: 0 });
    assert.deepEqual(verdictOf([g('1', ''), g('1', null)], T, '1'), { kind: 'none', seen: 2 });
  });
  it('several different values are several, in the order seen', () => {
    assert.deepEqual(verdictOf([g('1', 'R2'), g('1', 'R1'), g('1', 'R2')], T, '1'), { kind: 'several', values: ['R2', 'R1'], seen: 3 });
  });
  it('a value the server matched that differs only in case, or a number equal to the key, is the same customer (a case-insensitive or numeric column); leading zeros in text are not', () => {
    assert.deepEqual(verdictOf([g('k1', 'R1'), g(' K1 ', 'R1')], { ...T }, 'K1'), { kind: 'found', value: 'R1', seen: 2 });
    assert.deepEqual(verdictOf([g(123, 'R1')], T, '0123'), { kind: 'found', value: 'R1', seen: 1 });
    assert.deepEqual(verdictOf([g('123', 'R1'), g('0123x', 'R2')], T, '0123'), { kind: 'none', seen: 0 });
    assert.deepEqual(verdictOf([g(2 ** 60, 'R1')], T, '1152921504606846977'), { kind: 'none', seen: 0 }, 'a number that lost digits');
  });
  it('a gestión whose field has another value is left out (a server that matches loosely); one without the field counts', () => {
    assert.deepEqual(verdictOf([g('10', 'R9'), g('1', 'R1'), { wolkvox_idRecord: 'R1' }], T, '1'), { kind: 'found', value: 'R1', seen: 2 });
  });
});

describe('LookupCache', () => {
  it('keeps found, none and several per server and operation, across opens of the state file', () => {
    const path = join(tmp(), 'state.sqlite');
    let store = RunStore.open(path);
    const a = new LookupCache(store.database, lookupScope('https://a', 'op'));
    a.put(T, '1', { kind: 'found', value: 'R1', seen: 2 });
    a.put(T, '2', { kind: 'none', seen: 0 });
    a.put(T, '3', { kind: 'several', values: ['R1', 'R2'], seen: 5 });
    store.close();
    store = RunStore.open(path);
    const again = new LookupCache(store.database, lookupScope('https://a', 'op'));
    assert.deepEqual(again.get(T, '1'), { kind: 'found', value: 'R1', seen: 2 });
    assert.deepEqual(again.get(T, '2'), { kind: 'none', seen: 0 });
    assert.deepEqual(again.get(T, '3'), { kind: 'several', values: ['R1', 'R2'], seen: 5 });
    assert.equal(again.get(T, '4'), undefined);
    assert.equal(new LookupCache(store.database, lookupScope('https://a', 'other')).get(T, '1'), undefined, 'another operation');
    assert.equal(new LookupCache(store.database, lookupScope('https://b', 'op')).get(T, '1'), undefined, 'another server');
    assert.equal(again.get({ ...T, take: 'agent_id' }, '1'), undefined, 'another take');
    store.close();
  });

  it('keys and operations with the separators in them are kept apart and listed back whole', () => {
    const store = RunStore.open(join(tmp(), 'state.sqlite'));
    const c = new LookupCache(store.database, lookupScope('https://a', 'op\u001ex'));
    c.put(T, 'K\u001e1', { kind: 'found', value: 'R1', seen: 1 });
    c.put(T, 'K\u00001', { kind: 'found', value: 'R2', seen: 1 });
    assert.equal(new LookupCache(store.database, lookupScope('https://a', 'op')).get(T, 'K\u001e1'), undefined);
    assert.deepEqual(new LookupCache(store.database, lookupScope('https://a', 'op\u001ex')).get(T, 'K\u00001'), { kind: 'found', value: 'R2', seen: 1 });
    assert.deepEqual(listLookups(store.database).map((e) => [e.operation, e.value]).sort(), [['op\u001ex', 'K\u00001'], ['op\u001ex', 'K\u001e1']]);
    store.close();
  });

  it('lists newest first, by key; forgets by key or by date', () => {
    const store = RunStore.open(join(tmp(), 'state.sqlite'));
    const c = new LookupCache(store.database, lookupScope('https://a', 'op'));
    c.put(T, '1', { kind: 'found', value: 'R1', seen: 1 });
    c.put(T, '2', { kind: 'none', seen: 0 });
    const all = listLookups(store.database);
    assert.equal(all.length, 2);
    assert.deepEqual({ ...all.find((e) => e.value === '1')!, lookedAt: '' }, { server: 'https://a', operation: 'op', field: 'id_customer', take: 'wolkvox_idRecord', value: '1', answer: { kind: 'found', value: 'R1', seen: 1 }, lookedAt: '' });
    assert.equal(listLookups(store.database, { value: '2' }).length, 1);
    assert.equal(listLookups(store.database, { limit: 1 }).length, 1);
    assert.equal(forgetLookups(store.database, { result: 'none', value: '1' }), 0, 'found is kept');
    assert.equal(forgetLookups(store.database, { result: 'none' }), 1);
    c.put(T, '2', { kind: 'none', seen: 0 });
    assert.equal(forgetLookups(store.database, { value: '2' }), 1);
    assert.equal(forgetLookups(store.database, { before: '2000-01-01T00:00:00.000Z' }), 0);
    assert.equal(forgetLookups(store.database, { before: '2999-01-01T00:00:00.000Z' }), 1);
    assert.equal(listLookups(store.database).length, 0);
    store.close();
  });

  it('a dry run\'s temporary cache reads the real one and copies what it finds; detached, it reads only its own', () => {
    const real = RunStore.open(join(tmp(), 'state.sqlite'));
    const scope = lookupScope('https://a', 'op');
    new LookupCache(real.database, scope).put(T, '1', { kind: 'found', value: 'R1', seen: 1 });
    const temp = RunStore.open(TEMPORARY);
    const c = new LookupCache(temp.database, scope, new LookupCache(real.database, scope));
    assert.equal(c.get(T, '2'), undefined);
    assert.deepEqual(c.get(T, '1'), { kind: 'found', value: 'R1', seen: 1 });
    c.detach();
    real.close();
    assert.deepEqual(c.get(T, '1'), { kind: 'found', value: 'R1', seen: 1 }, 'copied');
    temp.close();
  });
});
