/**
 * The files a run writes (--out, --log-file) must never name a file the run reads or keeps: the
 * input, a lookup file, the mapping, the state file and its companions. They must be a new path or
 * a regular file, in a folder the run can write to. Checked once, before the first call, so a
 * hostile or mistyped path costs no quota and destroys nothing.
 */
import { accessSync, closeSync, constants, lstatSync, mkdirSync, openSync, readlinkSync, realpathSync, rmSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import type { ImportConfig } from './config.ts';

/** The companions SQLite (and the run lock) keep beside the state file. */
const STATE_COMPANIONS = ['', '-wal', '-shm', '-journal', '.lock'];

/** /dev/null, /dev/stdout, /proc/self/fd/1...: a rename there would replace the device (as root). /dev/shm is a plain folder. */
const SYSTEM = /^\/(proc\/|dev\/(?!shm\/))/;

interface Named {
  what: string;
  path: string;
}

export type OutputCheckConfig = Pick<ImportConfig, 'input' | 'out' | 'statePath' | 'lookupFiles' | 'mappingPath' | 'logFile'> & Partial<Pick<ImportConfig, 'rejects'>>;

export interface OutputCheckExtra {
  /** More files the run reads, e.g. the mapping's own `lookups.NAME.file` entries. */
  protect?: readonly Named[];
  /** More files the run writes, e.g. the report's paths: `what` is the flag or file named in a refusal. */
  targets?: readonly Named[];
}

/** stat (following symlinks, or not), undefined when nothing is there or a part of the path is a file. */
function statOf(path: string, follow = true): Stats | undefined {
  try {
    return (follow ? statSync : lstatSync)(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** The path with every symlink resolved, also for a path (or a symlink's target) that does not exist yet. */
function canonical(path: string, depth = 0): string {
  try {
    return realpathSync(path);
  } catch {
    /* missing, dangling or unreadable: resolve what exists */
  }
  const link = statOf(path, false);
  if (link?.isSymbolicLink() && depth < 40) return canonical(resolve(dirname(path), readlinkSync(path)), depth + 1);
  const parent = dirname(path);
  return parent === path ? path : join(canonical(parent, depth), basename(path));
}

function protectedFiles(cfg: OutputCheckConfig, extra: OutputCheckExtra): Named[] {
  const list: Named[] = [{ what: 'the input file', path: cfg.input }];
  if (cfg.mappingPath) list.push({ what: 'the mapping file', path: cfg.mappingPath });
  for (const [name, path] of Object.entries(cfg.lookupFiles)) list.push({ what: `the lookup file "${name}"`, path });
  if (cfg.statePath !== ':memory:') {
    for (const suffix of STATE_COMPANIONS) list.push({ what: suffix ? `the state file's ${suffix} companion` : 'the state file', path: cfg.statePath + suffix });
  }
  return list.concat(extra.protect ?? []);
}

function sameFile(a: Stats | undefined, b: Stats | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/** Why writing `path` is refused, or undefined when it is a new path or a plain regular file. */
function refusal(path: string, real: string, st: Stats | undefined): string | undefined {
  if (SYSTEM.test(path) || SYSTEM.test(real)) return 'it is a device or process file (/dev, /proc), not a regular file';
  if (!st) return undefined;
  if (st.isDirectory()) return 'it is a folder; name a file inside it, e.g. ' + join(path, 'results.csv');
  if (!st.isFile()) return 'it exists and is not a regular file (a device, pipe or socket)';
  return undefined;
}

function refuse(target: Named, why: string): never {
  throw new UsageError(`${target.what} ${target.path}: refused, ${why}. Choose another path`, { file: target.path });
}

function checkIdentities(targets: readonly Named[], protect: readonly Named[]): void {
  const guarded = protect.map((p) => ({ ...p, real: canonical(p.path), st: statOf(p.path) }));
  const seen: { target: Named; real: string; st: Stats | undefined }[] = [];
  for (const target of targets) {
    const real = canonical(target.path);
    const st = statOf(target.path);
    const why = refusal(target.path, real, st);
    if (why) refuse(target, why);
    const hit = guarded.find((g) => g.real === real || sameFile(g.st, st));
    if (hit) refuse(target, `it is ${hit.what}${hit.path === target.path ? '' : ` ${hit.path}`}, which writing would destroy`);
    const twice = seen.find((s) => s.real === real || sameFile(s.st, st));
    if (twice) refuse(target, `${twice.target.what} writes the same file`);
    seen.push({ target, real, st });
  }
}

const FOLDER_ERRORS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a part of the path is a file, not a folder',
};

/** Creates the folder when missing (as the writers would) and proves a file can be created in it. */
function checkWritableFolder(target: Named): void {
  const folder = dirname(canonical(target.path));
  const probe = join(folder, `.wolkvox-import-probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK);
    // W_OK passes for root even on a read-only mount or a full disk's quota: really create a file.
    closeSync(openSync(probe, 'wx', 0o600));
    rmSync(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    const why = FOLDER_ERRORS[code] ?? code;
    throw new UsageError(`${target.what} ${target.path}: cannot write in the folder ${folder} (${why}); choose a folder you can write to, before any row is sent`, { file: target.path });
  }
}

/**
 * Refuses (UsageError, exit 2) an --out or --log-file that resolves, through symlinks, to a file
 * the run reads or keeps (input, mapping, lookup files, state file and its -wal/-shm/-journal/.lock
 * companions), to a folder, to anything existing that is not a regular file (/dev/null,
 * /dev/stdout, a FIFO), or to the same file as another output; then creates each output's folder
 * when missing and proves it writable. Call it after resolveImportConfig and before the first call.
 */
export function checkOutputTargets(cfg: OutputCheckConfig, extra: OutputCheckExtra = {}): void {
  const targets: Named[] = [{ what: '--out', path: cfg.out }];
  if (cfg.logFile) targets.push({ what: '--log-file', path: cfg.logFile });
  if (cfg.rejects) targets.push({ what: '--rejects', path: cfg.rejects });
  targets.push(...(extra.targets ?? []));
  checkIdentities(targets, protectedFiles(cfg, extra));
  for (const target of targets) checkWritableFolder(target);
}
