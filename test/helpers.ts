/** Shared test helpers: temp dirs, generated CSV files, running the real CLI, reading result CSVs. */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const BIN = join(ROOT, 'dist', 'main.js');

/** The newest modification time under `dir` (ms). */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

/**
 * How the tests start the real CLI: the built bin (`node dist/main.js`, the bundle `npm run build` makes, what a user runs;
 * `npm test` builds it first) when it is newer than every file of src/, else the sources through
 * tsx's loader (by absolute URL: the CLI runs with a temp dir as its working directory), so a
 * test file run on its own after an edit never runs stale code. WOLKVOX_TEST_CLI=dist uses the built
 * bin whatever its age (timing the tests while src/ is being edited).
 */
function cliArgs(): string[] {
  if (process.env.WOLKVOX_TEST_CLI === 'dist') return [BIN];
  let built = 0;
  try {
    built = statSync(BIN).mtimeMs;
  } catch {
    // not built
  }
  return built > newest(SRC) ? [BIN] : ['--import', import.meta.resolve('tsx'), join(SRC, 'cli', 'main.ts')];
}
/** The node arguments that start the CLI (a cron test's `wolkvox-import` shim runs them too). */
export const CLI_ARGS = cliArgs();

export function tmp(prefix = 'wvx-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface GenRow {
  call: string;
  code: string;
  desc: string;
  record: string;
  name?: string;
}

/** A plain comma-separated gestiones file; every row has a unique call id (the audit key). */
export function writeGestiones(dir: string, n: number, tweak: (i: number, r: GenRow) => GenRow = (_i, r) => r, name = 'input.csv'): string {
  const lines = ['call_id,codigo,descripcion,registro,nombre'];
  for (let i = 1; i <= n; i++) {
    const r = tweak(i, { call: `C${String(i).padStart(6, '0')}`, code: '01', desc: 'PROMESA DE PAGO', record: `R${i}`, name: `Cliente ${i}` });
    lines.push([r.call, r.code, r.desc, r.record, r.name ?? ''].join(','));
  }
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

export function writeMapping(dir: string, extra: Record<string, unknown> = {}): string {
  const path = join(dir, 'mapping.json');
  writeFileSync(path, JSON.stringify({
    fields: { wolkvox_idCall: 'call_id', tipifycation_code: 'codigo', tipifycation_desc: 'descripcion', wolkvox_idRecord: 'registro', client_name: 'nombre' },
    ...extra,
  }, null, 2));
  return path;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the real CLI (see cliArgs), with a private state dir unless given. */
export function startCli(args: string[], opts: { cwd: string; env?: Record<string, string> }): { child: ChildProcess; done: Promise<CliRun>; stderr: () => string } {
  const child = spawn(process.execPath, [...CLI_ARGS, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: opts.cwd, XDG_STATE_HOME: join(opts.cwd, '.state'), LANG: 'en_US.UTF-8', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
  return { child, done, stderr: () => stderr };
}

/** Polls until cond() holds: for effects in another process (a request arrived, a line was logged); never a fixed sleep. */
export async function until(cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function runCli(args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<CliRun> {
  return startCli(args, opts).done;
}

export interface ResultRow {
  row: string;
  status: string;
  wolkvox_id: string;
  error: string;
  attempts: string;
  [column: string]: string;
}

export function readResults(path: string): ResultRow[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  return parse(text, { columns: true, skip_empty_lines: true }) as ResultRow[];
}

/** The last non-empty line of stderr: the summary line. */
export function lastLine(s: string): string {
  const lines = s.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

/** Starts a test server on a free loopback port; resolves to its `http://127.0.0.1:<port>` URL. */
export async function listenLoopback(srv: Server): Promise<string> {
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

/** Closes a test server now, its keep-alive connections included. */
export function closeServer(srv: Server): Promise<void> {
  srv.closeAllConnections();
  return new Promise((r) => srv.close(() => r()));
}
