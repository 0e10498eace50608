import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classify } from '../../src/sink/classify.ts';
import { createClient } from '../../src/sink/client.ts';

/** A hostile server: answers 200 at once, then trickles one byte of body every 100 ms, for ever. */
function trickler(): Promise<Server> {
  const srv = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const t = setInterval(() => res.write(' '), 100);
    res.on('close', () => clearInterval(t));
  });
  return new Promise((r) => srv.listen(0, '127.0.0.1', () => r(srv)));
}

describe('client: every request ends, and one that never left is never uncertain', () => {
  let srv: Server;
  let origin: string;
  before(async () => {
    srv = await trickler();
    origin = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  });
  after(() => {
    srv.closeAllConnections();
    srv.close();
  });

  it('--timeout bounds the whole exchange: a body trickled byte by byte ends as a timeout (uncertain: it was sent)', async () => {
    const c = createClient({ origin, token: 'tok-trickle', timeoutMs: 800, connections: 1 });
    const a = await c.insert('OP', { x: '1' });
    await c.close();
    assert.equal(a.networkCode, 'TIMEOUT');
    assert.equal(classify(a).action, 'ambiguous');
    assert.ok(a.latencyMs >= 700, `ended by the limit (${Math.round(a.latencyMs)} ms)`);
  });

  for (const [what, token] of [['an inner line break', 'abc\ndef123'], ['a zero-width space', 'abc\u200bdef123']] as const) {
    it(`a token with ${what} fails before anything is written: fatal, not uncertain, and the token is not in the message`, async () => {
      const c = createClient({ origin, token, timeoutMs: 800, connections: 1 });
      const a = await c.insert('OP', { x: '1' });
      await c.close();
      const k = classify(a);
      assert.equal(k.rule, 'net-not-built');
      assert.equal(k.action, 'fatal');
      assert.ok(!(a.networkMessage ?? '').includes('def123'));
    });
  }

  it('abort() ends requests in flight at once (the end of a stop\'s grace): ABORTED, uncertain', async () => {
    const c = createClient({ origin, token: 'tok-trickle', timeoutMs: 60_000, connections: 1 });
    const pending = c.insert('OP', { x: '1' });
    setTimeout(() => c.abort(), 100);
    const a = await pending;
    await c.close();
    assert.equal(a.networkCode, 'ABORTED');
    assert.equal(classify(a).action, 'ambiguous');
  });
});
