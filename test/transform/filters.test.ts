import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASE, BASE_HEADER, compile, rec, recOf } from './helpers.ts';

const header = [...BASE_HEADER, 'COD_ACT', 'DESCRIPTION_COD_ACT', 'X'];

describe('skip rules', () => {
  const rules = [
    { name: 'timeoutacw', column: 'COD_ACT', equals: 'TIMEOUTACW' },
    { name: 'total-row', column: 'code', in: ['TOTAL', 'Total'] },
    { name: 'test-call', column: 'DESCRIPTION_COD_ACT', matches: '^prueba', flags: 'i' },
    { name: 'no-record', column: 'X', empty: true },
  ];
  const ok = { code: '01', desc: 'V', record: 'R', X: 'x' };
  const table: [string, Record<string, string>, string | undefined][] = [
    ['equals, trimmed and ignoring case', { COD_ACT: ' timeoutacw ' }, 'SKIPPED: timeoutacw'],
    ['equals does not match a longer value', { COD_ACT: 'TIMEOUTACW2' }, undefined],
    ['in', { code: 'total' }, 'SKIPPED: total-row'],
    ['matches with flags', { DESCRIPTION_COD_ACT: 'PRUEBA de marcación' }, 'SKIPPED: test-call'],
    ['matches anchored', { DESCRIPTION_COD_ACT: 'no es prueba' }, undefined],
    ['empty, after trim', { X: '   ' }, 'SKIPPED: no-record'],
    ['the first rule that matches names the skip', { COD_ACT: 'TIMEOUTACW', X: '' }, 'SKIPPED: timeoutacw'],
    ['no rule matches', {}, undefined],
  ];
  for (const [what, values, expected] of table) {
    it(`${expected ? 'skips' : 'keeps'} a row: ${what}`, async () => {
      const c = await compile({ fields: BASE, skip: rules }, header);
      const r = c.transform(recOf(header, { ...ok, ...values }));
      if (expected) assert.deepEqual(r, { kind: 'skipped', error: expected });
      else assert.equal(r.kind, 'send');
    });
  }

  it('compares case-sensitively when asked', async () => {
    const c = await compile({ fields: BASE, skip: [{ name: 'exact', column: 'COD_ACT', equals: 'TIMEOUTACW', caseSensitive: true }] }, header);
    assert.equal(c.transform(recOf(header, { ...ok, COD_ACT: 'timeoutacw' })).kind, 'send');
    assert.equal(c.transform(recOf(header, { ...ok, COD_ACT: 'TIMEOUTACW' })).kind, 'skipped');
  });

  it('runs before mapping: a skipped row is never validated', async () => {
    const c = await compile({ fields: BASE, skip: rules }, header);
    assert.deepEqual(c.transform(recOf(header, { COD_ACT: 'TIMEOUTACW' })), { kind: 'skipped', error: 'SKIPPED: timeoutacw' });
  });

  it('skips a malformed TOTAL row rather than calling it invalid', async () => {
    const c = await compile({ fields: BASE, skip: rules }, header);
    assert.equal(c.transform(rec(['TOTAL', '', '', '', '', ''], { problem: 'expected 6 fields, got 1' })).kind, 'skipped');
  });

  it('names a rule without a name after its test', async () => {
    const c = await compile({ fields: BASE, skip: [{ column: 'COD_ACT', equals: 'TIMEOUTACW' }] }, header);
    assert.deepEqual(c.transform(recOf(header, { COD_ACT: 'TIMEOUTACW' })), { kind: 'skipped', error: 'SKIPPED: COD_ACT equals TIMEOUTACW' });
  });

  it('keeps no state between rows with a global-flag regex', async () => {
    const c = await compile({ fields: BASE, skip: [{ name: 't', column: 'X', matches: 'a', flags: 'gi' }] }, header);
    for (let i = 0; i < 3; i++) assert.equal(c.transform(recOf(header, { ...ok, X: 'a' })).kind, 'skipped');
  });
});
