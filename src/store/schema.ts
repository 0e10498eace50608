/** The run store's tables. One file holds every run's journal and the cross-run ledger. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY,
  input_path TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  input_hash TEXT NOT NULL,
  mapping_hash TEXT NOT NULL,
  server TEXT NOT NULL,
  operation TEXT NOT NULL,
  out_path TEXT NOT NULL,
  started_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  finished_at TEXT,
  state TEXT NOT NULL,          -- running | finished | stopped
  stop_reason TEXT,
  exit_code INTEGER,
  total_rows INTEGER,
  source_info TEXT              -- JSON: encoding, delimiter, header
);
CREATE INDEX IF NOT EXISTS runs_input ON runs(input_path, id);
CREATE TABLE IF NOT EXISTS rows (
  run_id INTEGER NOT NULL,
  row INTEGER NOT NULL,
  status TEXT NOT NULL,         -- a result status, or 'sending' while a request is out
  wolkvox_id TEXT,
  http_status INTEGER,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  dedupe_key TEXT,
  sent_at INTEGER,
  done_at INTEGER,
  rule TEXT,                    -- id of the classification rule behind the last answer (src/sink/classify.ts)
  PRIMARY KEY (run_id, row)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ledger (
  key TEXT PRIMARY KEY,         -- scope (server + operation) \\x1e dedupe key
  wolkvox_id TEXT NOT NULL,
  run_id INTEGER NOT NULL,
  row INTEGER NOT NULL,
  inserted_at TEXT NOT NULL
) WITHOUT ROWID;
-- Keys of rows whose request may have reached the CRM without an answer that says so: 'sending' while
-- a request is out, 'uncertain' after an ambiguous answer or a crash. Every other row with the key
-- waits (duplicate) until the holder is resolved; a definite answer removes the hold.
CREATE TABLE IF NOT EXISTS holds (
  key TEXT PRIMARY KEY,
  run_id INTEGER NOT NULL,
  row INTEGER NOT NULL,
  state TEXT NOT NULL,          -- sending | uncertain
  since TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pid INTEGER NOT NULL,
  hostname TEXT NOT NULL,
  started_at TEXT NOT NULL,
  command TEXT NOT NULL
);
`;

/** Columns added after the first release: added to an older state file when it is opened. */
export const MIGRATIONS: readonly { table: string; column: string; ddl: string }[] = [
  { table: 'rows', column: 'rule', ddl: 'ALTER TABLE rows ADD COLUMN rule TEXT' },
];
