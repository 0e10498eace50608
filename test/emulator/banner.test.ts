import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { emulatorBanner } from '../../src/emulator/index.ts';
import { call, TOKEN_INFO, withEmulator } from './helpers.ts';

/** The token the banner's `try:` line puts in the environment, read back through a real shell. */
function tryLineToken(banner: string): string {
  const line = banner.split('\n').find((l) => l.startsWith('try: '));
  assert.ok(line, `no try: line in\n${banner}`);
  const assignment = /^try: (WOLKVOX_TOKEN=.*?) npx wolkvox-import import /.exec(line)?.[1];
  assert.ok(assignment, line);
  return execFileSync('sh', ['-c', `${assignment} printenv WOLKVOX_TOKEN`], { encoding: 'utf8' }).replace(/\n$/, '');
}

describe('the emulator banner', () => {
  const cases: [string, string[] | undefined, string][] = [
    ['no --token: any token works, the line says demo', undefined, 'demo'],
    ['--token s3cret: the line uses it', ['s3cret'], 's3cret'],
    ['several --token: the first', ['first-token', 'second'], 'first-token'],
    ['a token a shell would split or expand', ["it's $HOME `x` a b"], "it's $HOME `x` a b"],
  ];
  for (const [what, tokens, expected] of cases) {
    it(`${what}; the emulator accepts the try: line's token`, async () => {
      await withEmulator({ tokens }, async (emu) => {
        const banner = emulatorBanner({ url: emu.url, tokens, quota: 100_000, maxInflight: 2, latencyMs: 0 });
        const token = tryLineToken(banner);
        assert.equal(token, expected);
        assert.ok(banner.includes(`--server ${emu.url} `), banner);
        const answer = await call(emu, { method: 'POST', path: `${TOKEN_INFO}?operation=demo`, body: '', token });
        assert.equal(answer.status, 200, answer.text);
      });
    });
  }
  it('names the accepted tokens and the insert URL', () => {
    const banner = emulatorBanner({ url: 'http://127.0.0.1:1234', tokens: ['a1', 'b2'], quota: 5, maxInflight: 2, latencyMs: { min: 1, max: 3 } });
    assert.match(banner, /^wolkvox emulator listening on http:\/\/127\.0\.0\.1:1234\n/);
    assert.match(banner, /insert: POST http:\/\/127\.0\.0\.1:1234\/server\/API\/v2\/collections\/insertGestion\.php/);
    assert.match(banner, /tokens: a1, b2 · quota 5\/day · 2 in flight · latency \{"min":1,"max":3\} ms/);
  });
});
