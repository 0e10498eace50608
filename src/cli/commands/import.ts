import type { ArgumentsCamelCase } from 'yargs';
import type { Logger } from 'pino';
import type { ImportCliArgs } from '../builders.ts';
import { resolveImportConfig, type ImportArgs } from '../../config/config.ts';
import { resolveManagerToken, resolveToken } from '../../config/token.ts';
import { checkTokensDiffer } from '../../config/report.ts';
import { checkOutputTargets } from '../../config/outputs.ts';
import type { Interrupt } from '../interrupt.ts';
import { writeErr, writeOut } from '../output.ts';
import { redactArgv, shellLine } from '../../redact.ts';
import { createLogger } from '../../log.ts';
import { runImport } from '../../run/import.ts';
import type { RunResult } from '../../run/result.ts';
import { Progress } from '../../run/progress.ts';
import { adviceLines, problemLines, summaryLine, validationLines } from '../summary.ts';
import { startProgress } from '../progress.ts';
import { recordFailure } from '../failure.ts';
import { countRecords, sourceOptions } from '../../source/index.ts';
import { pickLang, type Lang } from '../../i18n/index.ts';
import { t } from '../../i18n/index.ts';
import { EXIT } from '../../errors.ts';
import type { ReportInfo } from '../../run/report.ts';
import { nothingToImport, reportJson, reportLine } from '../report-lines.ts';

/**
 * The level of the JSON log lines: everything into a --log-file or with --verbose; on an interactive
 * terminal (where the progress bar is) and with --quiet only warnings and errors.
 */
export function logLevel(o: { logFile?: string; verbose?: boolean; quiet?: boolean; tty: boolean }): 'info' | 'warn' {
  if (o.logFile !== undefined || o.verbose === true) return 'info';
  return o.tty || o.quiet === true ? 'warn' : 'info';
}

/** Runs one import; returns the exit code. Signals (see main.ts): the first stops gracefully, the second at once. */
export async function importHandler(argv: ArgumentsCamelCase<ImportCliArgs>, interrupt: Interrupt, forceDryRun = false): Promise<number> {
  let log: Logger | undefined;
  const secrets: string[] = [];
  try {
    const args: ImportArgs = { ...argv, dryRun: forceDryRun || argv.dryRun };
    const cfg = resolveImportConfig(args);
    const token = cfg.dryRun ? undefined : await resolveToken(process.env, argv.tokenFile);
    if (token) secrets.push(token);
    const managerToken = cfg.report ? await resolveManagerToken(process.env, cfg.report.managerTokenFile) : undefined;
    if (managerToken) secrets.push(managerToken);
    checkTokensDiffer(token, managerToken);
    checkOutputTargets(cfg); // before the log file is opened: it must not be the input, the state file...
    const level = logLevel({ logFile: argv.logFile, verbose: argv.verbose, quiet: argv.quiet, tty: process.stderr.isTTY === true });
    const { logger, flush } = createLogger({ file: argv.logFile, level, secrets });
    log = logger;
    return await runLogged(argv, { cfg, token, managerToken, secrets, logger, flush, interrupt });
  } catch (err) {
    // Told where a cron job looks too: the log file and a minimal summary.json (main.ts prints it).
    // A logger on stderr is left out: main.ts prints the error there, once.
    // A --report run without --out: its summary goes where its results would have (reports/<report>-<time>).
    const report = typeof argv.report === 'string' ? argv.report : undefined;
    await recordFailure(err, { paths: { ...argv, report }, log: argv.logFile ? log : undefined, secrets });
    throw err;
  }
}

interface Logged {
  cfg: ReturnType<typeof resolveImportConfig>;
  token?: string;
  managerToken?: string;
  /** Both tokens: redacted from every text. */
  secrets: string[];
  logger: Logger;
  flush: () => void;
  interrupt: Interrupt;
}

/** The import of a file, or with --report the fetch of a Manager report and the import of its snapshot (src/run/report.ts). */
async function runSource(o: Logged, progress: Progress): Promise<{ result?: RunResult; report?: ReportInfo }> {
  const deps = { logger: o.logger, token: o.token, signal: o.interrupt.signal, onForce: o.interrupt.onForce, progress, command: commandLine(o.secrets) };
  if (!o.cfg.report) return { result: await runImport(o.cfg, deps) };
  const { runReport } = await import('../../run/report.ts');
  const run = await runReport(o.cfg, { ...deps, managerToken: o.managerToken! });
  if (run.result) run.result.report = run.info;
  return { result: run.result, report: run.info };
}

