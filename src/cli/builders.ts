/**
 * The arguments of every command, declared once: yargs builds --help from these, in the language
 * main.ts gave yargs (`.locale()`), with every description from the dictionaries of src/i18n.
 * Light on purpose: main.ts loads a command's handler (and its heavy modules) only when it runs.
 * Every command takes `--lang es|en`; every numeric flag has a range (E_USAGE outside it).
 */
import type { Argv, Options } from 'yargs';
import type { ImportArgs } from '../config/config.ts';
import type { ReportArgs } from '../config/report.ts';
import { readJobFile } from '../config/job-file.ts';
import { isWolkvoxImportError, messageIn } from '../errors.ts';
import { t, type Lang } from '../i18n/index.ts';
import { concurrencyCheck, described, IMPORT_OPTIONS, IMPORT_RANGES, type Range } from './options.ts';

/**
 * Flags that name the same thing in two ways: one given on the command line replaces the other
 * coming from the job file (a job file's `preset` and a command line's `--mapping`: the mapping).
 */
const ALTERNATIVES: readonly (readonly string[])[] = [['mapping', 'preset']];

/**
 * `--config job.json` with the precedence command line > job file > environment > default for every
 * key: yargs gives a flag on the command line precedence over the file's; this also drops the
 * file's alternative of a flag given on the command line (see ALTERNATIVES). The environment
 * (WOLKVOX_*) is read only for what neither gave (src/config/config.ts).
 */
function withJobFile<T>(y: Argv<T>, describe: string, ignored: (key: string) => boolean = () => false): Argv<T> {
  let fromFile: Record<string, unknown> = {};
  const lang = langOf(y as Argv);
  const read = (path: string) => {
    try {
      return (fromFile = Object.fromEntries(Object.entries(readJobFile(path)).filter(([k]) => !ignored(k))));
    } catch (err) {
      // yargs keeps only the message of what this throws: it must already be in the user's language.
      if (isWolkvoxImportError(err)) err.message = messageIn(err, lang);
      throw err;
    }
  };
  return y.config('config', describe, read).middleware((argv) => dropOverridden(argv, fromFile), true) as Argv<T>;
}

/** Removes from `argv` each job-file value whose alternative the command line gave. */
function dropOverridden(argv: Record<string, unknown>, fromFile: Readonly<Record<string, unknown>>): void {
  const isFromFile = (k: string) => k in fromFile && argv[k] === fromFile[k];
  for (const group of ALTERNATIVES) {
    const given = group.filter((k) => argv[k] !== undefined);
    if (!given.some((k) => !isFromFile(k))) continue;
    for (const k of given.filter(isFromFile)) delete argv[k];
  }
}

/** The language main.ts set on yargs (`.locale(lang)`): es or en. */
function langOf(y: Argv): Lang {
  return y.locale().startsWith('es') ? 'es' : 'en';
}

const LANG_OPTION = { lang: IMPORT_OPTIONS.lang };

export interface LangArgs {
  lang?: string;
}

export interface CheckArgs extends LangArgs, ReportArgs {
  server?: string;
  operation?: string;
  tokenFile?: string;
  input?: string;
  mapping?: string;
  preset?: string;
  state?: string;
  encoding?: string;
  delimiter?: string;
  json?: boolean;
}

const camel = (k: string) => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const CHECK_KEYS = new Set(['server', 'operation', 'tokenFile', 'mapping', 'preset', 'state', 'encoding', 'delimiter', 'lang', 'managerServer', 'managerTokenFile',
  'since', 'until', 'campaignId', 'tz', 'overlap', 'settleDelay', 'report', 'input', 'json']);

/** `check --config job.json` reads the nightly import's job file: the import's flags that check has no use for (lookup, checkQuota, quiet...) are left aside, a typo is still refused. */
const IMPORT_CAMEL = new Set(Object.keys(IMPORT_OPTIONS).map(camel));
const importOnly = (key: string) => IMPORT_CAMEL.has(camel(key)) && !CHECK_KEYS.has(camel(key));

