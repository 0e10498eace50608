import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { StateError } from '../errors.ts';
import { SETTLED_STATUSES, type RowOutcome } from '../types.ts';
import { toRun, type Hold, type LedgerEntry, type RunEnd, type RunMeta, type RunRecord, type StoredRow, type UncertainRow } from './records.ts';
import { MIGRATIONS, SCHEMA } from './schema.ts';

export type { Hold, LedgerEntry, RunEnd, RunMeta, RunRecord, StoredRow, UncertainRow } from './records.ts';

const now = (): string => new Date().toISOString();

/** SQLite's private temporary database: on disk (its pages leave memory), deleted when closed. For dry runs. */
export const TEMPORARY = '';

/**
 * The durable state of runs in one SQLite file (WAL, synchronous=NORMAL: a committed write
 * survives a process kill). Every method is synchronous: a write has committed when it returns.
 */
export class RunStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly st: ReturnType<RunStore['prepare']>;
  /** Transaction wrappers, built once (building one per call cost ~4 µs a row). */
  private readonly withKey: (runId: number, o: RowOutcome, key: string) => void;
  private readonly sendingWithKey: (runId: number, row: number, attempts: number, key: string) => void;
  private readonly many: (runId: number, outcomes: readonly RowOutcome[]) => void;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
    this.st = this.prepare();
    this.withKey = db.transaction((runId: number, o: RowOutcome, key: string) => {
      this.writeOutcome(runId, o, key);
      if (o.status === 'ok' && o.wolkvoxId !== undefined) this.st.ledgerPut.run(key, o.wolkvoxId, runId, o.row, now());
      if (o.status === 'uncertain') this.st.holdPut.run(key, runId, o.row, 'uncertain', now());
      else this.st.holdDrop.run(key, runId, o.row);
    });
    this.sendingWithKey = db.transaction((runId: number, row: number, attempts: number, key: string) => {
      this.st.sending.run(runId, row, attempts, Date.now());
      this.st.holdPut.run(key, runId, row, 'sending', now());
    });
    this.many = db.transaction((runId: number, outcomes: readonly RowOutcome[]) => {
      for (const o of outcomes) this.writeOutcome(runId, o, undefined);
    });
  }

  /** Opens (creating, private: 0700 folder, 0600 file) the store. `:memory:` keeps nothing; TEMPORARY is a private temporary file (dry runs). */
  static open(path: string): RunStore {
    if (path !== ':memory:' && path !== TEMPORARY) {
      try {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        closeSync(openSync(path, 'a', 0o600));
        chmodSync(path, 0o600);
      } catch (err) {
        throw new StateError(`--state ${path}: cannot create the state file (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { file: path });
      }
    }
    let db: Database.Database;
    try {
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // Each checkpoint fsyncs (3-4 ms, a stall between an answer and the next request): checkpoint
      // every 4,000 pages (16 MB of WAL) instead of SQLite's 1,000 to have a quarter as many.
      db.pragma('wal_autocheckpoint = 4000');
      db.pragma('busy_timeout = 5000');
      // better-sqlite3 builds SQLite with a 16 MB page cache; the journal appends and looks up keys,
      // so 4 MB serves it (the file's pages stay in the OS cache) and the run's peak memory is 12 MB lower.
      db.pragma('cache_size = -4000');
      db.exec(SCHEMA);
      migrate(db);
    } catch (err) {
      throw new StateError(`--state ${path}: not a usable state file (${(err as Error).message})`, { file: path });
    }
    if (path !== ':memory:' && path !== TEMPORARY) {
      for (const suffix of ['-wal', '-shm']) {
        try {
          chmodSync(path + suffix, 0o600);
        } catch {
          /* created lazily */
        }
      }
    }
    return new RunStore(path, db);
  }

  private prepare() {
    const db = this.db;
    return {
      insertRun: db.prepare(`INSERT INTO runs (input_path, fingerprint, input_hash, mapping_hash, server, operation, out_path,
        started_at, updated_at, state, source_info, report_source) VALUES (?,?,?,?,?,?,?,?,?, 'running', ?, ?)`),
      getRun: db.prepare('SELECT * FROM runs WHERE id = ?'),
      latestForInput: db.prepare('SELECT * FROM runs WHERE input_path = ? ORDER BY id DESC LIMIT 1'),
      latestForFingerprint: db.prepare('SELECT * FROM runs WHERE fingerprint = ? ORDER BY id DESC LIMIT 1'),
      listRuns: db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?'),
      reopenRun: db.prepare(`UPDATE runs SET state = 'running', stop_reason = NULL, finished_at = NULL, updated_at = ?, out_path = ? WHERE id = ?`),
      finishRun: db.prepare('UPDATE runs SET state = ?, stop_reason = ?, exit_code = ?, total_rows = ?, finished_at = ?, updated_at = ? WHERE id = ?'),
      getRow: db.prepare('SELECT row, status, wolkvox_id, http_status, error, attempts, rule FROM rows WHERE run_id = ? AND row = ?'),
      // Positional parameters: no object per row on the hot path.
      outcome: db.prepare(`INSERT INTO rows (run_id, row, status, wolkvox_id, http_status, error, attempts, dedupe_key, done_at, rule)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(run_id, row) DO UPDATE SET status = excluded.status, wolkvox_id = excluded.wolkvox_id,
        http_status = excluded.http_status, error = excluded.error, attempts = excluded.attempts,
        dedupe_key = COALESCE(excluded.dedupe_key, rows.dedupe_key), done_at = excluded.done_at, rule = excluded.rule`),
      sending: db.prepare(`INSERT INTO rows (run_id, row, status, attempts, sent_at) VALUES (?, ?, 'sending', ?, ?)
        ON CONFLICT(run_id, row) DO UPDATE SET status = 'sending', wolkvox_id = NULL, http_status = NULL, error = NULL,
        attempts = excluded.attempts, sent_at = excluded.sent_at, done_at = NULL`),
      settledRows: db.prepare(`SELECT row FROM rows WHERE run_id = ? AND status IN (${SETTLED_STATUSES.map((x) => `'${x}'`).join(', ')})`),
      maxRow: db.prepare('SELECT MAX(row) AS m FROM rows WHERE run_id = ?'),
      sendingToUncertain: db.prepare(`UPDATE rows SET status = 'uncertain', error = ?, done_at = ?, rule = 'crash-while-sending' WHERE run_id = ? AND status = 'sending'`),
      holdsToUncertain: db.prepare(`UPDATE holds SET state = 'uncertain' WHERE run_id = ? AND state = 'sending'`),
      iterateRows: db.prepare('SELECT row, status, wolkvox_id, http_status, error, attempts, rule FROM rows WHERE run_id = ? ORDER BY row'),
      counts: db.prepare('SELECT status, COUNT(*) AS n FROM rows WHERE run_id = ? GROUP BY status'),
      insertedWithoutKey: db.prepare(`SELECT COUNT(*) AS n FROM rows WHERE run_id = ? AND status = 'ok' AND dedupe_key IS NULL`),
      ledgerGet: db.prepare('SELECT key, wolkvox_id AS wolkvoxId, run_id AS runId, row, inserted_at AS insertedAt FROM ledger WHERE key = ?'),
      ledgerPut: db.prepare('INSERT OR IGNORE INTO ledger (key, wolkvox_id, run_id, row, inserted_at) VALUES (?,?,?,?,?)'),
      holdGet: db.prepare('SELECT run_id AS runId, row, state, since FROM holds WHERE key = ?'),
      holdPut: db.prepare('INSERT OR REPLACE INTO holds (key, run_id, row, state, since) VALUES (?,?,?,?,?)'),
      holdDrop: db.prepare('DELETE FROM holds WHERE key = ? AND run_id = ? AND row = ?'),
      uncertainRows: db.prepare(`SELECT row, status, wolkvox_id, http_status, error, attempts, rule, dedupe_key FROM rows WHERE run_id = ? AND status = 'uncertain' ORDER BY row`),
      rowWithId: db.prepare(`SELECT run_id AS runId, row FROM rows WHERE wolkvox_id = ? AND status = 'ok' LIMIT 1`),
      ledgerWithId: db.prepare('SELECT run_id AS runId, row FROM ledger WHERE wolkvox_id = ? LIMIT 1'),
    };
  }

  /** Runs `fn` in one transaction (for batches of outcomes that need not commit one by one). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  get database(): Database.Database {
    return this.db;
  }

  createRun(meta: RunMeta): number {
    const t = now();
    const info = this.st.insertRun.run(meta.inputPath, meta.fingerprint, meta.inputHash, meta.mappingHash, meta.server,
      meta.operation, meta.outPath, t, t, JSON.stringify(meta.sourceInfo ?? null), meta.reportSource ?? null);
    return Number(info.lastInsertRowid);
  }

  getRun(id: number): RunRecord | undefined {
    return toRun(this.st.getRun.get(id));
  }

  latestRunForInput(inputPath: string): RunRecord | undefined {
    return toRun(this.st.latestForInput.get(inputPath));
  }

  latestRunForFingerprint(fingerprint: string): RunRecord | undefined {
    return toRun(this.st.latestForFingerprint.get(fingerprint));
  }

  listRuns(limit: number): RunRecord[] {
    return this.st.listRuns.all(limit).map((r) => toRun(r)!);
  }

  /** Marks a run as running again for a resume; rows left `sending` by a crash become `uncertain`. */
  reopenRun(id: number, outPath: string): number {
    const t = now();
    const changed = this.transaction(() => {
      this.st.reopenRun.run(t, outPath, id);
      this.st.holdsToUncertain.run(id);
      return this.st.sendingToUncertain.run(
        'UNCERTAIN: the run stopped while this row was being sent; it may have reached the CRM: --resume --reconcile searches it there before resending',
        Date.now(), id,
      ).changes;
    });
    return changed;
  }

  finishRun(id: number, end: RunEnd): void {
    const t = now();
    this.st.finishRun.run(end.state, end.stopReason, end.exitCode, end.totalRows, t, t, id);
  }

  getRow(runId: number, row: number): StoredRow | undefined {
    return this.st.getRow.get(runId, row) as StoredRow | undefined;
  }

  /**
   * Committed before the request leaves: after a kill, the row is known to have maybe reached the
   * server, and its dedupe key (if any) is held so no other row with it is sent meanwhile.
   */
  markSending(runId: number, row: number, attempts: number, key?: string): void {
    if (key === undefined) this.st.sending.run(runId, row, attempts, Date.now());
    else this.sendingWithKey(runId, row, attempts, key);
  }

  private writeOutcome(runId: number, o: RowOutcome, ledgerKey: string | undefined): void {
    this.st.outcome.run(runId, o.row, o.status, o.wolkvoxId ?? null, o.httpStatus ?? null, o.error ?? null, o.attempts, ledgerKey ?? null, Date.now(), o.rule ?? null);
  }

  /**
   * Commits an outcome. With a dedupe key, in the same transaction: an `ok` row enters the ledger
   * (so a later run can never miss it), an `uncertain` row keeps holding the key, any other outcome
   * (a definite answer) releases it.
   */
  recordOutcome(runId: number, o: RowOutcome, ledgerKey?: string): void {
    if (ledgerKey !== undefined) this.withKey(runId, o, ledgerKey);
    else this.writeOutcome(runId, o, undefined);
  }

  /** The run's `uncertain` rows, in row order (few: read at once). */
  uncertainRows(runId: number): UncertainRow[] {
    return this.st.uncertainRows.all(runId) as UncertainRow[];
  }

  /**
   * The row (of any run) whose insert is known to have produced gestión `wolkvoxId`, if any: a
   * reconciliation never gives one gestión to two rows. A scan; called only for matches found.
   */
  ownerOf(wolkvoxId: string): { runId: number; row: number } | undefined {
    return (this.st.ledgerWithId.get(wolkvoxId) ?? this.st.rowWithId.get(wolkvoxId)) as { runId: number; row: number } | undefined;
  }

  /** Rows left `sending` by a process that died (the caller holds the lock): now `uncertain`, their keys held as such. */
  crashedToUncertain(runId: number): number {
    return this.transaction(() => {
      this.st.holdsToUncertain.run(runId);
      return this.st.sendingToUncertain.run(
        'UNCERTAIN: the run stopped while this row was being sent; it may have reached the CRM',
        Date.now(), runId,
      ).changes;
    });
  }

  /** The row holding `key` while its insert is unresolved, if any. */
  holdGet(key: string): Hold | undefined {
    return this.st.holdGet.get(key) as Hold | undefined;
  }

  /** Many outcomes in one transaction (rows that never touch the network). */
  recordOutcomes(runId: number, outcomes: readonly RowOutcome[]): void {
    if (outcomes.length > 0) this.many(runId, outcomes);
  }

  /**
   * The rows an earlier part of this run settled, as a bitmap (bit n = row n): a resume of a
   * million-row file checks each row in memory instead of one query per row.
   */
  settledRows(runId: number): Uint8Array {
    const max = (this.st.maxRow.get(runId) as { m: number | null }).m ?? 0;
    const bits = new Uint8Array((max >> 3) + 1);
    for (const row of this.st.settledRows.pluck().iterate(runId) as IterableIterator<number>) bits[row >> 3]! |= 1 << (row & 7);
    return bits;
  }

  ledgerGet(key: string): LedgerEntry | undefined {
    return this.st.ledgerGet.get(key) as LedgerEntry | undefined;
  }

  iterateRows(runId: number): IterableIterator<StoredRow> {
    return this.st.iterateRows.iterate(runId) as IterableIterator<StoredRow>;
  }

  countsByStatus(runId: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.st.counts.all(runId) as { status: string; n: number }[]) out[r.status] = r.n;
    return out;
  }

  /** Rows of a run inserted without a dedupe key: nothing would stop a new run from sending them again. */
  insertedWithoutKey(runId: number): number {
    return (this.st.insertedWithoutKey.get(runId) as { n: number }).n;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function migrate(db: Database.Database): void {
  for (const m of MIGRATIONS) {
    const cols = db.prepare(`PRAGMA table_info(${m.table})`).all() as { name: string }[];
    if (!cols.some((c) => c.name === m.column)) db.exec(m.ddl);
  }
}
