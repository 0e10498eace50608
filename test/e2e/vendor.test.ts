/** Issue 15, points 6-8 end to end: the importer against an emulator that follows the vendor's description. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.ts';
import { audit } from '../audit.ts';
import { readResults, runCli, tmp, writeGestiones, writeMapping } from '../helpers.ts';

const SECRET = 'tok-only-in-body-4242';

/** Every file under `dir` (the state file included), as text. */
function allText(dir: string): string {
  let out = '';
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    out += statSync(p).isDirectory() ? allText(p) : readFileSync(p).toString('latin1');
  }
  return out;
}

describe('the importer against the vendor-described API', () => {
  it('an API that reads the token only from the body: one 401, then every row inserted once; the token is in no output, log, result or state', async () => {
    const emu = await startEmulator({ tokenFrom: 'body', tokens: [SECRET] });
    try {
      const dir = tmp();
      const n = 20;
      const input = writeGestiones(dir, n);
      const out = join(dir, 'r.csv');
      const run = await runCli(['import', input, '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--out', out, '--check-quota', '--log-file', join(dir, 'log.jsonl')], { cwd: dir, env: { WOLKVOX_TOKEN: SECRET } });
      assert.equal(run.code, 0, run.stderr);
      audit(readResults(out), emu.inserted, { calls: Array.from({ length: n }, (_, i) => `C${String(i + 1).padStart(6, '0')}`) });
      assert.equal(emu.stats().byHttpStatus['401'], 1);
      assert.match(readFileSync(join(dir, 'log.jsonl'), 'utf8'), /sending the token inside the JSON body/);
      assert.doesNotMatch(`${run.stdout}${run.stderr}${allText(dir)}`, new RegExp(SECRET));
    } finally {
      await emu.close();
    }
  });
});
