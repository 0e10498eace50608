/**
 * The `date` transform, with date-fns only: `parse` (checked with `isValid`) and `format`, and
 * @date-fns/tz for a time-zone conversion. Values are wall-clock: the calendar fields read are
 * the fields written, whatever the machine's time zone, and nothing goes through toISOString
 * (which shifts a date-only value by a day east of UTC).
 *
 * Daylight saving, one rule: a wall-clock time is kept as written. Without `timeZone` no time is
 * ever moved (near a change of the machine's own offset the value is read again in UTC, where
 * every wall-clock time exists). With `timeZone`, a time the source zone skipped (inside its
 * spring-forward gap) does not exist: the value is invalid and says so, rather than being moved
 * by an hour; a time the source zone had twice (its autumn overlap) is read as the first one (summer time).
 */
import { TZDate, tz, tzOffset } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';
import { Failure, showValue, type Step } from './failure.ts';

export interface DateSpec {
  /** date-fns pattern(s) of the input, tried in order, e.g. "d/M/yyyy h:mm:ss a". */
  from: string | string[];
  /** date-fns pattern of the output. Default "yyyy-MM-dd". */
  to?: string;
  /** Convert between zones: "America/Bogota" means from UTC to Bogotá; or {from, to}. */
  timeZone?: string | { from: string; to: string };
}

const DEFAULT_DATE_OUTPUT = 'yyyy-MM-dd';
const REFERENCE = new Date(2000, 0, 1, 0, 0, 0, 0);
const SAMPLE = new Date(2031, 10, 22, 13, 14, 15, 0);
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;
const CACHE_LIMIT = 4096;
const DAY_MS = 86_400_000;
const IN_UTC = { in: tz('UTC') };

/** Why `pattern` is not a usable date-fns pattern, or undefined when it is. */
export function checkDatePattern(pattern: string): string | undefined {
  const example = 'expected a date pattern such as "dd/MM/yyyy"';
  const unquoted = pattern.replace(/'[^']*'/g, '');
  if (!/[a-zA-Z]/.test(unquoted)) return `${example}, got ${JSON.stringify(pattern)}`;
  // date-fns prints a console warning for these (and throws for some): refuse them here.
  if (/[YD]/.test(unquoted)) {
    return `${example}, got ${JSON.stringify(pattern)}: in date-fns "Y" is the week-numbering year and "D" the day of the year; write "yyyy" and "dd"`;
  }
  try {
    const text = format(SAMPLE, pattern);
    if (!isValid(parse(text, pattern, REFERENCE))) return `${example}, got ${JSON.stringify(pattern)} (it cannot read back what it writes)`;
  } catch (err) {
    return `${example}, got ${JSON.stringify(pattern)}: ${(err as Error).message}`;
  }
  return undefined;
}

/** Why `zone` is not an IANA time zone (or UTC offset) @date-fns/tz knows, or undefined. */
export function checkTimeZone(zone: string): string | undefined {
  return Number.isNaN(tzOffset(zone, REFERENCE)) ? `expected an IANA time zone such as "America/Bogota", got ${JSON.stringify(zone)}` : undefined;
}

const SPACES = /[\s\u00a0\u202f]+/g;
// "6:06:08 p. m." / "a. m." / "p.m." / "pm" as Excel writes them in Spanish locales.
const MERIDIEM = /(^|[\s\d])([ap])\.?\s?m\.?(?=\s|$)/gi;

/** Spanish/dotted meridiem markers → AM/PM, every run of spaces → one space, trimmed. */
export function normalizeMeridiem(value: string): string {
  return value
    .replace(SPACES, ' ')
    .trim()
    .replace(MERIDIEM, (_m, before: string, ap: string) => `${before}${ap.toUpperCase()}M`);
}

/** A Date whose own getters (local or its TZDate zone) give the wall-clock fields written. */
type Wall = Date;

