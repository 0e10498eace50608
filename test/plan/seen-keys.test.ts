import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SeenKeys, sameKeyText } from '../../src/plan/seen-keys.ts';

describe('SeenKeys: the keys met in one reading of a file', () => {
  it('answers the first row of a repeated key, across its batched transactions', () => {
    const seen = new SeenKeys();
    try {
      for (let row = 1; row <= 10_000; row++) assert.equal(seen.firstRow(`k${row}`, row), undefined);
      assert.equal(seen.firstRow('k1', 10_001), 1);
      assert.equal(seen.firstRow('k9999', 10_002), 9999);
      assert.equal(seen.firstRow('k9999', 10_003), 9999, 'the first row stays the first');
      assert.equal(seen.firstRow('new', 10_004), undefined);
    } finally {
      seen.close();
    }
    seen.close(); // twice is harmless
    assert.equal(sameKeyText(3), 'DUPLICATE: same key as row 3 of this file');
  });
});
