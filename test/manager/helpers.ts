/** Shared by the Manager fetch tests: an emulator with a fixed clock, a capturing logger, the snapshot read back. */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import pino from 'pino';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.ts';
import { fetchReport, type FetchRequest, type ReportSnapshot } from '../../src/manager/fetch.ts';

export const TZ = 'America/Bogota';
export const TOKEN = 'manager-secret-token-7f3a9c';
/** 2026-11-20 00:00 in Bogota. */
export const DAY_START = new Date('2026-11-20T05:00:00Z');
export const DAY_MS = 86_400_000;
/** The emulator's clock: everything up to 2026-11-25 has been written. */
export const EMU_NOW = new Date('2026-11-25T05:00:00Z').getTime();

type ManagerOpts = NonNullable<EmulatorOptions['manager']>;

export async function withManager<T>(manager: ManagerOpts, fn: (emu: Emulator) => Promise<T>): Promise<T> {
  const emu = await startEmulator({ manager: { token: TOKEN, now: () => EMU_NOW, ...manager } });
  try {
    return await fn(emu);
  } finally {
    await emu.close();
  }
}

export function capture(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) }), lines };
}

export function tempPath(name = 'snapshot.csv'): string {
  return join(mkdtempSync(join(tmpdir(), 'wv-mgr-')), name);
}

/** fetchReport against `emu` with test defaults (fast retries). */
export function fetchFrom(emu: Emulator, o: Partial<FetchRequest> & { logger?: pino.Logger }): Promise<ReportSnapshot> {
  return fetchReport({
    origin: emu.url,
    token: TOKEN,
    report: 'cdr_1',
    from: DAY_START,
    to: new Date(DAY_START.getTime() + DAY_MS),
    tz: TZ,
    snapshotPath: tempPath(),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    logger: capture().logger,
    ...o,
  });
}

export async function readSnapshot(path: string): Promise<Record<string, string>[]> {
  return parse(await readFile(path, 'utf8'), { columns: true }) as Record<string, string>[];
}

/** The multiset of conn_ids, sorted: equal lists = every record exactly once. */
export function connIds(rows: readonly Record<string, string>[]): string[] {
  return rows.map((r) => r.conn_id as string).sort();
}
