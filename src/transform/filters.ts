/**
 * Skip rules: tested on the raw record before any mapping, so a skipped row is never validated.
 * Values are compared trimmed; equals/in ignore case unless `caseSensitive`.
 */
import { InternalError } from '../errors.ts';
import type { HeaderIndex } from './columns.ts';
import { compileUserRegex } from './regex.ts';
import type { SkipRule } from './schema.ts';

export interface CompiledSkip {
  /** Shown as `SKIPPED: <name>`. */
  readonly name: string;
  /** True when the row is to be skipped. */
  readonly test: (values: readonly string[]) => boolean;
}

/** The name a rule is reported under. */
function skipName(rule: SkipRule): string {
  if (rule.name) return rule.name;
  if (rule.equals !== undefined) return `${rule.column} equals ${rule.equals}`;
  if (rule.in !== undefined) return `${rule.column} in ${rule.in.join('|')}`;
  if (rule.matches !== undefined) return `${rule.column} matches ${rule.matches}`;
  return `${rule.column} empty`;
}

export function compileSkips(rules: readonly SkipRule[] | undefined, header: HeaderIndex): CompiledSkip[] {
  return (rules ?? []).map((rule, i) => ({ name: skipName(rule), test: compileTest(rule, header.resolve(rule.column, `skip rule ${JSON.stringify(skipName(rule))} (skip[${i}])`)) }));
}

function compileTest(rule: SkipRule, at: number): (values: readonly string[]) => boolean {
  const fold = rule.caseSensitive !== true;
  const norm = (s: string): string => (fold ? s.trim().toLowerCase() : s.trim());
  if (rule.equals !== undefined) {
    const want = norm(rule.equals);
    return (values) => {
      const v = values[at] ?? '';
      // Cheap length test first: most values of a column are not the one skipped.
      return v.length >= want.length && norm(v) === want;
    };
  }
  if (rule.in !== undefined) {
    const set = new Set(rule.in.map(norm));
    return (values) => set.has(norm(values[at] ?? ''));
  }
  if (rule.matches !== undefined) {
    const re = compileUserRegex(rule.matches, rule.flags);
    if (typeof re === 'string') throw new InternalError(re); // unreachable: the schema checked it
    return (values) => re.test((values[at] ?? '').trim());
  }
  return (values) => (values[at] ?? '').trim() === '';
}
