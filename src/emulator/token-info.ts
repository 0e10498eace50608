/**
 * POST tokenInformation.php?operation=X (the vendor's collection documents POST; GET only with the
 * `tokenInfoGet` option): the token's quota figures; costs one call. The operation may also come in
 * the JSON body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Call } from './call.ts';
import { refuse, type Context } from './context.ts';
import { admit, bodyOf, identify } from './gate.ts';
import { MSG } from './messages.ts';
import { EmulatorState } from './state.ts';

export function handleTokenInfo(ctx: Context, req: IncomingMessage, res: ServerResponse, query: string): void {
  const method = req.method ?? 'GET';
  if (method !== 'POST' && !(method === 'GET' && ctx.opts.tokenInfoGet)) return refuse(ctx, res, 405, MSG.method);
  identify(ctx, req, res, (ts, early) => {
    if (!admit(ctx, ts, res)) return;
    const call = new Call(ctx, ts, res);
    const answer = (body: string | undefined): void => respond(call, operationOf(query, body));
    if (method === 'GET') answer(early);
    else bodyOf(req, early, answer);
  });
}

function operationOf(query: string, body: string | undefined): string | null {
  const fromQuery = new URLSearchParams(query).get('operation');
  if (fromQuery !== null && fromQuery.trim() !== '') return fromQuery;
  try {
    const op = (JSON.parse(body ?? '') as { operation?: unknown } | null)?.operation;
    return typeof op === 'string' ? op : null;
  } catch {
    return null;
  }
}

function respond(call: Call, operation: string | null): void {
  const { ctx, ts } = call;
  const window = ctx.faults.openWindow(); // a maintenance (or outage) window switches off every API
  if (window !== undefined) {
    ctx.state.faultsInjected++;
    return call.fault(window);
  }
  if (operation === null || operation.trim() === '') return call.error(400, MSG.params);
  const limit = ctx.opts.quota;
  call.json(200, JSON.stringify({
    code: 200,
    error: 'null',
    msg: 'Token information',
    data: {
      description: `Emulator token for operation ${operation}`,
      token_limit: limit,
      token_use_today: ts.used,
      available_consumition_options: Math.max(0, limit - ts.used), // sic, as the API spells it
      hours_to_restart_count: EmulatorState.hoursToRestart(),
    },
  }));
}
