/** What the gestiones queryGestion returned for a key say about it (pure). */
import type { CrmAnswer } from '../transform/crm.ts';

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

const folded = (s: string): string => s.normalize('NFC').toLowerCase();

/**
 * Whether a returned gestión's `field` is the key searched: the same text ignoring case (a
 * case-insensitive column says "k1" for "K1"), or a JSON number equal to a numeric key (a numeric
 * column matched "0123" to 123). Text with other zeros, or a longer value, is another customer.
 */
function sameKey(v: unknown, value: string): boolean {
  // Past 2^53 a JSON number has lost digits: two different ids would look equal.
  if (typeof v === 'number') return Number.isSafeInteger(v) && /^\d+$/.test(value) ? Number(value) === v : String(v) === value;
  return folded(text(v)) === folded(value);
}

/**
 * The distinct non-empty `take` values of the returned gestiones whose `field` is `value` (a
 * gestión without that field counts: the server filtered it; one with another value does not, should
 * the server match loosely). One value → found; none → none; several → several, never guessed.
 */
export function verdictOf(gestiones: readonly Record<string, unknown>[], t: { field: string; take: string }, value: string): CrmAnswer {
  const found = new Set<string>();
  let seen = 0;
  for (const g of gestiones) {
    if (g[t.field] !== undefined && !sameKey(g[t.field], value)) continue;
    seen++;
    const v = text(g[t.take]);
    if (v !== '') found.add(v);
  }
  const values = [...found];
  if (values.length === 0) return { kind: 'none', seen };
  return values.length === 1 ? { kind: 'found', value: values[0]!, seen } : { kind: 'several', values, seen };
}

/**
 * Gestiones of the key came back, but not one has the `take` field at all: an answer of another
 * shape, not "no value" (an empty field is a gestión without one). Not a verdict: asked again later.
 */
export function lacksTake(gestiones: readonly Record<string, unknown>[], t: { field: string; take: string }, value: string): boolean {
  const ofKey = gestiones.filter((g) => g[t.field] === undefined || sameKey(g[t.field], value));
  return ofKey.length > 0 && ofKey.every((g) => !(t.take in g));
}
