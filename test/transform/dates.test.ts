import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDatePattern, checkTimeZone, compileDate, normalizeMeridiem, type DateSpec } from '../../src/transform/dates.ts';

const run = (spec: DateSpec, v: string): string => {
  const r = compileDate(spec)(v);
  return typeof r === 'string' ? r : `FAIL: ${r.reason}`;
};

describe('date transform', () => {
  const table: [string, DateSpec, string, string][] = [
    ['Excel Spanish p. m.', { from: 'd/M/yyyy h:mm:ss a', to: 'yyyy-MM-dd HH:mm:ss' }, '15/8/2026 6:06:08 p. m.', '2026-08-15 18:06:08'],
    ['Excel Spanish a. m.', { from: 'd/M/yyyy h:mm:ss a', to: 'HH:mm:ss' }, '15/8/2026 6:06:08 a. m.', '06:06:08'],
    ['dotted p.m.', { from: 'd/M/yyyy h:mm:ss a', to: 'HH:mm:ss' }, '15/8/2026 6:06:08 p.m.', '18:06:08'],
    ['lower-case pm', { from: 'd/M/yyyy h:mm:ss a', to: 'HH:mm:ss' }, '15/8/2026 6:06:08 pm', '18:06:08'],
    ['a no-break space before p. m.', { from: 'd/M/yyyy h:mm:ss a', to: 'HH:mm:ss' }, '15/8/2026 6:06:08\u00a0p.\u00a0m.', '18:06:08'],
    ['12 a. m. is midnight', { from: 'd/M/yyyy h:mm:ss a', to: 'HH:mm' }, '1/1/2026 12:30:00 a. m.', '00:30'],
    ['12 p. m. is noon', { from: 'd/M/yyyy h:mm:ss a', to: 'HH:mm' }, '1/1/2026 12:30:00 p. m.', '12:30'],
    ['date only, default output yyyy-MM-dd', { from: 'dd/MM/yyyy' }, '15/08/2026', '2026-08-15'],
    ['the first of several patterns that fits', { from: ['d/M/yyyy h:mm:ss a', 'd/M/yyyy'] }, '15/8/2026', '2026-08-15'],
    ['an ISO date to a Latin one', { from: 'yyyy-MM-dd', to: 'dd/MM/yyyy' }, '2026-08-05', '05/08/2026'],
    ['a pattern with quoted text (date-fns path)', { from: "d 'de' M 'de' yyyy", to: 'yyyy-MM-dd' }, '5 de 8 de 2026', '2026-08-05'],
    ['1 January east of UTC stays 1 January', { from: 'd/M/yyyy', to: 'yyyy-MM-dd' }, '1/1/2026', '2026-01-01'],
    ['29 February of a leap year', { from: 'd/M/yyyy' }, '29/2/2028', '2028-02-29'],
    ['29 February of another year fails', { from: 'd/M/yyyy' }, '29/2/2026', 'FAIL: "29/2/2026" does not match "d/M/yyyy"'],
    ['31 February fails', { from: 'dd/MM/yyyy' }, '31/02/2026', 'FAIL: "31/02/2026" does not match "dd/MM/yyyy"'],
    ['trailing text fails', { from: 'dd/MM/yyyy' }, '15/08/2026 x', 'FAIL: "15/08/2026 x" does not match "dd/MM/yyyy"'],
    ['13 p. m. fails', { from: 'd/M/yyyy h:mm:ss a' }, '1/1/2026 13:00:00 p. m.', 'FAIL: "1/1/2026 13:00:00 p. m." does not match "d/M/yyyy h:mm:ss a"'],
    ['a 2-digit year read with yyyy fails', { from: 'dd/MM/yyyy' }, '15/08/26', 'FAIL: "15/08/26" gives the year 26; expected 1900–2199 (a 2-digit year read with "yyyy"?)'],
    ['empty stays empty', { from: 'dd/MM/yyyy' }, '', ''],
    ['UTC to Bogotá (string shorthand)', { from: 'yyyy-MM-dd HH:mm:ss', to: 'yyyy-MM-dd HH:mm:ss', timeZone: 'America/Bogota' }, '2026-08-15 02:00:00', '2026-08-14 21:00:00'],
    ['Bogotá to UTC', { from: 'yyyy-MM-dd HH:mm', to: 'yyyy-MM-dd HH:mm', timeZone: { from: 'America/Bogota', to: 'UTC' } }, '2026-08-15 20:00', '2026-08-16 01:00'],
    ['Madrid summer time to Bogotá', { from: 'yyyy-MM-dd HH:mm', to: 'HH:mm', timeZone: { from: 'Europe/Madrid', to: 'America/Bogota' } }, '2026-07-01 12:00', '05:00'],
    ['Madrid winter time to Bogotá', { from: 'yyyy-MM-dd HH:mm', to: 'HH:mm', timeZone: { from: 'Europe/Madrid', to: 'America/Bogota' } }, '2026-01-15 12:00', '06:00'],
  ];
  for (const [what, spec, input, expected] of table) {
    it(what, () => assert.equal(run(spec, input), expected));
  }

  it('gives the same answer from its cache', () => {
    const step = compileDate({ from: 'd/M/yyyy' });
    assert.equal(step('5/8/2026'), '2026-08-05');
    assert.equal(step('5/8/2026'), '2026-08-05');
  });

  it('normalises Spanish meridiem markers and spaces', () => {
    assert.equal(normalizeMeridiem(' 15/8/2026  6:06:08 p. m. '), '15/8/2026 6:06:08 PM');
    assert.equal(normalizeMeridiem('6:06:08 a.m.'), '6:06:08 AM');
    assert.equal(normalizeMeridiem('Pamplona'), 'Pamplona');
  });

  const patterns: [string, boolean][] = [
    ['dd/MM/yyyy', true],
    ['d/M/yyyy h:mm:ss a', true],
    ["yyyy-MM-dd'T'HH:mm:ss", true],
    ['31-12', false],
    ['YYYY-MM-DD', false],
    ['hello', false],
    ['', false],
  ];
  for (const [p, ok] of patterns) {
    it(`${ok ? 'accepts' : 'refuses'} the pattern ${JSON.stringify(p)}`, () => assert.equal(checkDatePattern(p) === undefined, ok));
  }
});

