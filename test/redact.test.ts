import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretName, redact, redactArgv, redactUrl } from '../src/redact.ts';

const TOKEN = 'tok_9f8e7d6c5b4a39281706';

describe('redact', () => {
  it('replaces every occurrence of each secret, the longest first', () => {
    assert.equal(redact(`a ${TOKEN} b ${TOKEN}`, [TOKEN]), 'a [REDACTED] b [REDACTED]');
    assert.equal(redact('abcdefgh abcdef', ['abcdef', 'abcdefgh']), '[REDACTED] [REDACTED]');
  });

  it('leaves secrets shorter than 6 characters (and empty ones) alone: they would mangle words', () => {
    assert.equal(redact('the token abc is here', ['abc', '', '   ']), 'the token abc is here');
  });

  it('removes URL credentials inside any text', () => {
    assert.equal(redact('proxy http://me:pw@10.0.0.1:3128 refused', []), 'proxy http://[REDACTED]@10.0.0.1:3128 refused');
  });
});

describe('redactUrl', () => {
  for (const [url, expected] of [
    ['https://user:s3cret@crm0001.wolkvox.com/api', 'https://[REDACTED]@crm0001.wolkvox.com/api'],
    ['https://apikeyonly@crm.example/x', 'https://[REDACTED]@crm.example/x'],
    ['https://crm.example/x?token=abc&operation=cobranza', 'https://crm.example/x?token=[REDACTED]&operation=cobranza'],
    ['https://crm.example/x?op=1&api_key=k&Password=p&X-Amz-Signature=s&sig=z', 'https://crm.example/x?op=1&api_key=[REDACTED]&Password=[REDACTED]&X-Amz-Signature=[REDACTED]&sig=[REDACTED]'],
    ['https://crm.example/x#access_token=abc', 'https://crm.example/x#access_token=[REDACTED]'],
    ['https://crm.example/x?email=a@b.co&signal=2&author=me', 'https://crm.example/x?email=a@b.co&signal=2&author=me'],
    ['http://127.0.0.1:8089', 'http://127.0.0.1:8089'],
    ['not a url: token=abc', 'not a url: token=abc'],
  ] as const) {
    it(`${url} → ${expected}`, () => assert.equal(redactUrl(url), expected));
  }

  it('stays linear on hostile text', () => {
    const hostile = `${'a.'.repeat(100_000)}://${'?'.repeat(100_000)}`;
    assert.equal(typeof redactUrl(hostile), 'string');
  });
});

describe('isSecretName', () => {
  it('reads the words of a name', () => {
    for (const n of ['token', 'WOLKVOX_TOKEN', 'apiKey', 'api-key', 'client_secret', 'Authorization', 'password', 'X-Amz-Signature']) assert.ok(isSecretName(n), n);
    for (const n of ['token-file', 'token_path', 'signal', 'author', 'keyword', 'operation', 'server']) assert.ok(!isSecretName(n), n);
  });
});

describe('redactArgv', () => {
  it('redacts URL query secrets of --server', () => {
    assert.deepEqual(redactArgv(['--server', 'https://crm.example/?token=zz9'], []), ['--server', 'https://crm.example/?token=[REDACTED]']);
    assert.deepEqual(redactArgv(['--server=https://u:p@crm.example'], []), ['--server=https://[REDACTED]@crm.example']);
  });
});
