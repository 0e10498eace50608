import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultOutPath, resolveImportConfig } from '../../src/config/config.ts';
import { ConfigError, UsageError } from '../../src/errors.ts';

const real = { input: 'in.csv', mapping: 'm.json', server: 'crm0001.wolkvox.com', operation: ' op ' };

describe('resolveImportConfig', () => {
  it('resolves paths, trims the operation and fills every default', () => {
    const cfg = resolveImportConfig({ ...real, logFile: 'logs/run.log', state: 's.sqlite', lookup: ['records = crm.csv'] }, {});
    assert.equal(cfg.input, resolve('in.csv'));
    assert.equal(cfg.mappingPath, resolve('m.json'));
    assert.equal(cfg.logFile, resolve('logs/run.log'));
    assert.equal(cfg.statePath, resolve('s.sqlite'));
    assert.deepEqual(cfg.lookupFiles, { records: resolve('crm.csv') });
    assert.equal(cfg.server, 'https://crm0001.wolkvox.com');
    assert.equal(cfg.operation, 'op');
    assert.equal(cfg.concurrency, 2);
    assert.equal(cfg.timeoutMs, 30_000);
    assert.equal(cfg.policy.maxAttempts, 5);
    assert.equal(cfg.policy.maxBackoffPerRowMs, 120_000);
    assert.equal(cfg.policy.maxPauseMs, 1_800_000);
    assert.equal(cfg.outGiven, false);
    assert.match(cfg.out, /reports\/in-\d{8}-\d{6}\.results\.csv$/);
    assert.ok(Object.isFrozen(cfg));
  });
  it('takes server and operation from the environment; a real run needs both', () => {
    assert.equal(resolveImportConfig({ input: 'x.csv', mapping: 'm.json' }, { WOLKVOX_SERVER: 'crm0002.wolkvox.com', WOLKVOX_OPERATION: 'o' }).server, 'https://crm0002.wolkvox.com');
    assert.throws(() => resolveImportConfig({ ...real, server: undefined }, {}), (e: unknown) => e instanceof ConfigError && /--server is required/.test(e.message));
    assert.throws(() => resolveImportConfig({ ...real, operation: '  ' }, {}), (e: unknown) => e instanceof ConfigError && /--operation is required/.test(e.message));
  });
  it('a dry run needs neither, and never checks the quota', () => {
    const cfg = resolveImportConfig({ input: 'x.csv', preset: 'cdr_1', dryRun: true, checkQuota: true }, {});
    assert.equal(cfg.server, 'http://dry-run.invalid');
    assert.equal(cfg.operation, 'dry-run');
    assert.equal(cfg.checkQuota, false);
  });
  it('keeps :memory: as is and refuses out-of-range numbers', () => {
    assert.equal(resolveImportConfig({ ...real, state: ':memory:' }, {}).statePath, ':memory:');
    assert.throws(() => resolveImportConfig({ ...real, maxAttempts: 0 }, {}), UsageError);
    assert.throws(() => resolveImportConfig({ ...real, timeout: -1 }, {}), /--timeout/);
    assert.throws(() => resolveImportConfig({ input: 'x.csv' }, {}), /--mapping <file> is required/);
  });
});

describe('defaultOutPath', () => {
  it('never names the files of a run of the same second: -2, -3... after the time', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'out-'));
    const now = new Date(2026, 11, 2, 12, 21, 36);
    const first = defaultOutPath('/data/clean.csv', now, cwd);
    assert.equal(first, join(cwd, 'reports', 'clean-20261202-122136.results.csv'));
    mkdirSync(join(cwd, 'reports'));
    writeFileSync(first, 'row,status\n');
    assert.equal(defaultOutPath('/other/clean.csv', now, cwd), join(cwd, 'reports', 'clean-20261202-122136-2.results.csv'));
    // a run that stopped before its results (an error summary only) holds its name too
    writeFileSync(join(cwd, 'reports', 'clean-20261202-122136-2.summary.json'), '{}');
    assert.equal(defaultOutPath('clean.csv', now, cwd), join(cwd, 'reports', 'clean-20261202-122136-3.results.csv'));
    assert.equal(defaultOutPath('clean.csv', new Date(2026, 11, 2, 12, 21, 37), cwd), join(cwd, 'reports', 'clean-20261202-122137.results.csv'));
  });
});
