/** Name matching helpers: accent/case-insensitive normal form, edit distance, "did you mean". */

const MARKS = /\p{M}+/gu;
const SPACES = /[\s\u00a0\u202f\ufeff]+/g;

/**
 * The form names are compared in when the exact name does not match: no accents, lower case,
 * no surrounding spaces, inner runs of spaces collapsed. `Código  Tipificación ` → `codigo tipificacion`.
 */
export function normalizeName(name: string): string {
  return name.normalize('NFD').replace(MARKS, '').replace(SPACES, ' ').trim().toLowerCase();
}

/** Levenshtein distance (insert, delete, substitute: 1 each). */
function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** Candidates sorted by distance to `name` on the normal form (ties keep the candidates' order). */
export function closest(name: string, candidates: readonly string[], limit = 3): string[] {
  const target = normalizeName(name);
  return candidates
    .map((c, i) => ({ c, i, d: editDistance(target, normalizeName(c)) }))
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .slice(0, limit)
    .map((x) => x.c);
}

/**
 * A "did you mean" suggestion: the nearest candidates when they are plausibly a typo
 * (distance at most max(2, a third of the name's length)); [] when nothing is close.
 */
export function didYouMean(name: string, candidates: readonly string[], limit = 2): string[] {
  const target = normalizeName(name);
  const budget = Math.max(2, Math.floor(target.length / 3));
  const scored = candidates
    .map((c, i) => ({ c, i, d: editDistance(target, normalizeName(c)) }))
    .filter((x) => x.d <= budget)
    .sort((x, y) => x.d - y.d || x.i - y.i);
  if (scored.length === 0) return [];
  const best = scored[0].d;
  return scored.filter((x) => x.d === best).slice(0, limit).map((x) => x.c);
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function quoteList(names: readonly string[], conj = 'or'): string {
  const q = names.map((n) => JSON.stringify(n));
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} ${conj} ${q[q.length - 1]}`;
}
