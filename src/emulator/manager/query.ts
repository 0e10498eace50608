/**
 * The query string of `GET /api/v2/reports_manager.php`: `api` (a served report), `date_ini` and
 * `date_end` (wall-clock `YYYYmmddHHiiss`, end after start, at most 31 days apart) and, for the
 * campaign reports, `campaign_id` (`all` or an id). Anything else is 400 SOME PARAMETERS ARE REQUIRED.
 */
import type { ReportName } from '../types.ts';
import { REPORTS } from './dialer.ts';
import { DAY_S, parseCompact } from './time.ts';

export const REPORTS_PATH = '/api/v2/reports_manager.php';
const MAX_RANGE_S = 31 * DAY_S;

export interface ReportQuery {
  report: ReportName;
  /** Epoch seconds, [from, to): `to` is one second after date_end when date_end is inclusive. */
  from: number;
  to: number;
  campaignId: string;
  /** The query's own values, for fault rules' `whenField`. */
  fields: Record<string, string>;
}

/** `all` (any case) or the id for a campaign report; 'all' for cdr_1 (which ignores it); undefined when missing. */
function campaignOf(report: ReportName, value: string | null): string | undefined {
  if (report === 'cdr_1') return 'all';
  const v = value?.trim() ?? '';
  if (v === '') return undefined;
  return v.toLowerCase() === 'all' ? 'all' : v;
}

export function parseReportQuery(query: string, dateEnd: 'inclusive' | 'exclusive'): ReportQuery | undefined {
  const p = new URLSearchParams(query);
  const report = REPORTS.find((r) => r === p.get('api'));
  if (report === undefined) return undefined;
  const from = parseCompact(p.get('date_ini'));
  const end = parseCompact(p.get('date_end'));
  if (from === undefined || end === undefined || end <= from || end - from > MAX_RANGE_S) return undefined;
  const campaignId = campaignOf(report, p.get('campaign_id'));
  if (campaignId === undefined) return undefined;
  const fields = Object.fromEntries(p.entries());
  return { report, from, to: dateEnd === 'inclusive' ? end + 1 : end, campaignId, fields };
}
