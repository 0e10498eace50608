import { hintText, t, type Lang, type MessageKey } from '../i18n/index.ts';
import type { ErrorExample } from './report-examples.ts';

/** Codes whose advice is the report's own (the status says it all). */
const OWN_HINTS: Readonly<Record<string, MessageKey>> = {
  INVALID: 'hint.INVALID',
  SKIPPED: 'hint.SKIPPED',
  DUPLICATE: 'hint.DUPLICATE',
  UNCERTAIN: 'hint.UNCERTAIN',
  PENDING: 'hint.PENDING',
  DRY_RUN: 'hint.DRY_RUN',
};

/** A hint as a sentence: capital first letter, final period (classify.ts writes them as clauses). */
function sentence(text: string): string {
  const s = text.trim();
  if (s === '') return s;
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;
}

/** The hints of the rules the run decided the examples with (in the store), at most three, as sentences. */
function ruleHints(examples: readonly ErrorExample[], lang: Lang): string[] {
  const hints: string[] = [];
  for (const e of examples) {
    const h = e.rule === undefined ? undefined : hintText(lang, e.rule);
    if (h !== undefined && !hints.includes(sentence(h))) hints.push(sentence(h));
    if (hints.length >= 3) break;
  }
  return hints;
}

/**
 * What to do about the rows of one code, in `lang`: the report's own advice for a status, else the
 * hint of the classification rule each example row was decided with (src/sink/classify.ts, read
 * from the store), else a general line.
 */
export function hintsFor(code: string, examples: readonly ErrorExample[], lang: Lang): string[] {
  const own = OWN_HINTS[code];
  if (own) return [t(lang, own)];
  if (code.startsWith('STOPPED')) return [t(lang, code === 'STOPPED_FATAL' ? 'hint.STOPPED_FATAL' : 'hint.STOPPED')];
  if (code.startsWith('NET_')) return [t(lang, 'hint.NET')];
  const hints = ruleHints(examples, lang);
  return hints.length > 0 ? hints : [t(lang, 'hint.OTHER')];
}
