import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Failure } from '../../src/transform/failure.ts';
import type { TransformSpec } from '../../src/transform/schema.ts';
import { chain, compileStep } from '../../src/transform/steps.ts';

const run = (spec: TransformSpec, v: string): string => {
  const r = compileStep(spec)(v);
  return typeof r === 'string' ? r : `FAIL: ${r.reason}`;
};

describe('transforms', () => {
  const table: [string, TransformSpec, string, string][] = [
    ['trim', 'trim', '  a b  ', 'a b'],
    ['upper', 'upper', 'peña', 'PEÑA'],
    ['lower', 'lower', 'PEÑA', 'peña'],
    ['digits keeps 0-9 only', 'digits', '+57 (300) 555-0101', '573005550101'],
    ['digits of no digits is empty', 'digits', 'n/a', ''],
    ['replace: every match by default', { replace: { pattern: '-', with: '' } }, '300-555-0101', '3005550101'],
    ['replace with groups', { replace: { pattern: '^(\\d+)/(\\d+)$', with: '$2-$1' } }, '8/15', '15-8'],
    ['replace with flags', { replace: { pattern: 'venta', with: 'SALE', flags: 'i' } }, 'VENTA y venta', 'SALE y venta'],
    ['map: a value in the table', { map: { table: { VENTA: '01', 'NO CONTESTA': '02' } } }, 'VENTA', '01'],
    ['map: not in the table, no default', { map: { table: { VENTA: '01' } } }, 'OTRA', 'FAIL: "OTRA" is not in the map table'],
    ['map: not in the table, the default', { map: { table: { VENTA: '01' }, default: '99' } }, 'OTRA', '99'],
    ['map: case-sensitive by default', { map: { table: { VENTA: '01' } } }, 'venta', 'FAIL: "venta" is not in the map table'],
    ['map: ignoreCase', { map: { table: { VENTA: '01' }, ignoreCase: true } }, 'venta', '01'],
    ['map: an empty value stays empty', { map: { table: { VENTA: '01' } } }, '', ''],
    ['map: an empty value with a "" key', { map: { table: { '': '00' } } }, '', '00'],
    ['duration h:mm:ss → seconds', { duration: { from: 'hh:mm:ss', to: 'seconds' } }, '1:02:03', '3723'],
    ['duration hh:mm:ss → seconds over a day', { duration: { from: 'hh:mm:ss', to: 'seconds' } }, '25:00:00', '90000'],
    ['duration seconds → hh:mm:ss', { duration: { from: 'seconds', to: 'hh:mm:ss' } }, '3723', '01:02:03'],
    ['duration seconds with decimals, rounded', { duration: { from: 'seconds', to: 'hh:mm:ss' } }, '59.6', '00:01:00'],
    ['duration that is not one', { duration: { from: 'hh:mm:ss', to: 'seconds' } }, '1:99:00', 'FAIL: "1:99:00" is not a duration in h:mm:ss'],
    ['duration of nothing is nothing', { duration: { from: 'seconds', to: 'hh:mm:ss' } }, '', ''],
  ];
  for (const [what, spec, input, expected] of table) {
    it(what, () => assert.equal(run(spec, input), expected));
  }

  it('chains steps and stops at the first failure', () => {
    const step = chain([compileStep('upper'), compileStep({ map: { table: { A: 'x' } } }), compileStep('upper')])!;
    assert.equal(step('a'), 'X');
    const r = step('b');
    assert.ok(r instanceof Failure);
    assert.equal(r.reason, '"B" is not in the map table');
  });
});
