/**
 * The synthetic dialer: `perDay` calls every day, a pure function of (seed, day, index), so any
 * day — past, today or future — exists without being stored. Within a day, call times grow with
 * the index (busy office hours, quiet nights), so the calls of a window are found by two binary
 * searches and generating them costs time proportional to the window's calls, not to the days.
 */
import { randomAt } from '../prng.ts';
import { pick, type CrmRecord } from '../records.ts';
import type { ReportName } from '../types.ts';
import { AGENTS, CODES, INTERACTIONS, PREDICTIVE, PREVIEW, SKILLS, weighted, type ActivityCode, type Campaign } from './catalog.ts';
import { DAY_S, dayOf, dayStart } from './time.ts';

/** Relative call volume per wall-clock hour, 00 to 23. */
const HOUR_WEIGHTS = [1, 1, 1, 1, 1, 1, 1, 4, 10, 10, 10, 10, 6, 6, 10, 10, 10, 10, 6, 3, 3, 1, 1, 1] as const;
/** CUM[h]: total weight of the hours before h; CUM[24] is the day's total. */
const CUM = HOUR_WEIGHTS.reduce<number[]>((acc, w) => [...acc, acc[acc.length - 1]! + w], [0]);
const TOTAL = CUM[24]!;

const STREAM = { day: 201, time: 202, interaction: 203, campaign: 204, agent: 205, customer: 206, code: 207, seconds: 208 } as const;

export const REPORTS: readonly ReportName[] = ['cdr_1', 'campaign_3', 'campaign_5'];

/** One call, as the report rows are rendered from it. */
export interface DialerCall {
  /** The day's seed: further details of the row are drawn from it (see rows.ts). */
  daySeed: number;
  day: number;
  index: number;
  /** When it started, epoch seconds. */
  at: number;
  interaction: string;
  /** The campaign (outbound) or skill (other calls) it belongs to. */
  campaign: Campaign;
  agent: number;
  customer: CrmRecord;
  code: ActivityCode;
  /** Talk time in seconds. */
  seconds: number;
}

/** What a report query selects: calls at [from, to) (epoch seconds), at most `limit`. */
export interface Selection {
  report: ReportName;
  from: number;
  to: number;
  /** 'all' or a campaign id (campaign reports only). */
  campaignId: string;
  limit: number;
}

/** Whether `call` is a row of the report (campaign_3: predictive calls, campaign_5: preview calls). */
function belongs(call: DialerCall, report: ReportName, campaignId: string): boolean {
  if (report === 'cdr_1') return true;
  const kind = report === 'campaign_3' ? 'out_pre' : 'outbound_ma';
  return call.interaction === kind && (campaignId === 'all' || call.campaign.id === campaignId);
}

export class Dialer {
  private readonly seed: number;
  readonly perDay: number;
  private readonly records: readonly CrmRecord[];

  constructor(o: { seed: number; perDay: number; records: readonly CrmRecord[] }) {
    this.seed = o.seed;
    this.perDay = o.perDay;
    this.records = o.records;
  }

  private daySeed(day: number): number {
    return Math.floor(randomAt(this.seed, STREAM.day, day) * 4_294_967_296);
  }

  /** Seconds after midnight of call `i`: the inverse of the day's volume curve at (i + jitter) / perDay; non-decreasing in i. */
  private offset(daySeed: number, i: number): number {
    const p = ((i + randomAt(daySeed, STREAM.time, i)) / this.perDay) * TOTAL;
    let h = 0;
    while (h < 23 && p >= CUM[h + 1]!) h++;
    return h * 3600 + Math.min(3599, Math.floor(((p - CUM[h]!) / HOUR_WEIGHTS[h]!) * 3600));
  }

  /** The first index whose call starts at or after `second` seconds after midnight (perDay when none). */
  private firstFrom(daySeed: number, second: number): number {
    let lo = 0;
    let hi = this.perDay;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.offset(daySeed, mid) < second) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  call(day: number, i: number, daySeed = this.daySeed(day)): DialerCall {
    const r = (stream: number): number => randomAt(daySeed, stream, i);
    const interaction = weighted(INTERACTIONS, r(STREAM.interaction));
    const campaigns = interaction === 'out_pre' ? PREDICTIVE : interaction === 'outbound_ma' ? PREVIEW : SKILLS;
    const code = weighted(CODES, r(STREAM.code));
    const seconds = code.talked ? 30 + Math.floor(r(STREAM.seconds) * 570) : Math.floor(r(STREAM.seconds) * 40);
    return {
      daySeed, day, index: i, at: dayStart(day) + this.offset(daySeed, i), interaction,
      campaign: pick(campaigns, r(STREAM.campaign)), agent: Math.floor(r(STREAM.agent) * AGENTS),
      customer: pick(this.records, r(STREAM.customer)), code, seconds,
    };
  }

  /** Every call that starts in [from, to) (epoch seconds), in time order. */
  *calls(from: number, to: number): Generator<DialerCall> {
    if (to <= from) return;
    for (let day = dayOf(from); day <= dayOf(to - 1); day++) {
      const start = dayStart(day);
      const daySeed = this.daySeed(day);
      const lo = from <= start ? 0 : this.firstFrom(daySeed, from - start);
      const hi = to - start >= DAY_S ? this.perDay : this.firstFrom(daySeed, to - start);
      for (let i = lo; i < hi; i++) yield this.call(day, i, daySeed);
    }
  }

  /** The report's calls of the selection, in time order, at most `limit` of them. */
  select(sel: Selection): DialerCall[] {
    const out: DialerCall[] = [];
    if (sel.limit <= 0) return out;
    for (const c of this.calls(sel.from, sel.to)) {
      if (!belongs(c, sel.report, sel.campaignId)) continue;
      out.push(c);
      if (out.length >= sel.limit) break;
    }
    return out;
  }
}
