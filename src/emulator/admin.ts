/**
 * Admin endpoints for tests and benchmarks that drive an emulator in another process. They need
 * no token and do not count as calls:
 *   GET  /__emulator/state[?offset=N&limit=M]  {"stats", "insertedCount", "offset", "inserted": [...]}
 *   POST /__emulator/faults                    body: JSON array of FaultRule (replaces the rules)
 *   POST /__emulator/new-day                   resets the daily quota counters (the Manager token's too)
 *   POST /__emulator/reset                     forgets inserts, counters and faults
 *   GET  /__emulator/crm-records.csv           the collections records as a lookup CSV
 *   GET  /__emulator/manager                   the Manager side's stats
 *   POST /__emulator/manager-faults            body: JSON array of FaultRule for report calls
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isWolkvoxImportError } from '../errors.ts';
import { readBody, MAX_BODY_BYTES } from './body.ts';
import { validateFaultRules } from './fault-rules.ts';
import { ADMIN_PREFIX, MSG } from './messages.ts';
import { drained, sendError, sendJson } from './respond.ts';
import type { Emulator, FaultRule } from './types.ts';

type AdminTarget = Pick<Emulator, 'inserted' | 'stats' | 'setFaults' | 'newDay' | 'reset' | 'recordsCsv' | 'manager'>;

const OK = '{"ok":true}';
const STATE_FLUSH_CHARS = 1 << 20;

type Endpoint = (emu: AdminTarget, req: IncomingMessage, res: ServerResponse, query: string) => void;

const GET: Readonly<Record<string, Endpoint>> = {
  state: (emu, _req, res, query) => void writeState(emu, res, new URLSearchParams(query)),
  'crm-records.csv': (emu, _req, res) => {
    const body = emu.recordsCsv();
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  },
  manager: (emu, _req, res) => sendJson(res, 200, JSON.stringify(emu.manager.stats())),
};

const POST: Readonly<Record<string, Endpoint>> = {
  'new-day': (emu, _req, res) => {
    emu.newDay();
    sendJson(res, 200, OK);
  },
  reset: (emu, _req, res) => {
    emu.reset();
    sendJson(res, 200, OK);
  },
  faults: (emu, req, res) => setFaults(req, res, (rules) => emu.setFaults(rules)),
  'manager-faults': (emu, req, res) => setFaults(req, res, (rules) => emu.manager.setFaults(rules)),
};

/** `path` starts with ADMIN_PREFIX; `query` is what follows the '?' ('' when none). */
export function handleAdmin(emu: AdminTarget, req: IncomingMessage, res: ServerResponse, { path, query }: { path: string; query: string }): void {
  const name = path.slice(ADMIN_PREFIX.length);
  const method = req.method ?? 'GET';
  const endpoint = Object.hasOwn(GET, name) ? GET[name] : Object.hasOwn(POST, name) ? POST[name] : undefined;
  if (endpoint === undefined) {
    return sendError(res, 404, `UNKNOWN EMULATOR ENDPOINT ${path}; expected ${ADMIN_PREFIX}{${[...Object.keys(GET), ...Object.keys(POST)].join(',')}}`);
  }
  if (method !== (Object.hasOwn(GET, name) ? 'GET' : 'POST')) return sendError(res, 405, MSG.method);
  endpoint(emu, req, res, query);
}

function setFaults(req: IncomingMessage, res: ServerResponse, apply: (rules: FaultRule[]) => void): void {
  readBody(req, MAX_BODY_BYTES, (text) => {
    if (text === undefined) return sendError(res, 413, MSG.tooLarge);
    try {
      const rules = validateFaultRules(JSON.parse(text), 'body');
      apply(rules);
      sendJson(res, 200, JSON.stringify({ ok: true, faults: rules.length }));
    } catch (err) {
      const message = isWolkvoxImportError(err) ? err.message : `body: expected a JSON array of fault rules (${(err as Error).message})`;
      sendError(res, 400, message);
    }
  });
}

function count(params: URLSearchParams, name: string, fallback: number): number {
  const n = Number(params.get(name) ?? fallback);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** Streams the state in ~1 MB pieces, waiting for the client to drain, so 200,000 inserts fit. */
async function writeState(emu: AdminTarget, res: ServerResponse, params: URLSearchParams): Promise<void> {
  const all = emu.inserted;
  const offset = Math.min(count(params, 'offset', 0), all.length);
  const limit = count(params, 'limit', all.length);
  const list = all.slice(offset, offset + limit); // a snapshot: later inserts or a reset do not tear it
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  let out = `{"stats":${JSON.stringify(emu.stats())},"insertedCount":${all.length},"offset":${offset},"inserted":[`;
  for (let i = 0; i < list.length; i++) {
    out += (i === 0 ? '' : ',') + JSON.stringify(list[i]);
    if (out.length >= STATE_FLUSH_CHARS) {
      const flushed = res.write(out);
      out = '';
      if (!flushed && !(await drained(res))) return;
    }
  }
  res.end(`${out}]}`);
}
