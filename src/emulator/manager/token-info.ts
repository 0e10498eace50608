/**
 * GET /api/v2/information.php?api=token_info (docs/api.md, "Manager report API"): the Manager
 * token's counters. The same checks as a report call — method (405), token (401 / 403, not
 * counted), then counted against the Manager quota: 2 in flight, the daily quota (403) — then
 * `api` must be `token_info` (400 SOME PARAMETERS ARE REQUIRED). An open maintenance window of the
 * Manager fault rules answers instead; numbered fault rules are for report calls only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Call } from '../call.ts';
import { refuse } from '../context.ts';
import { admit, identify } from '../gate.ts';
import { MSG } from '../messages.ts';
import type { ManagerSide } from './side.ts';

export const MANAGER_INFO_PATH = '/api/v2/information.php';

export function handleManagerTokenInfo(m: ManagerSide, req: IncomingMessage, res: ServerResponse, query: string): void {
  if (req.method !== 'GET') return refuse(m.ctx, res, 405, MSG.method);
  identify(m.ctx, req, res, (ts) => {
    if (!admit(m.ctx, ts, res)) return;
    const call = new Call(m.ctx, ts, res);
    const window = m.ctx.faults.openWindow();
    if (window !== undefined) {
      m.ctx.state.faultsInjected++;
      return call.fault(window);
    }
    if (new URLSearchParams(query).get('api') !== 'token_info') return call.error(400, MSG.params);
    const limit = m.ctx.opts.quota;
    // One Manager token, so "every token of the operation today" is its own use (this call included).
    call.json(200, JSON.stringify({
      code: 200,
      error: null,
      msg: '1 records were found',
      data: {
        description: 'Emulator Manager token',
        token_limit: String(limit),
        token_use_today: String(ts.used),
        all_token_today: String(ts.used),
        available_consumption_options: String(Math.max(0, limit - ts.used)),
      },
    }));
  });
}
