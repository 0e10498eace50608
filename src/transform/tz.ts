/**
 * Time-zone conversion with Intl only (no tz package): an instant's offset in a zone is read
 * from Intl.DateTimeFormat's parts. Values are handled as "wall-clock milliseconds": the
 * calendar fields of a time written as if it were UTC.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone (an IANA name such as "America/Bogota", or "UTC"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in ms (Bogotá: -5 h). */
export function zoneOffsetMs(timeZone: string, instantMs: number): number {
  const parts = formatterFor(timeZone).formatToParts(instantMs);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const wall = Date.UTC(year, get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

/** Wall-clock time in `timeZone` → instant. In a DST gap or overlap the earlier offset wins. */
export function wallToInstant(wallMs: number, timeZone: string): number {
  const first = wallMs - zoneOffsetMs(timeZone, wallMs);
  return wallMs - zoneOffsetMs(timeZone, first);
}

/** Instant → wall-clock time in `timeZone`. */
export function instantToWall(instantMs: number, timeZone: string): number {
  return instantMs + zoneOffsetMs(timeZone, instantMs);
}
