import { TZDate, tzOffset } from '@date-fns/tz';
import { said, UsageError } from '../errors.ts';

/**
 * `--since` / `--until` values, read as wall-clock time in the dialer's zone (`--tz`, default
 * America/Bogota): `yesterday`, `today`, `last` (since only: the watermark), `YYYY-MM-DD` or
 * `YYYY-MM-DDTHH:mm[:ss]`. `--since` is inclusive and `--until` exclusive; a day given alone is the
 * start of that day, and a `--since` day with no `--until` means that whole day.
 */
type Edge = 'since' | 'until';

interface Parsed {
  at: Date;
  /** A day given alone (`yesterday`, `today`, `2026-11-20`). */
  day: boolean;
}

const WHEN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

function checkZone(tz: string): void {
  if (Number.isNaN(tzOffset(tz, new Date(0)))) throw said(UsageError, 'err.report.tz', { value: tz }, { flag: 'tz' });
}

/** The start of the day `days` after the day of `now`, in `tz`. */
function startOfDay(now: Date, tz: string, days: number): Date {
  const wall = new TZDate(now.getTime(), tz);
  return new Date(new TZDate(wall.getFullYear(), wall.getMonth(), wall.getDate() + days, 0, 0, 0, tz).getTime());
}

/** A date or date-time in `tz`, or undefined when `s` is not one (or names a day that does not exist). */
function parseWall(s: string, tz: string): Parsed | undefined {
  const m = WHEN.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, sec = 0] = m.slice(1).map((v) => (v === undefined ? undefined : Number(v)));
  if (y === undefined || mo === undefined || d === undefined) return undefined;
  const wall = new TZDate(y, mo - 1, d, h, mi, sec, tz);
  const fieldsKept = wall.getFullYear() === y && wall.getMonth() === mo - 1 && wall.getDate() === d;
  if (!fieldsKept || h > 23 || mi > 59 || sec > 59) return undefined;
  return { at: new Date(wall.getTime()), day: m[4] === undefined };
}

function parse(s: string, o: { tz: string; now: Date; edge: Edge }): Parsed | 'last' {
  const v = s.trim().toLowerCase();
  if (v === 'last') {
    if (o.edge === 'since') return 'last';
    throw said(UsageError, 'err.when.lastUntil', {}, { flag: 'until' });
  }
  if (v === 'today') return { at: startOfDay(o.now, o.tz, 0), day: true };
  if (v === 'yesterday') return { at: startOfDay(o.now, o.tz, -1), day: true };
  const parsed = parseWall(v.toUpperCase(), o.tz);
  if (parsed === undefined) throw said(UsageError, 'err.when.bad', { edge: o.edge, value: s }, { flag: o.edge });
  return parsed;
}

/** One `--since` / `--until` value as an instant (`last` as is). */
export function parseWhen(s: string, o: { tz: string; now: Date; edge: Edge }): Date | 'last' {
  checkZone(o.tz);
  const p = parse(s, o);
  return p === 'last' ? p : p.at;
}

export interface RangeRequest {
  since: string;
  until?: string;
  tz: string;
  now: Date;
  /** No window ends later than now minus this (calls still being written). */
  settleMs: number;
  /** `--since last` starts this long before the watermark (late-written calls). */
  overlapMs: number;
  /** The end of the last fully settled window of an earlier run. */
  watermark?: Date;
}

/** Whole seconds: the API's dates have no finer unit. */
const floorSecond = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

/**
 * The range `[from, to)` to fetch, in whole seconds. `to` is clamped to now minus the settle delay.
 * `--since last` with no watermark, an `--until` not after `--since`, or a range that ends before it
 * starts once clamped is a UsageError; `--since last` alone may give an empty range (nothing settled
 * since the last run).
 */
export function resolveRange(o: RangeRequest): { from: Date; to: Date } {
  checkZone(o.tz);
  const since = parse(o.since, { tz: o.tz, now: o.now, edge: 'since' });
  if (since === 'last' && o.watermark === undefined) {
    throw said(UsageError, 'err.when.noWatermark', {}, { flag: 'since' });
  }
  const from = floorSecond(since === 'last' ? (o.watermark as Date).getTime() - o.overlapMs : since.at.getTime());
  const until = o.until === undefined ? undefined : (parse(o.until, { tz: o.tz, now: o.now, edge: 'until' }) as Parsed);
  if (until !== undefined && until.at.getTime() <= from.getTime()) {
    throw said(UsageError, 'err.when.untilBefore', { until: String(o.until), since: o.since }, { flag: 'until' });
  }
  let end = until?.at.getTime() ?? o.now.getTime();
  if (until === undefined && since !== 'last' && since.day) end = startOfDay(since.at, o.tz, 1).getTime();
  const to = floorSecond(Math.min(end, o.now.getTime() - o.settleMs));
  if (to.getTime() > from.getTime()) return { from, to };
  if (since === 'last') return { from, to: from };
  throw said(UsageError, 'err.when.notSettled', { since: o.since, minutes: Math.round(o.settleMs / 60_000) }, { flag: 'since' });
}
