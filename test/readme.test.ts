import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../src/emulator/index.ts';
import { IMPORT_OPTIONS } from '../src/cli/options.ts';
import { ROOT, runCli, tmp } from './helpers.ts';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The fenced block right after a `<!-- readme-test: NAME ... -->` marker. */
function blockAfter(marker: string): string {
  const at = README.indexOf(`<!-- readme-test: ${marker}`);
  assert.ok(at >= 0, `README has the marker "${marker}"`);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(README.slice(at));
  assert.ok(m, `a code block follows the marker "${marker}"`);
  return m[1]!;
}

/** Every `wolkvox-import <command> ...` invocation in the README's code blocks. */
function invocations(): { command: string; flags: string[]; line: string }[] {
  const out: { command: string; flags: string[]; line: string }[] = [];
  for (const block of README.matchAll(/```[a-z]*\n([\s\S]*?)```/g)) {
    for (const line of block[1]!.split('\n')) {
      for (const m of line.matchAll(/wolkvox-import ([a-z][a-z-]*)([^;|&]*)/g)) {
        const flags = [...m[2]!.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((f) => f[1]!);
        out.push({ command: m[1]!, flags, line: line.trim() });
      }
    }
  }
  return out;
}

describe('README', () => {
  it('shows the two set-up commands', () => {
    assert.match(README, /npm ci && npm run demo/);
    assert.match(README, /^npm test/m);
  });

  it('documents every flag of import in its flags table, and nothing that does not exist', () => {
    const table = README.slice(README.indexOf('<!-- readme-test: flags'));
    const rows = table.split('\n').filter((l) => l.startsWith('| `--'));
    const documented = new Set(rows.flatMap((r) => [...r.split('|')[1]!.matchAll(/--([a-z-]+)/g)].map((m) => m[1]!)));
    const declared = new Set([...Object.keys(IMPORT_OPTIONS), 'json', 'config', 'no-report']);
    for (const flag of declared) assert.ok(documented.has(flag), `--${flag} is declared but not in the README's table`);
    for (const flag of documented) assert.ok(declared.has(flag), `--${flag} is in the README's table but not declared`);
  });

  it('uses only commands and flags the CLI knows (checked against each command\'s --help)', async () => {
    const helps = new Map<string, string>();
    for (const inv of invocations()) {
      if (!helps.has(inv.command)) {
        const h = await runCli([inv.command, '--help'], { cwd: tmp() });
        assert.equal(h.code, 0, `"wolkvox-import ${inv.command}" is a command (${inv.line})`);
        helps.set(inv.command, h.stdout);
      }
      for (const flag of inv.flags) {
        const name = flag.replace(/^--no-/, '--');
        assert.ok(helps.get(inv.command)!.includes(name), `${flag} is a flag of "${inv.command}" (README: ${inv.line})`);
      }
    }
  });

  describe('the five-minute path runs as written', () => {
    let emu: Emulator;
    before(async () => {
      emu = await startEmulator({ latencyMs: 1 });
    });
    after(() => emu.close());

    it('check, validate, import, resume and runs succeed on the Windows-1252 export', { timeout: 120_000 }, async () => {
      const dir = tmp();
      cpSync(join(ROOT, 'fixtures'), join(dir, 'fixtures'), { recursive: true });
      const lines = blockAfter('five-minute path').split('\n').filter((l) => l.startsWith('npx wolkvox-import '));
      assert.ok(lines.length >= 4);
      const expected: Record<string, number[]> = { check: [0], validate: [1], import: [1], runs: [0] };
      for (const line of lines) {
        const args = line.replace(/^npx wolkvox-import /, '').replaceAll('crm0001.wolkvox.com', emu.url).split(/\s+/);
        const run = await runCli(args, { cwd: dir, env: { WOLKVOX_TOKEN: 'readme-token' } });
        assert.ok(expected[args[0]!]!.includes(run.code ?? -1), `"${line}" exited ${run.code}: ${run.stderr.slice(-600)}`);
      }
      // 30 calls in the export: 3 skipped (TIMEOUTACW ×2, PRUEBA), 1 without a CRM record → 26 inserted once.
      assert.equal(emu.inserted.length, 26);
      assert.equal(new Set(emu.inserted.map((g) => g.fields.wolkvox_idCall)).size, 26);
    });
  });

  describe('the file-less nightly recipe (--report) runs as written', () => {
    let emu: Emulator;
    before(async () => {
      emu = await startEmulator({ latencyMs: 1, manager: { callsPerDay: 300, token: 'readme-manager-token' } });
    });
    after(() => emu.close());

    it('the first night with a date, then --since last, with the job file of the README', { timeout: 120_000 }, async () => {
      const dir = tmp();
      const job = JSON.parse(blockAfter('report job')) as Record<string, unknown>;
      writeFileSync(join(dir, 'token'), 'readme-token\n', { mode: 0o600 });
      writeFileSync(join(dir, 'manager-token'), 'readme-manager-token\n', { mode: 0o600 });
      writeFileSync(join(dir, 'crm_records.csv'), emu.recordsCsv());
      const local = { server: emu.url, managerServer: emu.url, tokenFile: join(dir, 'token'), managerTokenFile: join(dir, 'manager-token'),
        lookup: [`records=${join(dir, 'crm_records.csv')}`], state: join(dir, 'state.sqlite') };
      for (const k of Object.keys(local)) assert.ok(k in job, `the README's job file has "${k}"`);
      writeFileSync(join(dir, 'job.json'), JSON.stringify({ ...job, ...local }));
      const lines = blockAfter('report recipe').split('\n').filter((l) => l.startsWith('wolkvox-import '));
      assert.equal(lines.length, 3);
      for (const line of lines) {
        const args = line.replace(/#.*$/, '').trim().replace(/^wolkvox-import /, '').split(/\s+/);
        const run = await runCli(args, { cwd: dir });
        assert.ok([0, 1].includes(run.code ?? -1), `"${line}" exited ${run.code}: ${run.stderr.slice(-600)}`);
        if (args[0] === 'check') assert.match(run.stdout, /^Manager +token ok[\s\S]*window [\s\S]*about 1 call/m);
        else assert.match(run.stderr, /report cdr_1 .* Manager calls \d+ · CRM calls \d+ · watermark/);
        assert.ok(!(run.stdout + run.stderr).includes('readme-manager-token'), 'the Manager token is in no output');
      }
      const calls = emu.inserted.map((g) => g.fields.wolkvox_idCall);
      assert.ok(calls.length > 0, 'yesterday\'s calls were inserted');
      assert.equal(new Set(calls).size, calls.length, 'no call inserted twice');
      const runs = await runCli(['runs', '--state', join(dir, 'state.sqlite')], { cwd: dir });
      assert.match(runs.stdout, /watermark cdr_1 .* fully settled until/);
    });
  });
});
