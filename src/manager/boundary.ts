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
   * those dated exactly at `w.to`, held for the next window (the last window keeps them: they are
   * data, and a later run's overlap meets them again, where the ledger stops the repeat).
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
      if (t === toText && !last) held.push(r);
      else own.push(r);
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

/**
 * Where to cut a window whose answer reached the cap. An answer cut at the cap that is in time order
 * and starts at the window's start looks like the window's earliest records: cutting at the last
 * second before its `capSplitAt`-th record's leaves fewer than `capSplitAt` records up to the cut,
 * whatever the rest holds (a guess only: the part up to the cut is fetched again, and cut again if
 * it still reaches the cap). Any other answer gives no such hint: undefined (cut in the middle).
 */
export function capSplitPoint(w: Window, records: readonly ReportRecord[], capSplitAt: number, tz: string): Date | undefined {
  const fromText = wallText(w.from, tz);
  const toText = wallText(w.to, tz);
  let prev = fromText;
  for (const r of records) {
    const t = recordTime(r);
    if (t === undefined || t < prev || t > toText) return undefined;
    prev = t;
  }
  // The last second before the capSplitAt-th record's: whether the API counts date_end in or not,
  // the window up to the cut holds fewer than capSplitAt records.
  const k = Math.min(capSplitAt, records.length) - 1;
  const atK = recordTime(records[k] as ReportRecord) as string;
  let i = k;
  while (i >= 0 && recordTime(records[i] as ReportRecord) === atK) i--;
  if (i < 0) return undefined;
  const cut = wallToDate(recordTime(records[i] as ReportRecord) as string, tz);
  if (cut === undefined || cut.getTime() <= w.from.getTime() || cut.getTime() >= w.to.getTime()) return undefined;
  return cut;
}
