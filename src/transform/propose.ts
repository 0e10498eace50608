/**
 * init-mapping: a first mapping from a header and a few sample rows. Exact API names first,
 * then case/accent-insensitive ones, then synonyms (synonyms.ts); sample values pick the date
 * pattern; a cdr_1 header also gets the usual skip rules.
 */
import { compileDate } from './dates.ts';
import { DOCUMENTED_FIELDS, MODULE_FIELD, RECORD_FIELD, TYPIFICATION_CODE, TYPIFICATION_DESC } from './fields.ts';
import type { FieldSpec, Mapping, SkipRule } from './schema.ts';
import { SYNONYMS, headerKey } from './synonyms.ts';

const DATETIME_PATTERNS = [
  'd/M/yyyy h:mm:ss a', 'd/M/yyyy h:mm a', 'd/M/yyyy H:mm:ss', 'd/M/yyyy H:mm', 'd/M/yyyy',
  'M/d/yyyy h:mm:ss a', 'M/d/yyyy H:mm:ss', 'M/d/yyyy',
  'yyyy-MM-dd HH:mm:ss', "yyyy-MM-dd'T'HH:mm:ss", 'yyyy-MM-dd HH:mm', 'yyyy-MM-dd', 'yyyy/MM/dd HH:mm:ss', 'yyyy/MM/dd',
  'd-M-yyyy H:mm:ss', 'd-M-yyyy',
];
const TIME_PATTERNS = ['h:mm:ss a', 'h:mm a', 'H:mm:ss', 'H:mm'];

/** The first pattern that reads every non-empty sample, or undefined (no samples, or none fits). */
export function detectDatePattern(samples: readonly string[], patterns: readonly string[] = DATETIME_PATTERNS): string | undefined {
  const values = samples.map((s) => s.trim()).filter((s) => s !== '');
  if (values.length === 0) return undefined;
  return patterns.find((from) => {
    const step = compileDate({ from });
    return values.every((v) => typeof step(v) === 'string');
  });
}

const hasTime = (pattern: string): boolean => /[hH]/.test(pattern.replace(/'[^']*'/g, ''));

export interface Proposal {
  mapping: Mapping;
  /** Header columns no field reads. */
  unmapped: string[];
  /** Mandatory API fields the proposal could not fill (the user must add them, e.g. a lookup). */
  missingRequired: string[];
}

export function proposeMapping(header: string[], sample: string[][]): Proposal {
  const keys = header.map(headerKey);
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  const usable = (i: number): boolean => keys[i] !== '' && counts.get(keys[i]) === 1; // duplicates would fail compile
  const column = (i: number): string[] => sample.map((row) => row[i] ?? '');
  const taken = new Map<string, number>(); // API field → header index
  const used = new Set<number>();
  const give = (field: string, i: number): void => {
    taken.set(field, i);
    used.add(i);
  };

  const candidates = DOCUMENTED_FIELDS.filter((f) => f !== MODULE_FIELD);
  // Pass 1: the API name itself (exact, then ignoring case/accents/separators).
  for (const field of candidates) {
    const exact = header.findIndex((h, i) => usable(i) && !used.has(i) && h === field);
    const loose = exact >= 0 ? exact : keys.findIndex((k, i) => usable(i) && !used.has(i) && k === headerKey(field));
    if (loose >= 0) give(field, loose);
  }
  // Pass 2: synonyms. For date/time, prefer a column whose samples read as dates.
  for (const field of Object.keys(SYNONYMS)) {
    if (taken.has(field) || sameGroupTaken(field, taken)) continue;
    const syn = SYNONYMS[field];
    const hits = keys
      .map((k, i) => ({ i, rank: syn.indexOf(k) }))
      .filter((h) => h.rank >= 0 && usable(h.i) && !used.has(h.i))
      .sort((a, b) => a.rank - b.rank || a.i - b.i);
    if (hits.length === 0) continue;
    const dated = field === 'date' || field === 'time' ? hits.find((h) => detectDatePattern(column(h.i), field === 'time' ? TIME_PATTERNS : DATETIME_PATTERNS)) : undefined;
    give(field, (dated ?? hits[0]).i);
  }

  const fields: Record<string, FieldSpec> = {};
  for (const field of candidates) {
    const i = taken.get(field);
    if (i !== undefined) fields[field] = specFor(field, header[i], column(i));
  }
  // A date-time column and no time column: the time comes from the same column.
  const dateSpec = fields.date;
  if (!taken.has('time') && typeof dateSpec === 'object' && dateSpec.transforms) {
    const date = dateSpec.transforms[0];
    if (typeof date === 'object' && date.date && hasTime(String(date.date.from))) {
      fields.time = { column: dateSpec.column, transforms: [{ date: { from: date.date.from, to: 'HH:mm:ss' } }] };
    }
  }

  const missingRequired: string[] = [];
  if (!taken.has(RECORD_FIELD)) missingRequired.push(RECORD_FIELD);
  if (!TYPIFICATION_CODE.some((f) => taken.has(f))) missingRequired.push(TYPIFICATION_CODE[0]);
  if (!TYPIFICATION_DESC.some((f) => taken.has(f))) missingRequired.push(TYPIFICATION_DESC[0]);

  // $comment first, so it is the first thing a user reads in the written file.
  const mapping: Mapping = missingRequired.length
    ? {
        $comment: `Proposed by init-mapping. Still required: ${missingRequired.join(', ')}.${
          missingRequired.includes(RECORD_FIELD) ? ' wolkvox_idRecord usually comes from a lookup on a CRM export (customer id → record id): see the cdr_1 preset.' : ''
        }`,
        fields,
      }
    : { fields };
  if (taken.has('wolkvox_idCall')) mapping.dedupeKey = ['wolkvox_idCall'];
  const skip = cdrSkipRules(header, keys);
  if (skip.length) mapping.skip = skip;

  return { mapping, unmapped: header.filter((_h, i) => !used.has(i)), missingRequired };
}

function sameGroupTaken(field: string, taken: ReadonlyMap<string, number>): boolean {
  for (const group of [TYPIFICATION_CODE, TYPIFICATION_DESC] as readonly (readonly string[])[]) {
    if (group.includes(field) && group.some((f) => taken.has(f))) return true;
  }
  return false;
}

function specFor(field: string, name: string, samples: readonly string[]): FieldSpec {
  if (field === 'client_telephone') return { column: name, transforms: ['digits'] };
  if (field === 'date' || field === 'time') {
    const from = detectDatePattern(samples, field === 'time' ? TIME_PATTERNS : DATETIME_PATTERNS);
    if (from) return { column: name, transforms: [{ date: { from, to: field === 'time' ? 'HH:mm:ss' : 'yyyy-MM-dd' } }] };
  }
  return name;
}

/** The wolkvox call-detail export (cdr_1): skip untypified calls, total rows and test calls. */
function cdrSkipRules(header: readonly string[], keys: readonly string[]): SkipRule[] {
  const at = (k: string): number => keys.indexOf(k);
  if (at('cod act') < 0 || at('conn id') < 0) return [];
  const rules: SkipRule[] = [{ name: 'timeoutacw', column: header[at('cod act')], equals: 'TIMEOUTACW' }];
  rules.push({ name: 'total-row', column: header[0], in: ['TOTAL'] });
  if (at('description cod act') >= 0) rules.push({ name: 'test-call', column: header[at('description cod act')], matches: '^prueba', flags: 'i' });
  return rules;
}
