import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './process-alive.ts';

/** Where `writeAtomic` puts the text of `path` until it is complete. */
export interface AtomicWriter {
  write(text: string): Promise<void>;
}

/** `<name>.tmp-<pid>-<random>` beside `<name>`: the pid lets a later run tell a dead writer's leftovers. */
const TEMP_SUFFIX = /^\.tmp-(\d+)(?:-[0-9a-f]+)?$/;

/** Removes the temporary files of `path` that a killed process left (its pid is gone). */
async function removeStaleTemps(path: string): Promise<void> {
  const dir = dirname(path);
  const name = basename(path);
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const e of entries) {
    const m = e.startsWith(name) ? TEMP_SUFFIX.exec(e.slice(name.length)) : null;
    if (m && !processAlive(Number(m[1]))) await rm(join(dir, e), { force: true });
  }
}

/**
 * Writes `path` all or nothing: `fill` writes to a new private (0600) temporary file in the same
 * directory, which is flushed to disk and then renamed over `path`. A failure (or a crash) leaves
 * `path` as it was; the temporary file is removed (a crash's leftover, by the next write of `path`).
 */
export async function writeAtomic<T>(path: string, fill: (out: AtomicWriter) => Promise<T>): Promise<T> {
  await removeStaleTemps(path);
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fh = await open(tmp, 'wx', 0o600);
  try {
    const result = await fill({ write: async (text) => void (await fh.write(text, null, 'utf8')) });
    await fh.sync();
    await fh.close();
    await rename(tmp, path);
    return result;
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
}

/** `writeAtomic` for a whole text at once. */
export function writeFileAtomic(path: string, text: string): Promise<void> {
  return writeAtomic(path, (out) => out.write(text));
}
