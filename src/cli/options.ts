import type { Options } from 'yargs';
import { UsageError } from '../errors.ts';
import { t, type Lang } from '../i18n/index.ts';

/**
 * Every flag of `import` / `validate`, declared once: yargs builds --help from these (each
 * description is `opt.<flag>` of the dictionaries in src/i18n) and the README's flag table is
 * checked against them by a test.
 */
export const IMPORT_OPTIONS = {
  mapping: { type: 'string' },
  preset: { type: 'string' },
  lookup: { type: 'string', array: true },
  server: { type: 'string' },
  operation: { type: 'string' },
  'token-file': { type: 'string' },
  out: { type: 'string' },
  excel: { type: 'boolean' },
  concurrency: { type: 'number' },
  'i-have-a-higher-limit': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  state: { type: 'string' },
  resume: { type: 'boolean' },
  'force-new-run': { type: 'boolean' },
  yes: { type: 'boolean' },
  'retry-uncertain': { type: 'boolean' },
  encoding: { type: 'string' },
  delimiter: { type: 'string' },
  sheet: { type: 'string' },
  'header-line': { type: 'number' },
  'max-workbook-mb': { type: 'number' },
  rejects: { type: 'string' },
  timeout: { type: 'number' },
  'max-attempts': { type: 'number' },
  'max-backoff': { type: 'number' },
  'max-pause': { type: 'number' },
  'max-errors': { type: 'string' },
  'max-calls': { type: 'number' },
  'check-quota': { type: 'boolean' },
  reconcile: { type: 'boolean' },
  resend: { type: 'boolean' },
  proxy: { type: 'string' },
  'wait-lock': { type: 'number' },
  'log-file': { type: 'string' },
  quiet: { type: 'boolean' },
  verbose: { type: 'boolean' },
  'progress-interval': { type: 'number' },
  lang: { type: 'string', choices: ['es', 'en'] },
  /** A Manager report to fetch instead of an input file (cdr_1, campaign_3, campaign_5); `--no-report`: no HTML report. */
  report: { type: 'string' },
  'manager-server': { type: 'string' },
  'manager-token-file': { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  'campaign-id': { type: 'string' },
  tz: { type: 'string' },
  overlap: { type: 'string' },
  'settle-delay': { type: 'string' },
} as const satisfies Record<string, Options>;

export type ImportFlag = keyof typeof IMPORT_OPTIONS;

/** The accepted values of a numeric flag: `whole` numbers (counts) or seconds (fractions allowed). */
export interface Range {
  min: number;
  max: number;
  whole?: boolean;
}

const DAY = 86_400;

/** The range of every numeric flag of import/validate (the API allows 2 requests in flight: see `concurrencyCheck`). */
export const IMPORT_RANGES: Readonly<Partial<Record<ImportFlag, Range>>> = {
  concurrency: { min: 1, max: 64, whole: true },
  timeout: { min: 1, max: 3600 },
  'max-attempts': { min: 1, max: 100, whole: true },
  'max-backoff': { min: 1, max: DAY },
  'max-pause': { min: 1, max: DAY },
  'max-calls': { min: 1, max: 1_000_000_000, whole: true },
  'wait-lock': { min: 0, max: DAY },
  'progress-interval': { min: 1, max: DAY },
  'header-line': { min: 1, max: 1_000_000, whole: true },
  'max-workbook-mb': { min: 1, max: 4096, whole: true },
};

/**
 * A yargs `coerce` that refuses a value outside `r` with a UsageError (E_USAGE, exit 2): `abc`
 * (NaN), a repeated flag, 0 or 1e12 never reach the run.
 */
function inRange(flag: string, r: Range, lang: Lang): (v: unknown) => unknown {
  return (v) => {
    if (v === undefined) return v;
    refuseRepeated(flag, v, lang);
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    if (Number.isFinite(n) && n >= r.min && n <= r.max && (!r.whole || Number.isInteger(n))) return n;
    throw new UsageError(t(lang, r.whole ? 'usage.whole' : 'usage.seconds', { flag, min: r.min, max: r.max, value: Number.isNaN(v) ? t(lang, 'usage.nan') : String(v) }), { flag });
  };
}

/**
 * A single-value flag given twice (a cron line that already had it): yargs makes an array of the
 * values; that is a UsageError naming the flag, not a crash further on nor a silent pick of one.
 */
function refuseRepeated(flag: string, v: unknown, lang: Lang): void {
  if (Array.isArray(v)) throw new UsageError(t(lang, 'usage.repeated', { flag, count: v.length }), { flag });
}

/** The `coerce` of a single-value flag without a range. */
function singleValue(flag: string, lang: Lang): (v: unknown) => unknown {
  return (v) => {
    refuseRepeated(flag, v, lang);
    return v;
  };
}

/**
 * `options` with a description in `lang` from `opt.<prefix><flag>`, a range check on each flag of
 * `ranges` and a refusal of a single-value flag given twice.
 */
export function described<K extends string>(
  options: Readonly<Record<K, Options>>,
  o: { lang: Lang; prefix?: string; ranges?: Readonly<Partial<Record<K, Range>>> },
): Record<K, Options> {
  const out = {} as Record<K, Options>;
  for (const k of Object.keys(options) as K[]) {
    const range = o.ranges?.[k];
    const describe = t(o.lang, `opt.${o.prefix ?? ''}${k}` as Parameters<typeof t>[1]);
    const coerce = range ? inRange(k, range, o.lang) : options[k].array === true ? undefined : singleValue(k, o.lang);
    out[k] = { ...options[k], describe, ...(coerce ? { coerce } : {}) };
  }
  return out;
}

/** `--concurrency` above 2 needs `--i-have-a-higher-limit`: the API allows 2 requests in flight per token. */
export function concurrencyCheck(lang: Lang): (argv: { concurrency?: unknown; iHaveAHigherLimit?: unknown }) => true {
  return (argv) => {
    const c = argv.concurrency;
    if (typeof c === 'number' && c > 2 && argv.iHaveAHigherLimit !== true) throw new UsageError(t(lang, 'usage.concurrency', { value: c }), { flag: 'concurrency' });
    return true;
  };
}
