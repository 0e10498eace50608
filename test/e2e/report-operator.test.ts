/**
 * The Manager report source as a newcomer operator meets it: the README's job file and recipe, in
 * Spanish, with the mistakes a person makes. Each mistake must be refused with exit 2, before any
 * call (Manager or CRM), with a message in the user's language that says what to do; no token in
 * any output or file; the README's cron line must work as pasted, under cron's bare environment.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { parseManagerServer } from '../../src/manager/server.ts';
import { CLI_ARGS, ROOT, runCli, tmp } from '../helpers.ts';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const MANAGER_TOKEN = 'operator-manager-token-7f3a';
const CRM_TOKEN = 'operator-crm-token-91c2';
const ES = { LANG: 'es_CO.UTF-8' };
/**
 * Where "--since yesterday" ends: today's 00:00 in Bogota, or, in the first 10 minutes after it,
 * now minus the default --settle-delay (10 min), which is yesterday 23:5x.
 */
const DAY_END = '(?:00:00|23:5\\d)';

function blockAfter(marker: string): string {
  const at = README.indexOf(`<!-- readme-test: ${marker}`);
  assert.ok(at >= 0, `README has the marker "${marker}"`);
  return /```[a-z]*\n([\s\S]*?)```/.exec(README.slice(at))![1]!;
}

/** Every request either side of the emulator answered (refused ones too). */
function requests(emu: Emulator): number {
  const sum = (o: Record<string, number>) => Object.values(o).reduce((n, v) => n + v, 0);
  return sum(emu.stats().byHttpStatus) + sum(emu.manager.stats().byHttpStatus);
}

