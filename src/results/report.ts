import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import type { Lang } from '../i18n/index.ts';
import type { RunResult } from '../run/result.ts';
import type { ReportExamples } from './report-examples.ts';
import { renderHtml } from './report-html.ts';
import { redactSecrets } from './summary-redact.ts';
import { buildSummary, reportPaths } from './summary.ts';

export { collectExamples, emptyExamples, errorCode, type CollectOptions, type ErrorExample, type ReportExamples, type UncertainRow } from './report-examples.ts';
export { renderHtml } from './report-html.ts';
export { buildSummary, reportPaths, type ReportPaths, type RunSummary, type SummaryInput } from './summary.ts';

export interface WriteReportsInput {
  result: RunResult;
  /** The command line as typed, e.g. `['wolkvox-import', ...process.argv.slice(2)]`; secrets are redacted. */
  argv: string[];
  /** Literal secrets (the token) removed from everything written. */
  secrets: string[];
  lang: Lang;
  /** From `collectExamples(result.out)`, or `emptyExamples()` when the result CSV could not be read. */
  examples: ReportExamples;
}

/** Writes `text` to `path` readable by the owner only (0600): via a private temporary file, then a rename. */
async function writePrivate(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, text, { encoding: 'utf8', mode: 0o600, flag: 'w' });
    await chmod(tmp, 0o600);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** The examples with every literal secret removed (an API message could echo a header). */
function redactExamples(ex: ReportExamples, secrets: readonly string[]): ReportExamples {
  if (!secrets.some((s) => s.trim() !== '')) return ex;
  const r = (v: string) => redactSecrets(v, secrets);
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
  await writePrivate(paths.summary, `${JSON.stringify(summary, null, 2)}\n`);
  await writePrivate(paths.report, renderHtml(summary, examples, input.lang));
  return { summaryPath: paths.summary, htmlPath: paths.report };
}
