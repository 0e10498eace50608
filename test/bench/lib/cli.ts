/**
 * The real CLI as users run it: `dist/src/cli/main.js` with the node flags of its shebang (what
 * `npx wolkvox-import` and a global install execute), built first when dist is missing or
 * older than the sources. If the build fails, the benchmarks fall back to running the sources with
 * tsx and say so in the report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run, type SpawnOptions, type Timed } from './proc.ts';

export const BUILT = 'dist/src/cli/main.js';
export const TOKEN = 'bench-token';

export interface Runner {
  /** Node arguments before the CLI's own. */
  node: string[];
  /** Environment the bin's shebang sets (`env -S NAME=value node ...`). */
  env: Record<string, string>;
  /** How the report names it. */
  label: string;
  note: string;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist when stale; returns how to start the CLI. */
export function prepareRunner(log: (s: string) => void): Runner {
  const sources = Math.max(newestMtime('src'), ...['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].filter(existsSync).map((f) => statSync(f).mtimeMs));
  const built = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0;
  let note = `dist is up to date (${BUILT})`;
  if (built < sources) {
    log(`building: dist is ${built ? 'older than src' : 'missing'} (npm run build)`);
    const t0 = Date.now();
    const r = spawnSync('npm', ['run', 'build'], { encoding: 'utf8', timeout: 180_000 });
    if (r.status !== 0 && !existsSync(BUILT)) {
      log(`build failed (exit ${r.status}); running the sources with tsx instead\n${(r.stdout ?? '').slice(-2000)}`);
      return { node: ['--import', 'tsx', 'src/cli/main.ts'], env: {}, label: 'node --import tsx src/cli/main.ts', note: 'npm run build failed: the sources ran with tsx' };
    }
    note = r.status === 0 ? `built with npm run build in ${((Date.now() - t0) / 1000).toFixed(1)} s` : `npm run build reported type errors (exit ${r.status}) but emitted ${BUILT}; that output ran`;
  }
  const { env, flags } = shebang(BUILT);
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v} `).join('');
  return { node: [...flags, BUILT], env, label: `${vars}node ${[...flags, BUILT].join(' ')} (as the bin's shebang runs it: npx wolkvox-import, a global install)`, note };
}

/** The variables and node flags of the bin's `#!/usr/bin/env -S NAME=value node ...` line: what `npx wolkvox-import` runs with. */
export function shebang(file: string): { env: Record<string, string>; flags: string[] } {
  const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\S*env -S (.*?)\bnode\b(.*)$/.exec(first);
  if (!m) return { env: {}, flags: [] };
  const env: Record<string, string> = {};
  for (const a of m[1]!.trim().split(/\s+/).filter(Boolean)) {
    const i = a.indexOf('=');
    if (i > 0) env[a.slice(0, i)] = a.slice(i + 1);
  }
  return { env, flags: m[2]!.trim().split(/\s+/).filter(Boolean) };
}

export interface ImportArgs {
  input: string;
  mapping: string;
  server: string;
  state: string;
  out: string;
  logFile: string;
  concurrency: number;
  extra?: string[];
}

export function importArgv(a: ImportArgs): string[] {
  return ['import', a.input, '--mapping', a.mapping, '--server', a.server, '--operation', 'bench', '--concurrency', String(a.concurrency),
    '--state', a.state, '--out', a.out, '--log-file', a.logFile, '--quiet', ...(a.extra ?? [])];
}

/** The importer as a child process, timed from spawn to exit. */
export function runImporter(r: Runner, a: ImportArgs, o: SpawnOptions & { nodeFlags?: string[] } = {}): Promise<Timed> {
  return run(process.execPath, [...(o.nodeFlags ?? []), ...r.node, ...importArgv(a)], { ...o, env: { ...process.env, ...r.env, WOLKVOX_TOKEN: TOKEN } });
}

/** The command line a reader can paste (paths shortened to names in the temp folder). */
export function shownCommand(r: Runner, a: ImportArgs, flags: string[] = []): string {
  const short = (p: string) => p.replace(/^.*\/wolkvox-import-bench-[^/]+\//, '$TMP/');
  const argv = importArgv({ ...a, input: short(a.input), mapping: short(a.mapping), state: short(a.state), out: short(a.out), logFile: short(a.logFile), server: '$EMULATOR_URL' });
  const vars = Object.entries(r.env).map(([k, v]) => `${k}=${v} `).join('');
  return `WOLKVOX_TOKEN=${TOKEN} ${vars}node ${[...flags, ...r.node].join(' ')} ${argv.join(' ')}`;
}
