/**
 * One field spec → a compiled function from a record's values to the field's value (or a
 * Failure). Columns, lookups and regexes are resolved here, once; per row it only indexes.
 * Order per value: source → trim (unless "trim": false) → transforms → default when empty.
 */
import { InternalError } from '../errors.ts';
import type { HeaderIndex } from './columns.ts';
import { Failure, showValue, type StepResult } from './failure.ts';
import { Unsettled, type CrmLookups } from './crm.ts';
import { KEY_SEPARATOR, type LookupTable } from './lookup.ts';
import type { FieldObject, FieldSpec, LookupRef } from './schema.ts';
import { chain, compileStep } from './steps.ts';

type Source = (values: readonly string[]) => StepResult;

export interface CompiledField {
  /** The API field name. */
  readonly name: string;
  /** The value may not be empty (mandatory fields). */
  readonly required: boolean;
  readonly run: (values: readonly string[]) => StepResult;
}

export interface FieldContext {
  readonly header: HeaderIndex;
  readonly lookups: ReadonlyMap<string, LookupTable>;
  /** The mapping's CRM lookup tables (answered from the state file's cache). */
  readonly crm?: CrmLookups;
}

export function asObject(spec: FieldSpec): FieldObject {
  return typeof spec === 'string' ? { column: spec } : spec;
}

export function compileField(name: string, spec: FieldSpec, required: boolean, ctx: FieldContext): CompiledField {
  const field = compileValue(name, spec, required, ctx);
  const check = API_FORMATS[name];
  const hasDate = (asObject(spec).transforms ?? []).some((s) => typeof s === 'object' && s.date !== undefined);
  if (check === undefined || hasDate) return field;
  // A date or time sent as it is must already be in the CRM's form: else the row is invalid, not sent raw.
  const run = (values: readonly string[]): StepResult => {
    const v = field.run(values);
    return typeof v !== 'string' || v === '' || check.test(v) ? v : new Failure(`${showValue(v)} is not a ${name} in ${check.form} form; add a date transform, e.g. {"date": {"from": "dd/MM/yyyy"${name === 'time' ? ', "to": "HH:mm:ss"' : ''}}}`);
  };
  return { name, required, run };
}

/** The form a date/time value must have when no date transform makes it (the CRM's own `YYYY-MM-DD`: docs/api.md). */
const API_FORMATS: Readonly<Record<string, { test: (v: string) => boolean; form: string }>> = {
  date: { test: (v) => isIsoDate(v), form: 'yyyy-MM-dd' },
  time: { test: (v) => /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(v), form: 'HH:mm:ss' },
};

function isIsoDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?)?$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

function compileValue(name: string, spec: FieldSpec, required: boolean, ctx: FieldContext): CompiledField {
  const obj = asObject(spec);
  const where = `fields.${name}`;
  const trim = obj.trim !== false;
  const steps = chain((obj.transforms ?? []).map(compileStep));
  const fallback = obj.default;

  // The common case, kept to one closure: a column, trimmed, nothing else.
  if (obj.column !== undefined && trim && !steps && fallback === undefined) {
    const at = ctx.header.resolve(obj.column, `${where}.column`);
    return { name, required, run: (values) => (values[at] ?? '').trim() };
  }

  const source = compileSource(obj, where, trim, ctx);
  const run = (values: readonly string[]): StepResult => {
    let v = source(values);
    if (typeof v !== 'string') return fallback === undefined || v instanceof Unsettled ? v : fallback; // a lookup miss takes the default
    if (trim) v = v.trim();
    if (steps) {
      const r = steps(v);
      if (typeof r !== 'string') return r;
      v = r;
    }
    return v === '' && fallback !== undefined ? fallback : v;
  };
  return { name, required, run };
}

function compileSource(obj: FieldObject, where: string, trim: boolean, ctx: FieldContext): Source {
  if (obj.column !== undefined) {
    const at = ctx.header.resolve(obj.column, `${where}.column`);
    return (values) => values[at] ?? '';
  }
  if (obj.value !== undefined) {
    const constant = obj.value;
    return () => constant;
  }
  if (obj.coalesce !== undefined) {
    const at = obj.coalesce.map((c, i) => ctx.header.resolve(c, `${where}.coalesce[${i}]`));
    return (values) => {
      for (const i of at) {
        const v = values[i] ?? '';
        if ((trim ? v.trim() : v) !== '') return v;
      }
      return '';
    };
  }
  if (obj.template !== undefined) return compileTemplate(obj.template, `${where}.template`, trim, ctx.header);
  return compileLookup(obj.lookup as LookupRef, `${where}.lookup`, ctx);
}

/** "{NOMBRE} {APELLIDO}": columns in braces; "{{" and "}}" are literal braces. */
function compileTemplate(template: string, where: string, trim: boolean, header: HeaderIndex): Source {
  const parts: (string | number)[] = [];
  const re = /\{\{|\}\}|\{([^{}]+)\}/g;
  let last = 0;
  let literal = '';
  for (let m = re.exec(template); m; m = re.exec(template)) {
    literal += template.slice(last, m.index);
    last = re.lastIndex;
    if (m[1] === undefined) {
      literal += m[0][0];
      continue;
    }
    if (literal) parts.push(literal);
    literal = '';
    parts.push(header.resolve(m[1], where));
  }
  literal += template.slice(last);
  if (literal) parts.push(literal);
  return (values) => {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else out += trim ? (values[p] ?? '').trim() : (values[p] ?? '');
    }
    return out;
  };
}

function compileLookup(ref: LookupRef, where: string, ctx: FieldContext): Source {
  const crm = ctx.crm?.table(ref.table);
  if (crm) return ctx.crm!.source(crm, ctx.header.resolve(ref.key as string, `${where}.key`), ref.key as string); // one key column: checked by the schema
  const table = ctx.lookups.get(ref.table);
  const column = table?.columns.get(ref.column!);
  if (!table || !column) throw new InternalError(`lookup ${ref.table}.${ref.column} was not loaded`); // unreachable: compileMapping loads it
  const keys = typeof ref.key === 'string' ? [ref.key] : ref.key;
  const at = keys.map((k, i) => ctx.header.resolve(k, `${where}.key${typeof ref.key === 'string' ? '' : `[${i}]`}`));
  const index = table.index;
  const describe = (parts: string[]): string => keys.map((k, i) => `${k} ${parts[i]}`).join(', ');
  const tableName = ref.table;

  if (at.length === 1) {
    const i0 = at[0];
    return (values) => {
      const key = (values[i0] ?? '').trim();
      if (key === '') return new Failure(`${keys[0]} is empty, nothing to look up in ${tableName}`);
      const row = index.get(key);
      return row === undefined ? new Failure(`no record for ${describe([key])} in ${tableName}`) : column[row];
    };
  }
  return (values) => {
    const parts = at.map((i) => (values[i] ?? '').trim());
    if (parts.every((p) => p === '')) return new Failure(`${keys.join(', ')} are empty, nothing to look up in ${tableName}`);
    const row = index.get(parts.join(KEY_SEPARATOR));
    return row === undefined ? new Failure(`no record for ${describe(parts)} in ${tableName}`) : column[row];
  };
}
