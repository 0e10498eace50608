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

/** What to do after a stopped Manager fetch or a refused Manager token, by its kind (undefined for a kind without advice). */
export function managerHint(lang: Lang, kind: string): string | undefined {
  const key = `manager.hint.${kind}`;
  return key in en ? t(lang, key as MessageKey) : undefined;
}
