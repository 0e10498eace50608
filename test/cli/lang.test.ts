import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli, tmp, writeGestiones, writeMapping, lastLine } from '../helpers.ts';
import { langFromArgv } from '../../src/i18n/cli.ts';

describe('language of the command line', () => {
  it('reads --lang es and --lang=en, else falls back', () => {
    assert.equal(langFromArgv(['import', 'x', '--lang', 'es'], 'en'), 'es');
    assert.equal(langFromArgv(['--lang=en'], 'es'), 'en');
    assert.equal(langFromArgv(['import'], 'es'), 'es');
  });

  it('prints --help in Spanish with --lang es', async () => {
    const run = await runCli(['import', '--help', '--lang', 'es'], { cwd: tmp() });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Opciones:/);
    assert.match(run.stdout, /continuar la última carga de este archivo/);
  });

  it('prints --help in Spanish when LANG is Spanish', async () => {
    const run = await runCli(['--help'], { cwd: tmp(), env: { LANG: 'es_CO.UTF-8' } });
    assert.match(run.stdout, /cargar un archivo CSV en la cobranza de wolkvox/);
  });

  it('says the summary and validation in Spanish, keeping the status names of the contract', async () => {
    const dir = tmp();
    const input = writeGestiones(dir, 4, (i, r) => (i === 2 ? { ...r, record: '' } : r));
    const run = await runCli(['validate', input, '--mapping', writeMapping(dir), '--out', join(dir, 'v.csv'), '--lang', 'es'], { cwd: dir });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /4 filas leídas/);
    assert.match(run.stdout, /línea 3 \(fila 2\)/);
    assert.match(lastLine(run.stderr), /^wolkvox-import: simulación terminada: 4 filas: ok 0, invalid 1, skipped 0, duplicate 0, failed 0, uncertain 0, pending 3; resultados: v\.csv \(código de salida 1\)$/);
  });
});
