/** Point 9: leaving through an outbound proxy (CONNECT), with its credentials kept secret. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { classify } from '../../src/sink/classify.ts';
import { createClient } from '../../src/sink/client.ts';
import { checkProxyUrl } from '../../src/sink/proxy.ts';
import { resolveImportConfig } from '../../src/config/config.ts';
import { listenLoopback, runCli, tmp, writeGestiones, writeMapping } from '../helpers.ts';

const FIELDS = { tipifycation_code: '1', tipifycation_desc: 'd', module: 'collections', wolkvox_idRecord: 'r' };

/** A CONNECT proxy on 127.0.0.1: records each tunnel, refuses with 407 when `auth` is set and not given. */
async function connectProxy(auth?: string): Promise<{ srv: Server; url: string; seen: { target: string; auth?: string }[] }> {
  const seen: { target: string; auth?: string }[] = [];
  const srv = createServer((_req, res) => res.writeHead(405).end());
  srv.on('connect', (req, socket, head) => {
    const given = req.headers['proxy-authorization'];
    seen.push({ target: req.url!, auth: given });
    if (auth && given !== auth) return void socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
    const [host, port] = req.url!.split(':');
    const up = connect(Number(port), host!, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  return { srv, url: await listenLoopback(srv), seen };
}

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('point 9: outbound proxy', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());

  it('--proxy URL tunnels every request through the proxy, with its credentials', async () => {
    const p = await connectProxy(basic('ops', 's3cret-pw'));
    const proxyUrl = p.url.replace('http://', 'http://ops:s3cret-pw@');
    const client = createClient({ origin: emu.url, token: 'tok-proxy', timeoutMs: 5000, connections: 1, proxy: proxyUrl, env: {} });
    try {
      assert.equal(classify(await client.insert('OP', FIELDS)).action, 'ok');
      assert.equal((await client.tokenInfo('OP')).status, 200);
      assert.ok(p.seen.length >= 1);
      assert.equal(p.seen[0]!.target, `127.0.0.1:${emu.port}`);
    } finally {
      await client.close();
      p.srv.close();
    }
  });

  it('HTTP_PROXY / HTTPS_PROXY from the environment are used, and NO_PROXY bypasses them', async () => {
    const p = await connectProxy();
    try {
      const via = createClient({ origin: emu.url, token: 'tok-proxy', timeoutMs: 5000, connections: 1, env: { HTTP_PROXY: p.url } });
      assert.equal(classify(await via.insert('OP', FIELDS)).action, 'ok');
      await via.close();
      assert.equal(p.seen.length, 1, 'through the proxy');
      const direct = createClient({ origin: emu.url, token: 'tok-proxy', timeoutMs: 5000, connections: 1, env: { http_proxy: p.url, NO_PROXY: 'localhost,127.0.0.1' } });
      assert.equal(classify(await direct.insert('OP', FIELDS)).action, 'ok');
      await direct.close();
      assert.equal(p.seen.length, 1, 'NO_PROXY: straight to the server');
    } finally {
      p.srv.close();
    }
  });

  it('a proxy that refuses its credentials is fatal and "nothing sent" (never uncertain), and its password never reaches a message', async () => {
    const p = await connectProxy(basic('ops', 'right-password'));
    const client = createClient({ origin: emu.url, token: 'tok-proxy', timeoutMs: 5000, connections: 1, proxy: p.url.replace('http://', 'http://ops:wrong-password@'), env: {} });
    try {
      const a = await client.insert('OP', FIELDS);
      const c = classify(a);
      assert.deepEqual([c.action, c.rule, c.code], ['fatal', 'net-proxy-auth', 'NET_PROXY_407'], 'nothing was sent: never uncertain');
      assert.doesNotMatch(`${a.networkCode} ${a.networkMessage} ${c.message}`, /wrong-password/);
    } finally {
      await client.close();
      p.srv.close();
    }
  });

  it('refuses a proxy URL that is not http(s) without echoing its credentials', () => {
    assert.throws(() => checkProxyUrl('socks5://u:topsecret@h:1080'), (e: Error) => /http:\/\/ or https:\/\//.test(e.message) && !e.message.includes('topsecret'));
    assert.throws(() => resolveImportConfig({ input: 'x.csv', mapping: 'm.json', server: emu.url, operation: 'o', proxy: 'not a url' }), /--proxy/);
  });

  it('import --proxy: the run goes through the proxy, and the password is in no output, log or result', async () => {
    const p = await connectProxy(basic('ops', 'pw-in-url-77')); 
    try {
      const dir = tmp();
      const input = writeGestiones(dir, 5);
      const out = `${dir}/r.csv`;
      const run = await runCli(['import', input, '--mapping', writeMapping(dir), '--server', emu.url, '--operation', 'op', '--out', out, '--proxy', p.url.replace('http://', 'http://ops:pw-in-url-77@'), '--log-file', `${dir}/log.jsonl`], { cwd: dir, env: { WOLKVOX_TOKEN: 'tok-proxy-cli' } });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(p.seen.length >= 1);
      const { readFileSync, readdirSync } = await import('node:fs');
      const texts = [run.stdout, run.stderr, ...readdirSync(dir).filter((f) => !f.startsWith('.')).map((f) => { try { return readFileSync(`${dir}/${f}`, 'utf8'); } catch { return ''; } })];
      for (const t of texts) assert.doesNotMatch(t, /pw-in-url-77/);
    } finally {
      p.srv.close();
    }
  });
});
