import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { ReportRecord } from './classify.ts';

export type ReportName = 'cdr_1' | 'campaign_3' | 'campaign_5';

/** Each report's documented fields, in the documented order (docs/api.md, "Manager report API"). */
export const REPORT_FIELDS: Record<ReportName, readonly string[]> = {
  cdr_1: [
    'agent_name', 'date', 'destiny', 'telephone', 'cost', 'time_seg', 'time_min', 'cod_act', 'description_cod_act', 'cod_act_2',
    'description_cod_act_2', 'type_interaction', 'customer_id', 'hang_up', 'campaign_id', 'conn_id', 'skill_id', 'skill_name', 'agent_id', 'comment',
  ],
  campaign_3: [
    'campaign_id', 'customer_name', 'customer_last_name', 'id_type', 'customer_id', 'date', 'telephone', 'result',
    'opt1', 'opt2', 'opt3', 'opt4', 'opt5', 'opt6', 'opt7', 'opt8', 'opt9', 'opt10', 'opt11', 'opt12', 'conn_id',
  ],
  campaign_5: [
    'type_of_row', 'campaign_id', 'customer_name', 'customer_last_name', 'result', 'last_code_act', 'comments_customer_reg', 'customer_id',
    'agent_id', 'conn_id', 'telephone', 'hang_up', 'type_interaction', 'call_result', 'date', 'time', 'cod_act', 'comments',
  ],
};

/** A CSV field: quoted when it holds a quote, a comma or a line break. Values are kept as sent (no formula escaping: this is data, not a result file). */
function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

const EOL = '\r\n';
/** Rows per write: bounds the size of one string. */
const CHUNK_ROWS = 2_000;

/**
 * The snapshot CSV of a report fetch: UTF-8, header then one row per record, written to
 * `<path>.partial` (0600) and renamed to `<path>` only when complete, so a killed fetch leaves no
 * snapshot. The header is the report's documented fields followed by any other key of the first
 * records written (in the order met); a key first met later cannot get a column any more: it is
 * logged once as a warning and listed in `droppedFields` (docs/api.md, "Manager report API").
 */
export class SnapshotWriter {
  readonly path: string;
  readonly partial: string;
  header: string[] | undefined;
  /** Data rows written so far (= the last row's number: rows are 1-based, as the import numbers them). */
  rows = 0;
  readonly droppedFields: string[] = [];
  private readonly fh: FileHandle;
  private readonly fields: readonly string[];
  private readonly logger: Logger;

  private constructor(o: { path: string; fh: FileHandle; fields: readonly string[]; logger: Logger }) {
    this.path = o.path;
    this.partial = `${o.path}.partial`;
    this.fh = o.fh;
    this.fields = o.fields;
    this.logger = o.logger;
  }

  static async create(o: { path: string; report: ReportName; logger: Logger }): Promise<SnapshotWriter> {
    await mkdir(dirname(o.path), { recursive: true });
    const fh = await open(`${o.path}.partial`, 'w', 0o600);
    await fh.chmod(0o600); // a leftover of a killed fetch is reused: private whatever it was
    return new SnapshotWriter({ path: o.path, fh, fields: REPORT_FIELDS[o.report], logger: o.logger });
  }

  /** Appends `records` (one window's, in order). `where` names the window in warnings. */
  async write(records: readonly ReportRecord[], where: string): Promise<void> {
    if (records.length === 0) return;
    const header = this.header ?? (await this.writeHeader(records));
    this.noteDropped(records, header, where);
    for (let i = 0; i < records.length; i += CHUNK_ROWS) {
      let text = '';
      for (const r of records.slice(i, i + CHUNK_ROWS)) text += header.map((f) => csvField(r[f] ?? '')).join(',') + EOL;
      await this.fh.write(text, null, 'utf8');
    }
    this.rows += records.length;
  }

  /** Flushes, closes and renames the snapshot into place; returns its header. */
  async finish(): Promise<string[]> {
    const header = this.header ?? (await this.writeHeader([]));
    await this.fh.sync();
    await this.fh.close();
    await rename(this.partial, this.path);
    return header;
  }

  /** Closes and removes the partial file (a failed fetch leaves nothing behind). */
  async discard(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await rm(this.partial, { force: true });
  }

  private async writeHeader(first: readonly ReportRecord[]): Promise<string[]> {
    const header = [...this.fields];
    const known = new Set(header);
    for (const r of first) {
      for (const k of Object.keys(r)) {
        if (known.has(k)) continue;
        known.add(k);
        header.push(k);
      }
    }
    if (header.length > this.fields.length) this.logger.info({ fields: header.slice(this.fields.length) }, 'manager report: fields beyond the documented ones, kept as extra columns');
    this.header = header;
    await this.fh.write(header.map(csvField).join(',') + EOL, null, 'utf8');
    return header;
  }

  private noteDropped(records: readonly ReportRecord[], header: readonly string[], where: string): void {
    const known = new Set([...header, ...this.droppedFields]);
    for (const r of records) {
      for (const k of Object.keys(r)) {
        if (known.has(k)) continue;
        known.add(k);
        this.droppedFields.push(k);
        this.logger.warn({ field: k, window: where }, 'manager report: a field first seen after the snapshot header was written; its values are not in the snapshot');
      }
    }
  }
}
