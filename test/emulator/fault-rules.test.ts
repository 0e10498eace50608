import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateFaultRules } from '../../src/emulator/index.ts';

describe('validateFaultRules (untrusted JSON from the admin endpoint)', () => {
  it('returns frozen copies holding every key given, and nothing else', () => {
    const raw = [
      { fault: '429', requests: [1, 3], fromRequest: 1, toRequest: 9, times: 2, forMs: 0, rate: 0.5, retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT', whenField: { name: 'id', equals: '7', extra: 1 } },
      { fault: 'hang' },
    ];
    const rules = validateFaultRules(raw);
    assert.deepEqual(rules[0], { ...raw[0], whenField: { name: 'id', equals: '7' } });
    assert.deepEqual(rules[1], { fault: 'hang' });
    assert.ok(Object.isFrozen(rules[0]));
    assert.notEqual(rules[0]!.requests, raw[0]!.requests);
  });
  const wrong: [unknown, RegExp][] = [
    [[null], /^faults\[0\]: expected an object/],
    [[{ fault: 'nope' }], /^faults\[0\]\.fault: expected one of 503, 429/],
    [[{ fault: '503', colour: 'red' }], /^faults\[0\]\.colour: expected one of the keys fault, requests, .*forMs/],
    [[{ fault: '503', requests: 3 }], /^faults\[0\]\.requests: expected an array of request numbers/],
    [[{ fault: '503', requests: [1, 0] }], /^faults\[0\]\.requests\[1\]: expected an integer >= 1, got 0/],
    [[{ fault: '503', fromRequest: 0 }], /^faults\[0\]\.fromRequest: expected an integer >= 1/],
    [[{ fault: '503', toRequest: 1.5 }], /^faults\[0\]\.toRequest: expected an integer >= 1, got 1\.5/],
    [[{ fault: '503', times: -1 }], /^faults\[0\]\.times: expected an integer >= 0/],
    [[{ fault: '503', forMs: '5' }], /^faults\[0\]\.forMs: expected an integer >= 0, got "5"/],
    [[{ fault: '503', rate: -0.1 }], /^faults\[0\]\.rate: expected a probability from 0 to 1/],
    [[{ fault: '503', whenField: { name: 'id' } }], /^faults\[0\]\.whenField: expected \{"name"/],
    [[{ fault: '429', retryAfter: ' ' }], /^faults\[0\]\.retryAfter: expected whole seconds >= 0 or an HTTP date/],
    [[{ fault: '429' }, { fault: '429', retryAfter: -2 }], /^faults\[1\]\.retryAfter:/],
    [{ fault: '503' }, /^faults: expected an array of fault rules/],
  ];
  for (const [raw, message] of wrong) {
    it(`refuses ${JSON.stringify(raw)} naming where`, () => {
      assert.throws(() => validateFaultRules(raw), { code: 'E_CONFIG', message });
    });
  }
});
