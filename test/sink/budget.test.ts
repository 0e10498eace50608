import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorBudget, parseMaxErrors, DEFAULT_BUDGET } from '../../src/sink/budget.ts';
import { UsageError } from '../../src/errors.ts';

describe('error budget', () => {
  it('stops when the first 20 rows sent were all rejected, naming the dominant error', () => {
    const b = new ErrorBudget(DEFAULT_BUDGET);
    for (let i = 0; i < 19; i++) assert.equal(b.record(true, 'API_400: SOME PARAMETERS ARE REQUIRED'), undefined);
    assert.match(b.record(true, 'API_400: SOME PARAMETERS ARE REQUIRED') ?? '', /SOME PARAMETERS ARE REQUIRED/);
  });
  it('does not stop while some rows succeed, below half', () => {
    const b = new ErrorBudget(DEFAULT_BUDGET);
    for (let i = 0; i < 100; i++) assert.equal(b.record(i % 3 === 0, 'API_400'), undefined);
  });
  it('stops when more than half were rejected after 50', () => {
    const b = new ErrorBudget(DEFAULT_BUDGET);
    let msg: string | undefined;
    for (let i = 0; i < 60 && !msg; i++) msg = b.record(i % 4 !== 0, 'API_404');
    assert.ok(msg);
  });
  it('parses counts, percentages and off', () => {
    assert.equal(parseMaxErrors('5')?.maxCount, 5);
    assert.equal(parseMaxErrors('10%')?.maxRatio, 0.1);
    assert.equal(parseMaxErrors('off'), undefined);
    assert.throws(() => parseMaxErrors('lots'), UsageError);
  });
  it('with an absolute count, stops on the N+1st rejection', () => {
    const b = new ErrorBudget(parseMaxErrors('2'));
    assert.equal(b.record(true, 'X'), undefined);
    assert.equal(b.record(true, 'X'), undefined);
    assert.ok(b.record(true, 'X'));
  });
});
