/** startEmulator: a node:http server on 127.0.0.1 that behaves as docs/api.md describes. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INSERT_PATH, QUERY_PATH, TOKEN_INFO_PATH } from '../config/server.ts';
import { ConfigError } from '../errors.ts';
import { handleAdmin } from './admin.ts';
import { refuse, type Context } from './context.ts';
import { validateFaultRules } from './fault-rules.ts';
import { FaultEngine } from './faults.ts';
import { handleInsert } from './insert.ts';
import { handleReport } from './manager/handler.ts';
import { REPORTS_PATH } from './manager/query.ts';
import { ManagerSide } from './manager/side.ts';
import { handleManagerTokenInfo, MANAGER_INFO_PATH } from './manager/token-info.ts';
import { ADMIN_PREFIX, MSG } from './messages.ts';
import { normalizeOptions } from './options.ts';
import { handleQuery } from './query.ts';
import { crmRecords, recordsCsv } from './records.ts';
import { EmulatorState } from './state.ts';
import { handleTokenInfo } from './token-info.ts';
import type { Emulator, EmulatorOptions, FaultRule } from './types.ts';

export async function startEmulator(options?: EmulatorOptions): Promise<Emulator> {
  const opts = normalizeOptions(options);
  const state = new EmulatorState();
  const faults = new FaultEngine(opts.seed, opts.faults);
  const ctx: Context = { opts, state, faults, timers: new Set(), closed: false };
  const records = crmRecords(opts.seed, opts.records);
  const manager = new ManagerSide(ctx, options?.manager, records);
  let csv: string | undefined;

  let closing: Promise<void> | undefined;
  const emulator: Omit<Emulator, 'url' | 'port'> = {
    inserted: state.inserted,
    records,
    recordsCsv: () => (csv ??= recordsCsv(records)),
    manager: manager.hooks(),
    stats: () => state.stats(),
    setFaults: (rules: FaultRule[]) => faults.set(validateFaultRules(rules)),
    newDay: () => {
      state.newDay();
      manager.newDay();
    },
    reset: () => {
      state.reset();
      faults.set([]);
      manager.reset();
    },
    close: () => (closing ??= shutdown([ctx, manager.ctx], server)),
  };

  const routes: Routes = { ctx, emu: emulator, manager };
  const server = createServer((req, res) => route(routes, req, res));
  await listen(server, opts.port, opts.host);
  const port = (server.address() as AddressInfo).port;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return Object.assign(emulator, { url: `http://${host}:${port}`, port });
}

interface Routes {
  ctx: Context;
  emu: Omit<Emulator, 'url' | 'port'>;
  manager: ManagerSide;
}

function route({ ctx, emu, manager }: Routes, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path === INSERT_PATH) return handleInsert(ctx, req, res);
  const query = q < 0 ? '' : url.slice(q + 1);
  if (path === TOKEN_INFO_PATH) return handleTokenInfo(ctx, req, res, query);
  if (path === QUERY_PATH) return handleQuery(ctx, req, res);
  if (path === REPORTS_PATH) return handleReport(manager, req, res, query);
  if (path === MANAGER_INFO_PATH) return handleManagerTokenInfo(manager, req, res, query);
  if (path.startsWith(ADMIN_PREFIX)) return handleAdmin(emu, req, res, { path, query });
  refuse(ctx, res, 400, MSG.noApi); // wolkvox answers a wrong URL with 400, not 404
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new ConfigError(`emulator: cannot listen on ${host}:${port}: ${err.code ?? err.message}`, { host, port }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Stops accepting, drops pending latency timers and destroys every socket, hung ones included. */
function shutdown(contexts: Context[], server: Server): Promise<void> {
  for (const ctx of contexts) {
    ctx.closed = true;
    for (const timer of ctx.timers) clearTimeout(timer);
    ctx.timers.clear();
  }
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
