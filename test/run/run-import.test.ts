/**
 * The orchestrator in-process (open → send → finish) against the emulator on 127.0.0.1: the
 * journal's failure, the first signal's grace, an input that changes under the run.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { resolveImportConfig, type ImportConfig } from '../../src/config/config.ts';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { runImport } from '../../src/run/import.ts';
import { createClient, type ApiClient } from '../../src/sink/client.ts';
import { RunStore } from '../../src/store/store.ts';
import { readResults, tmp, writeGestiones, writeMapping } from '../helpers.ts';

const logger = pino({ level: 'silent' });
const TOKEN = 'tok-run-import';

function config(dir: string, emu: Emulator, n: number, over: Partial<ImportConfig> = {}): ImportConfig {
  const cfg = resolveImportConfig({
    input: writeGestiones(dir, n), mapping: writeMapping(dir, { dedupeKey: ['wolkvox_idCall'] }), server: emu.url, operation: 'OP',
    out: join(dir, 'out.csv'), state: join(dir, 'state.sqlite'),
  });
  return Object.freeze({ ...cfg, ...over });
}

describe('runImport: the journal, signals and the input', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ latencyMs: 10, tokens: [TOKEN] });
  });
  after(() => emu.close());

  it('a state file that cannot be written (SQLITE_FULL) stops sending at once: E_STATE, exit 3, nothing sent unjournaled', async () => {
    emu.reset();
    const dir = tmp();
    const cfg = config(dir, emu, 400);
    let store: RunStore | undefined;
    const openStore = (path: string) => {
      store = RunStore.open(path);
      // A real SQLite limit: once the file holds this many pages, every write fails with SQLITE_FULL.
      const pages = (store.database.pragma('page_count', { simple: true }) as number) + 2;
      store.database.pragma(`max_page_count = ${pages}`);
      return store;
    };
    const r = await runImport(cfg, { logger, token: TOKEN, openStore });
    assert.equal(r.error?.code, 'E_STATE');
    assert.match(r.error!.message, /SQLITE_FULL: the disk that holds it is full.*--resume/);
    assert.equal(r.exitCode, 3);
    assert.equal(r.stop?.kind, 'journal');
    assert.ok(emu.inserted.length < 400, `sending stopped (${emu.inserted.length} inserted)`);
    // Every insert the emulator committed belongs to a row the journal marked before its request left.
    const check = RunStore.open(cfg.statePath);
    const journaled = new Set([...check.iterateRows(r.runId)].map((x) => x.row));
    check.close();
    for (const g of emu.inserted) assert.ok(journaled.has(Number(String(g.fields.wolkvox_idCall).slice(1))), `row of ${g.fields.wolkvox_idCall} was journaled`);
    // The result file is still written, the unsent rows pending.
    const rows = readResults(cfg.out);
    assert.equal(rows.length, 400);
    assert.ok(rows.some((x) => x.status === 'pending'));
  });

  it('the first signal stops sending; a request that hangs is ended after the grace and its row is uncertain', async () => {
    emu.reset();
    emu.setFaults([{ fault: 'hang', requests: [3] }]);
    const dir = tmp();
    const cfg = config(dir, emu, 50, { graceMs: 300, timeoutMs: 60_000 });
    const ctl = new AbortController();
    const real = createClient({ origin: emu.url, token: TOKEN, timeoutMs: cfg.timeoutMs, connections: 2 });
    let sent = 0;
    const client: ApiClient = { ...real, insert: (op, f) => {
      if (++sent === 3) setImmediate(() => ctl.abort());
      return real.insert(op, f);
    } };
    const r = await runImport(cfg, { logger, token: TOKEN, signal: ctl.signal, client });
    assert.equal(r.stop?.kind, 'signal');
    assert.equal(r.exitCode, 3);
    const rows = readResults(cfg.out);
    assert.equal(rows.filter((x) => x.status === 'uncertain').length, 1);
    assert.match(rows.find((x) => x.status === 'uncertain')!.error, /NET_ABORTED/);
    assert.ok(rows.filter((x) => x.status === 'pending').every((x) => x.error.startsWith('STOPPED_SIGNAL: ')));
    assert.ok(sent <= 4, `at most the request in the other slot left after the signal (${sent} sent)`);
  });

  it('an input that changes during the run is refused at the end: no result file, the journal intact for --resume', async () => {
    emu.reset();
    const dir = tmp();
    const cfg = config(dir, emu, 30);
    const real = createClient({ origin: emu.url, token: TOKEN, timeoutMs: 5000, connections: 2 });
    let sent = 0;
    const client: ApiClient = { ...real, insert: (op, f) => {
      if (++sent === 5) writeFileSync(cfg.input, 'call_id,codigo,descripcion,registro,nombre\nX,01,Y,R,Z\n');
      return real.insert(op, f);
    } };
    const r = await runImport(cfg, { logger, token: TOKEN, client });
    assert.equal(r.error?.code, 'E_INPUT');
    assert.match(r.error!.message, /changed while it was being imported/);
    assert.equal(r.exitCode, 2);
    assert.equal(existsSync(cfg.out), false);
    const check = RunStore.open(cfg.statePath);
    assert.equal(check.countsByStatus(r.runId).ok, 30);
    check.close();
  });

  it('rows repeating a key sent moments earlier wait for its outcome: each key is inserted once, the repeats are duplicates', async () => {
    emu.reset();
    const dir = tmp();
    // Rows 2k-1 and 2k share a call id: with two slots both are read while the first is in flight.
    const input = writeGestiones(dir, 40, (i, r) => ({ ...r, call: `C${Math.ceil(i / 2)}` }), 'pairs.csv');
    const cfg = Object.freeze({ ...config(dir, emu, 1), input });
    const r = await runImport(cfg, { logger, token: TOKEN });
    assert.equal(emu.inserted.length, 20, 'one insert per key');
    const rows = readResults(cfg.out);
    assert.equal(rows.filter((x) => x.status === 'ok').length, 20);
    const dups = rows.filter((x) => x.status === 'duplicate');
    assert.equal(dups.length, 20);
    assert.ok(dups.every((x) => /^DUPLICATE: already inserted as \S+ \(row \d+ of this run/.test(x.error)), dups[0]?.error);
    assert.equal(r.exitCode, 0, 'duplicates are not failures');
  });

  for (const [maxCalls, kind] of [[50, 'quota'], [4, 'max-calls'], [10, 'quota']] as const) {
    it(`--check-quota with 10 calls left and --max-calls ${maxCalls}: the stop names ${kind}, the one that stopped the run`, async () => {
      const q = await startEmulator({ latencyMs: 1, tokens: [TOKEN], quota: 11 });
      try {
        const dir = tmp();
        const cfg = config(dir, q, 30, { checkQuota: true, maxCalls });
        const r = await runImport(cfg, { logger, token: TOKEN });
        assert.equal(r.stop?.kind, kind);
        assert.equal(r.exitCode, 3);
        const pending = readResults(cfg.out).filter((x) => x.status === 'pending');
        const code = kind === 'quota' ? 'STOPPED_QUOTA' : 'STOPPED_MAX_CALLS';
        assert.ok(pending.length > 0 && pending.every((x) => x.error.startsWith(`${code}: `)), pending[0]?.error);
        if (maxCalls === 10) assert.match(r.stop!.message, /--max-calls 10 is the same number/);
      } finally {
        await q.close();
      }
    });
  }

  it('a result file that cannot be written at the end: E_STATE that says how to write it again, exit 2, the journal intact', async () => {
    emu.reset();
    const dir = tmp();
    const outDir = join(dir, 'out');
    const cfg = config(dir, emu, 20, { out: join(outDir, 'r.csv') });
    const real = createClient({ origin: emu.url, token: TOKEN, timeoutMs: 5000, connections: 2 });
    let sent = 0;
    const client: ApiClient = { ...real, insert: (op, f) => {
      if (++sent === 5) {
        rmSync(outDir, { recursive: true, force: true });
        writeFileSync(outDir, 'a file where the folder was');
      }
      return real.insert(op, f);
    } };
    const r = await runImport(cfg, { logger, token: TOKEN, client });
    assert.equal(r.error?.code, 'E_STATE');
    assert.match(r.error!.message, /could not be written.*Nothing is lost.*--resume --out/);
    assert.equal(r.exitCode, 2);
    const check = RunStore.open(cfg.statePath);
    assert.equal(check.countsByStatus(r.runId).ok, 20);
    check.close();
  });

  it('validate (a dry run) stops reading at the first signal: the rest pending, exit 3', async () => {
    const dir = tmp();
    const cfg = resolveImportConfig({ input: writeGestiones(dir, 5000), mapping: writeMapping(dir), dryRun: true, out: join(dir, 'v.csv') });
    const ctl = new AbortController();
    ctl.abort();
    const r = await runImport(cfg, { logger, signal: ctl.signal });
    assert.equal(r.stop?.kind, 'signal');
    assert.equal(r.exitCode, 3);
    assert.equal(r.totalRows, 5000);
    assert.equal(readResults(cfg.out).filter((x) => x.status === 'pending').length, 5000);
  });
});
