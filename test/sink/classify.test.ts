import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classify, parseRetryAfter, type Action } from '../../src/sink/classify.ts';
import type { Answer } from '../../src/sink/http.ts';

const env = (code: number | string, msg: string) => ({ code, error: msg, msg });
const a = (status: number, body: unknown, extra: Partial<Answer> = {}): Answer => ({ status, body, latencyMs: 1, ...extra });
const net = (networkCode: string): Answer => ({ networkCode, latencyMs: 1 });

describe('classify: every documented answer maps to one action', () => {
  const table: [string, Answer, Action, string][] = [
    ['200 with wolkvox_id (code as number)', a(200, { code: 200, error: null, msg: 'Succesfully create record', data: { wolkvox_id: '123cb' } }), 'ok', 'OK'],
    ['200 with wolkvox_id (code as string, error "null")', a(200, { code: '200', error: 'null', data: { wolkvox_id: 'x1' } }), 'ok', 'OK'],
    ['200 without wolkvox_id', a(200, { code: 200, msg: 'ok', data: {} }), 'ambiguous', 'API_200_UNEXPECTED'],
    ['200 with an HTML body', a(200, undefined, { text: '<html>oops</html>' }), 'ambiguous', 'API_200_UNEXPECTED'],
    ['400 SOME PARAMETERS ARE REQUIRED', a(400, env(400, 'SOME PARAMETERS ARE REQUIRED')), 'row-rejected', 'API_400'],
    ['400 THE API YOU WANT TO CONSULT DOES NOT EXIST', a(400, env(400, 'THE API YOU WANT TO CONSULT DOES NOT EXIST')), 'fatal', 'API_400'],
    ['401 PLEASE ENTER THE WOLKVOX-TOKEN', a(401, env(401, 'PLEASE ENTER THE WOLKVOX-TOKEN')), 'fatal', 'API_401'],
    ['403 PLEASE VALIDATE TOKEN', a(403, env(403, 'PLEASE VALIDATE TOKEN')), 'fatal', 'API_403'],
    ['403 token limit in lower case', a(403, env(403, 'token limit exceeded')), 'quota', 'API_403'],
    ['403 EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)', a(403, env(403, 'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)')), 'throttled', 'API_403'],
    ['403 maintenance', a(403, env(403, 'API DISABLED FOR MAINTENANCE')), 'maintenance', 'API_403'],
    ['403 unknown message', a(403, env(403, 'FORBIDDEN')), 'unknown-403', 'API_403'],
    ['405', a(405, env(405, 'METHOD NOT ALLOWED')), 'fatal', 'API_405'],
    ['404 without a message', a(404, undefined, { text: '' }), 'row-rejected', 'API_404'],
    ['429', a(429, undefined, { retryAfter: '2' }), 'throttled', 'API_429'],
    ['503', a(503, env(503, 'SERVICE UNAVAILABLE')), 'throttled', 'API_503'],
    ['500 after the request arrived', a(500, env(500, 'INTERNAL SERVER ERROR')), 'ambiguous', 'API_500'],
    ['502', a(502, undefined), 'ambiguous', 'API_502'],
    ['504', a(504, undefined), 'ambiguous', 'API_504'],
    ['connection refused', net('ECONNREFUSED'), 'retry', 'NET_ECONNREFUSED'],
    ['DNS failure', net('ENOTFOUND'), 'retry', 'NET_ENOTFOUND'],
    ['TLS handshake failure', net('DEPTH_ZERO_SELF_SIGNED_CERT'), 'retry', 'NET_DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['timeout after sending', net('UND_ERR_HEADERS_TIMEOUT'), 'ambiguous', 'NET_UND_ERR_HEADERS_TIMEOUT'],
    ['reset after sending', net('UND_ERR_SOCKET'), 'ambiguous', 'NET_UND_ERR_SOCKET'],
    ['ECONNRESET', net('ECONNRESET'), 'ambiguous', 'NET_ECONNRESET'],
    ['an unexpected 302', a(302, undefined, { text: 'moved' }), 'unknown', 'API_302'],
    ['an unexpected 600', a(600, undefined), 'unknown', 'API_600'],
  ];
  for (const [name, answer, action, code] of table) {
    it(`${name} → ${action}`, () => {
      const c = classify(answer);
      assert.equal(c.action, action);
      assert.equal(c.code, code);
    });
  }
  it('keeps the id of a success', () => assert.equal(classify(a(200, { code: 200, data: { wolkvox_id: 'abc' } })).wolkvoxId, 'abc'));
  it('carries Retry-After as milliseconds', () => assert.equal(classify(a(429, undefined, { retryAfter: '3' })).retryAfterMs, 3000));
});

describe('parseRetryAfter', () => {
  it('reads seconds', () => assert.equal(parseRetryAfter('5'), 5000));
  it('reads an HTTP date', () => assert.equal(parseRetryAfter(new Date(10_000 + 4000).toUTCString(), 10_000), 4000));
  it('ignores garbage', () => assert.equal(parseRetryAfter('soon'), undefined));
});
