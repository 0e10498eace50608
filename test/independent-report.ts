/**
 * An INDEPENDENT implementation of the documented Manager report API, for
 * test/e2e/report-independent.test.ts (the CLI against it) and
 * test/e2e/report-independent-fetch.test.ts (the product's fetch against it, in the test's process).
 * It is written from the documented facts only, not from the project's emulator, and reads what the
 * docs leave open the other way round: `date_end` exclusive, answers in no time order, the cap keeping
 * an arbitrary subset (not the earliest records) at another size, empty windows as 404 "Validate dates
 * entered", faults (5xx, resets, bodies that are not JSON, a 200 whose `code` is 4xx, answers that
 * echo the token), and another synthetic dialer (bursts in one second, calls on window edges and
 * around midnight, a day with no call).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { closeServer, listenLoopback } from './helpers.ts';

export const MGR = 'mgr-INDEP-secret-9d41c2';
export const CRM = 'crm-INDEP-secret-55e0aa';
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** The dialer's zone: America/Bogota, UTC-5 all year. */
const OFFSET = 5 * HOUR;

// ---------------------------------------------------------------- the synthetic dialer

export interface DialCall {
  /** Whole seconds, epoch ms. */
  t: number;
  connId: string;
  customerId: string;
  codAct: string;
  desc: string;
}

/** A small seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Midnight of a Bogota day. */
export const bogota = (day: string): number => Date.parse(`${day}T00:00:00Z`) + OFFSET;
/** `YYYY-MM-DD HH:mm:ss`, Bogota wall clock (how the docs show `date`). */
export const wall = (t: number): string => new Date(t - OFFSET).toISOString().slice(0, 19).replace('T', ' ');
/** `YYYY-MM-DDTHH:mm` for --since / --until. */
export const flagTime = (t: number): string => new Date(t - OFFSET).toISOString().slice(0, 16);
/** `YYYYmmddHHiiss` → epoch ms, or NaN. */
function apiTime(s: string | null): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s ?? '');
  if (!m) return Number.NaN;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return Number.NaN;
  return Date.UTC(y, mo - 1, d, h, mi, se) + OFFSET;
}

export class Dialer {
  readonly calls: DialCall[] = [];
  private n = 0;
  private readonly rnd: () => number;
  private readonly tag: string;

  constructor(seed: number) {
    this.rnd = prng(seed);
    this.tag = seed.toString(36);
  }

  /** One call at `t` (whole second); about 1 in 12 untypified (TIMEOUTACW), 1 in 30 a test call, 1 in 40 with no typification. */
  add(t: number): DialCall {
    const i = this.n++;
    const u = this.rnd();
    const [codAct, desc] = u < 0.08 ? ['TIMEOUTACW', ''] : u < 0.11 ? ['77', 'Prueba de marcador'] : u < 0.135 ? ['', ''] : ['0' + String(1 + (i % 9)), `ACUERDO, "PAGO" ${i % 5}`];
    const c: DialCall = { t: Math.floor(t / 1000) * 1000, connId: `${this.tag}.${i.toString(16).padStart(6, '0')}`, customerId: `CC${1000 + (i % 700)}`, codAct, desc };
    this.calls.push(c);
    return c;
  }

  /** `n` calls spread at random over [from, to). */
  spread(from: number, to: number, n: number): void {
    for (let i = 0; i < n; i++) this.add(from + Math.floor(this.rnd() * ((to - from) / 1000)) * 1000);
  }

  /** `n` calls in the same second. */
  burst(t: number, n: number): void {
    for (let i = 0; i < n; i++) this.add(t);
  }

  in(from: number, to: number, visible: (c: DialCall) => boolean = () => true): DialCall[] {
    return this.calls.filter((c) => c.t >= from && c.t < to && visible(c));
  }

  /** The CRM export a lookup reads (every customer but CC1013: its calls are invalid rows). */
  recordsCsv(): string {
    const lines = ['customer_id,wolkvox_idRecord,client_name'];
    for (let k = 0; k < 700; k++) if (k !== 13) lines.push(`CC${1000 + k},${(0x5000 + k).toString(16).padStart(24, 'a')},Cliente ${k}`);
    return lines.join('\n') + '\n';
  }
}

