/**
 * The operator's story (issue 13): what `validate`, `check` and `import` tell a person at a
 * terminal and a cron job (an empty environment, --quiet, --log-file) when things go wrong.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { readResults, ROOT, runCli, tmp, writeGestiones, writeMapping, type CliRun } from '../helpers.ts';

const TOKEN = { WOLKVOX_TOKEN: 'tok-story' };

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** The CLI as cron runs it: an empty environment (no HOME, PATH, LANG), no terminal. */
function cron(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
}

/** Five rows; rows 2 and 4 repeat the call id (the dedupe key) of rows 1 and 3. */
function repeatedKeys(dir: string): { input: string; mapping: string } {
  const input = writeGestiones(dir, 5, (i, r) => (i === 2 ? { ...r, call: 'C000001' } : i === 4 ? { ...r, call: 'C000003' } : r));
  return { input, mapping: writeMapping(dir, { dedupeKey: ['wolkvox_idCall'] }) };
}

describe('the operator story', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ quota: 1000, tokens: ['tok-story'] });
  });
  after(() => emu.close());

  it('validate and check count a key repeated inside one file as a duplicate', async () => {
    const dir = tmp();
    const { input, mapping } = repeatedKeys(dir);
    const out = join(dir, 'v.csv');
    const v = await runCli(['validate', input, '--mapping', mapping, '--out', out], { cwd: dir });
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /ready to send: 3 +invalid: 0 +skipped by a filter: 0 +duplicates: 2/);
    assert.match(v.stdout, /2 × DUPLICATE: same key as row N of this file/);
    assert.match(v.stdout, /line 3 \(row 2\): DUPLICATE: same key as row 1 of this file/);
    const rows = readResults(out);
    assert.deepEqual(rows.map((r) => r.status), ['pending', 'duplicate', 'pending', 'duplicate', 'pending']);
    assert.equal(rows[3]!.error, 'DUPLICATE: same key as row 3 of this file');
    emu.reset();
    const c = await runCli(['check', '--server', emu.url, '--operation', 'op', '--input', input, '--mapping', mapping, '--json'], { cwd: dir, env: TOKEN });
    assert.equal(c.code, 0, c.stderr);
    const plan = JSON.parse(c.stdout).plan;
    assert.equal(plan.toSend, 3);
    assert.equal(plan.duplicate, 2);
    assert.equal(emu.stats().insertCalls, 0);
  });

  it('check says a used-up quota is used up (not a refused token) and still prints the plan of the file', async () => {
    const spent = await startEmulator({ quota: 0 });
    try {
      const dir = tmp();
      const run = await runCli(['check', '--server', spent.url, '--operation', 'op', '--input', writeGestiones(dir, 4), '--mapping', writeMapping(dir)], { cwd: dir, env: TOKEN });
      assert.equal(run.code, 3, run.stderr);
      assert.doesNotMatch(run.stdout, /token +REFUSED/);
      assert.match(run.stdout, /quota +USED UP \(API_403: TOKEN LIMIT EXCEEDED\): no calls left today on this token; the counter resets once a day/);
      assert.match(run.stdout, /4 calls needed \(the quota left today is unknown/);
    } finally {
      await spent.close();
    }
  });

  it('check with an unreachable server says so (not a refused token) and still prints the plan of the file', async () => {
    const dir = tmp();
    const port = await closedPort();
    const run = await runCli(['check', '--server', `http://127.0.0.1:${port}`, '--operation', 'op', '--input', writeGestiones(dir, 6, (i, r) => (i === 1 ? { ...r, record: '' } : r)), '--mapping', writeMapping(dir)], { cwd: dir, env: TOKEN });
    assert.equal(run.code, 2, run.stderr);
    assert.doesNotMatch(run.stdout, /token +REFUSED/);
    assert.match(run.stdout, /server +UNREACHABLE: NET_ECONNREFUSED/);
    assert.match(run.stdout, /input .*: 6 rows/);
    assert.match(run.stdout, /plan +5 to send · 1 invalid/);
    assert.match(run.stdout, /5 calls needed/);
  });

  it('validate says it was a simulation and gives the import command, in its output and its report; "1 row", not "1 rows"', async () => {
    const dir = tmp();
    const input = writeGestiones(dir, 3, (i, r) => (i === 2 ? { ...r, record: '' } : r));
    const mapping = writeMapping(dir);
    const run = await runCli(['validate', input, '--mapping', mapping, '--out', join(dir, 'v.csv')], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /this was a simulation: nothing was sent\. To import the file: wolkvox-import import .*input\.csv --mapping .*mapping\.json --out .*v\.csv/);
    assert.doesNotMatch(run.stderr, /--resume/);
    const html = readFileSync(join(dir, 'v.report.html'), 'utf8');
    assert.match(html, /This was a simulation .*: nothing was sent to the CRM\. To import the file, run: wolkvox-import import /);
    assert.doesNotMatch(html, /--resume/);
    assert.match(html, /1 row has invalid data/);
    assert.doesNotMatch(html, /1 rows/);
    const es = await runCli(['validate', input, '--mapping', mapping, '--out', join(dir, 'e.csv'), '--lang', 'es'], { cwd: dir });
    assert.match(readFileSync(join(dir, 'e.report.html'), 'utf8'), /1 registro tiene datos inválidos/);
    assert.match(es.stderr, /esto fue una simulación/);
  });

  it('after an import: the groups of problems with their lines, and the exact next command', async () => {
    emu.reset();
    const dir = tmp();
    const input = writeGestiones(dir, 12, (i, r) => (i === 3 || i === 5 ? { ...r, record: '' } : r));
    const run = await runCli(['import', input, '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--out', join(dir, 'r.csv'), '--max-calls', '4'], { cwd: dir, env: TOKEN });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /2 × INVALID: wolkvox_idRecord\n +line 4 \(row 3\): INVALID: wolkvox_idRecord/);
    assert.match(run.stderr, /line 6 \(row 5\)/);
    assert.match(run.stderr, /next: wolkvox-import import .*input\.csv .*--max-calls 4 --resume\n/);
  });

  it('a refused token: no --resume before it is fixed', async () => {
    emu.reset();
    const dir = tmp();
    const run = await runCli(['import', writeGestiones(dir, 3), '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--out', join(dir, 'r.csv')], { cwd: dir, env: { WOLKVOX_TOKEN: 'not-this-one' } });
    assert.equal(run.code, 3, run.stderr);
    assert.doesNotMatch(run.stderr, /run the same command with --resume|next: /);
    assert.match(run.stderr, /fix that first \(wolkvox-import check tests it\)/);
    const html = readFileSync(join(dir, 'r.report.html'), 'utf8');
    assert.doesNotMatch(html, /Run the same command again with --resume/);
  });

  it('with --quiet and --log-file, a run that ends well writes nothing on stderr; the log has the summary', async () => {
    emu.reset();
    const dir = tmp();
    const log = join(dir, 'run.log');
    const run = await runCli(['import', writeGestiones(dir, 5), '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--out', join(dir, 'r.csv'), '--quiet', '--log-file', log], { cwd: dir, env: TOKEN });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, '');
    assert.match(readFileSync(log, 'utf8'), /wolkvox-import: done: 5 rows: ok 5/);
    assert.ok(existsSync(join(dir, 'r.summary.json')));
  });

  it('with --quiet and --log-file, a run stopped early writes exactly one line on stderr: the summary and the way on', async () => {
    emu.reset();
    const dir = tmp();
    const run = await runCli(['import', writeGestiones(dir, 5), '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--out', join(dir, 'r.csv'), '--max-calls', '2', '--quiet', '--log-file', join(dir, 'run.log')], { cwd: dir, env: TOKEN });
    assert.equal(run.code, 3, run.stderr);
    assert.equal(run.stderr.split('\n').filter((l) => l !== '').length, 1, run.stderr);
    assert.match(run.stderr, /^wolkvox-import: stopped \(max-calls\): 5 rows: ok 2, .*pending 3; .*\(exit 3\) · --max-calls 2 reached; the rest is pending: continue with --resume\n$/);
  });

  for (const c of [
    { name: 'a missing input', args: (dir: string) => ['import', join(dir, 'nope.csv'), '--mapping', writeMapping(dir)], code: 'E_INPUT' },
    { name: 'a mapping error', args: (dir: string) => { writeFileSync(join(dir, 'bad.json'), '{"fields": '); return ['import', writeGestiones(dir, 2), '--mapping', join(dir, 'bad.json')]; }, code: 'E_MAPPING' },
    { name: 'no token', args: (dir: string) => ['import', writeGestiones(dir, 2), '--mapping', writeMapping(dir)], code: 'E_TOKEN', noToken: true },
  ]) {
    it(`under cron (an empty environment), ${c.name}: one line on stderr, the error in the log file, a minimal summary.json (exit 2)`, async () => {
      const dir = tmp();
      const log = join(dir, 'logs', 'run.log');
      const env = c.noToken ? {} : TOKEN;
      const run = await cron([...c.args(dir), '--server', emu.url, '--operation', 'op', '--out', join(dir, 'out', 'r.csv'), '--quiet', '--log-file', log], dir, env);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      const line = JSON.parse(readFileSync(log, 'utf8').trim().split('\n').at(-1)!);
      assert.equal(line.level, 50);
      assert.equal(line.code, c.code);
      assert.equal(line.msg, run.stderr.trim().replace(/^wolkvox-import: /, ''));
      const summary = JSON.parse(readFileSync(join(dir, 'out', 'r.summary.json'), 'utf8'));
      assert.equal(summary.status, 'error');
      assert.equal(summary.exitCode, 2);
      assert.equal(summary.error.code, c.code);
      assert.equal(summary.error.message, line.msg);
    });
  }

  it('without --out, the minimal summary.json goes where the results would have gone (reports/)', async () => {
    const dir = tmp();
    const run = await cron(['import', join(dir, 'nope.csv'), '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op'], dir, TOKEN);
    assert.equal(run.code, 2, run.stderr);
    const reports = (await import('node:fs')).readdirSync(join(dir, 'reports'));
    assert.equal(reports.length, 1);
    assert.match(reports[0]!, /^nope-\d{8}-\d{6}\.summary\.json$/);
  });
});

