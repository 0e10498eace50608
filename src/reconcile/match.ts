/**
 * Deciding, from the gestiones queryGestion returned, whether an `uncertain` row reached the CRM.
 * Conservative on purpose (a wrong "missing" means a duplicate): see docs/api.md, "Reconciling
 * uncertain rows". Pure: no I/O.
 */
import type { ApiFields } from '../types.ts';

export type Verdict =
  | { kind: 'found'; wolkvoxId: string }
  | { kind: 'missing' }
  | { kind: 'unsure'; reason: string; ids: string[] };

/** The typification's spellings: the importer may fill several with one value (docs/api.md, "Request"). */
const CODE = ['tipifycation_code', 'tipification_code'];
const DESC = ['tipifycation_desc', 'tipification_desc', 'tipification_description'];
const NOT_COMPARED = new Set(['module', ...CODE, ...DESC]);

/** The API fields a row may be searched by, in order of preference when the mapping names none. */
const RECONCILE_BY_DEFAULT = ['wolkvox_idCall', 'id_customer', 'customer_id'] as const;

const pad = (s: string | undefined): string => (s ?? '00').padStart(2, '0');

/**
 * A value for comparison: trimmed; dates and times in one spelling (2024-1-5T8:05 → 2024-01-05 08:05:00).
 * A date at midnight is the date alone: a DATETIME column answers `2024-01-05 00:00:00` for `2024-01-05`.
 */
export function normalise(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = String(v).trim();
  const time = (h?: string, m?: string, sec?: string) => (h === undefined ? '' : ` ${pad(h)}:${m}:${pad(sec)}`);
  const day = (h?: string, m?: string, sec?: string) => (time(h, m, sec) === ' 00:00:00' ? '' : time(h, m, sec));
  const ymd = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?Z?)?$/.exec(s);
  if (ymd) return `${ymd[1]}-${pad(ymd[2])}-${pad(ymd[3])}${day(ymd[4], ymd[5], ymd[6])}`;
  const dmy = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (dmy) return `${pad(dmy[1])}/${pad(dmy[2])}/${dmy[3]}${day(dmy[4], dmy[5], dmy[6])}`;
  const hms = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (hms) return time(hms[1], hms[2], hms[3]).trim();
  return s;
}

/** The one value a row sent for a group of spellings ('' when none). */
function sentOf(sent: ApiFields, group: readonly string[]): string {
  for (const k of group) {
    const v = normalise(sent[k]);
    if (v !== '') return v;
  }
  return '';
}

type Same = (sent: unknown, got: unknown) => boolean;

/** The value sent is the one returned: after normalising both, or a JSON number equal to a sent string of digits (a numeric column answers 1 for "01"). */
const same: Same = (sent, got) => normalise(sent) === normalise(got) || (typeof got === 'number' && /^\d+$/.test(normalise(sent)) && Number(normalise(sent)) === got);

const loose = (v: unknown): string => normalise(v).toLowerCase().replace(/\s+/g, ' ').replace(/^0+(?=\d+$)/, '');

/** Looser, for the identifying values only (a wrong "missing" means a duplicate): also ignoring case, repeated spaces and leading zeros. */
const alike: Same = (sent, got) => same(sent, got) || loose(sent) === loose(got);

/** True when every non-empty returned spelling of the group is the value sent, and at least one is there. */
function groupMatches(sent: ApiFields, got: Record<string, unknown>, group: readonly string[], eq: Same = same): boolean {
  const want = sentOf(sent, group);
  if (want === '') return true;
  const seen = group.map((k) => got[k]).filter((v) => normalise(v) !== '');
  return seen.length > 0 && seen.every((v) => eq(want, v));
}

/** The first field the returned gestión differs in from what the row sent, or undefined when it matches in every field. */
function firstDifference(sent: ApiFields, got: Record<string, unknown>): string | undefined {
  for (const [k, v] of Object.entries(sent)) {
    if (!NOT_COMPARED.has(k) && !same(v, got[k])) return k;
  }
  if (!groupMatches(sent, got, CODE)) return CODE[0];
  if (!groupMatches(sent, got, DESC)) return DESC[0];
  return undefined;
}

/** The returned gestión shares the row's identifying values (loosely): the search value, the record, the typification code. */
function sharesIds(sent: ApiFields, got: Record<string, unknown>, by: string): boolean {
  return alike(sent[by], got[by]) && alike(sent.wolkvox_idRecord, got.wolkvox_idRecord) && groupMatches(sent, got, CODE, alike);
}

/**
 * The API fields to search by, best first: the mapping's `reconcileBy` alone, else those of
 * RECONCILE_BY_DEFAULT the row has (searching by wolkvox_idCall is not documented: a CRM that refuses
 * it is asked by the next one).
 */
export function searchFields(sent: ApiFields, reconcileBy: string | undefined): string[] {
  if (reconcileBy !== undefined) return normalise(sent[reconcileBy]) === '' ? [] : [reconcileBy];
  return RECONCILE_BY_DEFAULT.filter((k) => normalise(sent[k]) !== '');
}

const idOf = (g: Record<string, unknown>): string => normalise(g.wolkvox_id);

export interface JudgeInput {
  sent: ApiFields;
  by: string;
  /** Every gestión the search returned (every page). */
  returned: readonly Record<string, unknown>[];
  /** Who else is known to have produced a gestión id (another row's insert), if anyone. */
  ownerOf: (wolkvoxId: string) => string | undefined;
}

/** Exactly one match nobody else owns → found; nothing sharing the row's ids → missing; anything else → unsure. */
export function judge(i: JudgeInput): Verdict {
  const sharing = i.returned.filter((g) => sharesIds(i.sent, g, i.by));
  if (sharing.length === 0) return { kind: 'missing' };
  const ids = sharing.map(idOf);
  const full = sharing.filter((g) => firstDifference(i.sent, g) === undefined);
  const free = full.filter((g) => idOf(g) !== '' && i.ownerOf(idOf(g)) === undefined);
  if (free.length === 1) return { kind: 'found', wolkvoxId: idOf(free[0]!) };
  if (free.length > 1) return { kind: 'unsure', reason: `${free.length} gestiones match every field sent`, ids };
  if (full.length > 0) {
    const owners = full.map((g) => (idOf(g) === '' ? 'one without a wolkvox_id' : `${idOf(g)} is ${i.ownerOf(idOf(g))}`));
    return { kind: 'unsure', reason: `the only matching gestión belongs to another row (${owners.join('; ')})`, ids };
  }
  const diff = firstDifference(i.sent, sharing[0]!);
  return { kind: 'unsure', reason: `${sharing.length} gestión(es) share its ids but differ (e.g. in ${diff})`, ids };
}
