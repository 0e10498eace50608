import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import { defaultOutPath } from '../config/config.ts';
import { EXIT, isWolkvoxImportError } from '../errors.ts';
import { writeFileAtomic } from '../fs-atomic.ts';
import { createLogger } from '../log.ts';
import { redact, redactArgv } from '../redact.ts';
import { reportPaths } from '../results/summary.ts';

/** The paths of the command line that say where an import reads and writes (before any was validated). */
export interface FailurePaths {
  input?: string;
  /** --report NAME: no input file; the summary goes where the report's results would have (reports/NAME-<time>). */
  report?: string;
  mapping?: string;
  state?: string;
  out?: string;
  logFile?: string;
}

/** Where a failed run's log line and minimal summary go: the --log-file, and the summary next to --out (or the default result path). */
function failureTargets(a: FailurePaths, cwd: string = process.cwd()): { log?: string; summary: string } {
  const reads = new Set([a.input, a.mapping, a.state].filter((p): p is string => typeof p === 'string').map((p) => resolve(cwd, p)));
  const safe = (p: string | undefined) => (p !== undefined && !reads.has(p) && (!existsSync(p) || statSync(p).isFile()) ? p : undefined);
  const out = a.out ? resolve(cwd, a.out) : defaultOutPath(a.input ?? a.report ?? 'input', new Date(), cwd);
  return { log: safe(a.logFile ? resolve(cwd, a.logFile) : undefined), summary: safe(reportPaths(out).summary) ?? '' };
}

/**
 * An import that ends with an error before its results exist (a missing input, a refused mapping,
 * no token): the error goes to the --log-file (through `log` when the logger already exists) and a
 * minimal `<name>.summary.json` (status "error", the code, the message, the exit code) is written
 * where the results would have gone, so a cron job's log and summary tell what happened. Never throws.
 */
export async function recordFailure(err: unknown, o: { paths: FailurePaths; log?: Logger; secrets?: readonly string[] }): Promise<void> {
  const secrets = o.secrets ?? [];
  const known = isWolkvoxImportError(err);
  const code = known ? err.code : 'E_INTERNAL';
  const message = redact((err as Error)?.message ?? String(err), secrets);
  const exitCode = known ? err.exitCode : EXIT.USAGE;
  const where = failureTargets(o.paths);
  try {
    if (o.log) o.log.error({ code, exitCode }, message);
    else if (where.log) {
      const { logger, flush } = createLogger({ file: where.log, secrets: [...secrets] });
      logger.error({ code, exitCode }, message);
      flush();
    }
  } catch {
    /* the log file itself may be the problem: the terminal still gets the error */
  }
  if (!where.summary) return;
  const summary = {
    status: 'error', exitCode, error: { code, message },
    input: o.paths.input ? resolve(o.paths.input) : null,
    ...(o.paths.report ? { report: o.paths.report } : {}),
    finishedAt: new Date().toISOString(),
    command: redactArgv(['wolkvox-import', ...process.argv.slice(2)], [...secrets]).join(' '),
  };
  try {
    mkdirSync(dirname(where.summary), { recursive: true, mode: 0o700 });
    await writeFileAtomic(where.summary, `${JSON.stringify(summary, null, 2)}\n`);
  } catch {
    /* an unwritable folder: the terminal and the log still have the error */
  }
}
