/**
 * The `date` transform: parse with date-fns `parse` (checked with `isValid`), format with
 * date-fns `format`. Values are wall-clock: the calendar fields read are the fields written,
 * whatever the machine's time zone, and nothing goes through toISOString (which shifts a
 * date-only value by a day east of UTC). With `timeZone` the time is converted between two
 * IANA zones with Intl (tz.ts). The usual numeric patterns take a fast path (fast-date.ts) that
 * works on calendar fields only. Other patterns go through a local Date, so on a machine whose
 * own zone has daylight saving, a time inside its spring-forward gap would move by an hour;
 * run with TZ=UTC (or in a zone without DST, as Colombia) if such patterns matter.
 */
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';
import { compileFastFormat, compileFastParse, type DateParts } from './fast-date.ts';
import { Failure, showValue, type Step } from './failure.ts';
import { instantToWall, isValidTimeZone, wallToInstant } from './tz.ts';

export interface DateSpec {
  /** date-fns pattern(s) of the input, tried in order, e.g. "d/M/yyyy h:mm:ss a". */
  from: string | string[];
  /** date-fns pattern of the output. Default "yyyy-MM-dd". */
  to?: string;
  /** Convert between zones: "America/Bogota" means from UTC to Bogotá; or {from, to}. */
  timeZone?: string | { from: string; to: string };
}

export const DEFAULT_DATE_OUTPUT = 'yyyy-MM-dd';
const REFERENCE = new Date(2000, 0, 1, 0, 0, 0, 0);
const SAMPLE = new Date(2031, 10, 22, 13, 14, 15, 0);
const MIN_YEAR = 1900;
const MAX_YEAR = 2199;
const CACHE_LIMIT = 4096;

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

/** Why `tz` is not a time zone Intl knows, or undefined. */
export function checkTimeZone(tz: string): string | undefined {
  return isValidTimeZone(tz) ? undefined : `expected an IANA time zone such as "America/Bogota", got ${JSON.stringify(tz)}`;
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

/** Compiles one date transform. Patterns must have been checked (checkDatePattern). */
export function compileDate(spec: DateSpec): Step {
  const froms = typeof spec.from === 'string' ? [spec.from] : spec.from;
  const readers = froms.map((from) => compileFastParse(from) ?? slowParse(from));
  const to = spec.to ?? DEFAULT_DATE_OUTPUT;
  const write = compileFastFormat(to) ?? ((p: DateParts) => format(new Date(p.y, p.M - 1, p.d, p.H, p.m, p.s), to));
  const zones = typeof spec.timeZone === 'string' ? { from: 'UTC', to: spec.timeZone } : spec.timeZone;
  const expected = froms.join('" or "');
  // Date-only columns repeat the same few values all file long: remember recent answers.
  const cache = new Map<string, string>();

  return (value) => {
    if (value === '') return value;
    const hit = cache.get(value);
    if (hit !== undefined) return hit;
    const text = normalizeMeridiem(value);
    let parts: DateParts | undefined;
    for (let i = 0; i < readers.length && !parts; i++) parts = readers[i](text);
    if (!parts) return new Failure(`${showValue(value)} does not match "${expected}"`);
    if (parts.y < MIN_YEAR || parts.y > MAX_YEAR) {
      return new Failure(`${showValue(value)} gives the year ${parts.y}; expected ${MIN_YEAR}–${MAX_YEAR} (a 2-digit year read with "yyyy"?)`);
    }
    if (zones) parts = convertZone(parts, zones.from, zones.to);
    const out = write(parts);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(value, out);
    return out;
  };
}

/** date-fns parse for the patterns the fast path does not take. */
function slowParse(from: string): (text: string) => DateParts | undefined {
  return (text) => {
    const d = parse(text, from, REFERENCE);
    if (!isValid(d)) return undefined;
    return { y: d.getFullYear(), M: d.getMonth() + 1, d: d.getDate(), H: d.getHours(), m: d.getMinutes(), s: d.getSeconds() };
  };
}

/** Wall-clock fields in `fromZone` → wall-clock fields in `toZone`. */
function convertZone(p: DateParts, fromZone: string, toZone: string): DateParts {
  const out = new Date(instantToWall(wallToInstant(Date.UTC(p.y, p.M - 1, p.d, p.H, p.m, p.s), fromZone), toZone));
  return { y: out.getUTCFullYear(), M: out.getUTCMonth() + 1, d: out.getUTCDate(), H: out.getUTCHours(), m: out.getUTCMinutes(), s: out.getUTCSeconds() };
}
