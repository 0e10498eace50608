/**
 * Regular expressions written in a mapping file (replace transforms, `matches` skip rules).
 * The file cannot run code, but a regex is still input: bound its length and compile it once,
 * at load time, so a bad one is a MappingError before anything is sent.
 */

/** Longest pattern accepted (characters). */
export const MAX_PATTERN_LENGTH = 200;
const FLAGS = /^(?!.*(.).*\1)[dgimsuy]*$/;

/** A compiled RegExp, or the reason the pattern or flags cannot be used. */
export function compileUserRegex(pattern: string, flags = ''): RegExp | string {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `expected a regular expression of at most ${MAX_PATTERN_LENGTH} characters, got ${pattern.length}`;
  }
  if (!FLAGS.test(flags)) return `expected regular expression flags among "dgimsuy" (each once), got ${JSON.stringify(flags)}`;
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    return `invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`;
  }
}
