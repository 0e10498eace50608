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

/*
 * The common patterns (numbers separated by literals: d/M/yyyy h:mm:ss a, yyyy-MM-dd HH:mm...) are
 * read with one regex per pattern, compiled once, instead of date-fns's token-by-token parser
 * (~25 µs a value). It reads exactly what date-fns reads: the same digits per token (d: 1–31 with
 * an optional 0, dd: 1–2 digits, yyyy: 1–4...), separators that are never digits (so no token can
 * take another's digit), the same range checks (the day within its month, h 1–12 with AM/PM). A
 * value it does not read goes to date-fns, which decides: the regex only answers where it is sure.
 */
const TOKEN_SOURCE: Readonly<Record<string, string>> = {
  d: '(3[01]|[12]\\d|0?[1-9])', dd: '(\\d{1,2})', M: '(1[0-2]|0?\\d)', MM: '(\\d{1,2})', yyyy: '(\\d{1,4})',
  H: '(2[0-3]|[01]?\\d)', HH: '(\\d{1,2})', h: '(1[0-2]|0?\\d)', hh: '(\\d{1,2})', m: '([0-5]?\\d)', mm: '(\\d{1,2})',
  s: '([0-5]?\\d)', ss: '(\\d{1,2})', a: '([AaPp])\\.?\\s?[Mm]\\.?',
};

interface FastPattern {
  re: RegExp;
  /** The token letter of each capture group. */
  fields: string[];
}

/** A pattern's tokens and literals ('quoted' text is literal, '' a quote), or undefined for a token outside TOKEN_SOURCE. */
function tokens(pattern: string): { token?: string; literal?: string }[] | undefined {
  const out: { token?: string; literal?: string }[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i] as string;
    let j = i + 1;
    if (c === "'") {
      while (j < pattern.length && !(pattern[j] === "'" && pattern[j + 1] !== "'")) j += pattern[j] === "'" ? 2 : 1;
      out.push({ literal: j === i + 1 ? "'" : pattern.slice(i + 1, j).replaceAll("''", "'") });
      i = j + 1;
      continue;
    }
    while (j < pattern.length && pattern[j] === c) j++;
    const run = pattern.slice(i, j);
    if (/[a-zA-Z]/.test(c)) {
      if (TOKEN_SOURCE[run] === undefined) return undefined;
      out.push({ token: run });
    } else out.push({ literal: run });
    i = j;
  }
  return out;
}

/** The regex for `pattern`, or undefined when date-fns must read it (other tokens, tokens not separated by a literal). */
function compileFast(pattern: string): FastPattern | undefined {
  const parts = tokens(pattern);
  if (parts === undefined) return undefined;
  let source = '^';
  const fields: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as { token?: string; literal?: string };
    if (p.literal !== undefined) {
      if (/\d/.test(p.literal)) return undefined;
      source += p.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      continue;
    }
    const next = parts[i + 1];
    if (next !== undefined && next.literal === undefined) return undefined; // two tokens touching: leave it to date-fns
    source += TOKEN_SOURCE[p.token as string] as string;
    fields.push((p.token as string)[0] as string);
  }
  if (fields.includes('a') !== (fields.includes('h'))) return undefined;
  return { re: new RegExp(`${source}\\s*$`), fields };
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Month 1–12 and a day that month has (29 February in leap years only), as date-fns checks them. */
function validDay(y: number, M: number, d: number): boolean {
  if (M < 1 || M > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (M === 2 && !leap ? 28 : (DAYS[M - 1] as number));
}

/** Wall-clock fields from the groups of a FastPattern match, checked as date-fns checks them; undefined when out of range. */
function fastFields(m: RegExpExecArray, fields: readonly string[]): number[] | undefined {
  const f = { y: 2000, M: 1, d: 1, H: 0, h: -1, m: 0, s: 0, pm: -1 } as Record<string, number>;
  for (let i = 0; i < fields.length; i++) {
    const k = fields[i] as string;
    const g = m[i + 1] as string;
    if (k === 'a') f.pm = g === 'p' || g === 'P' ? 1 : 0;
    else f[k] = Number(g);
  }
  const { y, M, d, H, m: min, s } = f as Record<string, number>;
  if (!validDay(y, M, d) || H > 23 || min > 59 || s > 59) return undefined;
  if (f.h === -1) return [y, M - 1, d, H, min, s];
  if ((f.h as number) < 1 || (f.h as number) > 12) return undefined;
  return [y, M - 1, d, ((f.h as number) % 12) + (f.pm === 1 ? 12 : 0), min, s];
}

/** The wall-clock Date of `fields` (local; UTC near the machine's DST changes), as readWall gives it. */
function wallOf(v: number[]): Wall {
  const local = new Date(REFERENCE.getTime());
  local.setFullYear(v[0] as number, v[1] as number, v[2] as number);
  local.setHours(v[3] as number, v[4] as number, v[5] as number, 0);
  if (!nearOffsetChange(local)) return local;
  const utc = new TZDate(2000, 0, 1, 'UTC');
  utc.setFullYear(v[0] as number, v[1] as number, v[2] as number);
  utc.setHours(v[3] as number, v[4] as number, v[5] as number, 0);
  return utc;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Output tokens written without date-fns: the zero-padded numbers date-fns `format` writes for them. */
const WRITERS: Readonly<Record<string, (d: Date) => string>> = {
  yyyy: (d) => String(d.getFullYear()).padStart(4, '0'), MM: (d) => pad2(d.getMonth() + 1), dd: (d) => pad2(d.getDate()),
  HH: (d) => pad2(d.getHours()), mm: (d) => pad2(d.getMinutes()), ss: (d) => pad2(d.getSeconds()),
  M: (d) => String(d.getMonth() + 1), d: (d) => String(d.getDate()), H: (d) => String(d.getHours()),
};

/** A writer for `pattern` when it has only WRITERS tokens and literals; otherwise date-fns `format`. */
function writer(pattern: string): (d: Date) => string {
  const parts = tokens(pattern);
  const fast = parts?.every((p) => p.literal !== undefined || WRITERS[p.token as string] !== undefined) === true;
  if (!fast || parts === undefined) return (d) => format(d, pattern);
  const steps = parts.map((p) => (p.literal !== undefined ? p.literal : (WRITERS[p.token as string] as (d: Date) => string)));
  return (d) => {
    let out = '';
    for (const s of steps) out += typeof s === 'string' ? s : s(d);
    return out;
  };
}

/** Reads `text` with `from`: the compiled regex when it is sure, else date-fns. */
function readOne(text: string, from: string, fast: FastPattern | undefined): Wall | undefined {
  if (fast !== undefined) {
    const m = fast.re.exec(text);
    const v = m === null ? undefined : fastFields(m, fast.fields);
    if (v !== undefined) return wallOf(v);
  }
  return readWall(text, from);
}

/**
 * The last value read per list of patterns: the `date` and `time` fields of a mapping usually read
 * the same column with the same patterns, so the second parse of a row is free.
 */
const lastRead = new Map<string, { text: string; wall: Wall | undefined }>();

function reader(froms: readonly string[]): (text: string) => Wall | undefined {
  const key = froms.join('\u0000');
  const fast = froms.map(compileFast);
  return (text) => {
    const last = lastRead.get(key);
    if (last !== undefined && last.text === text) return last.wall;
    let wall: Wall | undefined;
    for (let i = 0; i < froms.length && !wall; i++) wall = readOne(text, froms[i], fast[i]);
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
  const write = writer(spec.to ?? DEFAULT_DATE_OUTPUT);
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
    return out instanceof Failure ? out : write(out);
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
