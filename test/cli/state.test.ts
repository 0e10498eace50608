import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RunStore } from '../../src/store/store.ts';
import { acquireLock, releaseLock } from '../../src/store/lock.ts';
import { ledgerKey } from '../../src/store/ledger.ts';
import { runCli, startCli, tmp, type CliRun } from '../helpers.ts';

/** A state file with `keys` ledger entries (inserted `daysAgo` days ago) and `runs` runs. */
function stateWith(dir: string, o: { keys: number; runs?: number; daysAgo?: number }): string {
  const path = join(dir, 'state.sqlite');
  const store = RunStore.open(path);
  const at = new Date(Date.now() - (o.daysAgo ?? 10) * 86_400_000).toISOString();
  const put = store.database.prepare('INSERT INTO ledger (key, wolkvox_id, run_id, row, inserted_at) VALUES (?, ?, ?, ?, ?)');
  store.transaction(() => {
    for (let i = 1; i <= o.keys; i++) put.run(ledgerKey('https://crm.example', 'op', `CALL-${i}`), `W${i}`, 1, i, at);
  });
  for (let i = 0; i < (o.runs ?? 0); i++) {
    store.createRun({ inputPath: `/data/input-${i}.csv`, fingerprint: `f${i}`, inputHash: 'h', mappingHash: 'm', server: 'https://crm.example', operation: 'op', outPath: `/data/out-${i}.csv`, sourceInfo: null });
  }
  store.close();
  return path;
}

function keysLeft(path: string): number {
  const store = RunStore.open(path);
  try {
    return (store.database.prepare('SELECT COUNT(*) AS n FROM ledger').get() as { n: number }).n;
  } finally {
    store.close();
  }
}

/** Runs the CLI with its stdout read by a reader that goes away after the first chunk (`| head -1`). */
async function closedEarly(args: string[], cwd: string): Promise<CliRun & { chunks: number }> {
  const { child, done } = startCli(args, { cwd });
  let chunks = 0;
  child.stdout!.once('data', () => {
    chunks++;
    child.stdout!.destroy();
  });
  return { ...(await done), chunks };
}

describe('runs and ledger', () => {
  for (const command of ['runs', 'ledger']) {
    it(`${command} on a state file that does not exist says so, exits 0 and creates nothing`, async () => {
      const dir = tmp();
      const state = join(dir, 'sub', 'state.sqlite');
      const run = await runCli([command, '--state', state], { cwd: dir });
      assert.equal(run.code, 0);
      assert.match(run.stderr, /no state file at .*sub\/state\.sqlite/);
      assert.equal(existsSync(join(dir, 'sub')), false);
      const dflt = await runCli([command], { cwd: dir });
      assert.equal(dflt.code, 0);
      assert.equal(existsSync(join(dir, '.state')), false, 'the default state folder was not created');
      assert.deepEqual(readdirSync(dir), []);
    });
  }

  it('ledger | head: a reader that leaves ends the output quietly, exit 0', async () => {
    const dir = tmp();
    const state = stateWith(dir, { keys: 5000 });
    const run = await closedEarly(['ledger', '--state', state, '--limit', '5000'], dir);
    assert.equal(run.chunks, 1);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /EPIPE|Error|internal/);
  });

  it('runs | head: the same', async () => {
    const dir = tmp();
    const state = stateWith(dir, { keys: 0, runs: 2000 });
    const run = await closedEarly(['runs', '--state', state, '--limit', '2000'], dir);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /EPIPE|Error|internal/);
  });

  it('ledger --forget-before forgets older keys, and refuses a future date (E_USAGE, exit 2) forgetting nothing', async () => {
    const dir = tmp();
    const state = stateWith(dir, { keys: 3, daysAgo: 1 });
    const future = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const refused = await runCli(['ledger', '--state', state, '--forget-before', future], { cwd: dir });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--forget-before .* is in the future/);
    assert.equal(keysLeft(state), 3);
    const bad = await runCli(['ledger', '--state', state, '--forget-before', 'yesterday'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /expected a date such as 2026-01-01/);
    const ok = await runCli(['ledger', '--state', state, '--forget-before', new Date().toISOString().slice(0, 10)], { cwd: dir });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /forgot 3 keys/);
    assert.equal(keysLeft(state), 0);
  });

  it('ledger --forget-before refuses while an import holds the state file (E_LOCKED, exit 2), then works', async () => {
    const dir = tmp();
    const state = stateWith(dir, { keys: 2 });
    const holder = RunStore.open(state);
    acquireLock(holder, 'wolkvox-import import big.csv'); // this test process: alive, on this host
    try {
      const run = await runCli(['ledger', '--state', state, '--forget-before', new Date().toISOString().slice(0, 10)], { cwd: dir });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /in use by another wolkvox-import \(pid \d+/);
      assert.equal(keysLeft(state), 2);
    } finally {
      releaseLock(holder);
      holder.close();
    }
    const after = await runCli(['ledger', '--state', state, '--forget-before', new Date().toISOString().slice(0, 10)], { cwd: dir });
    assert.equal(after.code, 0, after.stderr);
    assert.equal(keysLeft(state), 0);
  });

  it('speaks Spanish with --lang es or LANG=es_*', async () => {
    const dir = tmp();
    const state = stateWith(dir, { keys: 1, runs: 1 });
    const runs = await runCli(['runs', '--state', state, '--lang', 'es'], { cwd: dir });
    assert.equal(runs.code, 0, runs.stderr);
    assert.match(runs.stdout, /^carga 1 {2}running {2}\/data\/input-0\.csv\n {2}inicio .* fin - {2}sin filas {2}· se puede continuar con --resume\n {2}resultados \/data\/out-0\.csv\n$/);
    const ledger = await runCli(['ledger', '--state', state], { cwd: dir, env: { LANG: 'es_CO.UTF-8' } });
    assert.match(ledger.stdout, /CALL-1 {2}→ {2}W1 {2}\(carga 1, fila 1, https:\/\/crm\.example, op\)/);
    const none = await runCli(['runs', '--state', join(dir, 'nada.sqlite')], { cwd: dir, env: { LC_ALL: 'es_MX.UTF-8' } });
    assert.match(none.stderr, /no hay archivo de estado en/);
  });
});
