/**
 * The real CLI exactly as users run it: `node dist/main.js` (the bin, bundled by esbuild, whose shebang is a
 * plain `#!/usr/bin/env node`), built first with `npm run build`, with no node flag and no
 * variable beyond the caller's environment and the token.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { run, type SpawnOptions, type Timed } from './proc.ts';

const BUILT = 'dist/main.js';
export const TOKEN = 'bench-token';

export interface Runner {
  /** Node arguments before the CLI's own: the bin's path only. */
  node: string[];
  /** How the report names it. */
  label: string;
  note: string;
}

/** Builds dist (npm run build) and returns how to start the CLI; throws when no bin was emitted. */
export function prepareRunner(log: (s: string) => void): Runner {
  log('building: npm run build');
  const t0 = Date.now();
  const before = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0;
  const r = spawnSync('npm', ['run', 'build'], { encoding: 'utf8', timeout: 300_000 });
  if (!existsSync(BUILT) || statSync(BUILT).mtimeMs <= before) {
    throw new Error(`npm run build emitted no ${BUILT} (exit ${r.status}):\n${(r.stdout ?? '').slice(-2000)}${(r.stderr ?? '').slice(-2000)}`);
  }
  const note = r.status === 0 ? `built with npm run build in ${((Date.now() - t0) / 1000).toFixed(1)} s` : `npm run build reported type errors (exit ${r.status}) but emitted ${BUILT}; that output ran`;
  return { node: [BUILT], label: `node ${BUILT} (the bin as npx wolkvox-import and a global install run it)`, note };
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

function importArgv(a: ImportArgs): string[] {
  return ['import', a.input, '--mapping', a.mapping, '--server', a.server, '--operation', 'bench', '--concurrency', String(a.concurrency),
    '--state', a.state, '--out', a.out, '--log-file', a.logFile, '--quiet', ...(a.concurrency > 2 ? ['--i-have-a-higher-limit'] : []), ...(a.extra ?? [])];
}

/** The importer as a child process, timed from spawn to exit. */
export function runImporter(r: Runner, a: ImportArgs, o: SpawnOptions & { nodeFlags?: string[] } = {}): Promise<Timed> {
  return run(process.execPath, [...(o.nodeFlags ?? []), ...r.node, ...importArgv(a)], { ...o, env: { ...process.env, WOLKVOX_TOKEN: TOKEN } });
}

/** The command line a reader can paste (paths shortened to names in the temp folder). */
export function shownCommand(r: Runner, a: ImportArgs, flags: string[] = []): string {
  const short = (p: string) => p.replace(/^.*\/wolkvox-import-bench-[^/]+\//, '$TMP/');
  const argv = importArgv({ ...a, input: short(a.input), mapping: short(a.mapping), state: short(a.state), out: short(a.out), logFile: short(a.logFile), server: '$EMULATOR_URL' });
  return `WOLKVOX_TOKEN=${TOKEN} node ${[...flags, ...r.node].join(' ')} ${argv.join(' ')}`;
}
