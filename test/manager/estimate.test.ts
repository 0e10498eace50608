import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { probeSplit, restParts } from '../../src/manager/estimate.ts';
import { wallText, wallToDate } from '../../src/manager/windows.ts';

const TZ = 'America/Bogota';
const w = { from: wallToDate('2026-01-01 00:00:00', TZ) as Date, to: wallToDate('2026-01-02 00:00:00', TZ) as Date };
const rec = (s: number) => ({ date: wallText(new Date(w.from.getTime() + s * 1000), TZ) });

describe('probeSplit / restParts (a capped answer read as a sample)', () => {
  // A capped answer of 1,000 records out of 4,000 spread evenly over the day, in no order.
  const sample = Array.from({ length: 1000 }, (_, i) => rec(((i * 7919) % 1000) * 86.4));

  it('the probe is the part holding a quarter of the sample; the rest waits', () => {
    const p = probeSplit(w, sample, TZ)!;
    assert.equal(p.probe.from.getTime(), w.from.getTime());
    assert.equal(p.probe.to.getTime(), w.from.getTime() + 250 * 86_400, 'a quarter of the day');
    assert.equal(p.estimate.probeCount, 250);
    assert.equal(p.estimate.restTimes.length, 750);
    assert.deepEqual(p.estimate.rest, { from: p.probe.to, to: w.to });
  });

  it('the probe’s count gives the scale: the rest is cut into parts meant to come back under the threshold', () => {
    const { estimate } = probeSplit(w, sample, TZ)!;
    // The probe held 1,000 records (4 per sample point): the rest holds about 3,000, in parts of at most 90% of 1,000.
    const { parts, total } = restParts(estimate, 1000, 1000);
    assert.equal(total, 4000);
    assert.ok(parts.length >= 4 && parts.length <= 6, `${parts.length} parts`);
    assert.equal(parts[0]!.from.getTime(), estimate.rest.from.getTime());
    assert.equal(parts.at(-1)!.to.getTime(), w.to.getTime());
    for (let i = 1; i < parts.length; i++) assert.equal(parts[i]!.from.getTime(), parts[i - 1]!.to.getTime(), 'no gap');
    // A probe that came back empty: the rest holds at least its sample points.
    assert.equal(restParts(estimate, 0, 1000).parts.length, 1);
  });

  it('no cut when the answer’s dates do not read or all fall in the first second', () => {
    assert.equal(probeSplit(w, Array.from({ length: 20 }, () => ({ date: 'x' })), TZ), undefined);
    const p = probeSplit(w, Array.from({ length: 20 }, () => rec(0)), TZ);
    assert.equal(p?.probe.to.getTime(), w.from.getTime() + 1000, 'a one-second probe at the start');
  });
});
