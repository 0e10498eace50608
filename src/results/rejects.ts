/**
 * The rejects file (--rejects): the `invalid` and `failed` rows in the input's own form (same
 * header, delimiter, encoding, byte order mark and line endings; a workbook's rows as CSV in
 * UTF-8 with a BOM), plus one column `reason`. The operator fixes them in a spreadsheet and
 * imports the file as it is: the mapping does not read `reason`, and a rejects file rejected
 * again keeps one `reason` column. Values are written as they came (no formula quoting: that
 * would change the data on the way back in).
 * Written all or nothing: a temporary file beside it, renamed at the end.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import iconv from 'iconv-lite';
import type { SourceInfo } from '../source/index.ts';

const REASON_COLUMN = 'reason';
const CHUNK = 65536;

export class RejectsWriter {
  rows = 0;
  private text = '';
  private readonly quote: RegExp;
  private readonly reasonAt: number;
  private readonly csv: boolean;

  private constructor(
    private readonly fh: FileHandle,
    private readonly tmp: string,
    private readonly path: string,
    private readonly info: SourceInfo,
  ) {
    this.csv = (info.format ?? 'csv') === 'csv';
    const delimiter = this.delimiter;
    this.quote = new RegExp(`["\\r\\n${delimiter === '\t' ? '\\t' : `\\${delimiter}`}]`);
    const last = info.header.length - 1;
    this.reasonAt = info.header[last] === REASON_COLUMN ? last : -1;
  }

  /** Opens the temporary file and writes the header (a BOM first when the input had one, or for a workbook). */
  static async open(path: string, info: SourceInfo): Promise<RejectsWriter> {
    const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    const w = new RejectsWriter(await open(tmp, 'wx', 0o600), tmp, path, info);
    const header = w.reasonAt === -1 ? [...info.header, REASON_COLUMN] : [...info.header];
    w.text = (w.bom ? '\uFEFF' : '') + w.line(header);
    return w;
  }

  private get delimiter(): string {
    return this.csv ? this.info.delimiter : ',';
  }

  private get bom(): boolean {
    return this.csv ? this.info.bom : true;
  }

  private get encoding(): string {
    return this.csv ? this.info.encoding : 'utf-8';
  }

  private line(values: readonly string[]): string {
    let out = '';
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as string;
      if (i > 0) out += this.delimiter;
      out += this.quote.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
    }
    return out + (this.csv ? (this.info.lineEnding ?? '\r\n') : '\r\n');
  }

  /** One rejected row: its values as read, and why. */
  async add(values: readonly string[], reason: string): Promise<void> {
    // Our text ("INVALID: ...", "API_400: ..."): never a formula; a leading sign would be quoted like the result CSV does.
    const why = /^[=+\-@]/.test(reason) ? `'${reason}` : reason;
    const row = this.reasonAt === -1 ? [...values, why] : values.map((v, i) => (i === this.reasonAt ? why : v));
    this.text += this.line(row);
    this.rows++;
    if (this.text.length > CHUNK) await this.flush();
  }

  private async flush(): Promise<void> {
    const bytes = this.encoding === 'utf-8' ? Buffer.from(this.text, 'utf8') : iconv.encode(this.text, this.encoding);
    this.text = '';
    await this.fh.write(bytes);
  }

  /** Flushes, syncs and renames the file into place. */
  async commit(): Promise<void> {
    await this.flush();
    await this.fh.sync();
    await this.fh.close();
    await rename(this.tmp, this.path);
  }

  /** Drops the temporary file (the rejects file, if any, stays as it was). */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
    await rm(this.tmp, { force: true });
  }
}
