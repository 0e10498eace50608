import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOutputTargets, type OutputCheckConfig } from '../../src/config/outputs.ts';
import { UsageError } from '../../src/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'wvx-outputs-'));
const input = join(dir, 'in.csv');
const mapping = join(dir, 'mapping.json');
const lookup = join(dir, 'records.csv');
const state = join(dir, 'state', 'state.sqlite');
writeFileSync(input, 'id\n1\n');
writeFileSync(mapping, '{}');
writeFileSync(lookup, 'id\n1\n');
mkdirSync(join(dir, 'state'));
writeFileSync(state, 'SQLite format 3\0');
writeFileSync(`${state}-wal`, '');
symlinkSync(input, join(dir, 'link-to-input.csv'));
linkSync(input, join(dir, 'hardlink-to-input.csv'));
symlinkSync(join(dir, 'state'), join(dir, 'state-dir-link'));
execFileSync('mkfifo', [join(dir, 'fifo')]);

const base: OutputCheckConfig = { input, out: join(dir, 'reports', 'out.csv'), statePath: state, lookupFiles: { records: lookup }, mappingPath: mapping };

function refused(cfg: Partial<OutputCheckConfig>, reason: RegExp): void {
  assert.throws(() => checkOutputTargets({ ...base, ...cfg }), (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.equal(e.code, 'E_USAGE');
    assert.equal(e.exitCode, 2);
    assert.match(e.message, reason);
    return true;
  });
}

describe('checkOutputTargets refuses an --out or --log-file that would destroy something', () => {
  const before = readFileSync(input, 'utf8');
  const hostile: [string, Partial<OutputCheckConfig>, RegExp][] = [
    ['--out = the input file', { out: input }, /^--out .*in\.csv: refused, it is the input file/],
    ['--out = a symlink to the input', { out: join(dir, 'link-to-input.csv') }, /refused, it is the input file .*in\.csv/],
    ['--out = a hard link to the input (same inode)', { out: join(dir, 'hardlink-to-input.csv') }, /refused, it is the input file/],
    ['--out = the input through a ".." path', { out: join(dir, 'state', '..', 'in.csv') }, /it is the input file/],
    ['--out = the state file', { out: state }, /refused, it is the state file/],
    ['--out = the state file\'s WAL', { out: `${state}-wal` }, /the state file's -wal companion/],
    ['--out = the state file\'s SHM (not created yet)', { out: `${state}-shm` }, /the state file's -shm companion/],
    ['--out = the state file\'s lock, through a symlinked folder', { out: join(dir, 'state-dir-link', 'state.sqlite.lock') }, /the state file's \.lock companion/],
    ['--out = a lookup file', { out: lookup }, /the lookup file "records"/],
    ['--out = the mapping', { out: mapping }, /the mapping file/],
    ['--out = /dev/null', { out: '/dev/null' }, /device or process file|not a regular file/],
    ['--out = /dev/stdout', { out: '/dev/stdout' }, /device or process file|not a regular file/],
    ['--out = a FIFO', { out: join(dir, 'fifo') }, /not a regular file/],
    ['--out = a folder', { out: dir }, /it is a folder; name a file inside it/],
    ['--log-file = the state file', { logFile: state }, /^--log-file .*: refused, it is the state file/],
    ['--log-file = /dev/null', { logFile: '/dev/null' }, /^--log-file .*not a regular file/],
    ['--log-file = a symlink to the input', { logFile: join(dir, 'link-to-input.csv') }, /^--log-file .*the input file/],
    ['--log-file = --out', { out: join(dir, 'same.csv'), logFile: join(dir, 'same.csv') }, /^--log-file .*--out writes the same file/],
  ];
  for (const [what, cfg, reason] of hostile) it(what, () => refused(cfg, reason));

  it('left the input, the state file and the WAL untouched', () => {
    assert.equal(readFileSync(input, 'utf8'), before);
    assert.equal(readFileSync(state, 'utf8'), 'SQLite format 3\0');
    assert.ok(!existsSync(`${state}-shm`));
  });

  it('also guards files given by the caller: a mapping lookup, a report path', () => {
    const other = join(dir, 'other-lookup.csv');
    writeFileSync(other, 'x\n');
    assert.throws(() => checkOutputTargets({ ...base, out: other }, { protect: [{ what: 'the lookup file "extra"', path: other }] }), /the lookup file "extra"/);
    assert.throws(() => checkOutputTargets(base, { targets: [{ what: 'the HTML report', path: input }] }), /the HTML report .*: refused, it is the input file/);
  });
});

describe('checkOutputTargets accepts a new path or an unrelated regular file', () => {
  it('a new path in a folder that does not exist yet: creates the folder, leaves no probe file', () => {
    const out = join(dir, 'new', 'deeper', 'out.csv');
    checkOutputTargets({ ...base, out, logFile: join(dir, 'logs', 'run.log') });
    assert.deepEqual(readdirSync(join(dir, 'new', 'deeper')), []);
    assert.deepEqual(readdirSync(join(dir, 'logs')), []);
  });
  it('an existing regular file (an earlier result, an existing log) and a symlink to one', () => {
    const old = join(dir, 'old.results.csv');
    writeFileSync(old, 'x');
    symlinkSync(old, join(dir, 'link-to-old.csv'));
    const log = join(dir, 'existing.log');
    writeFileSync(log, '{}\n');
    checkOutputTargets({ ...base, out: old, logFile: log });
    checkOutputTargets({ ...base, out: join(dir, 'link-to-old.csv') });
  });
  it('an in-memory state has no files to guard', () => {
    checkOutputTargets({ ...base, statePath: ':memory:', out: join(dir, 'mem.csv') });
  });
});

describe('checkOutputTargets proves the output folder writable before any call', () => {
  it('refuses a folder path that runs through a regular file', () => {
    refused({ out: join(input, 'sub', 'out.csv') }, /cannot write in the folder .*a part of the path is a file, not a folder/);
  });
  it('refuses a folder it may not write to (as an unprivileged user: root passes W_OK)', (t) => {
    const ro = join(dir, 'read-only');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    chmodSync(dir, 0o755);
    const out = join(ro, 'out.csv');
    if (process.getuid?.() !== 0) return refused({ out }, /cannot write in the folder .*permission denied/);
    // As root every permission check passes: run the same check as "nobody" in a child process.
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const code = `import('./src/config/outputs.ts').then((m) => { try { m.checkOutputTargets(${JSON.stringify({ input, out, statePath: ':memory:', lookupFiles: {} })}); console.log('accepted'); } catch (e) { console.log(e.code + ' ' + e.message); } })`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: root, uid: 65534, gid: 65534, encoding: 'utf8' });
    // A checkout inside a private folder (mktemp -d is 0700) cannot be read by "nobody" at all.
    if (r.stdout === '' && /ERR_MODULE_NOT_FOUND|EACCES/.test(r.stderr)) return t.skip('the checkout is not readable by the unprivileged user');
    assert.match(r.stdout, /^E_USAGE --out .*read-only\/out\.csv: cannot write in the folder .*permission denied/, r.stderr);
  });
});
