/**
 * POST queryGestion.php: `{"operation", "field", "value", "limit" (<= 250), "page" (1-based)}` →
 * the committed gestiones of the operation whose `field` equals `value`, with the fields the CRM
 * adds (docs/api.md, "queryGestion"). Counts as a call and holds an in-flight slot like an insert.
 * "Nothing found" is `data: []` or, with the `notFound: '404'` option, 404 NO RECORDS FOUND.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Call } from './call.ts';
import { after, latencyFor, refuse, type Context } from './context.ts';
import { admit, bodyOf, identify } from './gate.ts';
import { MSG } from './messages.ts';
import type { InsertedGestion } from './types.ts';

const MAX_QUERY_LIMIT = 250;
const DEFAULT_QUERY_LIMIT = 50;

/** Every gestión field the API documents: a returned gestión carries each (empty when not sent). */
const DOCUMENTED_FIELDS = [
  'tipifycation_code', 'tipifycation_desc', 'module', 'id_customer', 'customer_id', 'wolkvox_idRecord', 'wolkvox_idCall',
  'client_name', 'client_lastname', 'client_type_document', 'client_telephone', 'agent_name', 'agent_id',
  'type_interaction', 'time', 'date', 'campaign_id', 'tipification_code', 'tipification_description',
  'wolkvox_idCustomer', 'wolkvox_phoneCall', 'wolkvox_CrmPhoneCall', 'obligation',
];

interface Query {
  operation: string;
  field: string;
  value: string;
  limit: number;
  page: number;
}

export function handleQuery(ctx: Context, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'POST') return refuse(ctx, res, 405, MSG.method);
  const arrived = performance.now();
  identify(ctx, req, res, (ts, early) => {
    const no = ++ctx.state.queryCalls;
    if (!admit(ctx, ts, res)) return;
    const call = new Call(ctx, ts, res);
    bodyOf(req, early, (text) => {
      if (text === undefined) return call.error(413, MSG.tooLarge);
      const window = ctx.faults.openWindow(); // a maintenance (or outage) window switches off every API
      if (window !== undefined) {
        ctx.state.faultsInjected++;
        return call.fault(window);
      }
      const q = parseQuery(text);
      if (q === undefined) return call.error(400, MSG.params);
      after(ctx, latencyFor(ctx, no), () => answer(call, q), arrived);
    });
  });
}

function answer(call: Call, q: Query): void {
  const all = call.ctx.state.find(q.operation, q.field, q.value);
  const page = all.slice((q.page - 1) * q.limit, q.page * q.limit);
  if (page.length === 0 && call.ctx.opts.notFound === '404') return call.error(404, MSG.noRecords);
  const data = page.map(returned);
  call.json(200, JSON.stringify({ code: '200', error: 'null', msg: `${data.length} records were are found`, data })); // sic
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function positive(v: unknown, fallback: number): number | undefined {
  if (v === undefined || v === null || v === '') return fallback;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

function parseQuery(body: string): Query | undefined {
  let b: Record<string, unknown>;
  try {
    b = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!b || typeof b !== 'object') return undefined;
  const operation = text(b.operation);
  const field = text(b.field);
  const value = text(b.value);
  const limit = positive(b.limit, DEFAULT_QUERY_LIMIT);
  const page = positive(b.page, 1);
  if (!operation?.trim() || !field?.trim() || value === undefined || value.trim() === '') return undefined;
  if (limit === undefined || limit > MAX_QUERY_LIMIT || page === undefined) return undefined;
  return { operation, field, value, limit, page };
}

const pad = (n: number): string => String(n).padStart(2, '0');

function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A committed gestión as queryGestion returns it: every documented field, what was sent, and the CRM's own fields. */
function returned(g: InsertedGestion): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of DOCUMENTED_FIELDS) out[f] = '';
  for (const [k, v] of Object.entries(g.fields)) out[k] = v;
  return {
    ...out,
    wolkvox_usuario_creacion: 'api',
    wolkvox_origen: 'API /server/API/v2/collections/insertGestion.php',
    wolkvox_fecha_creacion: stamp(g.at ?? Date.now()),
    wolkvox_ip_address: '127.0.0.1',
    wolkvox_owner: { user: 'api', nombre: 'API', id: '1', email: 'api@example.com' },
    wolkvox_id: g.wolkvoxId,
  };
}
