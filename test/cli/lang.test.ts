import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import yargs from 'yargs';
import { checkBuilder, demoBuilder, emulatorBuilder, importBuilder, initMappingBuilder, ledgerBuilder, runsBuilder } from '../../src/cli/builders.ts';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { runCli, tmp, writeGestiones, writeMapping, lastLine } from '../helpers.ts';
import { langFromArgv } from '../../src/i18n/index.ts';

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

  it("says yargs' own words in Spanish too, and its version from any folder", async () => {
    const bad = await runCli(['import', '--bogus', '--lang', 'es'], { cwd: tmp() });
    assert.match(bad.stderr, /Argumento desconocido: bogus/);
    const v = await runCli(['--version'], { cwd: tmp() });
    assert.equal(v.stdout.trim(), (await import('../../package.json', { with: { type: 'json' } })).default.version);
  });

  it('says the first errors a newcomer meets in Spanish: no mapping, server, operation, input or token', async () => {
    const dir = tmp();
    const input = writeGestiones(dir, 1);
    const mapping = writeMapping(dir);
    for (const [args, expected] of [
      [['import', input], /--mapping <archivo> es obligatorio/],
      [['import', input, '--mapping', mapping], /--server es obligatorio \(o WOLKVOX_SERVER\)/],
      [['import', input, '--mapping', mapping, '--server', 'http://127.0.0.1:9'], /--operation es obligatorio/],
      [['import', '--mapping', mapping], /falta el archivo de entrada/],
      [['import', input, '--mapping', mapping, '--server', 'http://127.0.0.1:9', '--operation', 'a'], /no hay token: defina WOLKVOX_TOKEN o pase --token-file <ruta>/],
    ] as const) {
      const run = await runCli([...args], { cwd: dir, env: { LANG: 'es_CO.UTF-8' } });
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, expected);
    }
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

describe('every command speaks the language asked', () => {
  for (const command of ['import', 'validate', 'check', 'runs', 'ledger', 'init-mapping', 'emulator', 'demo']) {
    // `demo` takes --lang once src/cli/main.ts gives it `demoBuilder` (its builder is `(y) => y` today).
    it(`${command} --help --lang es: accepted, in Spanish`, async () => {
      const run = await runCli([command, '--help', '--lang', 'es'], { cwd: tmp() });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Opciones:/);
      assert.match(run.stdout, /--lang +idioma de los mensajes/);
      const en = await runCli([command, '--help'], { cwd: tmp(), env: { LANG: 'C.UTF-8' } });
      assert.match(en.stdout, /--lang +language of messages/);
    });
  }

  it('builds every command\'s options in both languages from the dictionaries', () => {
    for (const lang of ['es', 'en'] as const) {
      for (const b of [checkBuilder, emulatorBuilder, initMappingBuilder, runsBuilder, ledgerBuilder, demoBuilder, importBuilder(lang)]) {
        const y = yargs([]).locale(lang);
        const opts = (b(y) as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions();
        assert.ok('lang' in opts.key, `${b.name} takes --lang`);
      }
    }
  });

  describe('check and init-mapping in Spanish', () => {
    let emu: Emulator;
    before(async () => {
      emu = await startEmulator({ quota: 1000, tokens: ['tok-es'] });
    });
    after(() => emu.close());

    it('check --lang es', async () => {
      const dir = tmp();
      const input = writeGestiones(dir, 5, (i, r) => (i === 1 ? { ...r, record: '' } : r));
      const run = await runCli(['check', '--server', emu.url, '--operation', 'op', '--input', input, '--mapping', writeMapping(dir), '--lang', 'es'], { cwd: dir, env: { WOLKVOX_TOKEN: 'tok-es' } });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^servidor +http:\/\/127\.0\.0\.1/m);
      assert.match(run.stdout, /^token +válido/m);
      assert.match(run.stdout, /cuota +límite 1000 llamadas\/día · usadas hoy 1 · disponibles 999/);
      assert.match(run.stdout, /plan +4 por enviar · 1 inválidas/);
      assert.match(run.stdout, /4 llamadas necesarias, 999 disponibles hoy: alcanza hoy/);
    });

    it('check with a refused token: the hint in Spanish, by the rule\'s id', async () => {
      const run = await runCli(['check', '--server', emu.url, '--operation', 'op'], { cwd: tmp(), env: { WOLKVOX_TOKEN: 'otro', LANG: 'es_CO.UTF-8' } });
      assert.equal(run.code, 3);
      assert.match(run.stdout, /token +RECHAZADO: .*el token fue rechazado: use un token interno del CRM/);
    });

    it('init-mapping --lang es', async () => {
      const dir = tmp();
      const input = writeGestiones(dir, 3);
      const run = await runCli(['init-mapping', input, '--lang', 'es'], { cwd: dir });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^se leyeron 5 columnas y 3 filas de /);
      assert.match(run.stdout, /^propuesta:$/m);
      assert.match(run.stdout, /^siguiente paso: wolkvox-import validate /m);
      const again = await runCli(['init-mapping', input, '--lang', 'es'], { cwd: dir });
      assert.equal(again.code, 2);
      assert.match(again.stderr, /ya existe: use --force para sobrescribirlo/);
    });
  });
});
