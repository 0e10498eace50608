import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Progress } from '../../src/run/progress.ts';

describe('Progress, as the report reads it', () => {
  it('counts answers per minute next to the per-second timeline', () => {
    const p = new Progress();
    p.answer('OK', 100);
    p.answer('API_400', 300);
    assert.deepEqual(p.timelineByMinute, [{ t: 0, answers: 2, latencySum: 400 }]);
    assert.equal(p.timeline.reduce((a, b) => a + b.answers, 0), 2);
  });
});
