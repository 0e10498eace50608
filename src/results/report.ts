import type { Logger } from 'pino';
import { writeFileAtomic } from '../fs-atomic.ts';
import type { Lang } from '../i18n/index.ts';
import { redact } from '../redact.ts';
import type { RunResult } from '../run/result.ts';
import { emptyExamples, type ReportExamples } from './report-examples.ts';
import { renderHtml } from './report-html.ts';
import { buildSummary, reportPaths } from './summary.ts';

export interface WriteReportsInput {
  result: RunResult;
  /** The command line as typed, e.g. `['wolkvox-import', ...process.argv.slice(2)]`; secrets are redacted. */
  argv: string[];
  /** Literal secrets (the token) removed from everything written. */
  secrets: string[];
  lang: Lang;
  /** Gathered while the result CSV was written, or `emptyExamples()` when it was not. */
  examples: ReportExamples;
}

/** The examples with every literal secret removed (an API message could echo a header). */
function redactExamples(ex: ReportExamples, secrets: readonly string[]): ReportExamples {
  const r = (v: string) => redact(v, secrets);
  const byCode: ReportExamples['byCode'] = {};
  for (const [code, list] of Object.entries(ex.byCode)) byCode[code] = list.map((e) => ({ ...e, error: r(e.error) }));
  return {
    ...ex,
    byCode,
    idColumns: ex.idColumns.map(r),
    uncertain: ex.uncertain.map((u) => ({ ...u, error: r(u.error), values: u.values.map(r) })),
  };
}

/**
 * After a run: `<name>.summary.json` and `<name>.report.html` next to the result CSV
 * (`<name>.results.csv` or `<name>.csv`), both mode 0600 since they hold personal data.
 */
export async function writeReports(input: WriteReportsInput): Promise<{ summaryPath: string; htmlPath: string }> {
  const paths = reportPaths(input.result.out);
  const examples = redactExamples(input.examples, input.secrets);
  const summary = buildSummary({ result: input.result, argv: input.argv, secrets: input.secrets, examples, paths });
  await writeFileAtomic(paths.summary, `${JSON.stringify(summary, null, 2)}\n`);
  await writeFileAtomic(paths.report, renderHtml(summary, examples, input.lang));
  return { summaryPath: paths.summary, htmlPath: paths.report };
}

/** Writes `<name>.summary.json` and `<name>.report.html` after a run; a failure here never hides the result CSV. */
export async function writeRunReports(result: RunResult, o: { logger: Logger; secrets: readonly string[]; lang: Lang }): Promise<string | undefined> {
  try {
    const examples = result.examples ?? emptyExamples(); // none when the result CSV could not be written
    const argv = ['wolkvox-import', ...process.argv.slice(2)];
    const paths = await writeReports({ result, argv, secrets: [...o.secrets], lang: o.lang, examples });
    o.logger.info({ summary: paths.summaryPath, report: paths.htmlPath }, 'reports written');
    return paths.htmlPath;
  } catch (err) {
    o.logger.error({ err: (err as Error).message }, 'could not write the summary/HTML report (the result CSV is complete)');
    return undefined;
  }
}
