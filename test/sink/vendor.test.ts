/** Matching the vendor's own description: errors inside a 200, tokenInformation by POST, the token in the body too. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenLoopback } from '../helpers.ts';
import pino from 'pino';
import { startEmulator } from '../../src/emulator/index.ts';
import { classify } from '../../src/sink/classify.ts';
import { createClient } from '../../src/sink/client.ts';
import type { Answer } from '../../src/sink/http.ts';
import { Sender } from '../../src/sink/sender.ts';
import type { RetryPolicy } from '../../src/sink/policy.ts';
import { parseMaxErrors } from '../../src/sink/budget.ts';

const a = (status: number, body: unknown): Answer => ({ status, body, latencyMs: 1 });
const env = (code: number | string, msg: string) => ({ code, error: msg, msg });
const FIELDS = { tipifycation_code: '1', tipifycation_desc: 'd', module: 'collections', wolkvox_idRecord: 'r' };
const POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxBackoffPerRowMs: 1000, probeIntervalMs: 50, maxProbeIntervalMs: 100, maxPauseMs: 500, raiseAfterSuccesses: 20, unknown403Streak: 3 };

/** A server that records each request (method, path, body) and answers with `answer`. */
async function recorder(answer: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ srv: Server; origin: string; seen: { method: string; path: string; body: string; header?: string }[] }> {
  const seen: { method: string; path: string; body: string; header?: string }[] = [];
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, path: req.url!, body, header: req.headers['wolkvox-token'] as string | undefined });
      answer(req, body, res);
    });
  });
  return { srv, origin: await listenLoopback(srv), seen };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('point 8: an HTTP 200 whose body carries an error is classified by the body', () => {
  const table: [string, Answer, string, string, string][] = [
    ['200 + code 400 SOME PARAMETERS ARE REQUIRED', a(200, env(400, 'SOME PARAMETERS ARE REQUIRED')), 'row-rejected', 'api-400-params', 'API_200_400'],
    ['200 + code "400" as a string', a(200, env('400', 'SOME PARAMETERS ARE REQUIRED')), 'row-rejected', 'api-400-params', 'API_200_400'],
    ['200 + the message alone (no code)', a(200, { msg: 'SOME PARAMETERS ARE REQUIRED' }), 'row-rejected', 'api-400-params', 'API_200_400'],
    ['200 + 403 TOKEN LIMIT EXCEEDED', a(200, env(403, 'TOKEN LIMIT EXCEEDED')), 'quota', 'api-403-quota', 'API_200_403'],
    ['200 + 403 PLEASE VALIDATE TOKEN', a(200, env('403', 'PLEASE VALIDATE TOKEN')), 'fatal', 'api-403-token', 'API_200_403'],
    ['200 + 403 simultaneous requests', a(200, env(403, 'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)')), 'throttled', 'api-403-simultaneous', 'API_200_403'],
    ['200 + 400 wrong API', a(200, env(400, 'THE API YOU WANT TO CONSULT DOES NOT EXIST')), 'fatal', 'api-400-no-api', 'API_200_400'],
    ['200 + code 500', a(200, env(500, 'INTERNAL SERVER ERROR')), 'ambiguous', 'api-5xx-after-send', 'API_200_500'],
    ['200 + code 200 without an id (unchanged)', a(200, { code: 200, msg: 'ok', data: {} }), 'ambiguous', 'api-2xx-unexpected', 'API_200_UNEXPECTED'],
  ];
  for (const [name, answer, action, rule, code] of table) {
    it(name, () => {
      const c = classify(answer);
      assert.deepEqual([c.action, c.rule, c.code, c.status], [action, rule, code, 200]);
    });
  }

  it('a systematic rejection inside 200s trips --max-errors instead of spending the quota on uncertain rows', async () => {
    const { srv, origin, seen } = await recorder((_req, _b, res) => json(res, 200, env(400, 'SOME PARAMETERS ARE REQUIRED')));
    const client = createClient({ origin, token: 'tok-200', timeoutMs: 5000, connections: 2 });
    const sender = new Sender({ operation: 'OP', concurrency: 2, policy: POLICY, retryUncertain: false, maxErrors: parseMaxErrors('5') }, client, { beforeSend: () => true, notInserted: () => {} }, pino({ level: 'silent' }));
    try {
      const outcomes = [];
      for (let row = 1; row <= 30; row++) outcomes.push(await sender.send(row, FIELDS));
      assert.equal(outcomes.filter((o) => o.status === 'uncertain').length, 0);
      assert.equal(outcomes[0]!.status, 'failed');
      assert.equal(sender.stopped?.kind, 'error-budget');
      assert.ok(seen.length <= 7, `stopped early (${seen.length} calls)`);
    } finally {
      await client.close();
      srv.close();
    }
  });
});

