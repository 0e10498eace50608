import type { ArgumentsCamelCase } from 'yargs';
import type { ReconcileCliArgs } from '../builders.ts';
import { resolveImportConfig } from '../../config/config.ts';
import { resolveToken } from '../../config/token.ts';
import { pickLang, t } from '../../i18n/index.ts';
import { createLogger } from '../../log.ts';
import { reconcileCommand } from '../../reconcile/command.ts';
import { redactArgv, shellLine } from '../../redact.ts';
import { stoppedText } from '../../sink/stop.ts';
import type { Interrupt } from '../interrupt.ts';
import { writeErr, writeOut } from '../output.ts';

/** `reconcile <input> [--run N]`: search the CRM for the run's uncertain rows; returns the exit code. */
export async function reconcileHandler(argv: ArgumentsCamelCase<ReconcileCliArgs>, interrupt: Interrupt): Promise<number> {
  const cfg = resolveImportConfig({ ...argv, dryRun: false });
  const token = await resolveToken(process.env, argv.tokenFile);
  const { logger, flush } = createLogger({ file: argv.logFile, secrets: [token] });
  const lang = pickLang(argv.lang);
  try {
    const command = shellLine(redactArgv(['wolkvox-import', ...process.argv.slice(2)], [token]));
    const r = await reconcileCommand(cfg, { token, logger, runId: argv.run, signal: interrupt.signal, command });
    const summary = t(lang, 'cli.reconciled', { ...r.stats });
    if (argv.json) writeOut(JSON.stringify({ runId: r.runId, out: r.out, exitCode: r.exitCode, reconciled: r.stats, counts: r.counts, stopped: r.stop ? { reason: r.stop.kind, message: r.stop.message } : null }) + '\n');
    writeErr(`wolkvox-import: ${t(lang, 'reconcile.done', { run: r.runId, summary, out: r.out })}\n`);
    if (r.stop) writeErr(`wolkvox-import: ${stoppedText(r.stop)}\n`);
    return r.exitCode;
  } finally {
    flush();
  }
}
