/** Reading a mapping: a JSON file (loadMapping) or a built-in preset by name (loadPreset). */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MappingError } from '../errors.ts';
import { packageRoot } from '../package-root.ts';
import { errorMap, formatIssues } from './issues.ts';
import { mappingSchema, type Mapping } from './schema.ts';
import { quoteList } from './similar.ts';

export interface LoadedMapping {
  mapping: Mapping;
  /** The file it came from (as given, or the preset's file). */
  path: string;
  /** The file's text, e.g. to fingerprint the run's configuration. */
  text: string;
  /** Set for a built-in preset: its name. Presets resolve lookup files against compileMapping's baseDir. */
  preset?: string;
}

/** Reads and validates a mapping JSON file. Every problem → one MappingError listing them all. */
export async function loadMapping(path: string): Promise<LoadedMapping> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.message;
    throw new MappingError(`cannot read mapping file ${path}: ${why}`, { file: path });
  }
  return { mapping: parseMapping(text, path), path, text };
}

/** Parses and validates mapping JSON text; `file` names it in messages. */
export function parseMapping(text: string, file: string): Mapping {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    const { line, column } = jsonErrorPosition(json, (err as Error).message);
    const what = (err as Error).message.replace(/ in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
    throw new MappingError(`${file}:${line}:${column}: invalid JSON: ${what}`, { file, line, col: column });
  }
  // Parsed once a run: zod's JIT (a parser compiled with new Function) costs more than it saves here.
  const result = mappingSchema.safeParse(data, { error: errorMap, jitless: true });
  if (!result.success) throw new MappingError(formatIssues(file, result.error.issues), { file });
  return result.data;
}

/** Line and column (1-based) of a JSON.parse error, from the position V8 reports. */
function jsonErrorPosition(text: string, message: string): { line: number; column: number } {
  const m = /at position (\d+)/.exec(message);
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (!m && lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = m ? Number(m[1]) : text.length;
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, column: pos - before.lastIndexOf('\n') };
}

/** Where the preset JSON files live: fixtures/mappings at the package root. */
function presetDir(): string {
  return join(packageRoot(), 'fixtures', 'mappings');
}

/** Names of the built-in presets (the JSON files of fixtures/mappings). */
export async function listPresets(): Promise<string[]> {
  try {
    const files = await readdir(presetDir());
    return files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

/** A built-in preset by name (e.g. "cdr_1"). Unknown name → MappingError listing the known ones. */
export async function loadPreset(name: string): Promise<LoadedMapping> {
  const known = await listPresets();
  if (!/^[\w-]+$/.test(name) || !known.includes(name)) {
    throw new MappingError(`unknown mapping preset ${JSON.stringify(name)}; known presets: ${known.length ? quoteList(known, 'and') : '(none found)'}`, {
      preset: name,
    });
  }
  const loaded = await loadMapping(join(presetDir(), `${name}.json`));
  return { ...loaded, preset: name };
}