/** The record as the API would send it: every value a string, keys in an order of their own. */
function record(c: DialCall): Record<string, string> {
  return {
    conn_id: c.connId, date: wall(c.t), customer_id: c.customerId, cod_act: c.codAct, description_cod_act: c.desc,
    agent_name: 'Ágata Muñoz', destiny: '3001234567', telephone: '(300) 765-4321', cost: '0', time_seg: String(c.t % 97), time_min: '1',
    cod_act_2: '-', description_cod_act_2: '', type_interaction: 'out_pre', hang_up: 'agent', campaign_id: '881', skill_id: '12', skill_name: 'Cobro', agent_id: '4410',
    comment: 'línea 1\nlínea 2, "citada"',
  };
}

/** A call the cdr_1 preset sends (not TIMEOUTACW, not a test call, typified, customer known). */
export const importable = (c: DialCall): boolean => c.codAct !== '' && c.codAct !== 'TIMEOUTACW' && !/^prueba/i.test(c.desc) && c.customerId !== 'CC1013';

// ---------------------------------------------------------------- the independent report server

export type Fault = 'status500' | 'reset' | 'html200' | 'code429in200' | 'echo500' | 'hang' | 'slow' | 'code401in200' | 'quota403';

interface Served {
  ini: number;
  end: number;
  at: number;
  status: number;
  records: number;
  fault?: Fault;
}

export interface ServerOptions {
  dialer: Dialer;
  /** Records per answer at most; above it an arbitrary subset of this size is sent (silently: msg says `cap` found). */
  cap: number;
  /** Which calls are written yet (default all). */
  visible?: (c: DialCall) => boolean;
  /** Faults for the next report requests, in order (one each; null: that request is answered normally). */
  faults?: (Fault | null)[];
  /** Slow answers: ms before the headers. */
  slowMs?: number;
  /** A hook run on each report request (e.g. to kill the client). */
  onRequest?: (n: number) => void;
  /** 'shuffled' (default): records in no order, a capped answer an arbitrary subset; 'latest' / 'earliest': a capped answer keeps the latest / earliest records, in time order. */
  order?: 'shuffled' | 'latest' | 'earliest';
}

export class ReportServer {
  readonly served: Served[] = [];
  inflight = 0;
  maxInflight = 0;
  overLimit = 0;
  requests = 0;
  faults: (Fault | null)[];
  visible: (c: DialCall) => boolean;
  url = '';
  private readonly server: Server;
  private readonly o: ServerOptions;