async function runLogged(argv: ArgumentsCamelCase<ImportCliArgs>, o: Logged): Promise<number> {
  const { cfg, secrets, logger, flush, interrupt } = o;
  interrupt.signal.addEventListener('abort', () => logger.warn('stopping: no new request is sent; requests in flight get a short grace (signal again to stop at once)'), { once: true });
  interrupt.onForce(() => {
    logger.error('stopped at once: every known outcome is saved; run again with --resume to write the results and continue');
    flush();
  });
  const lang: Lang = pickLang(argv.lang);
  const progress = new Progress();
  const display = argv.quiet || argv.json ? undefined : startProgress(progress, logger, {
    intervalSec: argv.progressInterval ?? 60,
    total: cfg.report ? undefined : countRecords(sourceOptions(cfg)),
    lang,
  });
  try {
    const { result, report } = await runSource(o, progress);
    display?.stop();
    if (!result) return nothingToImport(report!, { json: argv.json === true, quiet: argv.quiet === true, lang });
    // The report's modules load only now: nothing of them is needed before the first request.
    const html = argv.report !== false && result.examples ? await (await import('../../results/report.ts')).writeRunReports(result, { logger, secrets, lang }) : undefined;
    logger.info({ runId: result.runId, counts: result.counts, calls: result.calls, exitCode: result.exitCode, out: result.out }, 'run finished');
    if (result.error) logger.error({ code: result.error.code }, result.error.message);
    else if (argv.quiet) logger.info(summaryLine(result, 'en'));
    flush();
    tell(result, { json: argv.json === true, quiet: argv.quiet === true, lang, progress, html, argv: typedArgv(secrets) });
    return result.exitCode;
  } finally {
    display?.stop();
    flush();
  }
}

/**
 * What the terminal (or cron's mail) gets at the end: the JSON summary or the validation lines, the
 * groups of problems, advice with the next command, the summary line, the error. With --quiet,
 * nothing when the run ends well (exit 0: the log and summary.json have it all), else one line.
 */
function tell(result: RunResult, o: { json: boolean; quiet: boolean; lang: Lang; progress: Progress; html?: string; argv: string[] }): void {
  if (o.json) writeOut(JSON.stringify(jsonSummary(result)) + '\n');
  if (o.quiet) {
    if (result.exitCode !== EXIT.OK) writeErr(`${quietLine(result, o.lang)}\n`);
    return;
  }
  if (!o.json && result.dryRun) writeOut(validationLines(result, o.progress, o.lang).join('\n') + '\n');
  const problems = o.json || result.dryRun ? [] : problemLines(result, o.progress, o.lang);
  if (problems.length > 0) writeErr(`wolkvox-import: ${t(o.lang, 'cli.problems')}\n${problems.join('\n')}\n`);
  for (const l of adviceLines(result, o.lang, o.argv)) writeErr(l + '\n');
  if (result.report) writeErr(reportLine(result.report, { calls: result.calls, lang: o.lang }) + '\n');
  if (o.html) writeErr(`wolkvox-import: ${t(o.lang, 'cli.report')}: ${o.html}\n`);
  writeErr(summaryLine(result, o.lang) + '\n');
  if (result.error) writeErr(`wolkvox-import: ${result.error.message}\n`);
}

/** --quiet's one line when a run does not end well: the error, or the summary with the first advice (what stopped the run, what to check). */
function quietLine(r: RunResult, lang: Lang): string {
  if (r.error) return `wolkvox-import: ${r.error.message}`;
  const first = adviceLines(r, lang)[0];
  return first ? `${summaryLine(r, lang)} · ${first.replace(/^wolkvox-import: /, '')}` : summaryLine(r, lang);
}

function jsonSummary(r: RunResult) {
  return {
    runId: r.runId, out: r.out, exitCode: r.exitCode, counts: r.counts, totalRows: r.totalRows, calls: r.calls,
    stopped: r.stop ? { reason: r.stop.kind, message: r.stop.message } : null, resumed: r.resumed,
    error: r.error ? { code: r.error.code, message: r.error.message } : null,
    encoding: r.source.encoding, delimiter: r.source.delimiter, durationMs: r.durationMs, dryRun: r.dryRun,
    reconciled: r.reconciled ?? null,
    lookups: r.lookups ?? null,
    ...(r.report ? { managerReport: reportJson(r.report) } : {}),
  };
}

/** The command as typed, from the program's name on, secrets and URL credentials redacted. */
function typedArgv(secrets: readonly string[]): string[] {
  return redactArgv(['wolkvox-import', ...process.argv.slice(2)], secrets);
}

/** The command line as run, secrets and URL credentials redacted, for the lock holder's description. */
function commandLine(secrets: readonly string[]): string {
  return shellLine(typedArgv(secrets));
}
