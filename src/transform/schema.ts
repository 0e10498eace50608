/**
 * The mapping file's schema (zod 4). Everything that can be checked from the file alone is
 * checked here, so loadMapping fails before a header or a lookup is read. Cross-field rules
 * (unknown API fields, required fields, dedupeKey, lookup references) are in mapping-rules.ts.
 */
import * as z from 'zod';
import { normalizeDelimiter, normalizeEncoding } from '../source/index.ts';
import { checkDatePattern, checkTimeZone } from './dates.ts';
import { showInput as show } from './issues.ts';
import { addFieldNameRules, addReferenceRules, whenFieldsIsObject } from './mapping-rules.ts';
import { compileUserRegex } from './regex.ts';

const comment = z.union([z.string(), z.array(z.string())], { error: (iss) => `expected a string or a list of strings, got ${show(iss.input)}` }).optional();

/** A refinement: exactly one of `keys` is set (checked only when the object is otherwise valid). */
function exactlyOne<T extends Record<string, unknown>>(keys: readonly (keyof T & string)[], what: string) {
  const names = keys.map((k) => JSON.stringify(k)).join(', ');
  return z.superRefine<T>((obj, ctx) => {
    const set = keys.filter((k) => obj[k] !== undefined);
    if (set.length === 1) return;
    const got = set.length === 0 ? 'none' : set.map((k) => JSON.stringify(k)).join(' and ');
    ctx.addIssue({ code: 'custom', message: `expected exactly one ${what} among ${names}, got ${got}`, input: obj });
  }, { when: (payload) => payload.issues.length === 0 });
}

const columnName = z.string().min(1, { error: 'expected a column name, got ""' });
/** One key column, or several (joined into one key). */
const keyColumns = z.union([columnName, z.array(columnName).min(1, { error: 'expected at least one key column' })], {
  error: (iss) => `expected a column name or a list of them, got ${show(iss.input)}`,
});

const datePattern = z.string().superRefine((p, ctx) => {
  const reason = checkDatePattern(p);
  if (reason) ctx.addIssue({ code: 'custom', message: reason, input: p });
});
const timeZone = z.string().superRefine((tz, ctx) => {
  const reason = checkTimeZone(tz);
  if (reason) ctx.addIssue({ code: 'custom', message: reason, input: tz });
});

/** A regex plus optional flags, compiled once here so a bad one fails at load time. */
function regexCheck(patternKey: string, flagsKey: string, defaultFlags: string) {
  return (obj: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const pattern = obj[patternKey];
    if (typeof pattern !== 'string') return;
    const flags = typeof obj[flagsKey] === 'string' ? (obj[flagsKey] as string) : defaultFlags;
    const re = compileUserRegex(pattern, flags);
    if (typeof re !== 'string') return;
    const badFlags = re.startsWith('expected regular expression flags');
    ctx.addIssue({ code: 'custom', message: re, path: [badFlags ? flagsKey : patternKey], input: badFlags ? obj[flagsKey] : pattern });
  };
}

const replaceSpec = z
  .strictObject({
    pattern: z.string(),
    with: z.string(),
    /** RegExp flags; default "g" (replace every match). */
    flags: z.string().optional(),
  })
  .superRefine(regexCheck('pattern', 'flags', 'g'));

const dateSpec = z.strictObject({
  from: z.union([datePattern, z.array(datePattern).min(1)], { error: (iss) => `expected a date pattern or a list of them, got ${show(iss.input)}` }),
  to: datePattern.optional(),
  timeZone: z
    .union([timeZone, z.strictObject({ from: timeZone, to: timeZone })], {
      error: (iss) => `expected a time zone such as "America/Bogota" or {"from": "UTC", "to": "America/Bogota"}, got ${show(iss.input)}`,
    })
    .optional(),
});

const durationUnit = z.enum(['hh:mm:ss', 'seconds']);
const durationSpec = z
  .strictObject({ from: durationUnit, to: durationUnit })
  .refine((d) => d.from !== d.to, { error: 'expected "from" and "to" to differ' });

const mapSpec = z.strictObject({
  table: z.record(z.string(), z.string()),
  default: z.string().optional(),
  ignoreCase: z.boolean().optional(),
});

const TRANSFORM_KINDS = ['replace', 'date', 'duration', 'map'] as const;
const SIMPLE_TRANSFORMS = ['trim', 'upper', 'lower', 'digits'] as const;
const transformHelp = `${SIMPLE_TRANSFORMS.map((t) => JSON.stringify(t)).join(', ')} or an object with one key among ${TRANSFORM_KINDS.map((t) => JSON.stringify(t)).join(', ')}`;

const transformObject = z
  .strictObject({
    replace: replaceSpec.optional(),
    date: dateSpec.optional(),
    duration: durationSpec.optional(),
    map: mapSpec.optional(),
  })
  .check(exactlyOne(TRANSFORM_KINDS, 'transform'));

const transformSchema = z.union(
  [z.enum(SIMPLE_TRANSFORMS, { error: (iss) => `expected ${transformHelp}, got ${show(iss.input)}` }), transformObject],
  { error: `expected a transform: ${transformHelp}` },
);

const lookupRef = z.strictObject({
  /** Name of a table under the top-level "lookups". */
  table: z.string().min(1),
  /** Input column(s) whose values form the key, in the order of the table's `key`. */
  key: keyColumns,
  /** Column of the lookup file whose value the field takes (a CRM lookup: its `take`, the default). */
  column: columnName.optional(),
});

const SOURCES = ['column', 'value', 'coalesce', 'template', 'lookup'] as const;

