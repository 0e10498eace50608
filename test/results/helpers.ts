import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../../src/run/result.ts';
import { ExampleCollector, type CollectOptions, type ReportExamples } from '../../src/results/report-examples.ts';

export const TOKEN = 'tok_9f8e7d6c5b4a39281706';
export const START = Date.UTC(2026, 7, 15, 14, 0, 0);

const made: string[] = [];

/** A new temporary directory, removed by `removeTempDirs()` (call it from `after`). */
export function tempDir(prefix = 'wolkvox-report-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes the directories `tempDir` made, unless WOLKVOX_KEEP_REPORTS=1 (to look at them). */
export function removeTempDirs(): void {
  if (process.env.WOLKVOX_KEEP_REPORTS === '1') return;
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A finished run of 1,250 rows over 2 minutes, with a pause, some failures and uncertain rows. */
export function fabricatedResult(out: string, over: Partial<RunResult> = {}): RunResult {
  const timeline = Array.from({ length: 120 }, (_, t) => {
    const answers = t >= 40 && t < 50 ? 0 : 8 + (t % 5);
    return { t, answers, latencySum: answers * (180 + (t % 7) * 20) };
  }).filter((b) => b.answers > 0);
  return {
    runId: 7,
    out,
    resumed: false,
    madeUncertain: 0,
    counts: { ok: 1180, invalid: 30, skipped: 12, duplicate: 5, failed: 13, uncertain: 7, pending: 3 },
    exitCode: 1,
    totalRows: 1250,
    calls: 1203,
    maxInflightSeen: 2,
    durationMs: 120_000,
    source: { encoding: 'windows-1252', bom: false, delimiter: ';', header: ['CONN_ID', 'FECHA', 'TELEFONO', 'DESCRIPCIÓN'], duplicateHeaders: [] },
    fingerprint: 'abc',
    dryRun: false,
    latencies: Array.from({ length: 1000 }, (_, i) => i + 1),
    errorCodes: { OK: 1180, API_400: 13, NET_UND_ERR_HEADERS_TIMEOUT: 7, API_403: 3 },
    input: '/data/Gestión cartera agosto.csv',
    startedAt: START,
    timeline,
    timelineByMinute: [],
    ...over,
  };
}

/** Examples as the result writer gathers them: accents, `<script>` text, uncertain rows. */
export function fabricatedExamples(): ReportExamples {
  return {
    rows: 1250,
    statusCounts: { ok: 1180, invalid: 30, skipped: 12, duplicate: 5, failed: 13, uncertain: 7, pending: 3 },
    codes: { INVALID: 30, API_400: 13, SKIPPED: 12, UNCERTAIN: 7, DUPLICATE: 5, STOPPED_QUOTA: 3 },
    byCode: {
      INVALID: [
        { row: 4, status: 'invalid', error: 'INVALID: fecha: expected a date such as "15/08/2026", got "<script>alert(1)</script>"' },
        { row: 9, status: 'invalid', error: 'INVALID: wolkvox_idRecord: no record for customer "Muñoz Peña"' },
      ],
      API_400: [{ row: 17, status: 'failed', error: 'API_400: SOME PARAMETERS ARE REQUIRED', rule: 'api-400-params' }],
      SKIPPED: [{ row: 2, status: 'skipped', error: 'SKIPPED: TIMEOUTACW' }],
      UNCERTAIN: [{ row: 33, status: 'uncertain', error: 'UNCERTAIN: NET_UND_ERR_HEADERS_TIMEOUT: Headers Timeout Error' }],
      DUPLICATE: [{ row: 40, status: 'duplicate', error: 'DUPLICATE: already inserted as 123cb (this file, 2026-08-15)' }],
      STOPPED_QUOTA: [{ row: 1248, status: 'pending', error: 'STOPPED_QUOTA: API_403: TOKEN LIMIT EXCEEDED' }],
    },
    idColumns: ['CONN_ID', 'FECHA', 'TELEFONO'],
    uncertain: [
      { row: 33, error: 'UNCERTAIN: NET_UND_ERR_HEADERS_TIMEOUT: Headers Timeout Error', values: ['c-0033', '15/08/2026', '3001234567'] },
      { row: 34, error: 'UNCERTAIN: API_502: Bad Gateway', values: ['<script>alert("x")</script>', '15/08/2026', 'Ñandú & Cía'] },
    ],
    uncertainTotal: 7,
  };
}

/** One result row for `collect`: [status, error, ...input values], or with the rule the run decided it with. */
export type TestRow = [string, string, ...string[]] | { status: string; error: string; rule: string; values: string[] };

/** The report's examples of these result rows (numbered from 1), gathered as the result writer does. */
export function collect(header: string[], rows: readonly TestRow[], opts: CollectOptions = {}): ReportExamples {
  const c = new ExampleCollector(header, opts);
  rows.forEach((r, i) => {
    if (Array.isArray(r)) {
      const [status, error, ...values] = r;
      c.add({ row: i + 1, status, error }, values);
    } else {
      c.add({ row: i + 1, status: r.status, error: r.error, rule: r.rule }, r.values);
    }
  });
  return c.examples;
}
