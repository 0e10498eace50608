import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The repository's modules (outside node_modules) that running the CLI with `args` loads. */
function modulesLoaded(args: string[]): { modules: string[]; status: number | null; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wvx-isolation-'));
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(hooks, `export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  if (r.url.startsWith('file:') && !r.url.includes('/node_modules/')) process.stderr.write('MODULE ' + r.url + '\\n');
  return r;
}\n`);
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const r = spawnSync(process.execPath, ['--import', register, '--import', import.meta.resolve('tsx'), join(root, 'src/cli/main.ts'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, WOLKVOX_TOKEN: 'isolation-test' } });
  const modules = [...new Set(r.stderr.split('\n').filter((l) => l.startsWith('MODULE ')).map((l) => fileURLToPath(l.slice(7)).slice(root.length)))];
  return { modules, status: r.status, stderr: r.stderr.split('\n').filter((l) => !l.startsWith('MODULE ')).join('\n') };
}

describe('the import command does not load the emulator', () => {
  it('import (dry run) loads the import path and no module of src/emulator', () => {
    const { modules, stderr } = modulesLoaded(['import', 'missing.csv', '--mapping', 'missing.json', '--dry-run']);
    assert.ok(modules.includes('src/run/import.ts'), `the import path was not loaded (the check would prove nothing):\n${modules.join('\n')}\n${stderr}`);
    assert.deepEqual(modules.filter((m) => m.startsWith('src/emulator/')), []);
  });
});
