/**
 * The dialer's wall clock: America/Bogota, UTC−5 all year (Colombia has no daylight saving).
 * Internally every instant is whole epoch seconds; the API speaks wall-clock `YYYYmmddHHiiss`
 * (date_ini, date_end) and answers `YYYY-MM-DD HH:mm:ss`.
 */

/** Wall clock minus UTC, in seconds. */
const OFFSET_S = -5 * 3600;
export const DAY_S = 86_400;

/** `YYYY-MM-DD HH:mm:ss` on the dialer's wall clock. */
export function wallStamp(epochS: number): string {
  return new Date((epochS + OFFSET_S) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Epoch seconds of a wall-clock `YYYYmmddHHiiss`, or undefined when malformed or not a real moment (e.g. Feb 30, 24:00). */
export function parseCompact(s: string | null): number | undefined {
  if (s === null || !/^\d{14}$/.test(s)) return undefined;
  const n = (from: number, to: number): number => Number(s.slice(from, to));
  const wall = Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14)) / 1000;
  const epochS = wall - OFFSET_S;
  return wallStamp(epochS).replace(/\D/g, '') === s ? epochS : undefined;
}

/** The dialer day (days since 1970-01-01 on the wall clock) that contains `epochS`. */
export function dayOf(epochS: number): number {
  return Math.floor((epochS + OFFSET_S) / DAY_S);
}

/** Epoch seconds of the wall-clock midnight that starts `day`. */
export function dayStart(day: number): number {
  return day * DAY_S - OFFSET_S;
}
