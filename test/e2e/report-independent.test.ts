/**
 * `import --report` against an INDEPENDENT implementation of the documented Manager report API
 * (written here from the documented facts only, not the project's emulator), reading what the docs
 * leave open the other way round: `date_end` exclusive, answers in no time order, the cap keeping an
 * arbitrary subset (not the earliest records) at another size, empty windows as 404 "Validate dates
 * entered", faults (5xx, resets, bodies that are not JSON, a 200 whose `code` is 4xx, answers that
 * echo the token), and another synthetic dialer (bursts in one second, calls on window edges and
 * around midnight, a day with no call). The CRM side is the project's emulator. Audited call by call.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import pino from 'pino';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { fetchReport } from '../../src/manager/fetch.ts';
import { ManagerError } from '../../src/errors.ts';
import { audit } from '../audit.ts';
import { closeServer, listenLoopback, readResults, runCli, startCli, tmp, until, type CliRun } from '../helpers.ts';
import { storedWatermark } from '../state-file.ts';

const MGR = 'mgr-INDEP-secret-9d41c2';
const CRM = 'crm-INDEP-secret-55e0aa';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The dialer's zone: America/Bogota, UTC-5 all year. */
const OFFSET = 5 * HOUR;

// ---------------------------------------------------------------- the synthetic dialer

interface DialCall {
  /** Whole seconds, epoch ms. */
  t: number;
  connId: string;
  customerId: string;
  codAct: string;
  desc: string;
}

/** A small seeded PRNG (mulberry32). */
function prng(seed: number): () => number {
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
const bogota = (day: string): number => Date.parse(`${day}T00:00:00Z`) + OFFSET;
/** `YYYY-MM-DD HH:mm:ss`, Bogota wall clock (how the docs show `date`). */
const wall = (t: number): string => new Date(t - OFFSET).toISOString().slice(0, 19).replace('T', ' ');
/** `YYYY-MM-DDTHH:mm` for --since / --until. */
const flagTime = (t: number): string => new Date(t - OFFSET).toISOString().slice(0, 16);
/** `YYYYmmddHHiiss` → epoch ms, or NaN. */
function apiTime(s: string | null): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s ?? '');
  if (!m) return Number.NaN;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return Number.NaN;
  return Date.UTC(y, mo - 1, d, h, mi, se) + OFFSET;
}

