import type { RowStatus } from '../types.ts';

/** The shapes the store reads and writes, and the mapping of a `runs` row to a RunRecord. */
export interface RunMeta {
  inputPath: string;
  fingerprint: string;
  inputHash: string;
  mappingHash: string;
  server: string;
  operation: string;
  outPath: string;
  sourceInfo: unknown;
  /** --report runs: the report source as JSON (src/store/watermark.ts). */
  reportSource?: string;
}

export interface RunRecord extends RunMeta {
  id: number;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  state: 'running' | 'finished' | 'stopped';
  stopReason: string | null;
  exitCode: number | null;
  totalRows: number | null;
}

export interface StoredRow {
  row: number;
  status: RowStatus | 'sending';
  wolkvox_id: string | null;
  http_status: number | null;
  error: string | null;
  attempts: number;
  /** Id of the classification rule behind the last answer (src/sink/classify.ts), if any. */
  rule: string | null;
}

/** A row left `uncertain`, with what reconciling it needs. */
export interface UncertainRow extends StoredRow {
  /** The ledger key the row holds (scope + dedupe key), if it has one. */
  dedupe_key: string | null;
}

/** A dedupe key held by a row that may have reached the CRM (see the `holds` table). */
export interface Hold {
  runId: number;
  row: number;
  state: 'sending' | 'uncertain';
  since: string;
}

export interface RunEnd {
  state: 'finished' | 'stopped';
  stopReason: string | null;
  exitCode: number;
  totalRows: number;
}

export interface LedgerEntry {
  key: string;
  wolkvoxId: string;
  runId: number;
  row: number;
  insertedAt: string;
}

export function toRun(r: unknown): RunRecord | undefined {
  if (!r) return undefined;
  const x = r as Record<string, unknown>;
  return {
    id: x.id as number,
    inputPath: x.input_path as string,
    fingerprint: x.fingerprint as string,
    inputHash: x.input_hash as string,
    mappingHash: x.mapping_hash as string,
    server: x.server as string,
    operation: x.operation as string,
    outPath: x.out_path as string,
    sourceInfo: x.source_info ? JSON.parse(x.source_info as string) : null,
    reportSource: (x.report_source as string | null) ?? undefined,
    startedAt: x.started_at as string,
    updatedAt: x.updated_at as string,
    finishedAt: (x.finished_at as string | null) ?? null,
    state: x.state as RunRecord['state'],
    stopReason: (x.stop_reason as string | null) ?? null,
    exitCode: (x.exit_code as number | null) ?? null,
    totalRows: (x.total_rows as number | null) ?? null,
  };
}
