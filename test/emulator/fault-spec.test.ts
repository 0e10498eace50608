import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFaultSpec, type FaultRule } from '../../src/emulator/index.ts';

const valid: [string, FaultRule][] = [
  ['503', { fault: '503' }],
  ['503@rate=0.05', { fault: '503', rate: 0.05 }],
  ['reset-after@requests=3,7', { fault: 'reset-after', requests: [3, 7] }],
  ['quota@from=100', { fault: 'quota', fromRequest: 100 }],
  ['429@rate=0.1,retryAfter=2', { fault: '429', rate: 0.1, retryAfter: 2 }],
  ['429@retryAfter=Wed, 21 Oct 2026 07:28:00 GMT,times=1', { fault: '429', retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT', times: 1 }],
  ['maintenance@from=10,to=20', { fault: 'maintenance', fromRequest: 10, toRequest: 20 }],
  ['maintenance@from=5,for=2000', { fault: 'maintenance', fromRequest: 5, forMs: 2000 }],
  ['unknown403@field=customer_id:42', { fault: 'unknown403', whenField: { name: 'customer_id', equals: '42' } }],
  ['hang@requests=1,times=1', { fault: 'hang', requests: [1], times: 1 }],
];

const invalid: [string, RegExp][] = [
  ['boom', /unknown fault kind "boom"/],
  ['503@rat=0.1', /unknown key "rat"/],
  ['503@rate=2', /rate: expected a probability from 0 to 1, got 2/],
  ['503@rate=lots', /rate: expected a probability such as rate=0.05, got "lots"/],
  ['503@3', /"3" is not key=value/],
  ['503@from=1.5', /fromRequest: expected an integer >= 1/],
  ['503@field=nocolon', /field: expected NAME:VALUE/],
  ['503@toString=1', /unknown key "toString"/],
];

describe('emulator: parseFaultSpec (the CLI --fault form)', () => {
  for (const [spec, rule] of valid) {
    it(`parses "${spec}"`, () => {
      assert.deepEqual({ ...parseFaultSpec(spec) }, rule);
    });
  }
  for (const [spec, message] of invalid) {
    it(`refuses "${spec}" with a UsageError naming the problem and the expected form`, () => {
      assert.throws(() => parseFaultSpec(spec), (err: Error & { code?: string }) => {
        assert.equal(err.name, 'UsageError');
        assert.equal(err.code, 'E_USAGE');
        assert.match(err.message, message);
        assert.match(err.message, /expected KIND\[@key=value,\.\.\.\] such as 503@rate=0\.05/);
        return true;
      });
    });
  }
});
