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

  describe('refuses a character a header cannot carry, naming its position and kind, never the token', () => {
    const secret = 'Tk3yS3cr3tV4lue';
    const cases: [string, string, number, RegExp][] = [
      ['an inner newline', `${secret.slice(0, 5)}\n${secret.slice(5)}`, 6, /a line break/],
      ['an inner carriage return', `${secret.slice(0, 3)}\r${secret.slice(3)}`, 4, /a line break/],
      ['a pasted zero-width space', `${secret}\u200B`, secret.length + 1, /a zero-width space U\+200B/],
      ['a zero-width space in the middle', `${secret.slice(0, 7)}\u200B${secret.slice(7)}`, 8, /a zero-width space U\+200B/],
      ['a non-breaking space', `${secret.slice(0, 2)}\u00A0${secret.slice(2)}`, 3, /a non-breaking space U\+00A0/],
      ['a control character', `${secret.slice(0, 4)}\u0007${secret.slice(4)}`, 5, /a control character/],
      ['a DEL', `${secret.slice(0, 4)}\u007F${secret.slice(4)}`, 5, /a control character/],
      ['a non-Latin-1 character', `${secret.slice(0, 9)}\u2014${secret.slice(9)}`, 10, /a non-Latin-1 character U\+2014/],
      ['an emoji (one position, not two)', `${secret.slice(0, 1)}\u{1F600}${secret}`, 2, /a non-Latin-1 character U\+1F600/],
      ['an inner space', `${secret.slice(0, 8)} ${secret.slice(8)}`, 9, /a space/],
    ];
    /** No run of 3+ characters of the secret appears in the message. */
    const leaks = (message: string): boolean => {
      for (let i = 0; i + 3 <= secret.length; i++) if (message.includes(secret.slice(i, i + 3))) return true;
      return false;
    };
    for (const [what, token, position, kind] of cases) {
      it(`${what} in WOLKVOX_TOKEN`, async () => {
        await assert.rejects(resolveToken({ WOLKVOX_TOKEN: token }, undefined), (e: unknown) => {
          assert.ok(e instanceof TokenError, String(e));
          assert.equal(e.code, 'E_TOKEN');
          assert.match(e.message, kind);
          assert.match(e.message, new RegExp(`at position ${position}\\b`));
          assert.match(e.message, /^WOLKVOX_TOKEN:/);
          assert.ok(!leaks(e.message), `the message shows part of the token: ${e.message}`);
          assert.ok(!leaks(JSON.stringify(e.context)), 'the context shows part of the token');
          return true;
        });
      });
      it(`${what} in --token-file`, async () => {
        const f = join(dir, `bad-${position}-${what.replace(/\W+/g, '-')}`);
        writeFileSync(f, `${token}\n`);
        await assert.rejects(resolveToken({}, f), (e: unknown) => {
          assert.ok(e instanceof TokenError, String(e));
          assert.match(e.message, kind);
          assert.match(e.message, new RegExp(`at position ${position}\\b`));
          assert.ok(e.message.includes(f), 'the message names the file');
          assert.ok(!leaks(e.message), `the message shows part of the token: ${e.message}`);
          return true;
        });
      });
    }
    it('still trims surrounding blanks, a final CRLF and a BOM', async () => {
      const f = join(dir, 'crlf');
      writeFileSync(f, `\uFEFF  ${secret} \r\n`);
      assert.equal(await resolveToken({}, f), secret);
      assert.equal(await resolveToken({ WOLKVOX_TOKEN: `\t${secret}\u00A0\n` }, undefined), secret);
    });
    it('accepts every printable ASCII character', async () => {
      const all = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join('');
      assert.equal(await resolveToken({ WOLKVOX_TOKEN: all }, undefined), all);
    });
  });
});
