import { API_HINTS_ES } from './api-hints.ts';
import { en, type MessageKey } from './en.ts';
import { es } from './es.ts';

/** The report's languages. */
export type Lang = 'es' | 'en';
export type { MessageKey };
export type Params = Readonly<Record<string, string | number>>;

const DICTIONARIES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { es, en };

/** Locale for numbers and dates: Latin-American Spanish, US English. */
export const LOCALES: Readonly<Record<Lang, string>> = { es: 'es-419', en: 'en-US' };

/** The string `key` in `lang`, with each `{name}` replaced by `params.name` (unknown names stay as written). */
export function t(lang: Lang, key: MessageKey, params?: Params): string {
  const text = DICTIONARIES[lang][key] ?? en[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * The language of the environment, as POSIX resolves it: the first non-empty of LC_ALL,
 * LC_MESSAGES, LANG. `es`, `es_CO.UTF-8`, `es-MX`... → es; anything else (or nothing) → en.
 */
export function langFromEnv(env: Readonly<Record<string, string | undefined>>): Lang {
  const value = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v.trim() !== '');
  return value !== undefined && /^es(?:[_.@-]|$)/i.test(value.trim()) ? 'es' : 'en';
}

/** A hint of src/sink/classify.ts (written in English) in `lang`; English when no translation exists. */
export function translateHint(lang: Lang, hint: string): string {
  return lang === 'es' ? (API_HINTS_ES[hint] ?? hint) : hint;
}

/** `n` with the locale's digit grouping, at most `digits` decimals. */
export function formatNumber(lang: Lang, n: number, digits = 0): string {
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits }).format(n);
}

/** A date and time in the machine's time zone, e.g. "28 de noviembre de 2026 a las 3:32 p.m." (`seconds`: 3:32:07). */
export function formatDate(lang: Lang, epochMs: number, opts: { seconds?: boolean; timeZone?: string } = {}): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeStyle: opts.seconds ? 'medium' : 'short', timeZone: opts.timeZone }).format(epochMs);
}

/** A duration as "1 h 02 min 05 s", "3 min 20 s", "4.2 s" (seconds with the locale's decimal sign). */
export function formatDuration(lang: Lang, ms: number): string {
  if (ms < 60_000) return `${formatNumber(lang, ms / 1000, ms < 10_000 ? 1 : 0)} s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (x: number) => String(x).padStart(2, '0');
  return h > 0 ? `${h} h ${pad(m)} min ${pad(s)} s` : `${m} min ${pad(s)} s`;
}
