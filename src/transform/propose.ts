/**
 * init-mapping: a first mapping from a header and a few sample rows. Exact API names first,
 * then case/accent-insensitive ones, then synonyms (synonyms.ts); sample values pick the date
 * pattern; a cdr_1 header also gets the usual skip rules.
 */
import { compileDate } from './dates.ts';
import { DOCUMENTED_FIELDS, MODULE_FIELD, RECORD_FIELD, TYPIFICATION_CODE, TYPIFICATION_DESC } from './api-fields.ts';
import type { FieldSpec, Mapping, SkipRule } from './schema.ts';
import { SYNONYMS, headerKey } from './synonyms.ts';

const DATETIME_PATTERNS = [
  'd/M/yyyy h:mm:ss a', 'd/M/yyyy h:mm a', 'd/M/yyyy H:mm:ss', 'd/M/yyyy H:mm', 'd/M/yyyy',
  'M/d/yyyy h:mm:ss a', 'M/d/yyyy H:mm:ss', 'M/d/yyyy',
  'yyyy-MM-dd HH:mm:ss', "yyyy-MM-dd'T'HH:mm:ss", 'yyyy-MM-dd HH:mm', 'yyyy-MM-dd', 'yyyy/MM/dd HH:mm:ss', 'yyyy/MM/dd',
  'd-M-yyyy H:mm:ss', 'd-M-yyyy',
];
const TIME_PATTERNS = ['h:mm:ss a', 'h:mm a', 'H:mm:ss', 'H:mm'];

/** The pattern most non-empty samples read with, and the indexes of the samples it does not read. */
export interface DateFit {
  pattern: string;
  misfits: number[];
}

/**
 * The pattern that reads the most non-empty samples (at least half of them; the first in order on a
 * tie), with the samples it cannot read: one impossible date (31/02) must not drop the conversion
 * of a whole column. Undefined when there are no samples or no pattern reads half of them.
 */
export function fitDatePattern(samples: readonly string[], patterns: readonly string[] = DATETIME_PATTERNS): DateFit | undefined {
  const values = samples.map((s, i) => ({ v: s.trim(), i })).filter((s) => s.v !== '');
  if (values.length === 0) return undefined;
  let best: DateFit | undefined;
  for (const from of patterns) {
    const step = compileDate({ from });
    const misfits = values.filter((s) => typeof step(s.v) !== 'string').map((s) => s.i);
    if (misfits.length * 2 <= values.length && (best === undefined || misfits.length < best.misfits.length)) best = { pattern: from, misfits };
    if (best?.misfits.length === 0) break;
  }
  return best;
}

/** The pattern most non-empty samples read with (fitDatePattern), or undefined. */
export function detectDatePattern(samples: readonly string[], patterns: readonly string[] = DATETIME_PATTERNS): string | undefined {
  return fitDatePattern(samples, patterns)?.pattern;
}

