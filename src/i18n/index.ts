import { en, type MessageKey } from './en.ts';
import { es } from './es.ts';

/**
 * The program's one i18n mechanism: one dictionary per language (en.ts defines the keys, es.ts
 * must have each) and `t()`. Status names, CSV columns and error codes are never translated.
 */
export type Lang = 'es' | 'en';
export type { MessageKey };
export type Params = Readonly<Record<string, string | number>>;

const DICTIONARIES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { es, en };

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

/** `--lang` when it names a language, else the environment's (LC_ALL, LC_MESSAGES, LANG). */
export function pickLang(flag: unknown, env: Readonly<Record<string, string | undefined>> = process.env): Lang {
  return flag === 'es' || flag === 'en' ? flag : langFromEnv(env);
}

/** The language a command line asks for (`--lang es`, `--lang=es`), else `fallback`: read before yargs builds --help. */
export function langFromArgv(argv: readonly string[], fallback: Lang): Lang {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = a === '--lang' ? argv[i + 1] : a.startsWith('--lang=') ? a.slice(7) : undefined;
    if (v === 'es' || v === 'en') return v;
  }
  return fallback;
}

/** The hint of the src/sink/classify.ts rule `ruleId` in `lang` (undefined for a rule without one). */
export function hintText(lang: Lang, ruleId: string): string | undefined {
  const key = `hint.${ruleId}`;
  return key in en ? t(lang, key as MessageKey) : undefined;
}

/**
 * `n` with digit grouping and at most `digits` decimals, as Intl formats es-419 and en-US (both
 * `1,234.5`). Written out because the first Intl formatter touches ~10 MB of ICU data, at the very
 * moment a large run's memory peaks (the report is written last).
 */
export function formatNumber(_lang: Lang, n: number, digits = 0): string {
  if (!Number.isFinite(n)) return String(n);
  const factor = 10 ** digits;
  const rounded = Math.round(Math.abs(n) * factor) / factor;
  const [int = '0', frac = ''] = rounded.toFixed(digits).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const decimals = frac.replace(/0+$/, '');
  return `${n < 0 && rounded !== 0 ? '-' : ''}${grouped}${decimals ? `.${decimals}` : ''}`;
}

const MONTHS: Readonly<Record<Lang, readonly string[]>> = {
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/**
 * A date and time in the machine's time zone, as Intl's long date style writes it:
 * "28 de noviembre de 2026 a las 3:32 p.m." / "November 28, 2026 at 3:32 PM" (`seconds`: 3:32:07).
 */
export function formatDate(lang: Lang, epochMs: number, opts: { seconds?: boolean } = {}): string {
  const d = new Date(epochMs);
  const h = d.getHours();
  const pad = (x: number) => String(x).padStart(2, '0');
  const clock = `${h % 12 === 0 ? 12 : h % 12}:${pad(d.getMinutes())}${opts.seconds ? `:${pad(d.getSeconds())}` : ''}`;
  const month = MONTHS[lang][d.getMonth()]!;
  if (lang === 'es') return `${d.getDate()} de ${month} de ${d.getFullYear()} a las ${clock} ${h < 12 ? 'a.m.' : 'p.m.'}`;
  return `${month} ${d.getDate()}, ${d.getFullYear()} at ${clock} ${h < 12 ? 'AM' : 'PM'}`;
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