  constructor(o: ServerOptions) {
    this.o = o;
    this.faults = [...(o.faults ?? [])];
    this.visible = o.visible ?? (() => true);
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async listen(): Promise<this> {
    this.url = await listenLoopback(this.server);
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  /** Report calls answered with records or 404 (faults and refusals not counted). */
  get answered(): number {
    return this.served.filter((s) => s.fault === undefined && (s.status === 200 || s.status === 404)).length;
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json; charset=utf-8' });
    res.end(text);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/v2/reports_manager.php' || req.method !== 'GET') return this.send(res, 404, { code: 404, error: 'Not Found', msg: null, data: [] });
    if (req.headers['wolkvox-token'] !== MGR) return this.send(res, 401, { code: 401, error: `Invalid token ${String(req.headers['wolkvox-token'])}`, msg: null, data: [] });
    const n = ++this.requests;
    this.inflight++;
    if (this.inflight > 2) this.overLimit++;
    this.maxInflight = Math.max(this.maxInflight, this.inflight);
    let ended = false;
    const done = () => {
      if (!ended) this.inflight--;
      ended = true;
    };
    res.on('close', done);
    this.o.onRequest?.(n);
    const ini = apiTime(url.searchParams.get('date_ini'));
    const end = apiTime(url.searchParams.get('date_end'));
    const entry: Served = { ini, end, at: Date.now(), status: 0, records: 0 };
    this.served.push(entry);
    if (this.inflight > 2) return this.reply(res, entry, 403, { code: 403, error: 'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS', msg: null, data: [] });
    if (url.searchParams.get('api') !== 'cdr_1' || Number.isNaN(ini) || Number.isNaN(end) || end <= ini || end - ini > 31 * DAY) {
      return this.reply(res, entry, 400, { code: 400, error: 'SOME PARAMETERS ARE REQUIRED', msg: null, data: [] });
    }
    const fault = this.faults.shift();
    if (fault !== undefined && fault !== null) return this.fault(fault, req, res, entry);
    this.answer(res, entry);
  }

  private reply(res: ServerResponse, entry: Served, status: number, body: unknown): void {
    entry.status = status;
    this.send(res, status, body);
  }

  /** `[ini, end)`: date_end exclusive; records in no time order; over the cap, an arbitrary subset. */
  private answer(res: ServerResponse, entry: Served): void {
    const found = this.o.dialer.in(entry.ini, entry.end, this.visible);
    if (found.length === 0) return this.reply(res, entry, 404, { code: 404, error: 'Validate dates entered', msg: 'No records were found', data: [] });
    const rnd = prng(entry.ini / 1000 + entry.end / 7000);
    const shuffled = [...found];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const sorted = () => [...found].sort((a, b) => a.t - b.t);
    const sent = this.o.order === 'latest' ? sorted().slice(-this.o.cap) : this.o.order === 'earliest' ? sorted().slice(0, this.o.cap) : shuffled.slice(0, this.o.cap);
    entry.records = sent.length;
    this.reply(res, entry, 200, { code: '200', error: null, msg: `${sent.length} records were found`, data: sent.map(record) });
  }

  private fault(f: Fault, req: IncomingMessage, res: ServerResponse, entry: Served): void {
    entry.fault = f;
    switch (f) {
      case 'status500': return this.reply(res, entry, 500, { code: 500, error: 'Internal Server Error', msg: null, data: null });
      case 'echo500': return this.reply(res, entry, 502, `<html>Bad gateway for token ${MGR}</html>`);
      case 'reset': return void req.socket.destroy();
      case 'html200': return this.reply(res, entry, 200, '<html><body>Mantenimiento programado</body></html>');
      case 'code429in200': return this.reply(res, entry, 200, { code: 429, error: 'Too Many Requests', msg: null, data: [] });
      case 'code401in200': return this.reply(res, entry, 200, { code: 401, error: `token ${MGR} is not valid`, msg: null, data: [] });
      case 'quota403': return this.reply(res, entry, 403, { code: 403, error: 'TOKEN LIMIT EXCEEDED', msg: `limit reached for ${MGR}`, data: [] });
      case 'hang': return; // never answers: the client's timeout ends it
      case 'slow': {
        const timer = setTimeout(() => this.answer(res, entry), this.o.slowMs ?? 1000);
        res.on('close', () => clearTimeout(timer));
        return;
      }
    }
  }
}

// ---------------------------------------------------------------- audits both test files use

/** The snapshot's conn_id column (rows read as arrays: no object per record). */
export function connIds(path: string): string[] {
  const [header, ...rows] = parse(readFileSync(path, 'utf8'), { skip_empty_lines: true }) as string[][];
  const at = header!.indexOf('conn_id');
  assert.ok(at >= 0, 'the snapshot has a conn_id column');
  return rows.map((r) => r[at]!);
}

/** Every call of `expected` exactly once in the snapshot, nothing else. */
export function auditSnapshot(path: string, expected: DialCall[]): string[] {
  const got = connIds(path);
  assert.equal(new Set(got).size, got.length, 'no call twice in the snapshot');
  const want = new Set(expected.map((c) => c.connId));
  assert.deepEqual(got.filter((c) => !want.has(c)), [], 'no call outside the range in the snapshot');
  const gotSet = new Set(got);
  assert.deepEqual(expected.map((c) => c.connId).filter((c) => !gotSet.has(c)), [], 'every call of the range in the snapshot');
  return got;
}

/** The protocol as the server saw it: ≤ 2 in flight, well-formed windows, never past `latest`. */
export function auditProtocol(mgr: ReportServer, latest?: number): void {
  assert.equal(mgr.overLimit, 0, 'never more than 2 requests in flight on the Manager token');
  assert.ok(mgr.maxInflight <= 2);
  for (const s of mgr.served) {
    assert.ok(!Number.isNaN(s.ini) && !Number.isNaN(s.end) && s.end > s.ini, `well-formed window ${s.ini}..${s.end}`);
    assert.ok(s.ini % 1000 === 0 && s.end % 1000 === 0);
    if (latest !== undefined) assert.ok(s.end <= latest, `date_end ${wall(s.end)} not later than ${wall(latest)}`);
  }
}
