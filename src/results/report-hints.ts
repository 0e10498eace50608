import { t, translateHint, type Lang, type MessageKey } from '../i18n/index.ts';
import { classify } from '../sink/classify.ts';
import type { ErrorExample } from './report-examples.ts';

/** Codes whose advice is the report's own (the status says it all). */
const OWN_HINTS: Readonly<Record<string, MessageKey>> = {
  INVALID: 'hint.INVALID',
  SKIPPED: 'hint.SKIPPED',
  DUPLICATE: 'hint.DUPLICATE',
  UNCERTAIN: 'hint.UNCERTAIN',
  PENDING: 'hint.PENDING',
};

/** The API's message inside an error cell: `API_400: MSG (after 3 attempts); STOPPED_QUOTA: ...` → `MSG`. */
export function apiMessage(error: string): string {
  return error
    .replace(/^[A-Z0-9_]+:\s*/, '')
    .replace(/;\s*STOPPED(?:_[A-Z_]+)?:.*$/s, '')
    .replace(/\s*\(after \d+ attempts\)\s*$/, '')
    .trim();
}

/** A hint as a sentence: capital first letter, final period (classify.ts writes them as clauses). */
function sentence(text: string): string {
  const s = text.trim();
  if (s === '') return s;
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;
}

/**
 * What to do about the rows of one code, in `lang`. API codes get the hint src/sink/classify.ts
 * gives for each distinct message among the examples (the same table the run decided with).
 */
export function hintsFor(code: string, examples: readonly ErrorExample[], lang: Lang): string[] {
  const own = OWN_HINTS[code];
  if (own) return [t(lang, own)];
  if (code.startsWith('STOPPED')) return [t(lang, 'hint.STOPPED')];
  if (code.startsWith('NET_')) return [t(lang, 'hint.NET')];
  const api = /^API_(\d{3})/.exec(code);
  if (!api) return [t(lang, 'hint.OTHER')];
  const status = Number(api[1]);
  const hints: string[] = [];
  const messages = examples.length ? examples.map((e) => apiMessage(e.error)) : [''];
  for (const msg of messages) {
    const c = classify({ status, body: { code: status, error: msg, msg }, text: msg, latencyMs: 0 });
    const h = c.hint ? sentence(translateHint(lang, c.hint)) : t(lang, 'hint.OTHER');
    if (!hints.includes(h)) hints.push(h);
    if (hints.length >= 3) break;
  }
  return hints;
}