describe('daylight saving: a wall-clock time is kept as written', () => {
  const spec: DateSpec = { from: 'yyyy-MM-dd HH:mm', to: 'yyyy-MM-dd HH:mm' };

  /** Runs `f` with the process in time zone `zone` (Node reads TZ again when it is assigned). */
  function inZone<T>(zone: string, f: () => T): T {
    const before = process.env.TZ;
    process.env.TZ = zone;
    try {
      return f();
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  }

  it('without timeZone, a time inside the machine zone\'s spring-forward gap is not moved', () => {
    // Madrid skipped 02:00–03:00 on 29 March 2026; a local Date would turn 02:30 into 03:30.
    const got = inZone('Europe/Madrid', () => [run(spec, '2026-03-29 02:30'), run(spec, '2026-03-29 01:59'), run({ from: 'd/M/yyyy h:mm:ss a', to: 'HH:mm:ss' }, '29/3/2026 2:15:00 a. m.')]);
    assert.deepEqual(got, ['2026-03-29 02:30', '2026-03-29 01:59', '02:15:00']);
  });

  it('without timeZone, a time in the machine zone\'s autumn overlap is kept too', () => {
    assert.equal(inZone('Europe/Madrid', () => run(spec, '2026-10-25 02:30')), '2026-10-25 02:30');
  });

  it('with timeZone, a time the source zone skipped is invalid, whatever the machine zone', () => {
    const madrid: DateSpec = { ...spec, timeZone: { from: 'Europe/Madrid', to: 'UTC' } };
    for (const zone of ['UTC', 'Europe/Madrid', 'America/Bogota']) {
      assert.equal(inZone(zone, () => run(madrid, '2026-03-29 02:30')), 'FAIL: "2026-03-29 02:30" does not exist in Europe/Madrid (the clocks skipped it at a change to summer time)', zone);
      assert.equal(inZone(zone, () => run(madrid, '2026-03-29 03:30')), '2026-03-29 01:30', zone);
      assert.equal(inZone(zone, () => run(madrid, '2026-03-29 01:30')), '2026-03-29 00:30', zone);
      // the autumn overlap (02:00–03:00 twice): read as the first one, in summer time
      assert.equal(inZone(zone, () => run(madrid, '2026-10-25 02:30')), '2026-10-25 00:30', zone);
    }
  });

  it('refuses an unknown time zone in the mapping', () => {
    assert.match(checkTimeZone('America/Bogotá') ?? '', /expected an IANA time zone/);
    assert.equal(checkTimeZone('America/Bogota'), undefined);
  });
});
