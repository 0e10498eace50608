/** Reading a result CSV (row, status, wolkvox_id, error, attempts, ...input columns), streamed. */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

export interface ResultSummary {
  rows: number;
  byStatus: Record<string, number>;
  /** Sum of `attempts` over every row. */
  attempts: number;
  /** Rows with at least one attempt (sent at least once). */
  sentRows: number;
  /** Sum over rows of attempts - 1 (rows sent at least once). */
  retries: number;
}

export async function readResults(path: string): Promise<ResultSummary> {
  const s: ResultSummary = { rows: 0, byStatus: {}, attempts: 0, sentRows: 0, retries: 0 };
  const parser = parse({ bom: true, from_line: 2, relax_column_count: true });
  const file = createReadStream(path).on('error', (err) => parser.destroy(err)); // a missing file rejects instead of crashing
  file.pipe(parser);
  for await (const rec of parser as AsyncIterable<string[]>) {
    const status = rec[1] ?? '';
    const attempts = Number(rec[4] ?? 0);
    s.rows++;
    s.byStatus[status] = (s.byStatus[status] ?? 0) + 1;
    s.attempts += attempts;
    if (attempts > 0) {
      s.sentRows++;
      s.retries += attempts - 1;
    }
  }
  return s;
}

export function statusText(b: Record<string, number>): string {
  return Object.entries(b).map(([k, v]) => `${k} ${v}`).join(', ');
}
