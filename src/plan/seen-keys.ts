import Database from 'better-sqlite3';

/**
 * The dedupe keys met so far in one reading of a file (a dry run, `check --input`): a later row
 * with a key already met is a duplicate of that row. Kept in a private temporary SQLite file (an
 * empty file name: deleted on close), not in memory, so a million-row file reads in flat memory.
 */
export class SeenKeys {
  private readonly db = new Database('');
  private readonly get;
  private readonly put;
  private pending = 0;

  constructor() {
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('cache_size = -16384'); // 16 MiB of pages in memory, the rest in the file
    this.db.exec('CREATE TABLE seen (key TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID');
    this.get = this.db.prepare('SELECT row FROM seen WHERE key = ?').pluck();
    this.put = this.db.prepare('INSERT INTO seen (key, row) VALUES (?, ?) ON CONFLICT DO NOTHING');
  }

  /** The first row met with `key`; undefined when `row` is the first (it is remembered then). */
  firstRow(key: string, row: number): number | undefined {
    // Inserts grouped in transactions of 4,096: one per row would be several times slower.
    if (!this.db.inTransaction) this.db.exec('BEGIN');
    if (this.put.run(key, row).changes === 0) return this.get.get(key) as number;
    if (++this.pending >= 4096) this.commit();
    return undefined;
  }

  private commit(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
    this.pending = 0;
  }

  close(): void {
    if (!this.db.open) return;
    this.commit();
    this.db.close();
  }
}

/** The result-file text of a row whose key an earlier row of the same file has (`validate`, `check`). */
export function sameKeyText(firstRow: number): string {
  return `DUPLICATE: same key as row ${firstRow} of this file`;
}
