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
-- What the CRM answered to a lookup (queryGestion by field = value, the gestiones' take value), so a
-- key costs one call, ever, per server and operation: found (one value), none, several (values listed).
CREATE TABLE IF NOT EXISTS crm_lookups (
  scope TEXT NOT NULL,          -- server \\x1e operation
  field TEXT NOT NULL,          -- the queryGestion search field
  take TEXT NOT NULL,           -- the returned field whose value is taken
  value TEXT NOT NULL,          -- the key searched
  result TEXT NOT NULL,         -- found | none | several
  taken TEXT,                   -- found: the value; several: a JSON array of the values
  seen INTEGER NOT NULL,        -- gestiones the CRM returned
  looked_at TEXT NOT NULL,
  PRIMARY KEY (scope, field, take, value)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pid INTEGER NOT NULL,
  hostname TEXT NOT NULL,
  started_at TEXT NOT NULL,
  command TEXT NOT NULL
);
-- --report runs (src/store/watermark.ts): per Manager server, report, campaign, CRM server and
-- operation, the end of the last window whose rows all settled; --since last starts there.
CREATE TABLE IF NOT EXISTS watermarks (
  manager_server TEXT NOT NULL,
  report TEXT NOT NULL,
  campaign TEXT NOT NULL,       -- '' for cdr_1
  crm_server TEXT NOT NULL,
  operation TEXT NOT NULL,
  until_at TEXT NOT NULL,       -- ISO instant (UTC), only ever moved forward
  run_id INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (manager_server, report, campaign, crm_server, operation)
) WITHOUT ROWID;
`;

/** Columns added after the first release: added to an older state file when it is opened. */
export const MIGRATIONS: readonly { table: string; column: string; ddl: string }[] = [
  { table: 'rows', column: 'rule', ddl: 'ALTER TABLE rows ADD COLUMN rule TEXT' },
  // JSON of a --report run's source: key, report, range, windows with their row ranges, Manager calls.
  { table: 'runs', column: 'report_source', ddl: 'ALTER TABLE runs ADD COLUMN report_source TEXT' },
];
