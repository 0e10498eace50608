/**
 * compileMapping: a validated mapping + the input's header → one pure per-row function.
 * Every MappingError / LookupError happens here, before anything is sent.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ApiFields, SourceRecord, TransformResult } from '../types.ts';
import { HeaderIndex } from './columns.ts';
import { MODULE_FIELD, MODULE_VALUE, REQUIRED_FIELDS, TYPIFICATION_GROUPS } from './api-fields.ts';
import { asObject, compileField, type CompiledField } from './map-field.ts';
import { CrmLookups, Unsettled } from './crm.ts';
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
  /** The API field uncertain rows are searched by in the CRM (queryGestion), if the mapping names one. */
  reconcileBy?: string;
  /** The lookup tables fields ask the CRM for (queryGestion, cached in the state file); undefined when none. */
  crm?: CrmLookups;
}

export interface CompileOptions {
  /**
   * The input CSV's path. A relative lookup `file` resolves against the mapping file's directory;
   * for a built-in preset (which lives inside the package), against this file's directory, else
   * the current directory.
   */
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

/** A loaded mapping: the parsed file, its path, and the preset's name when it is a built-in one. */
type LoadedMappingRef = { mapping: Mapping; path: string; preset?: string };

/** Separates the values of a multi-field dedupe key. */
const DEDUPE_SEPARATOR = '\u001f';

export async function compileMapping(
  m: LoadedMappingRef,
  header: string[],
  opts: CompileOptions = {},
): Promise<CompiledMapping> {
  const { mapping } = m;
  const input = new HeaderIndex(header, { prefix: m.path, what: 'the input header' });
  const warnings: string[] = [];

  const skips = compileSkips(mapping.skip, input);
  const lookups = await loadLookups(m, opts, warnings);
  const crm = crmTables(mapping);
  const names = Object.keys(mapping.fields).filter((n) => n !== MODULE_FIELD);
  const fields: CompiledField[] = names.map((n) => compileField(n, mapping.fields[n], REQUIRED_FIELDS.includes(n), { header: input, lookups, crm }));
  input.throwMissing();
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
    const problems = mapFields(fields, values, out);
    if (problems) return problems.invalid.length > 0 ? { kind: 'invalid', error: `INVALID: ${problems.invalid.join('; ')}` } : { kind: 'pending', error: `LOOKUP_PENDING: ${problems.waiting.join('; ')}` };

    for (let i = 0; i < aliases.length; i++) out[aliases[i][0]] = out[aliases[i][1]];
    out[MODULE_FIELD] = MODULE_VALUE;
    const dedupeKey = dedupeOf(out, dedupeKeyFields);
    return dedupeKey === undefined ? { kind: 'send', fields: out } : { kind: 'send', fields: out, dedupeKey };
  }

  return { dedupeKeyFields, transform, warnings, reconcileBy: mapping.reconcileBy, crm };
}

/** A row's problems (`field: reason`): invalid values, and CRM lookups not answered yet (the row waits). */
interface Problems {
  invalid: string[];
  waiting: string[];
}

/** Runs every field into `out`; the problems, or undefined when there are none. */
function mapFields(fields: readonly CompiledField[], values: readonly string[], out: ApiFields): Problems | undefined {
  let problems: Problems | undefined;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const v = f.run(values);
    const bad = typeof v !== 'string' ? v.reason : v === '' ? (f.required ? 'required' : undefined) : checkValue(v);
    if (bad !== undefined) (problems ??= { invalid: [], waiting: [] })[v instanceof Unsettled && v.pending ? 'waiting' : 'invalid'].push(`${f.name}: ${bad}`);
    else if (v !== '') out[f.name] = v as string;
  }
  return problems;
}

/** The CRM lookup tables a field uses, or undefined when there are none. */
function crmTables(mapping: Mapping): CrmLookups | undefined {
  const used = new Set(Object.values(mapping.fields).map((spec) => asObject(spec).lookup?.table));
  const tables = Object.entries(mapping.lookups ?? {}).filter(([name, def]) => def.crm && used.has(name)).map(([name, def]) => ({ name, ...def.crm! }));
  return tables.length > 0 ? new CrmLookups(tables) : undefined;
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

/** Lookup table name → the columns fields read from it. */
function wantedColumns(mapping: Mapping): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>();
  for (const spec of Object.values(mapping.fields)) {
    const ref = asObject(spec).lookup;
    if (!ref) continue;
    const cols = wanted.get(ref.table) ?? new Set<string>();
    if (ref.column !== undefined) cols.add(ref.column);
    wanted.set(ref.table, cols);
  }
  return wanted;
}

/** Where lookup `name`'s file is, and how that path was found (said after "not found"). */
function lookupPath(m: LoadedMappingRef, opts: CompileOptions, name: string): { file: string; hint: string } {
  const override = opts.lookupFiles?.[name];
  if (override !== undefined) return { file: resolve(override), hint: 'given as an override' };
  const given = (m.mapping.lookups ?? {})[name].file!; // a file lookup: the schema requires it
  const preset = m.preset !== undefined;
  const base = preset ? (opts.inputPath ? dirname(opts.inputPath) : process.cwd()) : dirname(m.path);
  const file = isAbsolute(given) ? given : resolve(base, given);
  const where = preset ? "the input file's directory" : 'the directory';
  return { file, hint: `"file": ${JSON.stringify(given)} resolves against ${where} ${base}; put the file there or set lookups.${name}.file` };
}

/** Loads every lookup table a field uses, keeping only the columns fields read. */
async function loadLookups(m: LoadedMappingRef, opts: CompileOptions, warnings: string[]): Promise<Map<string, LookupTable>> {
  const wanted = wantedColumns(m.mapping);
  for (const name of Object.keys(m.mapping.lookups ?? {})) {
    if (!wanted.has(name)) warnings.push(`${m.path}: lookups.${name} is declared but no field uses it; it is not loaded`);
  }
  const tables = new Map<string, LookupTable>();
  for (const [name, cols] of wanted) {
    if (m.mapping.lookups?.[name]?.crm) continue; // asked of the CRM: nothing to load
    const { file, hint } = lookupPath(m, opts, name);
    const loaded = await loadLookup({ name, def: (m.mapping.lookups ?? {})[name], file, wanted: [...cols], missingHint: hint });
    tables.set(name, loaded.table);
    warnings.push(...loaded.warnings);
  }
  return tables;
}
