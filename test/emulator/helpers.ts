/** Client-side helpers for the emulator tests: plain node:http, so resets and hangs are visible. */
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.ts';

export const INSERT = '/server/API/v2/collections/insertGestion.php';
export const TOKEN_INFO = '/server/API/v2/token/tokenInformation.php';
export const TOKEN = 'test-token';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: { code?: unknown; error?: unknown; msg?: unknown; data?: Record<string, unknown> } | undefined;
}

export interface CallOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Sent as is when a string; JSON-encoded otherwise. */
  body?: unknown;
  /** Token header value; null = no header. Default TOKEN. */
  token?: string | null;
  /** Destroy the request after this many ms (the client gives up). */
  giveUpAfterMs?: number;
  /** A keep-alive agent to reuse connections; default a fresh connection per call. */
  agent?: Agent;
}

export function validFields(extra: Record<string, string> = {}): Record<string, string> {
  return {
    tipifycation_code: '101',
    tipifycation_desc: 'PROMESA DE PAGO',
    module: 'collections',
    wolkvox_idRecord: 'rec-1',
    customer_id: '1001',
    ...extra,
  };
}

export function gestion(extra: Record<string, string> = {}): { operation: string; fields: Record<string, string> } {
  return { operation: 'cobranza', fields: validFields(extra) };
}

/** One HTTP call on a fresh connection; rejects with the socket error (e.g. ECONNRESET) if there is no answer. */
export function call(emu: Pick<Emulator, 'url'>, opts: CallOptions = {}): Promise<Answer> {
  const method = opts.method ?? 'POST';
  const body = opts.body === undefined ? (method === 'POST' ? JSON.stringify(gestion()) : undefined)
    : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  const token = opts.token === undefined ? TOKEN : opts.token;
  if (token !== null) headers['Wolkvox-Token'] = token;
  return new Promise((resolve, reject) => {
    const req = request(`${emu.url}${opts.path ?? INSERT}`, { method, headers, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Answer['json'];
        try {
          json = JSON.parse(text) as Answer['json'];
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (opts.giveUpAfterMs !== undefined) {
      const ms = opts.giveUpAfterMs;
      req.setTimeout(ms, () => req.destroy(Object.assign(new Error('client gave up'), { code: 'CLIENT_TIMEOUT' })));
    }
    req.end(body);
  });
}

/** Starts an emulator, runs fn, always closes it. */
export async function withEmulator<T>(opts: EmulatorOptions, fn: (emu: Emulator) => Promise<T>): Promise<T> {
  const emu = await startEmulator(opts);
  try {
    return await fn(emu);
  } finally {
    await emu.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until cond() holds (for server-side effects that follow a client event). */
export async function until(cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** The error envelope the API answers with. */
export function envelope(status: number, message: string): { code: number; error: string; msg: string } {
  return { code: status, error: message, msg: message };
}