const fieldObject = z
  .strictObject({
    $comment: comment,
    column: columnName.optional(),
    value: z.string().optional(),
    coalesce: z.array(columnName).min(1).optional(),
    template: z
      .string()
      .refine((t) => /\{[^{}]+\}/.test(t), { error: 'expected a template naming columns in braces, e.g. "{NOMBRE} {APELLIDO}"' })
      .optional(),
    lookup: lookupRef.optional(),
    /** Used when the value is empty after transforms (and on a lookup miss). */
    default: z.string().optional(),
    /** Trim the source value before the transforms. Default true. */
    trim: z.boolean().optional(),
    transforms: z.array(transformSchema).optional(),
  })
  .check(exactlyOne(SOURCES, 'source'));

const fieldSpecSchema = z.union([columnName, fieldObject], {
  error: (iss) => `expected a column name or an object such as {"column": "..."}, got ${show(iss.input)}`,
});

/** A value the source stage's normaliser accepts (it throws otherwise). */
function accepted(normalize: (v: string) => unknown) {
  return (v: string): boolean => {
    try {
      normalize(v);
      return true;
    } catch {
      return false;
    }
  };
}

/** A lookup answered by the CRM: queryGestion by `field` = the row's key, the earlier gestiones' `take` value. */
const crmLookup = z.strictObject({
  /** The queryGestion search field, e.g. "id_customer". */
  field: z.string().min(1),
  /** The returned gestiones' field whose value the lookup gives, e.g. "wolkvox_idRecord". */
  take: z.string().min(1),
});

const lookupDef = z.strictObject({
  $comment: comment,
  /** CSV file; a relative path resolves as compileMapping's baseDir says. */
  file: z.string().min(1).optional(),
  /** Column(s) of the lookup file that form the key. */
  key: keyColumns.optional(),
  /** Instead of a file: ask the CRM (queryGestion), once per key, ever (cached in the state file). */
  crm: crmLookup.optional(),
  /** Field delimiter: "," ";" "|" or "tab". Default: sniffed, as for the input file. */
  delimiter: z
    .string()
    .refine(accepted(normalizeDelimiter), { error: (iss) => `expected "," ";" "|" or "tab", got ${show(iss.input)}` })
    .optional(),
  /** Text encoding: utf-8, windows-1252, latin1, utf-16le, utf-16be. Default: detected, as for the input file. */
  encoding: z
    .string()
    .refine(accepted(normalizeEncoding), { error: (iss) => `expected utf-8, windows-1252, latin1, utf-16le or utf-16be, got ${show(iss.input)}` })
    .optional(),
})
  .check(exactlyOne(['file', 'crm'], 'lookup source'))
  .superRefine((d, ctx) => {
    const wrong: ('key' | 'delimiter' | 'encoding')[] = d.crm ? (['key', 'delimiter', 'encoding'] as const).filter((k) => d[k] !== undefined) : d.key === undefined ? ['key'] : [];
    for (const k of wrong) {
      const message = d.crm ? `a "crm" lookup has no ${k} (the key is the field's lookup.key column, searched by crm.field)` : 'expected the key column(s) of the lookup file';
      ctx.addIssue({ code: 'custom', path: [k], message, input: d[k] });
    }
  }, { when: (payload) => payload.issues.length === 0 });

const SKIP_TESTS = ['equals', 'in', 'matches', 'empty'] as const;

const skipRule = z
  .strictObject({
    $comment: comment,
    /** Shown as `SKIPPED: <name>`; default `<column> <test>`. */
    name: z.string().min(1).optional(),
    column: columnName,
    equals: z.string().optional(),
    in: z.array(z.string()).min(1).optional(),
    matches: z.string().optional(),
    /** RegExp flags for `matches`. */
    flags: z.string().optional(),
    empty: z.literal(true).optional(),
    /** equals/in compare case-sensitively. Default false. */
    caseSensitive: z.boolean().optional(),
  })
  .check(exactlyOne(SKIP_TESTS, 'test'))
  .refine((r) => r.flags === undefined || r.matches !== undefined, { error: '"flags" only goes with "matches"', path: ['flags'] })
  .superRefine(regexCheck('matches', 'flags', ''));

export const mappingSchema = z
  .strictObject({
    $schema: z.string().optional(),
    $comment: comment,
    /** API field → source. The fixed contract: a column name, {column, default} or {value}. */
    fields: z.record(z.string().min(1), fieldSpecSchema),
    /** Send fields docs/api.md ("Request") does not list. Default false (an unknown name is a typo). */
    allowUnknownFields: z.boolean().optional(),
    /** API fields whose values identify a gestión across runs (duplicate guard). Default none. */
    dedupeKey: z.array(z.string().min(1)).optional(),
    /** The API field an uncertain row is searched by in the CRM (queryGestion); default the first of wolkvox_idCall, id_customer, customer_id the row has. */
    reconcileBy: z.string().min(1).optional(),
    /** Named lookup tables (CSV files), loaded once by compileMapping. */
    lookups: z.record(z.string().min(1), lookupDef).optional(),
    /** Rows to leave out, tested before mapping; a match is `skipped`, never validated. */
    skip: z.array(skipRule).optional(),
  })
  .superRefine(addFieldNameRules, { when: whenFieldsIsObject })
  .superRefine(addReferenceRules);

export type Mapping = z.infer<typeof mappingSchema>;
export type FieldSpec = z.infer<typeof fieldSpecSchema>;
export type FieldObject = z.infer<typeof fieldObject>;
export type TransformSpec = z.infer<typeof transformSchema>;
export type LookupDef = z.infer<typeof lookupDef>;
export type CrmLookupDef = z.infer<typeof crmLookup>;
export type LookupRef = z.infer<typeof lookupRef>;
export type SkipRule = z.infer<typeof skipRule>;
