/** Report calls for the Manager emulator tests: real sockets through ../helpers.ts. */
import { call, type Answer } from '../helpers.ts';
import type { Emulator } from '../../../src/emulator/index.ts';

export const REPORTS = '/api/v2/reports_manager.php';
export const MANAGER_TOKEN = 'manager-token';

export interface ReportAnswer extends Omit<Answer, 'json'> {
  json: { code?: unknown; error?: unknown; msg?: unknown; data?: Record<string, unknown>[] } | undefined;
}

/** GET reports_manager.php with these query parameters (`api`, `date_ini`, ...). */
export async function report(
  emu: Pick<Emulator, 'url'>,
  params: Record<string, string>,
  opts: { token?: string | null; giveUpAfterMs?: number; method?: string } = {},
): Promise<ReportAnswer> {
  const path = `${REPORTS}?${new URLSearchParams(params).toString()}`;
  const token = opts.token === undefined ? MANAGER_TOKEN : opts.token;
  return (await call(emu, { method: opts.method ?? 'GET', path, token, body: opts.method === 'POST' ? '' : undefined, giveUpAfterMs: opts.giveUpAfterMs })) as ReportAnswer;
}

/** cdr_1 over one wall-clock range given as YYYYmmddHHiiss. */
export const cdr1 = (dateIni: string, dateEnd: string): Record<string, string> => ({ api: 'cdr_1', date_ini: dateIni, date_end: dateEnd });

/** Epoch ms of a Bogota wall-clock time 'YYYY-MM-DD HH:mm:ss' (UTC−5). */
export function bogota(wall: string): number {
  return Date.parse(`${wall.replace(' ', 'T')}-05:00`);
}

/** A clock the test moves by hand. */
export function manualClock(startMs: number): { now: () => number; set: (ms: number) => void } {
  let t = startMs;
  return { now: () => t, set: (ms) => void (t = ms) };
}
