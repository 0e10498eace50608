import { TZDate } from '@date-fns/tz';

/** A time window `[from, to)`, in whole seconds. */
export interface Window {
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;

/** `[from, to)` cut into consecutive windows of at most `maxDays` days (the API refuses longer ranges). */
export function splitRange(from: Date, to: Date, maxDays: number): Window[] {
  const out: Window[] = [];
  const step = Math.max(1, Math.floor(maxDays)) * DAY_MS;
  for (let t = from.getTime(); t < to.getTime(); t += step) out.push({ from: new Date(t), to: new Date(Math.min(t + step, to.getTime())) });
  return out;
}

/**
 * `w` cut into `parts` consecutive windows of whole seconds (fewer when `w` is shorter than `parts`
 * seconds); a one-second window cannot be cut and comes back as is.
 */
export function splitWindow(w: Window, parts: number): Window[] {
  const seconds = (w.to.getTime() - w.from.getTime()) / 1000;
  const n = Math.max(1, Math.min(Math.floor(parts), seconds));
  const out: Window[] = [];
  let start = w.from.getTime();
  for (let i = 1; i <= n; i++) {
    const end = i === n ? w.to.getTime() : w.from.getTime() + Math.round((seconds * i) / n) * 1000;
    out.push({ from: new Date(start), to: new Date(end) });
    start = end;
  }
  return out;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function wallFields(d: Date, tz: string): [string, string, string, string, string, string] {
  const w = new TZDate(d.getTime(), tz);
  return [pad(w.getFullYear(), 4), pad(w.getMonth() + 1), pad(w.getDate()), pad(w.getHours()), pad(w.getMinutes()), pad(w.getSeconds())];
}

/** `YYYYmmddHHiiss` in `tz`: the API's `date_ini` / `date_end`. */
export function apiDate(d: Date, tz: string): string {
  return wallFields(d, tz).join('');
}

/** `YYYY-MM-DD HH:mm:ss` in `tz`: how the report's `date` values are written. */
export function wallText(d: Date, tz: string): string {
  const [y, mo, da, h, mi, s] = wallFields(d, tz);
  return `${y}-${mo}-${da} ${h}:${mi}:${s}`;
}

const WALL = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * Instants of wall-clock minutes already resolved, by zone and `YYYY-MM-DD HH:mm`. A report's
 * records (60,000 an answer) fall in a few thousand minutes, and resolving a wall time through the
 * zone's rules costs ~10 µs; offsets change only on whole minutes, so a minute's instant plus its
 * seconds is the record's instant, in a daylight-saving gap or overlap too.
 */
const minutes = new Map<string, number>();

/** The instant of a `YYYY-MM-DD HH:mm:ss` wall-clock text in `tz`, or undefined when `text` is not one. */
export function wallToDate(text: string, tz: string): Date | undefined {
  const m = WALL.exec(text);
  if (!m) return undefined;
  const key = `${tz} ${text.slice(0, 16)}`;
  let minute = minutes.get(key);
  if (minute === undefined) {
    const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
    minute = new TZDate(y, mo - 1, d, h, mi, 0, tz).getTime();
    if (minutes.size >= 50_000) minutes.clear();
    minutes.set(key, minute);
  }
  return new Date(minute + Number(m[6]) * 1000);
}
