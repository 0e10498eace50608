/**
 * GET /api/v2/reports_manager.php, in this order: method (405), token present (401) and the
 * Manager token (403), then — the call now counts — 2 in flight (403 EXCEEDS THE LIMIT) and the
 * daily quota (403), the parameters (400 SOME PARAMETERS ARE REQUIRED), fault rules, latency; then
 * the report's calls in the window that have been written (start + writeLagMs ≤ now; never the
 * future), at most `cap` of them (more are cut silently), or 404 "Validate dates entered" when none.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Call } from '../call.ts';
import { after, latencyFor, refuse } from '../context.ts';
import { FAULT_EFFECTS } from '../faults.ts';
import { admit, identify } from '../gate.ts';
import { MSG } from '../messages.ts';
import { writeReport } from './answer.ts';
import { parseReportQuery, type ReportQuery } from './query.ts';
import type { ManagerSide } from './side.ts';

export function handleReport(m: ManagerSide, req: IncomingMessage, res: ServerResponse, query: string): void {
  if (req.method !== 'GET') return refuse(m.ctx, res, 405, MSG.method);
  identify(m.ctx, req, res, (ts) => {
    const no = ++m.requests;
    if (!admit(m.ctx, ts, res)) return;
    const call = new Call(m.ctx, ts, res);
    const q = parseReportQuery(query, m.config.dateEnd);
    if (q === undefined) return call.error(400, MSG.params);
    const wait = latencyFor(m.ctx, no);
    const rule = m.ctx.faults.match(no, q.fields);
    if (rule === undefined) return after(m.ctx, wait, () => void answer(m, call, q));
    m.ctx.state.faultsInjected++;
    after(m.ctx, FAULT_EFFECTS[rule.fault].immediate ? 0 : wait, () => call.fault(rule));
  });
}

async function answer(m: ManagerSide, call: Call, q: ReportQuery): Promise<void> {
  if (call.res.destroyed) return call.release();
  const { now, writeLagMs, cap } = m.config;
  const written = Math.floor((now() - writeLagMs) / 1000) + 1; // calls that start before this second are written
  const calls = m.dialer.select({ ...q, to: Math.min(q.to, written), limit: cap + 1 });
  if (calls.length === 0) return call.error(404, MSG.noDates);
  const truncated = calls.length > cap;
  if (truncated) calls.length = cap;
  const ids = await writeReport(call, q.report, calls);
  if (ids !== undefined) m.servedRows(q.report, ids, truncated);
}
