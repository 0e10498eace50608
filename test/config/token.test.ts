import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveToken } from '../../src/config/token.ts';
import { TokenError } from '../../src/errors.ts';

describe('resolveToken', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wvx-token-'));
  it('reads WOLKVOX_TOKEN from the environment', async () => {
    assert.equal(await resolveToken({ WOLKVOX_TOKEN: ' abc123 ' }, undefined), 'abc123');
  });
  it('prefers the token file, trimming a BOM and the newline', async () => {
    const f = join(dir, 't1');
    writeFileSync(f, '\uFEFFfile-token\n');
    assert.equal(await resolveToken({ WOLKVOX_TOKEN: 'env' }, f), 'file-token');
  });
  it('says how to provide a token when there is none', async () => {
    await assert.rejects(resolveToken({}, undefined), (e: unknown) => e instanceof TokenError && /WOLKVOX_TOKEN/.test(e.message) && /--token-file/.test(e.message));
  });
  it('names a missing token file as not found', async () => {
    await assert.rejects(resolveToken({}, join(dir, 'nope')), /not found/);
  });
  it('refuses an empty token file', async () => {
    const f = join(dir, 'empty');
    writeFileSync(f, '\n');
    await assert.rejects(resolveToken({}, f), /empty/);
  });
});
