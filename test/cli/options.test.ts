import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs, { type Argv } from 'yargs';
import { emulatorBuilder, importBuilder, initMappingBuilder, ledgerBuilder, runsBuilder } from '../../src/cli/builders.ts';
import { IMPORT_OPTIONS, IMPORT_RANGES } from '../../src/cli/options.ts';
import type { Lang } from '../../src/i18n/index.ts';
import { runCli, tmp } from '../helpers.ts';
import { skipHelpCache } from '../../src/cli/help-cache.ts';

/** Parses `argv` as main.ts does (yargs in `lang`, strict), resolving to the arguments or rejecting with the usage error. */
async function parse(argv: string[], builder: (y: Argv) => Argv, lang: Lang = 'en'): Promise<Record<string, unknown>> {
  const command = argv[0] === 'import' || argv[0] === 'init-mapping' ? `${argv[0]} <input>` : argv[0]!;
  return (await (
    skipHelpCache(yargs(argv).locale(lang).command(command, 'test', builder, () => undefined).strict().exitProcess(false)
      .fail((msg, err) => {
        throw err ?? new Error(msg);
      })).parseAsync()
  )) as Record<string, unknown>;
}

const imp = (args: string[], lang: Lang = 'en') => parse(['import', 'in.csv', ...args], importBuilder(lang), lang);

describe('numeric flags have a validated range (E_USAGE outside it)', () => {
  for (const [flag, bad, good] of [
    ['progress-interval', ['0', '-1', '1e12', '86401', 'abc'], ['1', '60', '86400']],
    ['wait-lock', ['abc', '-1', '1e9'], ['0', '2.5', '600']],
    ['concurrency', ['0', '1.5', '-2', '100'], ['1', '2']],
    ['timeout', ['0', '-5', 'x', '1e7'], ['1', '30']],
    ['max-attempts', ['0', '2.5', '101'], ['1', '5']],
    ['max-calls', ['0', '-1', '1.5'], ['1', '500']],
    ['max-backoff', ['0', 'abc'], ['120']],
    ['max-pause', ['0', '1e9'], ['1', '1800']],
  ] as const) {
    it(`--${flag}: refuses ${bad.join(', ')}; takes ${good.join(', ')}`, async () => {
      for (const v of bad) await assert.rejects(imp([`--${flag}`, v]), new RegExp(`--${flag}: expected a (whole number|number of seconds) from`), `--${flag} ${v}`);
      for (const v of good) assert.equal((await imp([`--${flag}`, v]))[flag], Number(v));
    });
  }

  it('says "not a number" for a value that is none, in the language asked', async () => {
    await assert.rejects(imp(['--wait-lock', 'abc']), /--wait-lock: expected a number of seconds from 0 to 86400, got something that is not a number/);
    await assert.rejects(imp(['--wait-lock', 'abc'], 'es'), /--wait-lock: se esperaba un número de segundos de 0 a 86400, se recibió algo que no es un número/);
  });

  it('--concurrency above 2 needs --i-have-a-higher-limit: the API allows 2 per token', async () => {
    await assert.rejects(imp(['--concurrency', '3']), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'E_USAGE');
      assert.match(err.message, /the API allows 2 requests in flight per token; above 2 only with --i-have-a-higher-limit/);
      return true;
    });
    assert.equal((await imp(['--concurrency', '16', '--i-have-a-higher-limit'])).concurrency, 16);
  });

  it('checks a job file\'s values too', async () => {
    const job = join(tmp(), 'job.json');
    writeFileSync(job, JSON.stringify({ concurrency: 8, 'progress-interval': 0 }));
    await assert.rejects(imp(['--config', job]), /--(concurrency|progress-interval)/);
  });

  it('has a range for every numeric flag of import', () => {
    for (const [flag, o] of Object.entries(IMPORT_OPTIONS)) {
      if (o.type === 'number') assert.ok(flag in IMPORT_RANGES, `--${flag} has no range`);
    }
  });

  it('checks the other commands\' numbers: emulator --port, init-mapping --sample, runs/ledger --limit', async () => {
    await assert.rejects(parse(['emulator', '--port', '70000'], emulatorBuilder), /--port: expected a whole number from 0 to 65535/);
    await assert.rejects(parse(['emulator', '--max-inflight', '0'], emulatorBuilder), /--max-inflight/);
    await assert.rejects(parse(['init-mapping', 'x.csv', '--sample', '0'], initMappingBuilder), /--sample/);
    await assert.rejects(parse(['runs', '--limit', '-3'], runsBuilder), /--limit/);
    await assert.rejects(parse(['ledger', '--limit', 'abc'], ledgerBuilder), /--limit/);
    assert.equal((await parse(['ledger'], ledgerBuilder)).limit, 50);
  });

  it('exits 2 with the message from the real command line', async () => {
    const run = await runCli(['import', 'x.csv', '--mapping', 'm.json', '--progress-interval', '0'], { cwd: tmp() });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--progress-interval: expected a number of seconds from 1 to 86400, got 0/);
  });
});

describe('a single-value flag given twice is a usage error (a cron line that already had it)', () => {
  it('names the flag instead of crashing further on or picking one value, in the language asked; list flags still repeat', async () => {
    for (const [flag, a, b] of [['server', 'https://a.example', 'https://b.example'], ['operation', 'x', 'y'], ['preset', 'cdr_1', 'cdr_1'], ['concurrency', '1', '2']] as const) {
      await assert.rejects(imp([`--${flag}`, a, `--${flag}`, b]), { message: `--${flag} was given 2 times: give it once (neither value is taken)` });
    }
    await assert.rejects(imp(['--operation', 'x', '--operation', 'y'], 'es'), /--operation se indicó 2 veces: indíquelo una sola vez/);
    assert.deepEqual((await imp(['--lookup', 'a=1.csv', '--lookup', 'b=2.csv'])).lookup, ['a=1.csv', 'b=2.csv']);
    assert.equal((await imp(['--server', 'https://a.example'])).server, 'https://a.example');
  });

  it('exits 2 with that one line from the real command line', async () => {
    const run = await runCli(['import', 'x.csv', '--mapping', 'm.json', '--operation', 'a', '--operation', 'b'], { cwd: tmp() });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--operation was given 2 times: give it once/);
    assert.doesNotMatch(run.stderr, /internal error|trim is not a function/);
  });
});

describe('--token (there is none)', () => {
  it('says where a token goes instead of printing the whole help, in the language asked, and never echoes it', async () => {
    for (const [args, lang, expected] of [
      [['--token', 's3cret-XYZ'], 'en', /there is no --token flag: .*--token-file FILE.*WOLKVOX_TOKEN/],
      [['--token=s3cret-XYZ', '--lang', 'es'], 'es', /no existe la opción --token: .*--token-file ARCHIVO.*WOLKVOX_TOKEN/],
    ] as const) {
      const run = await runCli(['import', 'x.csv', '--operation', 'a', ...args], { cwd: tmp() });
      assert.equal(run.code, 2, lang);
      assert.match(run.stderr, expected);
      assert.doesNotMatch(run.stderr + run.stdout, /s3cret-XYZ|Options:|Opciones:/);
    }
  });
});
