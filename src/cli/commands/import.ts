import type { ArgumentsCamelCase } from 'yargs';
import type { ImportCliArgs } from '../builders.ts';
import { resolveImportConfig, type ImportArgs } from '../../config/config.ts';
import { resolveToken } from '../../config/token.ts';
import { checkOutputTargets } from '../../config/outputs.ts';
import type { Interrupt } from '../interrupt.ts';
import { writeErr, writeOut } from '../output.ts';
import { redactArgv, shellLine } from '../../redact.ts';
import { createLogger } from '../../log.ts';
import { runImport } from '../../run/import.ts';
import type { RunResult } from '../../run/result.ts';
import { Progress } from '../../run/progress.ts';
import { adviceLines, summaryLine, validationLines } from '../summary.ts';
import { startProgress } from '../progress.ts';
import { countRecords } from '../../source/index.ts';
import { writeRunReports } from '../../results/report.ts';
import { pickLang, type Lang } from '../../i18n/index.ts';
import { t } from '../../i18n/index.ts';

/** Runs one import; returns the exit code. Signals (see main.ts): the first stops gracefully, the second at once. */
export async function importHandler(argv: ArgumentsCamelCase<ImportCliArgs>, interrupt: Interrupt, forceDryRun = false): Promise<number> {
  const args: ImportArgs = { ...argv, dryRun: forceDryRun || argv.dryRun };
  const cfg = resolveImportConfig(args);
  const token = cfg.dryRun ? undefined : await resolveToken(process.env, argv.tokenFile);
  checkOutputTargets(cfg); // before the log file is opened: it must not be the input, the state file...
  const { logger, flush } = createLogger({ file: argv.logFile, secrets: token ? [token] : [] });
  interrupt.signal.addEventListener('abort', () => logger.warn('stopping: no new request is sent; requests in flight get a short grace (signal again to stop at once)'), { once: true });
  interrupt.onForce(() => {
    logger.error('stopped at once: every known outcome is saved; run again with --resume to write the results and continue');
    flush();
  });
  const lang: Lang = pickLang(argv.lang);
  const progress = new Progress();
  const display = argv.quiet || argv.json ? undefined : startProgress(progress, logger, {
    intervalSec: argv.progressInterval ?? 60,
    total: countRecords({ path: cfg.input, encoding: cfg.encoding, delimiter: cfg.delimiter }),
    lang,
  });
  try {
    const result = await runImport(cfg, { logger, token, signal: interrupt.signal, progress, command: commandLine(token) });
    display?.stop();
    const html = argv.report !== false && result.examples ? await writeRunReports(result, { logger, token, lang }) : undefined;
    logger.info({ runId: result.runId, counts: result.counts, calls: result.calls, exitCode: result.exitCode, out: result.out }, 'run finished');
    if (result.error) logger.error({ code: result.error.code }, result.error.message);
    flush();
    tell(result, { json: argv.json === true, lang, progress, html });
    return result.exitCode;
  } finally {
    display?.stop();
    flush();
  }
}

/** What the terminal (or cron's mail) gets at the end: the JSON summary or the validation lines, advice, the summary line, the error. */
function tell(result: RunResult, o: { json: boolean; lang: Lang; progress: Progress; html?: string }): void {
  if (o.json) writeOut(JSON.stringify(jsonSummary(result)) + '\n');
  else if (result.dryRun) writeOut(validationLines(result, o.progress, o.lang).join('\n') + '\n');
  for (const l of adviceLines(result, o.lang)) writeErr(l + '\n');
  if (o.html) writeErr(`wolkvox-import: ${t(o.lang, 'cli.report')}: ${o.html}\n`);
  writeErr(summaryLine(result, o.lang) + '\n');
  if (result.error) writeErr(`wolkvox-import: ${result.error.message}\n`);
}

function jsonSummary(r: RunResult) {
  return {
    runId: r.runId, out: r.out, exitCode: r.exitCode, counts: r.counts, totalRows: r.totalRows, calls: r.calls,
    stopped: r.stop ? { reason: r.stop.kind, message: r.stop.message } : null, resumed: r.resumed,
    error: r.error ? { code: r.error.code, message: r.error.message } : null,
    encoding: r.source.encoding, delimiter: r.source.delimiter, durationMs: r.durationMs, dryRun: r.dryRun,
  };
}

/** The command line as run, secrets and URL credentials redacted, for the lock holder's description. */
function commandLine(token: string | undefined): string {
  return shellLine(redactArgv(['wolkvox-import', ...process.argv.slice(2)], token ? [token] : []));
}
