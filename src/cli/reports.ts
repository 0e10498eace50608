import type { Logger } from 'pino';
import type { Lang } from '../i18n/index.ts';
import { collectExamples, emptyExamples, writeReports } from '../results/report.ts';
import type { RunResult } from '../run/result.ts';

/** Writes `<name>.summary.json` and `<name>.report.html`; a failure here never hides the result CSV. */
export async function writeRunReports(result: RunResult, o: { logger: Logger; token?: string; lang: Lang }): Promise<string | undefined> {
  try {
    const examples = result.examples ?? (await collectExamples(result.out).catch(() => emptyExamples()));
    const argv = ['wolkvox-import', ...process.argv.slice(2)];
    const paths = await writeReports({ result, argv, secrets: o.token ? [o.token] : [], lang: o.lang, examples });
    o.logger.info({ summary: paths.summaryPath, report: paths.htmlPath }, 'reports written');
    return paths.htmlPath;
  } catch (err) {
    o.logger.error({ err: (err as Error).message }, 'could not write the summary/HTML report (the result CSV is complete)');
    return undefined;
  }
}