describe('point 6: tokenInformation by POST, GET after a 405', () => {
  it('asks the emulator (which follows the vendor: POST) by POST', async () => {
    const emu = await startEmulator({ quota: 10 });
    const client = createClient({ origin: emu.url, token: 'tok-info', timeoutMs: 5000, connections: 1 });
    try {
      const r = await client.tokenInfo('OP');
      assert.equal(r.status, 200);
      assert.equal((r.body as { data: { token_limit: number } }).data.token_limit, 10);
      assert.equal(emu.stats().byHttpStatus['405'], undefined, 'no GET tried');
    } finally {
      await client.close();
      await emu.close();
    }
  });

  it('falls back to GET on a 405 and keeps GET for the rest of the run', async () => {
    const { srv, origin, seen } = await recorder((req, _b, res) => {
      if (req.method === 'POST') return json(res, 405, env(405, 'METHOD NOT ALLOWED'));
      json(res, 200, { code: 200, error: 'null', data: { token_limit: 5, token_use_today: 1 } });
    });
    const client = createClient({ origin, token: 'tok-info', timeoutMs: 5000, connections: 1 });
    try {
      assert.equal((await client.tokenInfo('OP')).status, 200);
      assert.equal((await client.tokenInfo('OP')).status, 200);
      assert.deepEqual(seen.map((s) => s.method), ['POST', 'GET', 'GET']);
      assert.match(seen[0]!.path, /tokenInformation\.php\?operation=OP$/);
    } finally {
      await client.close();
      srv.close();
    }
  });
});

describe('point 7: the token in the body after a 401 that ignored the header', () => {
  it('resends with "wolkvox-token" in the body once, then always sends it there (emulator in tokenFrom "body" mode)', async () => {
    const emu = await startEmulator({ tokenFrom: 'body', tokens: ['tok-body-123'] });
    const notes: string[] = [];
    const client = createClient({ origin: emu.url, token: 'tok-body-123', timeoutMs: 5000, connections: 1, onNote: (m) => notes.push(m) });
    try {
      for (let i = 0; i < 3; i++) assert.equal(classify(await client.insert('OP', FIELDS)).action, 'ok');
      assert.equal(emu.inserted.length, 3, 'each row inserted once');
      assert.equal(emu.stats().byHttpStatus['401'], 1, 'one refusal, then the body token every time');
      assert.equal(notes.length, 1);
      assert.doesNotMatch(notes[0]!, /tok-body-123/);
      assert.equal((await client.tokenInfo('OP')).status, 200, 'tokenInformation POST carries it too');
    } finally {
      await client.close();
      await emu.close();
    }
  });

  it('keeps the header only while the API reads it (no body token against the default emulator)', async () => {
    const { srv, origin, seen } = await recorder((_req, _b, res) => json(res, 200, { code: 200, error: 'null', data: { wolkvox_id: 'a1' } }));
    const client = createClient({ origin, token: 'tok-header-1', timeoutMs: 5000, connections: 1 });
    try {
      await client.insert('OP', FIELDS);
      assert.equal(seen[0]!.header, 'tok-header-1');
      assert.doesNotMatch(seen[0]!.body, /wolkvox-token/);
    } finally {
      await client.close();
      srv.close();
    }
  });

  it('never lets the body token reach a message: an answer echoing the request is redacted', async () => {
    const { srv, origin } = await recorder((_req, body, res) => {
      if (!body.includes('wolkvox-token')) return json(res, 401, env(401, 'PLEASE ENTER THE WOLKVOX-TOKEN'));
      json(res, 400, { code: 400, error: `SOME PARAMETERS ARE REQUIRED: ${body}`, msg: `SOME PARAMETERS ARE REQUIRED: ${body}` });
    });
    const client = createClient({ origin, token: 'tok-secret-987', timeoutMs: 5000, connections: 1 });
    try {
      const answer = await client.insert('OP', FIELDS);
      const c = classify(answer);
      assert.equal(c.action, 'row-rejected');
      assert.doesNotMatch(`${answer.text} ${c.message} ${JSON.stringify(answer.body)}`, /tok-secret-987/);
    } finally {
      await client.close();
      srv.close();
    }
  });
});