class Dialer {
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
const importable = (c: DialCall): boolean => c.codAct !== '' && c.codAct !== 'TIMEOUTACW' && !/^prueba/i.test(c.desc) && c.customerId !== 'CC1013';

// ---------------------------------------------------------------- the independent report server

type Fault = 'status500' | 'reset' | 'html200' | 'code429in200' | 'echo500' | 'hang' | 'slow' | 'code401in200' | 'quota403';

interface Served {
  ini: number;
  end: number;
  at: number;
  status: number;
  records: number;
  fault?: Fault;
}

interface ServerOptions {
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

class ReportServer {
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

// ---------------------------------------------------------------- the CLI side

const servers: { close(): Promise<void> }[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function startServers(o: ServerOptions): Promise<{ mgr: ReportServer; emu: Emulator }> {
  const mgr = await new ReportServer(o).listen();
  const emu = await startEmulator({ latencyMs: 0, tokens: [CRM] });
  servers.push(mgr, emu);
  return { mgr, emu };
}

interface Setup {
  dir: string;
  mgr: ReportServer;
  emu: Emulator;
  outputs: string[];
}

function setup(mgr: ReportServer, emu: Emulator, dialer: Dialer): Setup {
  const dir = tmp('wvx-indep-');
  writeFileSync(join(dir, 'crm_records.csv'), dialer.recordsCsv());
  return { dir, mgr, emu, outputs: [] };
}

interface Summary {
  out: string;
  stopped: { reason: string } | null;
  managerReport: { snapshot: string; from: string; to: string; watermark?: string; managerCalls: number; fromSnapshot: boolean; windows: { from: string; to: string; records: number }[] };
}

function args(s: Setup, extra: string[]): string[] {
  return ['import', '--report', 'cdr_1', '--manager-server', s.mgr.url, '--server', s.emu.url, '--operation', 'op', '--preset', 'cdr_1',
    '--lookup', `records=${join(s.dir, 'crm_records.csv')}`, '--state', join(s.dir, 'state.sqlite'), '--json', ...extra];
}

const ENV = (extra: Record<string, string> = {}) => ({ WOLKVOX_TOKEN: CRM, WOLKVOX_MANAGER_TOKEN: MGR, ...extra });

function summaryOf(run: CliRun): Summary | undefined {
  const line = run.stdout.trim().split('\n').pop();
  return line?.startsWith('{') ? (JSON.parse(line) as Summary) : undefined;
}

async function cli(s: Setup, extra: string[], env: Record<string, string> = {}): Promise<{ run: CliRun; json: Summary | undefined }> {
  const run = await runCli(args(s, extra), { cwd: s.dir, env: ENV(env) });
  s.outputs.push(run.stdout, run.stderr);
  return { run, json: summaryOf(run) };
}

const okExit = (run: CliRun) => assert.ok([0, 1].includes(run.code ?? -1), `exit ${run.code}: ${run.stderr.slice(-1500)}`);

/** The snapshot's conn_id column (rows read as arrays: no object per record). */
function connIds(path: string): string[] {
  const [header, ...rows] = parse(readFileSync(path, 'utf8'), { skip_empty_lines: true }) as string[][];
  const at = header!.indexOf('conn_id');
  assert.ok(at >= 0, 'the snapshot has a conn_id column');
  return rows.map((r) => r[at]!);
}

/** Every call of `expected` exactly once in the snapshot, nothing else. */
function auditSnapshot(path: string, expected: DialCall[]): string[] {
  const got = connIds(path);
  assert.equal(new Set(got).size, got.length, 'no call twice in the snapshot');
  const want = new Set(expected.map((c) => c.connId));
  assert.deepEqual(got.filter((c) => !want.has(c)), [], 'no call outside the range in the snapshot');
  const gotSet = new Set(got);
  assert.deepEqual(expected.map((c) => c.connId).filter((c) => !gotSet.has(c)), [], 'every call of the range in the snapshot');
  return got;
}

/** Nothing inserted twice; every importable call of `expected` inserted. Returns how many. */
function auditInserted(emu: Emulator, expected: DialCall[]): number {
  const ids = emu.inserted.map((g) => String(g.fields.wolkvox_idCall));
  assert.equal(new Set(ids).size, ids.length, 'no call inserted twice');
  const inserted = new Set(ids);
  const want = expected.filter(importable).map((c) => c.connId);
  assert.deepEqual(want.filter((c) => !inserted.has(c)), [], 'every importable call inserted');
  const wantAll = new Set(expected.map((c) => c.connId));
  assert.deepEqual(ids.filter((c) => !wantAll.has(c)), [], 'nothing inserted that is not a call of the range');
  return want.length;
}

/** The tokens in no output, file or log; files private. */
function auditSecrets(s: Setup): void {
  for (const text of s.outputs) assert.ok(!text.includes(MGR) && !text.includes(CRM), 'no token in any output');
  const reports = join(s.dir, 'reports');
  for (const f of existsSync(reports) ? readdirSync(reports) : []) {
    assert.ok(!readFileSync(join(reports, f), 'utf8').includes(MGR), `${f} holds no token`);
    assert.equal(statSync(join(reports, f)).mode & 0o777, 0o600, `${f} is private`);
  }
}

/** The protocol as the server saw it: ≤ 2 in flight, well-formed windows, never past `latest`. */
function auditProtocol(mgr: ReportServer, latest?: number): void {
  assert.equal(mgr.overLimit, 0, 'never more than 2 requests in flight on the Manager token');
  assert.ok(mgr.maxInflight <= 2);
  for (const s of mgr.served) {
    assert.ok(!Number.isNaN(s.ini) && !Number.isNaN(s.end) && s.end > s.ini, `well-formed window ${s.ini}..${s.end}`);
    assert.ok(s.ini % 1000 === 0 && s.end % 1000 === 0);
    if (latest !== undefined) assert.ok(s.end <= latest, `date_end ${wall(s.end)} not later than ${wall(latest)}`);
  }
}

/** The watermark as `runs --json` prints it (the command an operator reads it with). */
async function watermarkCli(s: Setup): Promise<number | undefined> {
  const r = await runCli(['runs', '--state', join(s.dir, 'state.sqlite'), '--json'], { cwd: s.dir });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{"watermark"'));
  return line ? Date.parse(JSON.parse(line).watermark.untilAt as string) : undefined;
}

/** The watermark read from the state file in this process (what `runs` lists; no CLI start for each look between runs). */
function watermark(s: Setup): Promise<number | undefined> {
  return Promise.resolve(storedWatermark(join(s.dir, 'state.sqlite')));
}

// ---------------------------------------------------------------- the tests

describe('import --report against an independent report API', () => {
  // Each test has its own servers, directory and state file: the CLI runs go three at a time. The fetches in this
  // process go one at a time (their Manager-call counts are read from one fetch alone).
  describe('the CLI', { concurrency: 3 }, () => {
    it('three days (bursts, edges, midnight, an empty day), cap 300 as an arbitrary subset, faults: every call once', { timeout: 120_000 }, async () => {
      const d = new Dialer(16);
      const d1 = bogota('2026-10-05');
      const d2 = d1 + DAY;
      const d3 = d2 + DAY;
      const d4 = d3 + DAY;
      d.burst(d1, 7); // 00:00:00: the range's first second
      d.spread(d1, d2, 1900);
      for (let h = 1; h < 24; h++) d.burst(d1 + h * HOUR, 3); // on every hour (likely window edges)
      d.burst(d1 + 9 * HOUR + 17 * 60_000, 240); // a burst of 240 calls in one second, under the cap
      d.burst(d1 + 12 * HOUR, 120); // midday: the middle of the day, where a halving cuts
      d.burst(d2 - 1000, 5); // 23:59:59
      // d2: no call at all
      d.burst(d3, 4); // 00:00:00 after the empty day
      d.spread(d3, d4, 500);
      d.burst(d4 - 1000, 3);
      d.burst(d4, 6); // the range's end: NOT in this range (date_end exclusive, --until exclusive)
      // Each fault followed by two normal answers: the faults fall on different windows and attempts (five in a row
      // on one window, with the backoff growing to its fifth step, is test/manager/fetch.test.ts's retry test).
      const faults: Fault[] = ['status500', 'reset', 'html200', 'code429in200', 'echo500'];
      const { mgr, emu } = await startServers({ dialer: d, cap: 300, faults: faults.flatMap((f) => [f, null, null]) });
      const s = setup(mgr, emu, d);
      const t0 = Date.now();
      const { run, json } = await cli(s, ['--since', '2026-10-05', '--until', '2026-10-08', '--log-file', join(s.dir, 'reports', 'run.log')], { WOLKVOX_MANAGER_SPLIT_AT: '300' });
      okExit(run);
      const expected = d.in(d1, d4);
      const snap = auditSnapshot(json!.managerReport.snapshot, expected);
      const counts = audit(readResults(json!.out), emu.inserted, { calls: snap, callColumn: 'conn_id' });
      const inserted = auditInserted(emu, expected);
      assert.equal(counts.ok, inserted, 'every importable call ok');
      auditProtocol(mgr, t0);
      auditSecrets(s);
      assert.ok(readFileSync(join(s.dir, 'reports', 'run.log'), 'utf8').length > 0);
      // Manager calls: the faulted ones are retries; the rest against the minimum (one call per 300 records).
      const minimum = Math.ceil(expected.length / 300);
      assert.equal(json!.managerReport.managerCalls, mgr.requests, 'the summary counts every Manager call');
      console.log(`[independent] ${expected.length} calls, ${inserted} inserted, Manager calls ${mgr.requests} (${faults.length} faulted), minimum ${minimum}, windows ${json!.managerReport.windows.length}`);
      assert.deepEqual(mgr.served.filter((x) => x.fault !== undefined).map((x) => x.fault), faults, 'every fault was met');
      assert.ok(mgr.requests - faults.length <= 2 * minimum, `Manager calls ${mgr.requests - faults.length} (without the faulted) ≤ 2 × the minimum ${minimum}`);
      // The watermark is the range's end: the empty day and the edge records settled.
      assert.equal(await watermarkCli(s), d4);
    });

    it('a one-second window still at the cap stops with the coded error naming that second; nothing imported', { timeout: 60_000 }, async () => {
      const d = new Dialer(7);
      const day = bogota('2026-10-12');
      d.spread(day, day + DAY, 200);
      const second = day + 14 * HOUR + 3 * 60_000 + 9_000;
      d.burst(second, 301);
      const { mgr, emu } = await startServers({ dialer: d, cap: 300 });
      const s = setup(mgr, emu, d);
      const { run } = await cli(s, ['--since', '2026-10-12'], { WOLKVOX_MANAGER_SPLIT_AT: '300' });
      assert.equal(run.code, 3, run.stderr.slice(-1500));
      assert.match(run.stderr, /at the API's cap .* cannot be fetched completely/);
      assert.ok(run.stderr.includes(`${wall(second)} .. ${wall(second + 1000)}`), `names the second: ${run.stderr.slice(-800)}`);
      assert.equal(emu.inserted.length, 0, 'nothing inserted');
      const reports = join(s.dir, 'reports');
      assert.deepEqual(existsSync(reports) ? readdirSync(reports).filter((f) => f.includes('snapshot')) : [], [], 'no snapshot (nor .partial) left');
      auditProtocol(mgr);
      auditSecrets(s);
    });

    it('an explicit run after a gap leaves the watermark; --since last then imports the gap: every call once', { timeout: 120_000 }, async () => {
      const d = new Dialer(23);
      const d5 = bogota('2026-10-05');
      for (let i = 0; i < 4; i++) d.spread(d5 + i * DAY, d5 + (i + 1) * DAY, 60);
      const { mgr, emu } = await startServers({ dialer: d, cap: 1000 });
      const s = setup(mgr, emu, d);
      okExit((await cli(s, ['--since', '2026-10-05', '--until', '2026-10-06'])).run);
      assert.equal(await watermark(s), d5 + DAY);
      // The night of the 6th and the 7th never ran; someone imports the 8th by hand.
      okExit((await cli(s, ['--since', '2026-10-08'])).run);
      assert.equal(await watermark(s), d5 + DAY, 'a run that started after the watermark does not move it past the calls it skipped');
      const { run, json } = await cli(s, ['--since', 'last', '--until', '2026-10-09']);
      okExit(run);
      assert.equal(Date.parse(json!.managerReport.from), d5 + DAY - 10 * 60_000);
      assert.equal(await watermark(s), d5 + 4 * DAY);
      assert.ok(auditInserted(emu, d.in(d5, d5 + 4 * DAY)) > 150);
      auditProtocol(mgr);
      auditSecrets(s);
    });

    it('kill -9 at random points of the fetch and the import, then --resume until done: never inserted twice, none lost', { timeout: 180_000 }, async () => {
      const d = new Dialer(47);
      const day = bogota('2026-10-14');
      d.spread(day, day + DAY, 700);
      d.burst(day + 10 * HOUR, 90);
      const { mgr, emu } = await startServers({ dialer: d, cap: 150, faults: ['slow', 'slow', 'hang'], slowMs: 300 });
      const s = setup(mgr, emu, d);
      const env = ENV({ WOLKVOX_MANAGER_SPLIT_AT: '150' });
      const rnd = prng(2026);
      const startRun = (extra: string[]) => {
        const r = startCli(args(s, ['--since', '2026-10-14', ...extra]), { cwd: s.dir, env });
        let exited = false;
        void r.done.then((x) => {
          exited = true;
          s.outputs.push(x.stdout, x.stderr);
        });
        return { ...r, exited: () => exited };
      };
      // 1. Killed during the fetch (the third report call hangs): no snapshot, nothing inserted.
      const first = startRun([]);
      await until(() => mgr.requests >= 3 || first.exited());
      first.child.kill('SIGKILL');
      await first.done;
      assert.equal(emu.inserted.length, 0);
      assert.deepEqual(readdirSync(join(s.dir, 'reports')).filter((f) => f.endsWith('.snapshot.csv')), [], 'a killed fetch leaves no snapshot');
      // 2. Killed during the inserts at random points (or not at all when it finished first), several times.
      let kills = 0;
      let last: CliRun | undefined;
      for (let round = 0; round < 3; round++) {
        const target = emu.inserted.length + 20 + Math.floor(rnd() * 120);
        const r = startRun(['--resume', '--reconcile', '--resend']);
        await until(() => emu.inserted.length >= target || r.exited(), 120_000);
        if (!r.exited()) {
          r.child.kill('SIGKILL');
          kills++;
        }
        last = await r.done;
      }
      // 3. --resume until done.
      for (let i = 0; i < 3 && (last?.signal !== null || ![0, 1].includes(last.code ?? -1)); i++) {
        const r = startRun(['--resume', '--reconcile', '--resend']);
        last = await r.done;
      }
      okExit(last!);
      const json = summaryOf(last!)!;
      assert.ok(kills >= 2, `killed during the import ${kills} times`);
      const n = auditInserted(emu, d.in(day, day + DAY));
      const rows = readResults(json.out);
      const statuses = new Set(rows.map((r) => r.status));
      assert.ok(!statuses.has('uncertain') && !statuses.has('pending') && !statuses.has('failed'), `settled: ${[...statuses].join(',')}`);
      assert.equal(await watermark(s), day + DAY);
      auditProtocol(mgr);
      auditSecrets(s);
      console.log(`[independent] kill -9: ${kills + 1} kills, ${n} calls inserted once, Manager calls ${mgr.requests}`);
    });

    it('--since last while calls are still being written late: overlap catches them, the watermark never passes now − settle', { timeout: 150_000 }, async () => {
      const d = new Dialer(59);
      const t0 = Math.floor(Date.now() / 60_000) * 60_000;
      const start = t0 - 3 * HOUR;
      d.spread(start, t0, 500);
      d.burst(start, 4); // on the range's first second
      const late1 = new Set<DialCall>();
      for (let i = 0; i < 30; i++) late1.add(d.add(t0 - 34 * 60_000 + i * 40_000)); // t0−34m .. t0−14m: written only after run 1
      const hidden = new Set<DialCall>(late1);
      const LAG = 5 * 60_000; // the dialer writes a call within 5 minutes (under the 10-minute settle delay)
      const { mgr, emu } = await startServers({ dialer: d, cap: 400, visible: (c) => !hidden.has(c) && c.t <= Date.now() - LAG });
      const s = setup(mgr, emu, d);
      const flags = ['--overlap', '40m', '--settle-delay', '10m'];
      const split = { WOLKVOX_MANAGER_SPLIT_AT: '400' };
      const r1 = await cli(s, ['--since', flagTime(start), ...flags], split);
      okExit(r1.run);
      const wm1 = (await watermark(s))!;
      assert.ok(wm1 <= Date.now() - 10 * 60_000, 'the watermark is not past now − settle');
      const snap1 = new Set(connIds(r1.json!.managerReport.snapshot));
      for (const c of late1) assert.ok(!snap1.has(c.connId), 'a call not yet written is not in the first snapshot');
      // Run 2: the late calls are written now; more calls keep coming late (after run 2).
      hidden.clear();
      const late2 = new Set<DialCall>();
      for (let i = 0; i < 20; i++) late2.add(d.add(wm1 - 25 * 60_000 + i * 30_000));
      for (const c of late2) hidden.add(c);
      const r2 = await cli(s, ['--since', 'last', ...flags], split);
      okExit(r2.run);
      assert.equal(Date.parse(r2.json!.managerReport.from), wm1 - 40 * 60_000, 'starts at the watermark minus the overlap');
      const snap2 = new Set(connIds(r2.json!.managerReport.snapshot));
      for (const c of late1) assert.ok(snap2.has(c.connId), 'the overlap caught a late call');
      hidden.clear();
      const r3 = await cli(s, ['--since', 'last', ...flags], split);
      okExit(r3.run);
      const wm3 = (await watermark(s))!;
      assert.ok(wm3 >= wm1 && wm3 <= Date.now() - 10 * 60_000);
      // No window asked for ended later than its request's moment minus the settle delay.
      for (const x of mgr.served) assert.ok(x.end <= x.at - 10 * 60_000, `date_end ${wall(x.end)} asked at ${wall(x.at)}`);
      const n = auditInserted(emu, d.in(start, wm3));
      assert.ok([...late1, ...late2].filter(importable).length > 20 && n > 300);
      auditProtocol(mgr);
      auditSecrets(s);
    });

    it('a wrong Manager token echoed back by a 401 is in no output', { timeout: 30_000 }, async () => {
      const d = new Dialer(3);
      d.spread(bogota('2026-10-20'), bogota('2026-10-21'), 10);
      const { mgr, emu } = await startServers({ dialer: d, cap: 100 });
      const s = setup(mgr, emu, d);
      const wrong = 'mgr-WRONG-secret-0000';
      const { run } = await cli(s, ['--since', '2026-10-20'], { WOLKVOX_MANAGER_TOKEN: wrong });
      assert.equal(run.code, 3, run.stderr.slice(-800));
      assert.ok(!run.stdout.includes(wrong) && !run.stderr.includes(wrong), 'the wrong token is not printed');
      assert.equal(emu.inserted.length, 0);
    });

    it('kill -9 during the inserts, then the next night runs --since last without --resume: no call inserted twice, none lost', { timeout: 120_000 }, async () => {
      const d = new Dialer(71);
      const day = bogota('2026-10-16');
      d.spread(day, day + 2 * DAY, 500);
      const { mgr, emu } = await startServers({ dialer: d, cap: 1000 });
      const s = setup(mgr, emu, d);
      okExit((await cli(s, ['--since', '2026-10-15', '--until', '2026-10-16'])).run); // an empty first night sets the watermark
      assert.equal(await watermark(s), day);
      const killed = startCli(args(s, ['--since', 'last', '--until', '2026-10-17']), { cwd: s.dir, env: ENV() });
      await until(() => emu.inserted.length >= 60);
      killed.child.kill('SIGKILL');
      s.outputs.push((await killed.done).stderr);
      assert.equal(await watermark(s), day, 'a killed night leaves the watermark');
      // The next nights, as cron runs them: --since last, never --resume (the first one without --reconcile).
      const nights: string[] = [];
      for (let n = 0; n < 5 && (await watermark(s)) !== day + 2 * DAY; n++) {
        const night = await cli(s, ['--since', 'last', '--until', '2026-10-18', ...(n === 0 ? [] : ['--reconcile', '--resend'])]);
        okExit(night.run);
        nights.push(`${night.json!.managerReport.fromSnapshot ? 'continued' : 'fetched'} ${night.json!.managerReport.from}`);
        const ids = emu.inserted.map((g) => String(g.fields.wolkvox_idCall));
        assert.equal(new Set(ids).size, ids.length, 'no call inserted twice');
      }
      assert.equal(await watermark(s), day + 2 * DAY, nights.join('; '));
      assert.equal(nights[0]?.split(' ')[0], 'continued', 'the night after the kill continues the killed run');
      console.log(`[independent] nights after a kill: ${nights.join('; ')}`);
      auditInserted(emu, d.in(day, day + 2 * DAY));
      auditProtocol(mgr);
      auditSecrets(s);
    });
  });

  describe('the fetch, in this process', () => {
    it('faults one by one (a hung call, a slow answer, 5xx, reset, HTML 200, code 429 in a 200, the token echoed): retried, complete, no token in the log', { timeout: 60_000 }, async () => {
      const d = new Dialer(31);
      const from = bogota('2026-10-20');
      d.spread(from, from + DAY, 700);
      const faults: Fault[] = ['hang', 'slow', 'status500', 'reset', 'html200', 'code429in200', 'echo500'];
      const mgr = await new ReportServer({ dialer: d, cap: 200, faults, slowMs: 600 }).listen();
      servers.push(mgr);
      let logs = '';
      const logger = pino({ level: 'debug' }, { write: (t: string) => void (logs += t) });
      const dir = tmp('wvx-indep-faults-');
      const snap = await fetchReport({ origin: mgr.url, token: MGR, report: 'cdr_1', from: new Date(from), to: new Date(from + DAY), tz: 'America/Bogota',
        snapshotPath: join(dir, 'r.snapshot.csv'), logger, capSplitAt: 200, timeoutMs: 3_000, retry: { baseDelayMs: 20, maxDelayMs: 200 } });
      auditSnapshot(snap.path, d.in(from, from + DAY));
      assert.equal(snap.calls, mgr.requests, 'every attempt counted');
      assert.equal(mgr.faults.length, 0, 'every fault was met');
      assert.ok(!logs.includes(MGR), 'the token is in no log line');
      assert.match(logs, /trying again/);
      auditProtocol(mgr);
      console.log(`[independent] faults: ${mgr.requests} calls for ${snap.records} records, minimum ${Math.ceil(snap.records / 200)} + ${faults.length} faults`);
    });

    for (const [fault, kind] of [['code401in200', 'token'], ['quota403', 'quota']] as const) {
      it(`a refusal (${fault}) that echoes the token stops at once with kind ${kind}, the token in no message`, async () => {
        const d = new Dialer(5);
        d.spread(bogota('2026-10-20'), bogota('2026-10-21'), 50);
        const mgr = await new ReportServer({ dialer: d, cap: 100, faults: [fault] }).listen();
        servers.push(mgr);
        let logs = '';
        const logger = pino({ level: 'debug' }, { write: (t: string) => void (logs += t) });
        const dir = tmp('wvx-indep-refused-');
        const err = await fetchReport({ origin: mgr.url, token: MGR, report: 'cdr_1', from: new Date(bogota('2026-10-20')), to: new Date(bogota('2026-10-21')), tz: 'America/Bogota',
          snapshotPath: join(dir, 'r.snapshot.csv'), logger }).then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof ManagerError, String(err));
        assert.equal(err.kind, kind);
        assert.ok(!err.message.includes(MGR) && !JSON.stringify(err).includes(MGR) && !logs.includes(MGR), 'no token in the error or the log');
        assert.equal(mgr.requests, 1, 'no retry');
        assert.deepEqual(readdirSync(dir), [], 'nothing left behind');
      });
    }

    it('Manager calls stay ≤ 2 × the minimum for days of 1 to 12 caps of calls, uniform or in office hours, the cap keeping an arbitrary subset or the latest records', { timeout: 60_000 }, async () => {
      const day = bogota('2026-10-21');
      const figures: string[] = [];
      const CAP = 1000;
      const cases = [[1030, 'uniform', 'shuffled'], [2050, 'uniform', 'shuffled'], [2600, 'office', 'shuffled'], [4600, 'uniform', 'shuffled'], [6500, 'office', 'shuffled'],
        [12100, 'office', 'shuffled'], [2600, 'office', 'latest'], [6500, 'uniform', 'latest'], [6500, 'office', 'latest'], [6500, 'office', 'earliest']] as const;
      for (const [n, shape, order] of cases) {
        const d = new Dialer(n);
        if (shape === 'uniform') d.spread(day, day + DAY, n);
        else {
          d.spread(day + 8 * HOUR, day + 12 * HOUR, Math.floor(n * 0.55)); // mornings are busy
          d.spread(day + 14 * HOUR, day + 18 * HOUR, Math.floor(n * 0.35));
          d.spread(day, day + DAY, n - Math.floor(n * 0.55) - Math.floor(n * 0.35));
        }
        const mgr = await new ReportServer({ dialer: d, cap: CAP, order }).listen();
        servers.push(mgr);
        const snap = await fetchReport({ origin: mgr.url, token: MGR, report: 'cdr_1', from: new Date(day), to: new Date(day + DAY), tz: 'America/Bogota',
          snapshotPath: join(tmp('wvx-indep-calls-'), 'r.snapshot.csv'), logger: pino({ level: 'silent' }), capSplitAt: CAP });
        auditSnapshot(snap.path, d.in(day, day + DAY));
        const minimum = Math.ceil(n / CAP);
        figures.push(`${n} ${shape} ${order}: ${snap.calls} calls (minimum ${minimum})`);
        assert.ok(snap.calls <= 2 * minimum, `${n} calls (${shape}, ${order}): ${snap.calls} Manager calls ≤ 2 × ${minimum}`);
        auditProtocol(mgr);
      }
      console.log(`[independent] ${figures.join('; ')}`);
    });

    it('a 40-day range: windows of at most 31 days (the server refuses longer), calls on the window edge and every midnight, each once', async () => {
      const d = new Dialer(91);
      const from = bogota('2026-09-01');
      for (let day = 0; day < 40; day++) {
        d.burst(from + day * DAY, 2); // 00:00:00
        d.burst(from + (day + 1) * DAY - 1000, 1); // 23:59:59
        if (day % 9 !== 4) d.spread(from + day * DAY, from + (day + 1) * DAY, 5); // some days hold only their midnight calls
      }
      d.burst(from + 31 * DAY, 3); // exactly on the 31-day edge
      const mgr = await new ReportServer({ dialer: d, cap: 1000 }).listen();
      servers.push(mgr);
      const snap = await fetchReport({ origin: mgr.url, token: MGR, report: 'cdr_1', from: new Date(from), to: new Date(from + 40 * DAY), tz: 'America/Bogota',
        snapshotPath: join(tmp('wvx-indep-40d-'), 'r.snapshot.csv'), logger: pino({ level: 'silent' }) });
      auditSnapshot(snap.path, d.in(from, from + 40 * DAY));
      assert.equal(snap.calls, 2, 'two windows, no refusal');
      assert.deepEqual(snap.windows.map((w) => w.to.getTime()), [from + 31 * DAY, from + 40 * DAY]);
      assert.ok(mgr.served.every((x) => x.status === 200), 'no 400');
      auditProtocol(mgr);
    });
  });
});
