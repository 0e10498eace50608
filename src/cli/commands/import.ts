import type { ArgumentsCamelCase } from 'yargs';
import type { ImportCliArgs } from '../builders.ts';
import { resolveImportConfig, type ImportArgs } from '../../config/config.ts';
import { resolveToken } from '../../config/token.ts';
import type { Interrupt } from '../interrupt.ts';
import { writeErr, writeOut } from '../output.ts';
import { redactArgv, shellLine } from '../../redact.ts';
import { createLogger } from '../../log.ts';
import { runImport } from '../../run/import.ts';
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
    if (argv.json) writeOut(JSON.stringify(jsonSummary(result)) + '\n');
    else if (cfg.dryRun) writeOut(validationLines(result, progress, lang).join('\n') + '\n');
    for (const l of adviceLines(result, lang)) writeErr(l + '\n');
    if (html) writeErr(`wolkvox-import: ${t(lang, 'cli.report')}: ${html}\n`);
    writeErr(summaryLine(result, lang) + '\n');
    if (result.error) writeErr(`wolkvox-import: ${result.error.message}\n`);
    return result.exitCode;
  } finally {
    display?.stop();
    flush();
  }
}

function jsonSummary(r: Awaited<ReturnType<typeof runImport>>) {
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
