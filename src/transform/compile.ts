/**
 * compileMapping: a validated mapping + the input's header → one pure per-row function.
 * Every MappingError / LookupError happens here, before anything is sent.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ApiFields, SourceRecord, TransformResult } from '../types.ts';
import { HeaderIndex } from './columns.ts';
import { MODULE_FIELD, MODULE_VALUE, REQUIRED_FIELDS, TYPIFICATION_GROUPS } from './fields.ts';
import { asObject, compileField, type CompiledField } from './field.ts';
import { compileSkips } from './filters.ts';
import { loadLookup, type LookupTable } from './lookup.ts';
import type { Mapping } from './schema.ts';
import { checkValue } from './validate.ts';

export interface CompiledMapping {
  /** API field names used for the cross-run duplicate guard ([] when the mapping declares none). */
  dedupeKeyFields: string[];
  /** Pure, fast: one source record → send / invalid / skipped. Never throws for bad data. */
  transform(rec: SourceRecord): TransformResult;
  /** Warnings to log once (e.g. unmapped duplicate headers, a lookup key seen twice). */
  warnings: string[];
}

export interface CompileOptions {
  /**
   * Directory a relative lookup `file` resolves against. Default: the mapping file's directory;
   * for a built-in preset (which lives inside the package), the input file's directory
   * (`inputPath`), else the current directory.
   */
  baseDir?: string;
  /** The input CSV's path: the base directory of a preset's lookup files. */
  inputPath?: string;
  /** Lookup name → file, replacing the mapping's `file` (relative to the current directory). */
  lookupFiles?: Record<string, string>;
}

/** A record whose every cell is empty (Excel's `;;;;` lines): nothing to send, nothing wrong. */
const EMPTY_ROW: TransformResult = { kind: 'skipped', error: 'SKIPPED: empty row' };

function isBlank(values: readonly string[]): boolean {
  for (let i = 0; i < values.length; i++) if (values[i]!.trim() !== '') return false;
  return true;
}

/** Separates the values of a multi-field dedupe key. */
export const DEDUPE_SEPARATOR = '\u001f';

export async function compileMapping(
  m: { mapping: Mapping; path: string; preset?: string },
  header: string[],
  opts: CompileOptions = {},
): Promise<CompiledMapping> {
  const { mapping } = m;
  const input = new HeaderIndex(header, m.path, 'the input header');
  const warnings: string[] = [];

  const skips = compileSkips(mapping.skip, input);
  const lookups = await loadLookups(m, opts, warnings);
  const names = Object.keys(mapping.fields).filter((n) => n !== MODULE_FIELD);
  const fields: CompiledField[] = names.map((n) => compileField(n, mapping.fields[n], REQUIRED_FIELDS.includes(n), { header: input, lookups }));
  warnings.push(...input.unusedDuplicates());

  // The docs spell the typification fields several ways: fill every spelling the mapping left out.
  const aliases: [to: string, from: string][] = [];
  for (const group of TYPIFICATION_GROUPS) {
    const mapped = group.filter((f) => names.includes(f));
    if (mapped.length > 0) for (const f of group) if (!mapped.includes(f)) aliases.push([f, mapped[0]]);
  }
  const dedupeKeyFields = [...(mapping.dedupeKey ?? [])];
  const skipped = skips.map((s) => Object.freeze({ kind: 'skipped' as const, error: `SKIPPED: ${s.name}` }));

  function transform(rec: SourceRecord): TransformResult {
    const values = rec.values;
    for (let i = 0; i < skips.length; i++) if (skips[i].test(values)) return skipped[i];
    if (isBlank(values)) return EMPTY_ROW;
    if (rec.problem !== undefined) return { kind: 'invalid', error: `INVALID: ${rec.problem}` };

    const out: ApiFields = {};
    let problems: string[] | undefined;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      const v = f.run(values);
      if (typeof v !== 'string') (problems ??= []).push(`${f.name}: ${v.reason}`);
      else if (v === '') {
        if (f.required) (problems ??= []).push(`${f.name}: required`);
      } else {
        const bad = checkValue(v);
        if (bad === undefined) out[f.name] = v;
        else (problems ??= []).push(`${f.name}: ${bad}`);
      }
    }
    if (problems) return { kind: 'invalid', error: `INVALID: ${problems.join('; ')}` };

    for (let i = 0; i < aliases.length; i++) out[aliases[i][0]] = out[aliases[i][1]];
    out[MODULE_FIELD] = MODULE_VALUE;
    const dedupeKey = dedupeOf(out, dedupeKeyFields);
    return dedupeKey === undefined ? { kind: 'send', fields: out } : { kind: 'send', fields: out, dedupeKey };
  }

  return { dedupeKeyFields, transform, warnings };
}

/** The listed fields' values joined, or undefined when there are none or one is empty. */
function dedupeOf(fields: ApiFields, keys: readonly string[]): string | undefined {
  if (keys.length === 0) return undefined;
  if (keys.length === 1) return fields[keys[0]];
  const parts: string[] = [];
  for (const k of keys) {
    const v = fields[k];
    if (v === undefined) return undefined;
    parts.push(v);
  }
  return parts.join(DEDUPE_SEPARATOR);
}

/** Loads every lookup table a field uses, keeping only the columns fields read. */
async function loadLookups(m: { mapping: Mapping; path: string; preset?: string }, opts: CompileOptions, warnings: string[]): Promise<Map<string, LookupTable>> {
  const defs = m.mapping.lookups ?? {};
  const wanted = new Map<string, Set<string>>();
  for (const spec of Object.values(m.mapping.fields)) {
    const ref = asObject(spec).lookup;
    if (!ref) continue;
    const cols = wanted.get(ref.table) ?? new Set<string>();
    cols.add(ref.column);
    wanted.set(ref.table, cols);
  }
  for (const name of Object.keys(defs)) {
    if (!wanted.has(name)) warnings.push(`${m.path}: lookups.${name} is declared but no field uses it; it is not loaded`);
  }
  const base = opts.baseDir ?? (m.preset !== undefined ? (opts.inputPath ? dirname(opts.inputPath) : process.cwd()) : dirname(m.path));
  const tables = new Map<string, LookupTable>();
  for (const [name, cols] of wanted) {
    const def = defs[name];
    const override = opts.lookupFiles?.[name];
    const file = override !== undefined ? resolve(override) : isAbsolute(def.file) ? def.file : resolve(base, def.file);
    const hint =
      override !== undefined
        ? 'given as an override'
        : `"file": ${JSON.stringify(def.file)} resolves against ${m.preset !== undefined && opts.baseDir === undefined ? "the input file's directory" : 'the directory'} ${base}; put the file there or set lookups.${name}.file`;
    const loaded = await loadLookup(name, def, file, [...cols], hint);
    tables.set(name, loaded.table);
    warnings.push(...loaded.warnings);
  }
  return tables;
}
