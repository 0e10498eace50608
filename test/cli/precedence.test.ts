import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { importBuilder, type ImportCliArgs } from '../../src/cli/builders.ts';
import { resolveImportConfig, type ImportConfig } from '../../src/config/config.ts';
import { pickLang } from '../../src/i18n/index.ts';
import { tmp } from '../helpers.ts';
import { skipHelpCache } from '../../src/cli/help-cache.ts';

/** Parses an `import` command line as main.ts does, then resolves its configuration against `env`. */
async function resolved(args: string[], env: Record<string, string>): Promise<{ cfg: ImportConfig; argv: ImportCliArgs }> {
  let got: ImportCliArgs | undefined;
  const cli = yargs(['import', 'in.csv', ...args])
    .command('import <input>', 'import', importBuilder('en'), (a) => void (got = a as unknown as ImportCliArgs))
    .strict()
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    });
  skipHelpCache(cli);
  await cli.parseAsync();
  return { cfg: resolveImportConfig(got!, env), argv: got! };
}

interface Case {
  key: string;
  /** The value as a job file gives it, as the command line gives it, as the environment gives it. */
  file: unknown;
  cli: string[];
  env?: Record<string, string>;
  /** What the resolved configuration (or the parsed flags) says. */
  read: (r: { cfg: ImportConfig; argv: ImportCliArgs; env: Record<string, string> }) => unknown;
  expect: { cli: unknown; file: unknown; env?: unknown; default: unknown };
}

const dir = tmp();
const CASES: Case[] = [
  { key: 'server', file: 'https://crm0002.wolkvox.com', cli: ['--server', 'crm0001.wolkvox.com'], env: { WOLKVOX_SERVER: 'crm0003.wolkvox.com' }, read: (r) => r.cfg.server,
    expect: { cli: 'https://crm0001.wolkvox.com', file: 'https://crm0002.wolkvox.com', env: 'https://crm0003.wolkvox.com', default: 'http://dry-run.invalid' } },
  { key: 'operation', file: 'from-file', cli: ['--operation', 'from-cli'], env: { WOLKVOX_OPERATION: 'from-env' }, read: (r) => r.cfg.operation,
    expect: { cli: 'from-cli', file: 'from-file', env: 'from-env', default: 'dry-run' } },
  { key: 'state', file: '/tmp/file.sqlite', cli: ['--state', '/tmp/cli.sqlite'], env: { XDG_STATE_HOME: '/tmp/xdg' }, read: (r) => r.cfg.statePath,
    expect: { cli: '/tmp/cli.sqlite', file: '/tmp/file.sqlite', env: '/tmp/xdg/wolkvox-import/state.sqlite', default: undefined } },
  { key: 'lang', file: 'es', cli: ['--lang', 'en'], env: { LANG: 'es_CO.UTF-8' }, read: (r) => pickLang(r.argv.lang, r.env),
    expect: { cli: 'en', file: 'es', env: 'es', default: 'en' } },
  { key: 'tokenFile', file: '/tmp/file-token', cli: ['--token-file', '/tmp/cli-token'], read: (r) => r.argv.tokenFile,
    expect: { cli: '/tmp/cli-token', file: '/tmp/file-token', default: undefined } },
  { key: 'out', file: '/tmp/file.csv', cli: ['--out', '/tmp/cli.csv'], read: (r) => r.cfg.out,
    expect: { cli: '/tmp/cli.csv', file: '/tmp/file.csv', default: undefined } },
  { key: 'logFile', file: '/tmp/file.log', cli: ['--log-file', '/tmp/cli.log'], read: (r) => r.cfg.logFile,
    expect: { cli: '/tmp/cli.log', file: '/tmp/file.log', default: undefined } },
  { key: 'concurrency', file: 1, cli: ['--concurrency', '2'], read: (r) => r.cfg.concurrency, expect: { cli: 2, file: 1, default: 2 } },
  { key: 'timeout', file: 7, cli: ['--timeout', '9'], read: (r) => r.cfg.timeoutMs, expect: { cli: 9000, file: 7000, default: 30_000 } },
  { key: 'maxCalls', file: 50, cli: ['--max-calls', '40'], read: (r) => r.cfg.maxCalls, expect: { cli: 40, file: 50, default: undefined } },
  { key: 'maxErrors', file: 'off', cli: ['--max-errors', '10'], read: (r) => r.cfg.maxErrors === undefined ? 'off' : 'on', expect: { cli: 'on', file: 'off', default: 'on' } },
  { key: 'excel', file: true, cli: ['--no-excel'], read: (r) => r.cfg.excel, expect: { cli: false, file: true, default: false } },
  { key: 'resume', file: true, cli: ['--no-resume'], read: (r) => r.cfg.resume, expect: { cli: false, file: true, default: false } },
  { key: 'encoding', file: 'latin1', cli: ['--encoding', 'utf-8'], read: (r) => r.cfg.encoding, expect: { cli: 'utf-8', file: 'latin1', default: undefined } },
  { key: 'delimiter', file: ';', cli: ['--delimiter', ','], read: (r) => r.cfg.delimiter, expect: { cli: ',', file: ';', default: undefined } },
  // A job file's preset and a command line's mapping: the mapping (they name the same thing).
  { key: 'preset', file: 'cdr_1', cli: ['--mapping', '/tmp/m.json'], read: (r) => r.cfg.preset ?? r.cfg.mappingPath, expect: { cli: '/tmp/m.json', file: 'cdr_1', default: undefined } },
  { key: 'mapping', file: '/tmp/file-m.json', cli: ['--preset', 'cdr_1'], read: (r) => r.cfg.preset ?? r.cfg.mappingPath, expect: { cli: 'cdr_1', file: '/tmp/file-m.json', default: undefined } },
];

function jobFile(obj: Record<string, unknown>): string {
  const path = join(dir, `job-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(obj));
  return path;
}

describe('precedence of every key: command line > job file > environment > default', () => {
  for (const c of CASES) {
    it(c.key, async () => {
      const base = ['--dry-run', ...(c.key === 'mapping' || c.key === 'preset' ? [] : ['--preset', 'cdr_1'])];
      const env = c.env ?? {};
      const read = async (args: string[], e: Record<string, string>) => {
        const r = await resolved([...base, ...args], e);
        return c.read({ ...r, env: e });
      };
      const file = ['--config', jobFile({ [c.key]: c.file })];
      assert.deepEqual(await read([...file, ...c.cli], env), c.expect.cli, 'the command line wins over the job file and the environment');
      assert.deepEqual(await read([...c.cli, ...file], env), c.expect.cli, 'whatever the order on the command line');
      assert.deepEqual(await read(file, env), c.expect.file, 'the job file wins over the environment');
      if (c.env) assert.deepEqual(await read([], env), c.expect.env, 'the environment wins over the default');
      if (c.expect.default !== undefined) assert.deepEqual(await read([], {}), c.expect.default, 'the default');
    });
  }
});
