/**
 * Window edges. The API is asked for `[date_ini, date_end]` with date_end = the window's end; whether
 * it counts date_end in or out is not documented (docs/api.md, "Manager report API"), so a record
 * dated exactly at a window's end is held back and written with the next window, once: if the next
 * answer holds the same record (an API that counts date_end in), the copy is dropped. Nothing is
 * lost either way, and a fetch never writes a record twice.
 */
import type { Logger } from 'pino';
import type { ReportRecord } from './classify.ts';
import { wallText, wallToDate, type Window } from './windows.ts';

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}:\d{2}$/;

/** A record's wall-clock moment, `YYYY-MM-DD HH:mm:ss`: its `date`, or `date` + `time` (campaign_5); undefined when neither reads. */
export function recordTime(r: ReportRecord): string | undefined {
  const date = r.date?.trim() ?? '';
  if (DATE_TIME.test(date)) return date;
  const time = r.time?.trim() ?? '';
  return DATE.test(date) && TIME.test(time) ? `${date} ${time}` : undefined;
}

/** A stable text of a record, for "is this the same record" (keys in any order). */
function identity(r: ReportRecord): string {
  return JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]));
}

export class WindowEdges {
  private held: ReportRecord[] = [];
  private warned = false;
  private readonly tz: string;
  private readonly logger: Logger;

  constructor(tz: string, logger: Logger) {
    this.tz = tz;
    this.logger = logger;
  }

  /**
   * The rows to write for window `w` (windows come in time order, with no gap): the records the
   * previous window held that this answer does not repeat, then this answer's records, except
   * those dated exactly at `w.to`, held for the next window. The last window drops them: `--until`
   * is exclusive, and the next range starts at that second (`--since last` starts before it), so
   * an API that counts date_end in does not put the next range's first second into this snapshot.
   */
  rows(w: Window, records: readonly ReportRecord[], last: boolean): ReportRecord[] {
    const fromText = wallText(w.from, this.tz);
    const toText = wallText(w.to, this.tz);
    const repeated = new Map<string, number>();
    const own: ReportRecord[] = [];
    const held: ReportRecord[] = [];
    for (const r of records) {
      const t = recordTime(r);
      if (t !== undefined && (t < fromText || t > toText)) this.warnOutside(t, fromText, toText);
      if (t === fromText && this.held.length > 0) repeated.set(identity(r), (repeated.get(identity(r)) ?? 0) + 1);
      if (t === toText) {
        if (!last) held.push(r);
      } else own.push(r);
    }
    const carried = this.held.filter((r) => {
      const n = repeated.get(identity(r)) ?? 0;
      if (n === 0) return true;
      repeated.set(identity(r), n - 1);
      return false;
    });
    if (carried.length < this.held.length) this.logger.debug({ at: fromText, repeated: this.held.length - carried.length }, 'manager report: records at a window edge were in both answers; kept once');
    this.held = held;
    return carried.length > 0 ? [...carried, ...own] : own;
  }

  private warnOutside(t: string, fromText: string, toText: string): void {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn({ date: t, window: `${fromText} .. ${toText}` }, 'manager report: a record is dated outside the window asked for; check --tz (the dialer\'s time zone); every record is kept');
  }
}

/** A capped answer's instants in time order (ms), when every record is dated inside `w` and the answer is in time order, either way. */
function orderedTimes(w: Window, records: readonly ReportRecord[], tz: string): number[] | undefined {
  const times: number[] = [];
  for (const r of records) {
    const text = recordTime(r);
    const t = text === undefined ? undefined : wallToDate(text, tz)?.getTime();
    if (t === undefined || t < w.from.getTime() || t >= w.to.getTime()) return undefined;
    times.push(t);
  }
  const ascending = times.every((t, i) => i === 0 || t >= times[i - 1]!);
  if (ascending) return times;
  return times.every((t, i) => i === 0 || t <= times[i - 1]!) ? times.reverse() : undefined;
}

export type CutSide = 'earliest' | 'latest';

/** The last of the sorted `times` before `t`. */
function lastBefore(times: readonly number[], t: number): number | undefined {
  for (let i = times.length - 1; i >= 0; i--) if ((times[i] as number) < t) return times[i];
  return undefined;
}

/**
 * Where to cut a window whose answer reached the cap, when that answer is in time order: read as the
 * window's `earliest` records, the cut goes at the last second before its capSplitAt-th record (the
 * part before the cut then holds fewer than capSplitAt records); read as its `latest` records, just
 * after the second of its capSplitAt-th record from the end (the part after the cut then holds fewer).
 * `auto` reads it from the side it lies closer to. Only a guess: the promised part is fetched again,
 * and a reading whose promise fails is not used again (fetch.ts). Undefined when the answer is not in
 * time order or the cut would not fall inside `w`.
 */
export function capSplitPoint(w: Window, records: readonly ReportRecord[], o: { splitAt: number; tz: string; side: CutSide | 'auto' }): { cut: Date; side: CutSide } | undefined {
  const times = orderedTimes(w, records, o.tz);
  if (times === undefined || times.length === 0) return undefined;
  const first = times[0] as number;
  const last = times[times.length - 1] as number;
  const side = o.side !== 'auto' ? o.side : first - w.from.getTime() <= w.to.getTime() - last ? 'earliest' : 'latest';
  // An answer cut short of capSplitAt (its `msg` announced more): its own length is the cap.
  const k = Math.min(o.splitAt, times.length);
  const cut = side === 'latest' ? (times[times.length - k] as number) + 1000 : lastBefore(times, times[k - 1] as number);
  if (cut === undefined || cut <= w.from.getTime() || cut >= w.to.getTime()) return undefined;
  return { cut: new Date(cut), side };
}