const hasTime = (pattern: string): boolean => /[hH]/.test(pattern.replace(/'[^']*'/g, ''));

export interface Proposal {
  mapping: Mapping;
  /** Header columns no field reads. */
  unmapped: string[];
  /** Mandatory API fields the proposal could not fill (the user must add them, e.g. a lookup). */
  missingRequired: string[];
  /** How repeats are recognised: a call id, a composite of the row's identity, or nothing (a re-import inserts again). */
  dedupe: 'call' | 'composite' | 'none';
  /** Date/time columns: the pattern proposed and the sample lines it does not read (those rows will be invalid). */
  dateMisfits: { field: string; column: string; pattern: string; lines: number[] }[];
  /** Columns taken as date/time whose sample values read as no date pattern at all (sent as they are, they would be invalid). */
  undated: { field: string; column: string }[];
}

/** Header columns → API fields: which column each field takes. */
class ColumnMatcher {
  readonly keys: string[];
  /** API field → header index. */
  readonly taken = new Map<string, number>();
  readonly used = new Set<number>();
  private readonly counts = new Map<string, number>();

  constructor(
    readonly header: readonly string[],
    private readonly sample: readonly string[][],
  ) {
    this.keys = header.map(headerKey);
    for (const k of this.keys) this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
  }

  /** A column not taken yet whose name occurs once (duplicates would fail compile). */
  free(i: number): boolean {
    return this.keys[i] !== '' && this.counts.get(this.keys[i]) === 1 && !this.used.has(i);
  }

  column(i: number): string[] {
    return this.sample.map((row) => row[i] ?? '');
  }

  give(field: string, i: number): void {
    this.taken.set(field, i);
    this.used.add(i);
  }

  /** Pass 1: the API name itself (exact, then ignoring case/accents/separators). */
  byApiName(field: string): void {
    const exact = this.header.findIndex((h, i) => this.free(i) && h === field);
    const loose = exact >= 0 ? exact : this.keys.findIndex((k, i) => this.free(i) && k === headerKey(field));
    if (loose >= 0) this.give(field, loose);
  }

  /** Pass 2: synonyms. For date/time, prefer a column whose samples read as dates. */
  bySynonym(field: string): void {
    if (this.taken.has(field) || sameGroupTaken(field, this.taken)) return;
    const syn = SYNONYMS[field];
    const hits = this.keys
      .map((k, i) => ({ i, rank: syn.indexOf(k) }))
      .filter((h) => h.rank >= 0 && this.free(h.i))
      .sort((a, b) => a.rank - b.rank || a.i - b.i);
    if (hits.length === 0) return;
    const patterns = field === 'time' ? TIME_PATTERNS : DATETIME_PATTERNS;
    const dated = field === 'date' || field === 'time' ? hits.find((h) => detectDatePattern(this.column(h.i), patterns)) : undefined;
    this.give(field, (dated ?? hits[0]).i);
  }
}

/** `lines`: the physical line of each sample row, for the lines named in dateMisfits (default: row + 1, below a one-line header). */
export function proposeMapping(header: string[], sample: string[][], lines: readonly number[] = sample.map((_r, i) => i + 2)): Proposal {
  const match = new ColumnMatcher(header, sample);
  const candidates = DOCUMENTED_FIELDS.filter((f) => f !== MODULE_FIELD);
  for (const field of candidates) match.byApiName(field);
  for (const field of Object.keys(SYNONYMS)) match.bySynonym(field);

  const fields: Record<string, FieldSpec> = {};
  const dates = { misfits: [] as Proposal['dateMisfits'], undated: [] as Proposal['undated'], lines };
  for (const field of candidates) {
    const i = match.taken.get(field);
    if (i !== undefined) fields[field] = specFor(field, header[i], match.column(i), dates);
  }
  if (!match.taken.has('time')) addTimeFromDate(fields);

  const missingRequired = missingFields(match.taken);
  // $comment first, so it is the first thing a user reads in the written file.
  const mapping: Mapping = missingRequired.length ? { $comment: missingComment(missingRequired), fields } : { fields };
  const dedupe = proposeDedupeKey(fields);
  if (dedupe.key) mapping.dedupeKey = dedupe.key;
  const skip = cdrSkipRules(header, match.keys);
  if (skip.length) mapping.skip = skip;

  return { mapping, unmapped: header.filter((_h, i) => !match.used.has(i)), missingRequired, dedupe: dedupe.kind, dateMisfits: dates.misfits, undated: dates.undated };
}

/**
 * The dedupe key: the call id when there is one; else the row's identity (who, when, what was
 * typified), which two gestiones of one customer rarely share; else none.
 */
function proposeDedupeKey(fields: Record<string, FieldSpec>): { key?: string[]; kind: Proposal['dedupe'] } {
  if ('wolkvox_idCall' in fields) return { key: ['wolkvox_idCall'], kind: 'call' };
  const who = [RECORD_FIELD, 'customer_id', 'id_customer'].find((f) => f in fields);
  const code = TYPIFICATION_CODE.find((f) => f in fields);
  if (!who || !code || !('date' in fields)) return { kind: 'none' };
  return { key: [who, 'date', ...('time' in fields ? ['time'] : []), code], kind: 'composite' };
}

/** A date-time column and no time column: the time comes from the same column. */
function addTimeFromDate(fields: Record<string, FieldSpec>): void {
  const dateSpec = fields.date;
  if (typeof dateSpec !== 'object' || !dateSpec.transforms) return;
  const date = dateSpec.transforms[0];
  if (typeof date === 'object' && date.date && hasTime(String(date.date.from))) {
    fields.time = { column: dateSpec.column, transforms: [{ date: { from: date.date.from, to: 'HH:mm:ss' } }] };
  }
}

/** Mandatory API fields no column was found for. */
function missingFields(taken: ReadonlyMap<string, number>): string[] {
  const missing: string[] = [];
  if (!taken.has(RECORD_FIELD)) missing.push(RECORD_FIELD);
  if (!TYPIFICATION_CODE.some((f) => taken.has(f))) missing.push(TYPIFICATION_CODE[0]);
  if (!TYPIFICATION_DESC.some((f) => taken.has(f))) missing.push(TYPIFICATION_DESC[0]);
  return missing;
}

function missingComment(missing: readonly string[]): string {
  const record = missing.includes(RECORD_FIELD)
    ? ' wolkvox_idRecord usually comes from a lookup on a CRM export (customer id → record id): see the cdr_1 preset.'
    : '';
  return `Proposed by init-mapping. Still required: ${missing.join(', ')}.${record}`;
}

function sameGroupTaken(field: string, taken: ReadonlyMap<string, number>): boolean {
  for (const group of [TYPIFICATION_CODE, TYPIFICATION_DESC] as readonly (readonly string[])[]) {
    if (group.includes(field) && group.some((f) => taken.has(f))) return true;
  }
  return false;
}

interface DateNotes {
  misfits: Proposal['dateMisfits'];
  undated: Proposal['undated'];
  lines: readonly number[];
}

function specFor(field: string, name: string, samples: readonly string[], notes: DateNotes): FieldSpec {
  if (field === 'client_telephone') return { column: name, transforms: ['digits'] };
  if (field !== 'date' && field !== 'time') return name;
  const fit = fitDatePattern(samples, field === 'time' ? TIME_PATTERNS : DATETIME_PATTERNS);
  if (fit === undefined) {
    if (samples.some((s) => s.trim() !== '')) notes.undated.push({ field, column: name });
    return name;
  }
  if (fit.misfits.length > 0) notes.misfits.push({ field, column: name, pattern: fit.pattern, lines: fit.misfits.map((i) => notes.lines[i] ?? i + 2) });
  return { column: name, transforms: [{ date: { from: fit.pattern, to: field === 'time' ? 'HH:mm:ss' : 'yyyy-MM-dd' } }] };
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
