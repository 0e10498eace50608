/** Shared helpers for the source stage's tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceRecord } from '../../src/types.ts';
import { openSource, type SourceTuning } from '../../src/source/open-source.ts';
import type { Source, SourceOptions } from '../../src/source/index.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/input/', import.meta.url));
export const fixture = (name: string): string => join(FIXTURES, name);

/** A temporary folder removed at process exit. */
const dir = mkdtempSync(join(tmpdir(), 'wolkvox-source-test-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

/** Writes `content` to a fresh temporary file and returns its path. */
export function tempFile(content: string | Buffer, name = `input-${++counter}.csv`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export const tempDir = dir;

export interface ReadResult {
  source: Source;
  records: SourceRecord[];
  error?: unknown;
}

/** Opens and reads every record; an error thrown while iterating is returned, not thrown. */
export async function readAll(opts: SourceOptions, tuning?: SourceTuning): Promise<ReadResult> {
  const source = await openSource(opts, tuning);
  const records: SourceRecord[] = [];
  try {
    for await (const r of source.records) records.push(r);
  } catch (error) {
    return { source, records, error };
  }
  return { source, records };
}

/** Reads `text` (UTF-8) as a CSV file. */
export async function readText(text: string, opts: Omit<SourceOptions, 'path'> = {}, tuning?: SourceTuning): Promise<ReadResult> {
  return readAll({ ...opts, path: tempFile(text) }, tuning);
}
