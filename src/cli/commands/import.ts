import type { ArgumentsCamelCase } from 'yargs';
import type { ImportCliArgs } from '../builders.ts';
import { resolveImportConfig, type ImportArgs } from '../../config/config.ts';
import { resolveToken } from '../../config/token.ts';
import { EXIT } from '../../errors.ts';
import { createLogger } from '../../log.ts';
import { runImport } from '../../run/import.ts';
import { Progress } from '../../run/progress.ts';
import { adviceLines, summaryLine, validationLines } from '../summary.ts';
import { startProgress } from '../progress.ts';
import { countRecords } from '../../source/index.ts';
import { writeRunReports } from '../reports.ts';
import { langFromEnv, type Lang } from '../../i18n/index.ts';
import { tc } from '../../i18n/cli.ts';



/** Runs one import; returns the exit code. Signals: the first stops gracefully, the second at once. */
export async function importHandler(argv: ArgumentsCamelCase<ImportCliArgs>, forceDryRun = false): Promise<number> {
  const args: ImportArgs = { ...argv, dryRun: forceDryRun || argv.dryRun };
  const cfg = resolveImportConfig(args);
  const token = cfg.dryRun ? undefined : await resolveToken(process.env, argv.tokenFile);
  const { logger, flush } = createLogger({ file: argv.logFile, secrets: token ? [token] : [] });
  const ctl = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      logger.warn({ signal: sig }, 'stopping: letting requests in flight finish (signal again to stop at once)');
      ctl.abort();
      return;
    }
    logger.error({ signal: sig }, 'stopped at once: every known outcome is saved; run again with --resume to write the results and continue');
    flush();
    process.stderr.write('wolkvox-import: stopped at once; run the same command with --resume to continue\n');
    process.exit(EXIT.STOPPED);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = new Progress();
  const tty = process.stderr.isTTY === true;
  const display = argv.quiet || argv.json ? undefined : startProgress(progress, logger, {
    intervalSec: argv.progressInterval ?? 60,
    total: tty ? countRecords({ path: cfg.input, encoding: cfg.encoding, delimiter: cfg.delimiter }) : undefined,
  });
  const lang: Lang = argv.lang === 'es' || argv.lang === 'en' ? argv.lang : langFromEnv(process.env);
  try {
    const result = await runImport(cfg, { logger, token, signal: ctl.signal, progress, command: commandLine() });
    display?.stop();
    const html = argv.report !== false ? await writeRunReports(result, { logger, token, lang }) : undefined;
    logger.info({ runId: result.runId, counts: result.counts, calls: result.calls, exitCode: result.exitCode, out: result.out }, 'run finished');
    flush();
    if (argv.json) process.stdout.write(JSON.stringify(jsonSummary(result)) + '\n');
    else if (cfg.dryRun) process.stdout.write(validationLines(result, progress, lang).join('\n') + '\n');
    for (const l of adviceLines(result, lang)) process.stderr.write(l + '\n');
    if (html) process.stderr.write(`wolkvox-import: ${tc(lang, 'report')}: ${html}\n`);
    process.stderr.write(summaryLine(result, lang) + '\n');
    return result.exitCode;
  } finally {
    display?.stop();
    flush();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function jsonSummary(r: Awaited<ReturnType<typeof runImport>>) {
  return {
    runId: r.runId, out: r.out, exitCode: r.exitCode, counts: r.counts, totalRows: r.totalRows, calls: r.calls,
    stopped: r.stop ? { reason: r.stop.kind, message: r.stop.message } : null, resumed: r.resumed,
    encoding: r.source.encoding, delimiter: r.source.delimiter, durationMs: r.durationMs, dryRun: r.dryRun,
  };
}

/** The command line as run, for the lock holder's description (the token never is a flag). */
function commandLine(): string {
  return ['wolkvox-import', ...process.argv.slice(2)].join(' ');
}
