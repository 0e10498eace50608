/**
 * Rules of a mapping that span several keys: API field names, the mandatory fields, `module`,
 * dedupeKey and lookup references. Run by the schema (superRefine), so they report with the
 * same `path: expected ..., got ...` messages as the rest.
 */
import type * as z from 'zod';
import { DOCUMENTED_FIELDS, MODULE_FIELD, MODULE_VALUE, RECORD_FIELD, TYPIFICATION_GROUPS } from './api-fields.ts';
import { didYouMean, quoteList } from './similar.ts';

/** The parts of a parsed mapping these rules read (kept structural to avoid a type cycle). */
interface MappingShape {
  fields: Record<string, string | { value?: string; lookup?: LookupRefShape; [k: string]: unknown }>;
  allowUnknownFields?: boolean;
  dedupeKey?: string[];
  lookups?: Record<string, { key?: string | string[]; crm?: { take: string } }>;
}

interface LookupRefShape {
  table: string;
  key: string | string[];
  column?: string;
}

/** The API fields a mapping sends: its own, the other typification spellings, and `module`. */
function producedFields(fieldNames: readonly string[]): Set<string> {
  const out = new Set(fieldNames);
  for (const group of TYPIFICATION_GROUPS) {
    if (group.some((f) => out.has(f))) for (const f of group) out.add(f);
  }
  out.add(MODULE_FIELD);
  return out;
}

/** True when a `module` spec means the constant "collections". */
function isModuleConstant(spec: unknown): boolean {
  if (typeof spec === 'string') return spec === MODULE_VALUE;
  if (typeof spec !== 'object' || spec === null) return false;
  const keys = Object.keys(spec).filter((k) => k !== '$comment');
  return (spec as { value?: unknown }).value === MODULE_VALUE && keys.length === 1;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Run the name rules whenever `fields` is an object, even if other parts of the file are wrong. */
export const whenFieldsIsObject = (payload: { value: unknown }): boolean => isRecord(payload.value) && isRecord(payload.value.fields);

function adder(ctx: z.RefinementCtx) {
  return (path: (string | number)[], message: string): void => {
    ctx.addIssue({ code: 'custom', path, message, input: undefined });
  };
}

/** API field names: documented (unless allowUnknownFields), the mandatory ones present, `module` constant. */
export function addFieldNameRules(m: { fields: Record<string, unknown>; allowUnknownFields?: unknown }, ctx: z.RefinementCtx): void {
  const names = Object.keys(m.fields);
  const issue = adder(ctx);

  if (m.allowUnknownFields !== true) {
    for (const name of names) {
      if (DOCUMENTED_FIELDS.includes(name)) continue;
      const near = didYouMean(name, DOCUMENTED_FIELDS);
      const hint = near.length ? `; did you mean ${quoteList(near)}?` : '';
      issue(['fields', name], `unknown API field${hint} (set "allowUnknownFields": true to send it as written)`);
    }
  }

  const moduleSpec = m.fields[MODULE_FIELD];
  if (moduleSpec !== undefined && !isModuleConstant(moduleSpec)) {
    issue(['fields', MODULE_FIELD], `expected "${MODULE_VALUE}" or {"value": "${MODULE_VALUE}"} (module is always "${MODULE_VALUE}"; leave it out and it is set), got ${JSON.stringify(moduleSpec)}`);
  }

  if (!names.includes(RECORD_FIELD)) {
    issue(['fields'], `missing required field "${RECORD_FIELD}" (the id of the CRM collections record: map a column, or a lookup from a CRM export)`);
  }
  for (const group of TYPIFICATION_GROUPS) {
    if (!group.some((f) => names.includes(f))) {
      issue(['fields'], `missing required field ${quoteList(group)} (any one spelling; it is sent under all of them)`);
    }
  }
}

/** References inside a valid mapping: dedupeKey fields produced, lookup tables declared with the same key length. */
export function addReferenceRules(m: MappingShape, ctx: z.RefinementCtx): void {
  const names = Object.keys(m.fields);
  const issue = adder(ctx);
  const produced = producedFields(names);
  (m.dedupeKey ?? []).forEach((name, i) => {
    if (produced.has(name)) return;
    const near = didYouMean(name, [...produced]);
    issue(['dedupeKey', i], `expected a field the mapping produces${near.length ? ` (did you mean ${quoteList(near)}?)` : ''}, got ${JSON.stringify(name)}`);
  });

  const tables = m.lookups ?? {};
  for (const name of names) {
    const spec = m.fields[name];
    if (typeof spec === 'string' || !spec.lookup) continue;
    const table = tables[spec.lookup.table];
    if (!table) {
      const known = Object.keys(tables);
      const near = didYouMean(spec.lookup.table, known);
      const hint = known.length ? `; the mapping's lookups are ${quoteList(known, 'and')}${near.length ? `, did you mean ${quoteList(near)}?` : ''}` : '; the mapping has no "lookups"';
      issue(['fields', name, 'lookup', 'table'], `no lookup table named ${JSON.stringify(spec.lookup.table)}${hint}`);
      continue;
    }
    const problem = refProblem(spec.lookup, table);
    if (problem) issue(['fields', name, 'lookup', problem[0]], problem[1]);
  }
}

/** A field's lookup reference against its table: the key length, and the column (a CRM lookup gives only its `take`). */
function refProblem(ref: LookupRefShape, table: { key?: string | string[]; crm?: { take: string } }): [string, string] | undefined {
  const want = table.crm || typeof table.key === 'string' ? 1 : (table.key ?? []).length;
  const got = typeof ref.key === 'string' ? 1 : ref.key.length;
  if (want !== got) {
    const why = table.crm ? `lookup "${ref.table}" asks the CRM for one value (crm.field)` : `as lookup "${ref.table}" has`;
    return ['key', `expected ${want} key column(s), ${why}, got ${got}`];
  }
  if (table.crm) {
    if (ref.column !== undefined && ref.column !== table.crm.take) return ['column', `lookup "${ref.table}" takes ${JSON.stringify(table.crm.take)} from the CRM (crm.take): leave "column" out, got ${JSON.stringify(ref.column)}`];
  } else if (ref.column === undefined) return ['column', 'expected the lookup file\'s column whose value the field takes'];
  return undefined;
}
