/**
 * An independent implementation of the documented CRM collections API (insertGestion, queryGestion,
 * tokenInformation), written from the API facts alone — not from the project's emulator — and taking
 * the open readings the other way: `code` "200" and `error` "null" as strings everywhere; error
 * messages in `error` (with `msg` "null"); "nothing found" as `data: []` or as HTTP 404 NO RECORDS
 * FOUND; tokenInformation refuses POST with 405 (GET only); optionally the token read only from the
 * JSON body (`"wolkvox-token"`); `limit` <= 250 (more is refused), default 20, `page` 1-based (0 is
 * refused); returned dates as DATETIME (`2026-11-20 00:00:00`), times with seconds, absent fields as
 * null, a numeric `agent_id` as a JSON number. Faults are chosen by a seeded hash of (call id,
 * attempt), so a row meets the same fault whatever order the requests arrive in. Every request is
 * logged, for a call-by-call audit.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenLoopback } from './helpers.ts';

export type InsertFault = '500-after' | 'reset-after' | '200-error' | 'busy' | 'slow' | 'stall';

export interface CrmOptions {
  token: string;
  seed: number;
  notFound: 'empty' | '404';
  tokenFrom?: 'header' | 'body';
  /** Rates of each insert fault (0..1), drawn per (call id, attempt). */
  insertFaults?: Partial<Record<InsertFault, number>>;
  /** Rate of a 502 (a proxy's HTML page) on a query, per (field, value, page, attempt). */
  queryFault?: number;
  /** Faults forced on given call ids, attempt by attempt (1-based: index 0 = first attempt). */
  forced?: Record<string, (InsertFault | undefined)[]>;
  quota?: number;
  /** The fields queryGestion searches by (default: any); another is refused inside a 200: code "400", FIELD NOT FOUND. */
  searchable?: string[];
  /** Columns of a numeric type: queryGestion returns them as JSON numbers ("01" → 1). */
  numeric?: string[];
  /** Columns stored cut to a width (a VARCHAR): queryGestion returns what was kept. */
  widths?: Record<string, number>;
}

export interface Committed {
  wolkvoxId: string;
  operation: string;
  fields: Record<string, string>;
}

export interface LogEntry {
  kind: 'insert' | 'query' | 'token' | 'other';
  method: string;
  status: number | 'reset';
  /** insert: the call id; query: the value searched. */
  key?: string;
  page?: number;
  limit?: number;
  field?: string;
  fault?: string;
  committed?: string;
  bodyToken: boolean;
}

const P = '/server/API/v2';
const DOCUMENTED = [
  'tipifycation_code', 'tipifycation_desc', 'module', 'id_customer', 'customer_id', 'wolkvox_idRecord', 'wolkvox_idCall',
  'client_name', 'client_lastname', 'client_type_document', 'client_telephone', 'agent_name', 'agent_id',
  'type_interaction', 'time', 'date', 'campaign_id', 'tipification_code', 'tipification_description',
  'wolkvox_idCustomer', 'wolkvox_phoneCall', 'wolkvox_CrmPhoneCall', 'obligation',
];

