/** Helpers for the transform tests: a mapping from an object, compiled against a header. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileMapping, parseMapping, type CompileOptions, type CompiledMapping } from '../../src/transform/index.ts';
import type { SourceRecord, TransformResult } from '../../src/types.ts';

/** The three mandatory fields, from columns named code, desc and record. */
export const BASE = { tipifycation_code: 'code', tipifycation_desc: 'desc', wolkvox_idRecord: 'record' } as const;
export const BASE_HEADER = ['code', 'desc', 'record'];

export function tmpDir(): string {
  return mkdtempSync(join(tmpdir(), 'wvx-transform-'));
}

/** Validates `mapping` as if read from `<dir>/mapping.json` and compiles it against `header`. */
export async function compile(mapping: unknown, header: string[], opts: CompileOptions & { dir?: string } = {}): Promise<CompiledMapping> {
  const dir = opts.dir ?? tmpdir();
  const path = join(dir, 'mapping.json');
  return compileMapping({ mapping: parseMapping(JSON.stringify(mapping), path), path }, header, opts);
}

/** A record from values in header order. */
export function rec(values: string[], extra: Partial<SourceRecord> = {}): SourceRecord {
  return { row: 1, line: 2, values, ...extra };
}

/** A record from a column → value object, blanks elsewhere. */
export function recOf(header: readonly string[], o: Record<string, string>): SourceRecord {
  return rec(header.map((h) => o[h] ?? ''));
}

/** The fields of a `send` result; fails the test (throws) on anything else. */
export function sent(r: TransformResult): Record<string, string> {
  if (r.kind !== 'send') throw new Error(`expected send, got ${r.kind}: ${r.error}`);
  return r.fields;
}

/** The error of an invalid/skipped result; throws on send. */
export function errorOf(r: TransformResult): string {
  if (r.kind === 'send') throw new Error(`expected invalid/skipped, got send: ${JSON.stringify(r.fields)}`);
  return r.error;
}

export function writeFile(dir: string, name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
