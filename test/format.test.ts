import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clock, formatDate, formatDuration, formatNumber, pad2, splitSeconds } from '../src/format.ts';

describe('format', () => {
  it('pads and splits seconds', () => {
    assert.equal(pad2(7), '07');
    assert.equal(pad2(42), '42');
    assert.deepEqual(splitSeconds(3725.4), { h: 1, m: 2, s: 5 });
  });

  it('writes a clock as m:ss, or h:mm:ss past an hour', () => {
    assert.equal(clock(0), '0:00');
    assert.equal(clock(65), '1:05');
    assert.equal(clock(3725), '1:02:05');
  });

  it('writes durations', () => {
    assert.equal(formatDuration('en', 4200), '4.2 s');
    assert.equal(formatDuration('es', 200_000), '3 min 20 s');
    assert.equal(formatDuration('es', 3_725_000), '1 h 02 min 05 s');
  });

  it('writes numbers as Intl does for es-419 and en-US', () => {
    for (const lang of ['es', 'en'] as const) {
      for (const [n, digits] of [[1234567, 0], [1234.56, 1], [0.04, 1], [-2.5, 0], [99.95, 1]] as const) {
        assert.equal(formatNumber(lang, n, digits), new Intl.NumberFormat(lang === 'es' ? 'es-419' : 'en-US', { maximumFractionDigits: digits }).format(n));
      }
    }
  });

  it('writes dates in the long style', () => {
    const at = new Date(2026, 10, 28, 15, 49, 7).getTime();
    assert.equal(formatDate('es', at), '28 de noviembre de 2026 a las 3:49 p.m.');
    assert.equal(formatDate('en', at, { seconds: true }), 'November 28, 2026 at 3:49:07 PM');
    assert.equal(formatDate('en', new Date(2026, 0, 3, 0, 5).getTime()), 'January 3, 2026 at 12:05 AM');
  });
});
