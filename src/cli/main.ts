#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import pkg from '../../package.json' with { type: 'json' };
import { EXIT, isWolkvoxImportError, messageIn, UsageError, type WolkvoxImportError } from '../errors.ts';
import { langFromArgv, langFromEnv, managerHint, t, type Lang } from '../i18n/index.ts';
import type { Interrupt } from './interrupt.ts';
import { skipHelpCache } from './help-cache.ts';
import { checkBuilder, demoBuilder, emulatorBuilder, importBuilder, initMappingBuilder, ledgerBuilder, lookupsBuilder, reconcileBuilder, runsBuilder } from './builders.ts';

/** The only place that prints errors and exits. Commands return their exit code. */
async function main(argv: string[]): Promise<number> {
  // The bin is minified: with DEBUG, stack traces of the commands (loaded below) name the sources.
  if (process.env.DEBUG) process.setSourceMapsEnabled(true);
  const lang = langFromArgv(argv, langFromEnv(process.env));
  // Commands run once parsing is done, outside yargs (see skipHelpCache).
  const cli = yargs(argv)
    .scriptName('wolkvox-import')
    .locale(lang)
    .updateStrings(yargsWords(lang))
    .usage(`$0 <command> [options]\n\n${t(lang, 'cmd.usage')}`)
    .command('import [input]', t(lang, 'cmd.import'), importBuilder(lang))
    .command('validate [input]', t(lang, 'cmd.validate'), importBuilder(lang))
    .command('reconcile <input>', t(lang, 'cmd.reconcile'), reconcileBuilder(lang))
    .command('check', t(lang, 'cmd.check'), checkBuilder)
    .command('init-mapping <input>', t(lang, 'cmd.init-mapping'), initMappingBuilder)
    .command('runs', t(lang, 'cmd.runs'), runsBuilder)
    .command('ledger', t(lang, 'cmd.ledger'), ledgerBuilder)
    .command('lookups', t(lang, 'cmd.lookups'), lookupsBuilder)
    .command('emulator', t(lang, 'cmd.emulator'), emulatorBuilder)
    .command('demo', t(lang, 'cmd.demo'), demoBuilder)
    .demandCommand(1, t(lang, 'cmd.demand'))
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(pkg.version)
    .wrap(Math.min(110, process.stdout.columns ?? (Number(process.env.COLUMNS) || 100))) // piped (`--help | less`): the terminal's COLUMNS
    .fail((msg, err, y) => {
      if (err) throw err;
      // A token typed as a flag: say where it goes instead of the whole help (and never echo it).
      if (argv.some((a) => a === '--token' || a.startsWith('--token='))) throw new UsageError(t(lang, 'usage.tokenFlag'), { flag: 'token' });
      process.stderr.write(`${y.help()}\n`);
      throw new UsageError(msg);
    });
  skipHelpCache(cli);
  const parsed = await cli.parseAsync();
  const run = COMMANDS[String(parsed._[0])];
  return run ? run(parsed as never) : EXIT.OK;
}

/**
 * yargs' own words ("Options:", "Unknown argument") in `lang`, from the yargs package's locale
 * files. yargs is bundled into the bin (one file loads faster than its forty), and a bundled yargs
 * looks for those files beside the bundle, so they are read from the installed package here.
 */
function yargsWords(lang: Lang): Record<string, string> {
  if (lang === 'en') return {};
  try {
    const dir = join(dirname(createRequire(import.meta.url).resolve('yargs/package.json')), 'locales');
    return JSON.parse(readFileSync(join(dir, `${lang}.json`), 'utf8')) as Record<string, string>;
  } catch {
    return {}; // a damaged install: yargs' few words stay English, the rest of the CLI still speaks `lang`
  }
}

/** What each command runs, loaded only when it runs. */
const COMMANDS: Record<string, (a: never) => Promise<number>> = {
  import: (a) => import('./commands/import.ts').then((m) => m.importHandler(a, interrupt())),
  validate: (a) => import('./commands/import.ts').then((m) => m.importHandler(a, interrupt(), true)),
  reconcile: (a) => import('./commands/reconcile.ts').then((m) => m.reconcileHandler(a, interrupt())),
  check: (a) => import('./commands/check.ts').then((m) => m.checkHandler(a)),
  'init-mapping': (a) => import('./commands/init-mapping.ts').then((m) => m.initMappingHandler(a)),
  runs: (a) => import('./commands/state.ts').then((m) => m.runsHandler(a)),
  ledger: (a) => import('./commands/state.ts').then((m) => m.ledgerHandler(a)),
  lookups: (a) => import('./commands/lookups.ts').then((m) => m.lookupsHandler(a)),
  emulator: (a) => import('./commands/emulator.ts').then((m) => m.emulatorHandler(a)),
  demo: (a) => import('./commands/demo.ts').then((m) => m.demoHandler(a)),
};


/**
 * SIGINT/SIGTERM for a long command: the first aborts `signal` (the command stops gracefully and
 * finishes its results); the second runs the command's last words and exits at once with 3. Every
 * outcome known by then is on disk (the journal writes what it still holds first).
 */
function interrupt(): Interrupt {
  const ctl = new AbortController();
  const lastWords: (() => void)[] = [];
  let count = 0;
  const onSignal = () => {
    if (++count === 1) {
      ctl.abort();
      return;
    }
    for (const fn of lastWords) fn();
    process.stderr.write('wolkvox-import: stopped at once; run the same command with --resume to continue\n');
    process.exit(EXIT.STOPPED);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: ctl.signal, onForce: (fn) => void lastWords.push(fn) };
}

/** A stopped Manager fetch: the next line says what to do, by why it stopped. */
function hintLine(err: WolkvoxImportError, lang: Lang): string {
  const hint = err.code === 'E_MANAGER' ? managerHint(lang, String(err.context.kind)) : undefined;
  return hint ? `\nwolkvox-import: ${hint}` : '';
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const lang = langFromArgv(hideBin(process.argv), langFromEnv(process.env));
    if (err instanceof UsageError || (err as Error)?.name === 'YError') {
      process.stderr.write(`\nwolkvox-import: ${err instanceof UsageError ? messageIn(err, lang) : (err as Error).message}\n`);
      process.exitCode = EXIT.USAGE;
    } else if (isWolkvoxImportError(err)) {
      process.stderr.write(`wolkvox-import: ${messageIn(err, lang)}${hintLine(err, lang)}\n`);
      process.exitCode = err.exitCode;
    } else {
      const e = err as Error;
      process.stderr.write(`wolkvox-import: internal error: ${e?.message ?? String(err)}\n${process.env.DEBUG ? (e?.stack ?? '') : 'set DEBUG=1 for details'}\n`);
      process.exitCode = EXIT.USAGE;
    }
  },
);
