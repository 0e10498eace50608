/** What every section gets: the temp folder, the runner, sizes, cached input files. */
import { join } from 'node:path';
import { SAMPLE_MAPPING, writeGestiones } from './data.ts';
import type { Runner, ImportArgs } from './cli.ts';
import type { Section } from './report.ts';

export interface Ctx {
  tmp: string;
  root: string;
  runner: Runner;
  quick: boolean;
  log(s: string): void;
  /** Full size, or a tenth with --quick. */
  size(n: number): number;
  /** A gestiones file of n valid rows (ids 1..n), generated once per invocation. */
  gestiones(n: number): Promise<string>;
  /** `npm run bench -- --only <name>` (with --quick when quick). */
  benchCmd(name: string): string;
  /** Sections selected in this invocation (a section may reuse another's measurement). */
  selected: ReadonlySet<string>;
  /** Milliseconds since the invocation started. */
  elapsedMs(): number;
  /** Runs `fn` once per key in this invocation (measurements two sections share). */
  memo<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** ImportArgs with fresh state/out/log paths under tmp. */
  importArgs(tag: string, input: string, server: string, concurrency: number, extra?: string[], mapping?: string): ImportArgs;
}

export type SectionFn = (ctx: Ctx) => Promise<Omit<Section, 'seconds'>>;

export function makeCtx(tmp: string, root: string, runner: Runner, quick: boolean, selected: ReadonlySet<string>, startedAt: number, log: (s: string) => void): Ctx {
  const files = new Map<number, Promise<string>>();
  const memos = new Map<string, Promise<unknown>>();
  let seq = 0;
  return {
    tmp, root, runner, quick, log, selected,
    elapsedMs: () => Date.now() - startedAt,
    memo<T>(key: string, fn: () => Promise<T>): Promise<T> {
      let p = memos.get(key) as Promise<T> | undefined;
      if (!p) memos.set(key, (p = fn()));
      return p;
    },
    size: (n) => (quick ? Math.max(1, Math.round(n / 10)) : n),
    gestiones(n) {
      let p = files.get(n);
      if (!p) {
        const path = join(tmp, `gestiones-${n}.csv`);
        const t0 = Date.now();
        p = writeGestiones(path, n).then(() => {
          log(`  generated ${path} (${n} rows) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
          return path;
        });
        files.set(n, p);
      }
      return p;
    },
    benchCmd: (name) => `npm run bench -- --only ${name}${quick ? ' --quick' : ''}`,
    importArgs(tag, input, server, concurrency, extra, mapping) {
      const id = `${tag}-${++seq}`;
      return {
        input, server, concurrency, extra,
        mapping: mapping ?? SAMPLE_MAPPING,
        state: join(tmp, `${id}.state.sqlite`),
        out: join(tmp, `${id}.results.csv`),
        logFile: join(tmp, `${id}.log`),
      };
    },
  };
}