describe('the demo', () => {
  it('says on its "(exit 1)" summary line that the invalid rows are deliberate', async () => {
    const dir = tmp();
    const run = await runCli(['demo'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const summary = run.stderr.split('\n').find((l) => l.includes('(exit 1)'));
    assert.match(summary ?? '', /\(exit 1\) · the 2 invalid rows are deliberate \(the sample shows how they are reported\): the demo exits 0$/);
  });

  it('ships the files it reads: a global install or npx has the sample and its mapping', () => {
    // --ignore-scripts: no build while other test files run the bin
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = new Set((JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    for (const needed of ['dist/main.js', 'fixtures/sample_gestiones.csv', 'fixtures/mappings/sample.json', 'fixtures/mappings/cdr_1.json']) {
      assert.ok(files.has(needed), `${needed} is not in the package`);
    }
  });
});

describe('on an interactive terminal (a pseudo-terminal from script(1))', () => {
  const hasScript = existsSync('/usr/bin/script');
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ quota: 1000 });
  });
  after(() => emu.close());

  /** The CLI on a pseudo-terminal: everything it wrote to the terminal. */
  function onTerminal(args: string[], cwd: string): Promise<CliRun> {
    const q = (a: string) => `'${a.replaceAll("'", `'\\''`)}'`;
    const line = [process.execPath, '--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'main.ts'), ...args].map(q).join(' ');
    const child = spawn('/usr/bin/script', ['-qec', line, '/dev/null'], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, XDG_STATE_HOME: join(cwd, '.state'), LANG: 'en_US.UTF-8', WOLKVOX_TOKEN: 'tok', COLUMNS: '80' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    return new Promise((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr: '' })));
  }

  it('keeps the JSON log lines off the terminal unless --verbose', { skip: !hasScript && 'no script(1)' }, async () => {
    const dir = tmp();
    const base = ['import', writeGestiones(dir, 3), '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op'];
    const plain = await onTerminal([...base, '--out', join(dir, 'a.csv')], dir);
    assert.equal(plain.code, 0, plain.stdout);
    assert.match(plain.stdout, /done: 3 rows: ok 3/);
    assert.doesNotMatch(plain.stdout, /"level":30/);
    const verbose = await onTerminal([...base, '--out', join(dir, 'b.csv'), '--state', join(dir, 'v.sqlite'), '--verbose'], dir);
    assert.equal(verbose.code, 0, verbose.stdout);
    assert.match(verbose.stdout, /"level":30.*"msg":"run finished"/);
  });
});
