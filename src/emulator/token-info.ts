/** GET tokenInformation.php?operation=X: the token's quota figures; costs one call. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Call } from './call.ts';
import { refuse, type Context } from './context.ts';
import { admit, authenticate } from './gate.ts';
import { MSG } from './messages.ts';
import { EmulatorState } from './state.ts';

export function handleTokenInfo(ctx: Context, req: IncomingMessage, res: ServerResponse, query: string): void {
  if (req.method !== 'GET') return refuse(ctx, res, 405, MSG.method);
  const ts = authenticate(ctx, req, res);
  if (ts === undefined) return;
  if (!admit(ctx, ts, res)) return;
  const call = new Call(ctx, ts, res);
  const window = ctx.faults.openWindow(); // a maintenance (or outage) window switches off every API
  if (window !== undefined) {
    ctx.state.faultsInjected++;
    return call.fault(window);
  }
  const operation = new URLSearchParams(query).get('operation');
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