/** The machine's UTC offset changes within a day of `d`: a local Date may not hold every wall time there. */
function nearOffsetChange(d: Date): boolean {
  const o = d.getTimezoneOffset();
  const t = d.getTime();
  return new Date(t - DAY_MS).getTimezoneOffset() !== o || new Date(t + DAY_MS).getTimezoneOffset() !== o;
}

/** date-fns parse as wall-clock fields: a local Date (fast), or a UTC TZDate near the machine's DST changes. */
function readWall(text: string, from: string): Wall | undefined {
  const local = parse(text, from, REFERENCE);
  if (!isValid(local)) return undefined;
  return nearOffsetChange(local) ? parse(text, from, REFERENCE, IN_UTC) : local;
}

/**
 * The last value read per list of patterns: the `date` and `time` fields of a mapping usually read
 * the same column with the same patterns, so the second parse of a row is free.
 */
const lastRead = new Map<string, { text: string; wall: Wall | undefined }>();

function reader(froms: readonly string[]): (text: string) => Wall | undefined {
  const key = froms.join('\u0000');
  return (text) => {
    const last = lastRead.get(key);
    if (last !== undefined && last.text === text) return last.wall;
    let wall: Wall | undefined;
    for (let i = 0; i < froms.length && !wall; i++) wall = readWall(text, froms[i]);
    lastRead.set(key, { text, wall });
    return wall;
  };
}

const HOUR_MS = 3_600_000;

const sameWall = (a: Date, b: Date): boolean => a.getHours() === b.getHours() && a.getMinutes() === b.getMinutes() && a.getDate() === b.getDate();

/**
 * Wall-clock fields in `from` → the same instant in `to`, or a Failure when `from` skipped that
 * time. A time `from` had twice is the first one: TZDate alone picks either, depending on the
 * machine's zone, so the hour before is tried (DST changes here are of one hour).
 */
function converter(zones: { from: string; to: string }): (wall: Wall, value: string) => Wall | Failure {
  const into = tz(zones.to);
  return (wall, value) => {
    const at = new TZDate(wall.getFullYear(), wall.getMonth(), wall.getDate(), wall.getHours(), wall.getMinutes(), wall.getSeconds(), zones.from);
    if (!sameWall(at, wall)) return new Failure(`${showValue(value)} does not exist in ${zones.from} (the clocks skipped it at a change to summer time)`);
    const before = new TZDate(at.getTime() - HOUR_MS, zones.from);
    return into(sameWall(before, wall) ? before : at);
  };
}

/** Compiles one date transform. Patterns must have been checked (checkDatePattern). */
export function compileDate(spec: DateSpec): Step {
  const froms = typeof spec.from === 'string' ? [spec.from] : spec.from;
  const read = reader(froms);
  const to = spec.to ?? DEFAULT_DATE_OUTPUT;
  const zones = typeof spec.timeZone === 'string' ? { from: 'UTC', to: spec.timeZone } : spec.timeZone;
  const convert = zones ? converter(zones) : undefined;
  const expected = froms.join('" or "');
  // Date-only columns repeat the same few values all file long: remember recent answers.
  const cache = new Map<string, string>();

  const step = (value: string): string | Failure => {
    const wall = read(normalizeMeridiem(value));
    if (!wall) return new Failure(`${showValue(value)} does not match "${expected}"`);
    const year = wall.getFullYear();
    if (year < MIN_YEAR || year > MAX_YEAR) {
      return new Failure(`${showValue(value)} gives the year ${year}; expected ${MIN_YEAR}–${MAX_YEAR} (a 2-digit year read with "yyyy"?)`);
    }
    const out = convert ? convert(wall, value) : wall;
    return out instanceof Failure ? out : format(out, to);
  };
  return (value) => {
    if (value === '') return value;
    const hit = cache.get(value);
    if (hit !== undefined) return hit;
    const out = step(value);
    if (typeof out === 'string') {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(value, out);
    }
    return out;
  };
}
