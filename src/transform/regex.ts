/**
 * Regular expressions written in a mapping file (replace transforms, `matches` skip rules). They
 * run on re2js, a JavaScript port of RE2: matching takes time linear in the value's length, so a
 * pattern such as `^(a+)+$` cannot hang a run (with the built-in RegExp, 30 `a`s took 46 s and
 * no signal could stop it). RE2 has no lookaround and no backreferences: such a pattern is refused
 * at load time, as is any pattern RE2 cannot compile. JavaScript spellings (`\u00e9`, `\cA`,
 * `(?<name>...)`) are accepted; `\s` is ASCII white space.
 */
import { RE2JS } from 're2js';

/** Longest pattern accepted (characters). */
const MAX_PATTERN_LENGTH = 200;
const FLAGS = /^(?!.*(.).*\1)[gimsu]*$/;
const FLAG_BITS: Readonly<Record<string, number>> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL };

/** A mapping pattern, compiled. */
export interface UserRegex {
  /** True when the pattern matches somewhere in `value`. */
  test(value: string): boolean;
  /** `value` with the first match (every match with the `g` flag) replaced; `$1`, `$&`, `$<name>` as in String.replace. */
  replace(value: string, replacement: string): string;
}

// A construct preceded by an even number of backslashes (so not itself escaped).
const UNSUPPORTED: readonly [RegExp, string][] = [
  [/(?:^|[^\\])(?:\\\\)*\(\?[=!]/, 'a lookahead "(?=" or "(?!"'],
  [/(?:^|[^\\])(?:\\\\)*\(\?<[=!]/, 'a lookbehind "(?<=" or "(?<!"'],
  [/(?:^|[^\\])(?:\\\\)*\\(?:[1-9]|k<)/, 'a backreference ("\\1" or "\\k<name>")'],
];

/** Why RE2 cannot run `pattern`, in words, or undefined when it uses nothing RE2 lacks. */
function unsupported(pattern: string): string | undefined {
  const hit = UNSUPPORTED.find(([re]) => re.test(pattern));
  if (!hit) return undefined;
  return `uses ${hit[1]}, which mapping patterns do not support (they run on RE2, in linear time, so no pattern can hang a run); rewrite it without lookaround or backreferences, e.g. capture the part to keep and write "$1" in "with"`;
}

/** A compiled pattern, or the reason the pattern or flags cannot be used. */
export function compileUserRegex(pattern: string, flags = ''): UserRegex | string {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `expected a regular expression of at most ${MAX_PATTERN_LENGTH} characters, got ${pattern.length}`;
  }
  if (!FLAGS.test(flags)) return `expected regular expression flags among "gimsu" (each once), got ${JSON.stringify(flags)}`;
  const why = unsupported(pattern);
  if (why) return `the regular expression ${JSON.stringify(pattern)} ${why}`;
  let re: RE2JS;
  try {
    let bits = 0;
    for (const f of flags) bits |= FLAG_BITS[f] ?? 0;
    re = RE2JS.compile(RE2JS.translateRegExp(pattern), bits);
  } catch (err) {
    return `invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message.replace(/^error parsing regexp: /, '')}`;
  }
  const all = flags.includes('g');
  const compiled: UserRegex = {
    test: (value) => re.test(value),
    replace: (value, replacement) => (all ? re.matcher(value).replaceAll(replacement) : re.matcher(value).replaceFirst(replacement)),
  };
  return compiled;
}
