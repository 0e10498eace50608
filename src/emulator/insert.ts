/**
 * POST insertGestion.php. Order: method (405), token (401/403), simultaneous requests and
 * quota (403), body (413/400), scripted faults, latency, commit, 200.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Call } from './call.ts';
import { after, latencyFor, refuse, type Context } from './context.ts';
import { FAULT_EFFECTS } from './faults.ts';
import { parseGestion, type GestionBody } from './gestion.ts';
import { insertSuccessBody, MSG } from './messages.ts';
import { admit, bodyOf, identify } from './gate.ts';
import type { FaultRule } from './types.ts';

export function handleInsert(ctx: Context, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'POST') return refuse(ctx, res, 405, MSG.method);
  const arrived = performance.now();
  identify(ctx, req, res, (ts, early) => {
    const requestNo = ++ctx.state.insertCalls;
    if (!admit(ctx, ts, res)) return;
    insert(new Call(ctx, ts, res), req, { early, requestNo, arrived });
  });
}

function insert(call: Call, req: IncomingMessage, o: { early: string | undefined; requestNo: number; arrived: number }): void {
  const { ctx, ts } = call;
  const { requestNo, arrived } = o;
  bodyOf(req, o.early, (text) => {
    if (text === undefined) return call.error(413, MSG.tooLarge);
    const gestion = parseGestion(text);
    if (gestion === undefined) return call.error(400, MSG.params);
    const rule = ctx.faults.match(requestNo, gestion.fields);
    if (rule !== undefined) return injectFault(call, rule, gestion, o);
    after(ctx, latencyFor(ctx, requestNo), () => {
      const id = ctx.state.commit(ts, gestion.operation, gestion.fields, requestNo);
      call.json(200, insertSuccessBody(id));
    }, arrived);
  });
}

function injectFault(call: Call, rule: FaultRule, gestion: GestionBody, o: { requestNo: number; arrived: number }): void {
  const { ctx } = call;
  const { requestNo, arrived } = o;
  ctx.state.faultsInjected++;
  const effect = FAULT_EFFECTS[rule.fault];
  const act = (): void => {
    if (effect.commit) ctx.state.commit(call.ts, gestion.operation, gestion.fields, requestNo);
    call.fault(rule);
  };
  if (effect.immediate) act();
  else after(ctx, latencyFor(ctx, requestNo), act, arrived);
}
