/** Reading a state file from the test's own process: --report watermarks, and a running import's journal. */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { RunStore } from '../src/store/store.ts';
import { listWatermarks } from '../src/store/watermark.ts';

/**
 * Every watermark of a state file, in the order `runs` lists them, as ISO instants; read between CLI
 * runs: cheaper than starting `runs --json` for each look (each test file still reads them once through `runs`).
 */
export function storedWatermarks(statePath: string): string[] {
  if (!existsSync(statePath)) return [];
  const store = RunStore.open(statePath);
  try {
    return listWatermarks(store).map((w) => w.untilAt.toISOString());
  } finally {
    store.close();
  }
}

/** The first watermark (epoch ms), as above. */
export function storedWatermark(statePath: string): number | undefined {
  const first = storedWatermarks(statePath)[0];
  return first === undefined ? undefined : Date.parse(first);
}

/**
 * How many rows of the state file's runs have `status` on disk now: read-only (no lock, no schema
 * write), so it can look at the journal of an import that is still running. 0 while there is no file.
 */
export function journaled(statePath: string, status: string): number {
  if (!existsSync(statePath)) return 0;
  const db = new Database(statePath, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return (db.prepare('SELECT COUNT(*) AS n FROM rows WHERE status = ?').get(status) as { n: number }).n;
  } finally {
    db.close();
  }
}