/** Every file under `dir` except the two token files themselves. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !/(^|\/)(token|manager-token)$/.test(join(e.parentPath, e.name)))
    .map((e) => join(e.parentPath, e.name));
}

describe('the report source, as a newcomer operator uses it', () => {
  let emu: Emulator;
  let dir: string;
  let job: (extra?: Record<string, unknown>, drop?: string[]) => string;
  before(async () => {
    emu = await startEmulator({ tokens: [CRM_TOKEN], manager: { callsPerDay: 200, token: MANAGER_TOKEN } });
    dir = tmp('wvx-operator-');
    writeFileSync(join(dir, 'token'), `${CRM_TOKEN}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'manager-token'), `${MANAGER_TOKEN}\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'crm_records.csv'), emu.recordsCsv());
    const base = { ...(JSON.parse(blockAfter('report job')) as Record<string, unknown>), server: emu.url, managerServer: emu.url,
      tokenFile: join(dir, 'token'), managerTokenFile: join(dir, 'manager-token'), lookup: [`records=${join(dir, 'crm_records.csv')}`], state: join(dir, 'state.sqlite') };
    let n = 0;
    job = (extra = {}, drop = []) => {
      const path = join(dir, n++ === 0 ? 'job.json' : `job-${n}.json`);
      writeFileSync(path, JSON.stringify(Object.fromEntries(Object.entries({ ...base, ...extra }).filter(([k]) => !drop.includes(k)))));
      return path;
    };
    job();
  });
  after(() => emu.close());

  it('reads --manager-server as pasted from the browser, as wv0042 or 0042, and refuses a CRM host', () => {
    assert.equal(parseManagerServer('https://wv0042.wolkvox.com/manager/index.php?token=abc#x'), 'https://wv0042.wolkvox.com');
    assert.equal(parseManagerServer('wv0042'), 'https://wv0042.wolkvox.com');
    assert.equal(parseManagerServer('0042'), 'https://wv0042.wolkvox.com');
    assert.throws(() => parseManagerServer('crm0001.wolkvox.com'), /crm0001\.wolkvox\.com is a CRM host/);
    assert.throws(() => parseManagerServer('https://sv0003.crmvox.com/'), /is a CRM host/);
  });

  it('--help of import and check fits an 80-column terminal (COLUMNS, also when piped into less)', { timeout: 60_000 }, async () => {
    for (const command of ['import', 'check']) {
      const help = await runCli([command, '--help'], { cwd: dir, env: { ...ES, COLUMNS: '80' } });
      assert.equal(help.code, 0);
      assert.match(help.stdout, /--since +con --report: inicio \(incluido\)/);
      const widest = Math.max(...help.stdout.split('\n').map((l) => [...l].length));
      assert.ok(widest <= 80, `${command} --help is ${widest} columns wide`);
    }
  });

  it('refuses each mistake in Spanish, exit 2, before any call, saying what to do', { timeout: 120_000 }, async () => {
    const j = join(dir, 'job.json');
    const report = ['--report', 'cdr_1', '--config'];
    const cases: [string[], RegExp][] = [
      [['import', ...report, j, '--since', 'ayer'], /--since: se esperaba yesterday \(ayer\), today \(hoy\).*se recibió "ayer"/],
      [['import', ...report, j, '--since', '2026-13-01'], /una fecha que exista\), se recibió "2026-13-01"/],
      [['import', ...report, j, '--since', '2026-11-20', '--until', '2026-11-19'], /--until 2026-11-19 no es posterior a --since 2026-11-20: indique un --until/],
      [['import', ...report, j, '--since', 'yesterday', '--manager-server', 'crm0001.wolkvox.com'], /es un servidor del CRM: los informes vienen de wolkvox Manager/],
      [['import', ...report, job({}, ['managerTokenFile']), '--since', 'yesterday'], /no hay token de Manager: defina WOLKVOX_MANAGER_TOKEN/],
      [['import', ...report, job({ managerTokenFile: join(dir, 'token') }), '--since', 'yesterday'], /el token de Manager es el mismo del CRM.*no se hizo ninguna llamada/],
      [['import', ...report, job({ managerToken: MANAGER_TOKEN }, ['managerTokenFile']), '--since', 'yesterday'], /"managerToken": el token nunca va en un archivo de trabajo; use "managerTokenFile"/],
      [['import', join(dir, 'crm_records.csv'), ...report, j, '--since', 'yesterday'], /trae las filas de wolkvox Manager: no indique un archivo de entrada/],
      [['import', '--report', 'campaign_3', '--config', j, '--since', 'yesterday'], /--preset cdr_1 mapea los campos del informe cdr_1; --report campaign_3 tiene otros: indique --preset campaign_3/],
      [['check', ...report, j, '--since', 'ayer'], /se recibió "ayer"/],
      [['check', ...report, j, '--since', 'last'], /la primera vez indique una fecha/],
      [['check', ...report, job({ managerTokenFile: join(dir, 'token') }), '--since', 'yesterday'], /el token de Manager es el mismo del CRM/],
      [['import', ...report, j, '--since', 'last'], /--since last: ninguna carga anterior .* la primera vez indique una fecha/],
    ];
    const before = requests(emu);
    for (const [args, said] of cases) {
      const run = await runCli(args, { cwd: dir, env: ES });
      const last = run.stderr.trim().split('\n').at(-1) ?? '';
      assert.equal(run.code, 2, `${args.join(' ')} → exit ${run.code}: ${last}`);
      assert.match(last, said, args.join(' '));
      assert.ok(!(run.stdout + run.stderr).includes(MANAGER_TOKEN) && !(run.stdout + run.stderr).includes(CRM_TOKEN), 'no token in any output');
      // Only --since last reads the store for its watermark; every other mistake is refused before the store is opened.
      if (!args.includes('last')) assert.ok(!existsSync(join(dir, 'state.sqlite')), `${args.join(' ')} created the state file`);
    }
    assert.equal(requests(emu), before, 'no mistake spent a call');
    // A cron job's summary.json says what failed: the report (no input file), the code, exit 2.
    const summaries = readdirSync(join(dir, 'reports')).filter((f) => /^cdr_1-.*\.summary\.json$/.test(f));
    assert.ok(summaries.length > 0);
    const s = summaries.map((f) => JSON.parse(readFileSync(join(dir, 'reports', f), 'utf8')) as { report?: string; input: unknown; exitCode: number; error: { code: string; message: string } });
    const noMark = s.find((x) => /no earlier run of this report has settled anything/.test(x.error.message));
    assert.deepEqual(noMark && { report: noMark.report, input: noMark.input, exitCode: noMark.exitCode, code: noMark.error.code }, { report: 'cdr_1', input: null, exitCode: 2, code: 'E_USAGE' });
  });

  it('a refused Manager token: exit 3, and the next line says what to do, in Spanish', { timeout: 60_000 }, async () => {
    writeFileSync(join(dir, 'wrong-token'), 'not-the-manager-token\n', { mode: 0o600 });
    writeFileSync(join(dir, 'job-wrong.json'), readFileSync(job({ managerTokenFile: join(dir, 'wrong-token') })));
    const run = await runCli(['import', '--report', 'cdr_1', '--since', 'yesterday', '--config', join(dir, 'job-wrong.json'), '--state', ':memory:'], { cwd: dir, env: ES });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /qué hacer: ponga un token de wolkvox Manager .* no se cargó nada, la marca no se movió/);
    assert.equal(emu.inserted.length, 0);
    const check = await runCli(['check', '--report', 'cdr_1', '--since', 'yesterday', '--config', join(dir, 'job-wrong.json')], { cwd: dir, env: ES });
    assert.equal(check.code, 3, check.stderr);
    assert.match(check.stdout, /^Manager +token RECHAZADO \(token\): .*\n +qué hacer: ponga un token de wolkvox Manager/m);
  });

  it('check --report plans with the README job file, in Spanish, within 80 columns, one call per token', { timeout: 60_000 }, async () => {
    const crm = emu.stats().calls;
    const manager = emu.manager.stats().calls;
    const run = await runCli(['check', '--report', 'cdr_1', '--since', 'yesterday', '--config', join(dir, 'job.json')], { cwd: dir, env: { ...ES, COLUMNS: '80' } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Manager +token válido · límite \d+ llamadas\/día · quedan \d+$/m);
    assert.match(run.stdout, new RegExp(`^informe +cdr_1 de http://127\\.0\\.0\\.1:\\d+\\n +\\d{4}-\\d\\d-\\d\\d 00:00 → \\d{4}-\\d\\d-\\d\\d ${DAY_END} \\(America/Bogota\\)$`, 'm'));
    assert.match(run.stdout, /^ +ventana .*\nManager +1 llamada para 1 ventana/m);
    // Every line fits 80 columns but the insert URL (a URL is never cut).
    for (const line of run.stdout.split('\n')) if (!line.startsWith('URL de carga')) assert.ok([...line].length <= 80, `over 80 columns: ${line}`);
    assert.equal(emu.stats().calls - crm, 1, 'one CRM call');
    assert.equal(emu.manager.stats().calls - manager, 1, 'one Manager call');
  });

  it('the first night, then runs shows the watermark in the dialer\'s time zone', { timeout: 120_000 }, async () => {
    const first = await runCli(['import', '--report', 'cdr_1', '--since', 'yesterday', '--config', join(dir, 'job.json')], { cwd: dir });
    assert.ok([0, 1].includes(first.code ?? -1), first.stderr.slice(-600));
    assert.match(first.stderr, new RegExp(`report cdr_1 \\S+ 00:00 → \\S+ ${DAY_END} \\(America/Bogota\\) · windows 1 · records \\d+ · Manager calls 1 · CRM calls \\d+ · watermark \\S+ ${DAY_END}`));
    const runs = await runCli(['runs', '--state', join(dir, 'state.sqlite')], { cwd: dir, env: ES });
    assert.match(runs.stdout, new RegExp(`^marca cdr_1 .* todo asentado hasta \\d{4}-\\d\\d-\\d\\d ${DAY_END} \\(America/Bogota, carga 1\\); el próximo --since last empieza ahí, menos --overlap$`, 'm'));
    assert.match(runs.stdout, new RegExp(`^ {2}informe cdr_1 \\S+ 00:00 → \\S+ ${DAY_END} \\(America/Bogota\\) · ventanas 1 · llamadas a Manager 1$`, 'm'));
  });

  it('the README cron line works as pasted, under cron\'s bare environment', { timeout: 120_000 }, async () => {
    const block = blockAfter('report cron').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const vars = Object.fromEntries(block.filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const entry = block.find((l) => /^[\d*]/.test(l))!;
    assert.ok(vars.PATH, 'the cron block sets PATH (cron gives /usr/bin:/bin)');
    // The five time fields go; cron turns \% into %; the README's folders become the test's.
    const command = entry.split(/\s+/).slice(5).join(' ').replace(/\\%/g, '%')
      .replaceAll('/srv/wolkvox', dir).replaceAll('/etc/wolkvox-import/job.json', join(dir, 'job.json')).replaceAll('/var/log/wolkvox-import/', `${join(dir, 'log')}/`);
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
    writeFileSync(join(bin, 'wolkvox-import'), `#!/bin/sh\nexec ${quote(process.execPath)} ${CLI_ARGS.map(quote).join(' ')} "$@"\n`);
    writeFileSync(join(bin, 'mail'), '#!/bin/sh\ncat > "$HOME/mail.txt"\n');
    for (const f of ['wolkvox-import', 'mail']) chmodSync(join(bin, f), 0o755);
    // What `command -v wolkvox-import` printed goes first in the crontab's PATH.
    // Asynchronous: the emulator answers from this process.
    const child = spawn('/bin/sh', ['-c', command], { env: { PATH: `${bin}:${vars.PATH}`, HOME: dir, SHELL: '/bin/sh', LOGNAME: 'cron' } });
    const run = { status: -1, stdout: '', stderr: '' };
    child.stdout.on('data', (d: Buffer) => (run.stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (run.stderr += d.toString()));
    [run.status] = (await once(child, 'close')) as [number];
    assert.equal(run.status, 0, run.stderr);
    // --quiet: nothing when every row is ok, else the one summary line (the dialer's untypified calls are invalid: exit 1, no alarm).
    assert.match(run.stdout + run.stderr, /^(|wolkvox-import: done: \d+ rows: .*\(exit [01]\)\n)$/);
    assert.ok(!existsSync(join(dir, 'mail.txt')), 'no "needs attention" mail');
    const logs = readdirSync(join(dir, 'log'));
    assert.match(logs[0] ?? '', /^\d{4}-\d\d-\d\d\.log$/);
    assert.match(readFileSync(join(dir, 'log', logs[0]!), 'utf8'), /"msg":"report fetched"/);
    for (const f of filesUnder(dir)) {
      if (statSync(f).size > 5_000_000 || /job(-\d+)?\.json$/.test(f)) continue; // the job files with a token are the mistakes above
      const text = readFileSync(f, 'latin1');
      assert.ok(!text.includes(MANAGER_TOKEN) && !text.includes(CRM_TOKEN), `a token in ${f}`);
    }
  });
});