/** [0, 1) from a seed and a key: FNV-1a, then a murmur finaliser. */
function chance(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

export class IndependentCrm {
  readonly committed: Committed[] = [];
  readonly log: LogEntry[] = [];
  /** Requests that arrived while 2 were in flight on the token (the client broke the limit). */
  over = 0;
  maxInflight = 0;
  url = '';
  private inflight = 0;
  private calls = 0;
  private next = 0x5a3c0;
  private readonly attempts = new Map<string, number>();
  private readonly server: Server;

  constructor(readonly o: CrmOptions) {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<this> {
    this.url = await listenLoopback(this.server);
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  /** A gestión already in the CRM (inserted before the run, by someone else). */
  seed(operation: string, fields: Record<string, string>): string {
    const wolkvoxId = this.newId();
    this.committed.push({ wolkvoxId, operation, fields: { module: 'collections', ...fields } });
    return wolkvoxId;
  }

  /** The quota counter resets (the next day). */
  newDay(): void {
    this.calls = 0;
  }

  entries(kind: LogEntry['kind']): LogEntry[] {
    return this.log.filter((e) => e.kind === kind);
  }

  private newId(): string {
    return (this.next++).toString(16) + 'cb';
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.route(req, res, Buffer.concat(chunks).toString('utf8')));
  }

  private route(req: IncomingMessage, res: ServerResponse, text: string): void {
    const path = (req.url ?? '').split('?')[0];
    let body: Record<string, unknown> = {};
    try {
      const b = JSON.parse(text || '{}') as unknown;
      if (b && typeof b === 'object' && !Array.isArray(b)) body = b as Record<string, unknown>;
    } catch {
      // not JSON: refused below as a missing parameter
    }
    const e: LogEntry = { kind: 'other', method: req.method ?? '', status: 0, bodyToken: body['wolkvox-token'] !== undefined };
    this.log.push(e);
    if (path === `${P}/token/tokenInformation.php`) e.kind = 'token';
    else if (path === `${P}/collections/insertGestion.php`) e.kind = 'insert';
    else if (path === `${P}/collections/queryGestion.php`) e.kind = 'query';
    else return this.error(res, e, 400, 'THE API YOU WANT TO CONSULT DOES NOT EXIST');
    if (e.kind === 'token' && req.method !== 'GET') return this.error(res, e, 405, 'METHOD NOT ALLOWED');
    if (e.kind !== 'token' && req.method !== 'POST') return this.error(res, e, 405, 'METHOD NOT ALLOWED');
    const header = req.headers['wolkvox-token'];
    const token = this.o.tokenFrom === 'body' && e.kind !== 'token' ? body['wolkvox-token'] : header;
    if (typeof token !== 'string' || token === '') return this.error(res, e, 401, 'PLEASE ENTER THE WOLKVOX-TOKEN');
    if (token !== this.o.token) return this.error(res, e, 403, 'PLEASE VALIDATE TOKEN');
    this.calls++;
    if (this.inflight >= 2) {
      this.over++;
      return this.error(res, e, 403, 'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)');
    }
    if (this.calls > (this.o.quota ?? 1e9)) return this.error(res, e, 403, 'TOKEN LIMIT EXCEEDED');
    this.inflight++;
    this.maxInflight = Math.max(this.maxInflight, this.inflight);
    if (e.kind === 'token') return this.tokenInfo(res, e);
    if (e.kind === 'insert') return this.insert(res, e, body);
    return this.query(res, e, body);
  }

  /** Answers (and frees the in-flight slot first: the client may send its next request as soon as it reads this). */
  private send(res: ServerResponse, e: LogEntry, status: number, payload: unknown, counted = true): void {
    if (counted) this.inflight--;
    e.status = status;
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/html' : 'application/json; charset=utf-8' });
    res.end(text);
  }

  private error(res: ServerResponse, e: LogEntry, status: number, message: string, counted = false): void {
    this.send(res, e, status, { code: String(status), error: message, msg: 'null' }, counted);
  }

  private later(ms: number, f: () => void): void {
    setTimeout(f, ms);
  }

  private tokenInfo(res: ServerResponse, e: LogEntry): void {
    const limit = this.o.quota ?? 100_000;
    this.send(res, e, 200, { code: '200', error: 'null', msg: 'null', data: {
      description: 'token de pruebas', token_limit: String(limit), token_use_today: String(this.calls),
      available_consumition_options: String(Math.max(0, limit - this.calls)), hours_to_restart_count: '7',
    } });
  }

  private fault(key: string): InsertFault | undefined {
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const forced = this.o.forced?.[key.replace(/^insert:/, '')];
    if (forced) return forced[attempt - 1];
    let x = chance(this.o.seed, `${key}#${attempt}`);
    for (const [f, rate] of Object.entries(this.o.insertFaults ?? {}) as [InsertFault, number][]) {
      if (x < rate) return f;
      x -= rate;
    }
    return undefined;
  }

  private insert(res: ServerResponse, e: LogEntry, body: Record<string, unknown>): void {
    const f = body.fields as Record<string, unknown> | undefined;
    const operation = str(body.operation);
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(f && typeof f === 'object' ? f : {})) if (str(v) !== undefined) fields[k] = str(v)!;
    e.key = fields.wolkvox_idCall;
    const code = fields.tipifycation_code || fields.tipification_code;
    const desc = fields.tipifycation_desc || fields.tipification_desc || fields.tipification_description;
    if (!operation || fields.module !== 'collections' || !code || !desc || !fields.wolkvox_idRecord) return this.error(res, e, 400, 'SOME PARAMETERS ARE REQUIRED', true);
    const fault = this.fault(`insert:${e.key ?? JSON.stringify(fields)}`);
    e.fault = fault;
    if (fault === 'busy') return this.error(res, e, 403, 'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)', true);
    if (fault === '200-error') return this.send(res, e, 200, { code: '500', error: 'INTERNAL SERVER ERROR', msg: 'null', data: null });
    const wolkvoxId = this.newId();
    const kept = { ...fields };
    for (const [k, w] of Object.entries(this.o.widths ?? {})) if (kept[k] !== undefined) kept[k] = kept[k].slice(0, w);
    this.committed.push({ wolkvoxId, operation, fields: kept });
    e.committed = wolkvoxId;
    if (fault === 'reset-after') {
      this.inflight--;
      e.status = 'reset';
      res.socket?.destroy();
      return;
    }
    if (fault === '500-after') return this.send(res, e, 500, '<html><body><h1>500 Internal Server Error</h1></body></html>');
    const ok = () => this.send(res, e, 200, { code: '200', error: 'null', msg: 'Succesfully create record', data: { wolkvox_id: wolkvoxId } });
    if (fault === 'slow') this.later(80 + Math.floor(chance(this.o.seed, `slow:${e.key}`) * 220), ok);
    // Committed, answered long after any client gave up: like a PHP worker, the slot stays taken until it answers.
    else if (fault === 'stall') this.later(2500, ok);
    else ok();
  }

  private query(res: ServerResponse, e: LogEntry, body: Record<string, unknown>): void {
    const operation = str(body.operation);
    const field = str(body.field);
    const value = str(body.value);
    const limit = body.limit === undefined ? 20 : Number(body.limit);
    const page = body.page === undefined ? 1 : Number(body.page);
    Object.assign(e, { key: value, field, page, limit });
    if (!operation || !field || !value || !Number.isInteger(limit) || limit < 1 || limit > 250 || !Number.isInteger(page) || page < 1) {
      return this.error(res, e, 400, 'SOME PARAMETERS ARE REQUIRED', true);
    }
    if (this.o.searchable && !this.o.searchable.includes(field)) return this.send(res, e, 200, { code: '400', error: 'FIELD NOT FOUND', msg: 'null' });
    const key = `query:${field}=${value}@${page}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    if (chance(this.o.seed, `${key}#${attempt}`) < (this.o.queryFault ?? 0)) {
      // A proxy in front failing: nothing the client can read.
      e.fault = '502';
      return this.send(res, e, 502, '<html><head><title>502 Bad Gateway</title></head></html>');
    }
    const all = this.committed.filter((g) => g.operation === operation && g.fields[field] === value);
    const rows = all.slice((page - 1) * limit, page * limit);
    if (rows.length === 0 && this.o.notFound === '404') return this.error(res, e, 404, 'NO RECORDS FOUND', true);
    const data = rows.map(returned).map((g) => {
      for (const k of this.o.numeric ?? []) if (typeof g[k] === 'string' && /^\d+$/.test(g[k])) g[k] = Number(g[k]);
      return g;
    });
    this.send(res, e, 200, { code: '200', error: 'null', msg: `${rows.length} records were are found`, data });
  }
}

/** A stored gestión as queryGestion returns it: every documented field (null when not sent), DATETIME dates, times with seconds. */
function returned(g: Committed): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of DOCUMENTED) out[k] = g.fields[k] ?? null;
  for (const [k, v] of Object.entries(g.fields)) if (!(k in out)) out[k] = v;
  const date = g.fields.date;
  if (date !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(date)) out.date = `${date} 00:00:00`;
  const time = /^(\d{1,2}):(\d{2})$/.exec(g.fields.time ?? '');
  if (time) out.time = `${time[1]!.padStart(2, '0')}:${time[2]}:00`;
  if (/^[1-9]\d*$/.test(g.fields.agent_id ?? '')) out.agent_id = Number(g.fields.agent_id);
  return {
    ...out,
    wolkvox_usuario_creacion: 'api.integracion',
    wolkvox_origen: 'API REST /collections/insertGestion.php',
    wolkvox_fecha_creacion: '2026-12-01 10:00:00',
    wolkvox_ip_address: '127.0.0.1',
    wolkvox_owner: { user: 'api', nombre: 'Integracion', id: '7', email: 'api@example.com' },
    wolkvox_id: g.wolkvoxId,
  };
}