export function checkBuilder(y: Argv): Argv<CheckArgs> {
  const lang = langOf(y);
  const o = IMPORT_OPTIONS;
  return withJobFile(y
    .options(described({ server: o.server, operation: o.operation, 'token-file': o['token-file'], mapping: o.mapping, preset: o.preset, state: o.state, encoding: o.encoding, delimiter: o.delimiter, ...LANG_OPTION }, { lang }))
    .options(described({ 'manager-server': o['manager-server'], 'manager-token-file': o['manager-token-file'], since: o.since, until: o.until, 'campaign-id': o['campaign-id'], tz: o.tz, overlap: o.overlap, 'settle-delay': o['settle-delay'] }, { lang }))
    .options(described({ report: o.report }, { lang, prefix: 'check.' })), t(lang, 'opt.check.config'), importOnly)
    .options(described({ input: { type: 'string' }, json: { type: 'boolean' } }, { lang, prefix: 'check.' })) as unknown as Argv<CheckArgs>;
}

export interface EmulatorArgs extends LangArgs {
  port: number;
  host: string;
  latency?: number;
  latencyMax?: number;
  maxInflight: number;
  quota: number;
  token?: string[];
  fault?: string[];
  seed: number;
  tokenFrom?: 'header' | 'body' | 'either';
  notFound?: 'empty' | '404';
  tokenInfoGet?: boolean;
  records?: number;
  callsPerDay?: number;
  managerToken?: string;
  managerQuota?: number;
  managerLatency?: number;
  managerFault?: string[];
  writeLag?: number;
  reportCap?: number;
}

const EMULATOR_RANGES: Readonly<Record<string, Range>> = {
  port: { min: 0, max: 65_535, whole: true },
  latency: { min: 0, max: 600_000 },
  'latency-max': { min: 0, max: 600_000 },
  'max-inflight': { min: 1, max: 1000, whole: true },
  quota: { min: 0, max: 1_000_000_000, whole: true },
  seed: { min: 0, max: 2 ** 32, whole: true },
  records: { min: 1, max: 1_000_000, whole: true },
  'calls-per-day': { min: 1, max: 5_000_000, whole: true },
  'manager-quota': { min: 0, max: 1_000_000_000, whole: true },
  'manager-latency': { min: 0, max: 600_000 },
  'write-lag': { min: 0, max: 31 * 86_400_000, whole: true },
  'report-cap': { min: 1, max: 1_000_000, whole: true },
};

export function emulatorBuilder(y: Argv): Argv<EmulatorArgs> {
  const lang = langOf(y);
  const opts: Record<string, Options> = {
    port: { type: 'number', default: 8089 },
    host: { type: 'string', default: '127.0.0.1' },
    latency: { type: 'number' },
    'latency-max': { type: 'number' },
    'max-inflight': { type: 'number', default: 2 },
    quota: { type: 'number', default: 100_000 },
    token: { type: 'string', array: true },
    fault: { type: 'string', array: true },
    seed: { type: 'number', default: 1 },
    'token-from': { type: 'string', choices: ['header', 'body', 'either'] },
    'not-found': { type: 'string', choices: ['empty', '404'] },
    'token-info-get': { type: 'boolean' },
    records: { type: 'number' },
    'calls-per-day': { type: 'number' },
    'manager-token': { type: 'string' },
    'manager-quota': { type: 'number' },
    'manager-latency': { type: 'number' },
    'manager-fault': { type: 'string', array: true },
    'write-lag': { type: 'number' },
    'report-cap': { type: 'number' },
  };
  const d = described(opts, { lang, prefix: 'emulator.', ranges: EMULATOR_RANGES });
  d.fault = { ...d.fault, describe: t(lang, 'opt.emulator.fault') };
  return y.options({ ...d, ...described(LANG_OPTION, { lang }) }) as unknown as Argv<EmulatorArgs>;
}

export interface InitArgs extends LangArgs {
  input: string;
  out?: string;
  force?: boolean;
  encoding?: string;
  delimiter?: string;
  sheet?: string;
  headerLine?: number;
  sample: number;
}

