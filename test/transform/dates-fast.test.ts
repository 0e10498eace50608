/**
 * The compiled-regex reading of common date patterns (dates.ts) must read exactly what date-fns
 * reads: every generated value, valid or not, gives the same answer as date-fns `parse`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';
import { compileDate, normalizeMeridiem } from '../../src/transform/dates.ts';

const PATTERNS = [
  'd/M/yyyy h:mm:ss a', 'd/M/yyyy h:mm a', 'd/M/yyyy H:mm:ss', 'd/M/yyyy H:mm', 'd/M/yyyy', 'M/d/yyyy h:mm:ss a', 'M/d/yyyy H:mm:ss', 'M/d/yyyy',
  'yyyy-MM-dd HH:mm:ss', "yyyy-MM-dd'T'HH:mm:ss", 'yyyy-MM-dd HH:mm', 'yyyy-MM-dd', 'yyyy/MM/dd HH:mm:ss', 'yyyy/MM/dd', 'd-M-yyyy H:mm:ss', 'd-M-yyyy',
  'h:mm:ss a', 'h:mm a', 'H:mm:ss', 'H:mm', 'dd.MM.yyyy', "dd 'de' MM 'de' yyyy",
];
const OUT = 'yyyy-MM-dd HH:mm:ss';

/** A small deterministic generator (no Math.random: a failure must replay). */
function* values(pattern: string, n: number): Generator<string> {
  let seed = 7;
  const rnd = (k: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % k;
  };
  const num = (): string => [String(rnd(40)), String(rnd(13)).padStart(2, '0'), String(rnd(100)), String(rnd(3000)), '0', '00', '29', '31', '12', '24', '60'][rnd(11)] as string;
  for (let i = 0; i < n; i++) {
    let text: string;
    if (rnd(3) > 0) {
      // A valid value as date-fns writes it, sometimes without leading zeros or with a Spanish meridiem, sometimes one digit changed.
      text = format(new Date(1890 + rnd(320), rnd(12), 1 + rnd(31), rnd(24), rnd(60), rnd(60)), pattern);
      if (rnd(4) === 0) text = text.replace(/\b0(\d)/g, '$1');
      if (rnd(4) === 0) text = text.replace('PM', 'p. m.').replace('AM', 'a.m.');
      if (rnd(3) === 0) {
        const at = rnd(text.length);
        text = text.slice(0, at) + String(rnd(10)) + text.slice(at + 1);
      }
    } else {
      text = pattern.replace(/'([^']*)'/g, '$1');
      text = text.replace(/yyyy|MM|dd|HH|hh|mm|ss|[dMHhms]/g, num).replace(/\ba\b/, () => ['AM', 'PM', 'a. m.', 'p.m.', 'XM', 'am'][rnd(6)] as string);
    }
    if (rnd(10) === 0) text += ['', ' ', 'x', '0'][rnd(4)];
    yield text;
  }
}

function reference(value: string, from: string): string | undefined {
  const d = parse(normalizeMeridiem(value), from, new Date(2000, 0, 1));
  if (!isValid(d) || d.getFullYear() < 1900 || d.getFullYear() > 2199) return undefined;
  return format(d, OUT);
}

describe('dates: the compiled patterns read what date-fns reads', () => {
  for (const from of PATTERNS) {
    it(from, () => {
      const step = compileDate({ from, to: OUT });
      let read = 0;
      for (const v of values(from, 3000)) {
        const got = step(v);
        const want = reference(v, from);
        assert.equal(typeof got === 'string' ? got : undefined, want, `${JSON.stringify(v)} with "${from}"`);
        if (want !== undefined) read++;
      }
      assert.ok(read > 50, `only ${read} valid values generated for ${from}`);
    });
  }
});