export function initMappingBuilder(y: Argv): Argv<InitArgs> {
  const lang = langOf(y);
  return y
    .positional('input', { type: 'string', describe: t(lang, 'opt.init.input') })
    .options(described({ out: { type: 'string' }, force: { type: 'boolean' }, encoding: { type: 'string' }, delimiter: { type: 'string' }, sheet: { type: 'string' }, 'header-line': { type: 'number' }, sample: { type: 'number', default: 200 } },
      { lang, prefix: 'init.', ranges: { sample: { min: 1, max: 1_000_000, whole: true }, 'header-line': { min: 1, max: 1_000_000, whole: true } } }))
    .options(described(LANG_OPTION, { lang })) as unknown as Argv<InitArgs>;
}

export interface StateArgs extends LangArgs {
  state?: string;
  limit: number;
  json?: boolean;
}

export interface LedgerArgs extends StateArgs {
  export?: string;
  forgetBefore?: string;
}

const LIMIT_RANGE: Range = { min: 1, max: 1_000_000_000, whole: true };

function stateOptions(y: Argv, command: 'runs' | 'ledger' | 'lookups', limit: number): Argv {
  const lang = langOf(y);
  return y
    .options(described({ state: IMPORT_OPTIONS.state, ...LANG_OPTION }, { lang }))
    .options(described({ limit: { type: 'number', default: limit }, json: { type: 'boolean' } }, { lang, prefix: `${command}.`, ranges: { limit: LIMIT_RANGE } }));
}

export function runsBuilder(y: Argv): Argv<StateArgs> {
  return stateOptions(y, 'runs', 20) as unknown as Argv<StateArgs>;
}

export function ledgerBuilder(y: Argv): Argv<LedgerArgs> {
  const lang = langOf(y);
  return stateOptions(y, 'ledger', 50)
    .options(described({ export: { type: 'string' }, 'forget-before': { type: 'string' } }, { lang, prefix: 'ledger.' })) as unknown as Argv<LedgerArgs>;
}

export interface LookupsArgs extends StateArgs {
  key?: string;
  forgetBefore?: string;
  forgetKey?: string;
  forgetNotFound?: boolean;
}

export function lookupsBuilder(y: Argv): Argv<LookupsArgs> {
  const lang = langOf(y);
  return stateOptions(y, 'lookups', 50)
    .options(described({ key: { type: 'string' }, 'forget-before': { type: 'string' }, 'forget-key': { type: 'string' }, 'forget-not-found': { type: 'boolean' } }, { lang, prefix: 'lookups.' })) as unknown as Argv<LookupsArgs>;
}

/** `demo` takes only `--lang`. */
export function demoBuilder(y: Argv): Argv<LangArgs> {
  return y.options(described(LANG_OPTION, { lang: langOf(y) })) as unknown as Argv<LangArgs>;
}

export type ImportCliArgs = ImportArgs & { tokenFile?: string; logFile?: string; quiet?: boolean; verbose?: boolean; json?: boolean; lang?: string; report?: boolean; progressInterval?: number };

export type ReconcileCliArgs = ImportCliArgs & { run?: number };

/** `reconcile <input>`: the flags of import (server, operation, token, mapping, state...) and `--run N`. */
export function reconcileBuilder(lang: Lang): (y: Argv) => Argv<ReconcileCliArgs> {
  return (y) =>
    importBuilder(lang)(y).options(described({ run: { type: 'number' } }, { lang, prefix: 'reconcile.', ranges: { run: { min: 1, max: 1_000_000_000, whole: true } } })) as unknown as Argv<ReconcileCliArgs>;
}

export function importBuilder(lang: Lang): (y: Argv) => Argv<ImportCliArgs> {
  return (y) =>
    withJobFile(y
      .positional('input', { type: 'string', describe: t(lang, 'opt.input') })
      .options(described(IMPORT_OPTIONS, { lang, ranges: IMPORT_RANGES })), t(lang, 'opt.config'))
      .option('json', { type: 'boolean', describe: t(lang, 'opt.json') })
      .check(concurrencyCheck(lang)) as unknown as Argv<ImportCliArgs>;
}
