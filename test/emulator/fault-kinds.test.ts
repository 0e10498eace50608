import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type FaultKind } from '../../src/emulator/index.ts';
import { request } from 'node:http';
import { call, envelope, gestion, INSERT, sleep, TOKEN, until, withEmulator } from './helpers.ts';

interface AnsweredCase {
  fault: FaultKind;
  status: number;
  /** The envelope message, or null when the body is not the JSON envelope. */
  message: string | null;
  committed: boolean;
}

const answered: AnsweredCase[] = [
  { fault: '503', status: 503, message: 'SERVICE UNAVAILABLE', committed: false },
  { fault: '429', status: 429, message: 'TOO MANY REQUESTS', committed: false },
  { fault: 'concurrency', status: 403, message: 'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)', committed: false },
  { fault: 'maintenance', status: 403, message: 'API DISABLED FOR MAINTENANCE', committed: false },
  { fault: 'unknown403', status: 403, message: 'FORBIDDEN', committed: false },
  { fault: 'quota', status: 403, message: 'TOKEN LIMIT EXCEEDED', committed: false },
  { fault: 'fatal-token', status: 403, message: 'PLEASE VALIDATE TOKEN', committed: false },
  { fault: '502', status: 502, message: null, committed: false },
  { fault: '504', status: 504, message: null, committed: false },
  { fault: '500-after', status: 500, message: 'INTERNAL SERVER ERROR', committed: true },
  { fault: 'garbage-200', status: 200, message: null, committed: true },
];

describe('emulator: what each fault kind does', () => {
  for (const c of answered) {
    const body = c.message === null ? 'a body that is not the JSON envelope' : c.message;
    it(`answers fault '${c.fault}' with ${c.status} and ${body}, ${c.committed ? 'after committing' : 'without committing'}`, () =>
      withEmulator({ faults: [{ fault: c.fault, requests: [1] }] }, async (emu) => {
        const a = await call(emu);
        assert.equal(a.status, c.status);
        if (c.message === null) assert.equal(a.json, undefined, `body: ${a.text}`);
        else assert.deepEqual(a.json, envelope(c.status, c.message));
        assert.equal(emu.inserted.length, c.committed ? 1 : 0);
        assert.equal(emu.stats().faultsInjected, 1);
        assert.equal((await call(emu)).status, 200, 'the next request is not hit');
      }));
  }

  it("sends Retry-After: 1 with fault '429' by default", () =>
    withEmulator({ faults: [{ fault: '429' }] }, async (emu) => {
      assert.equal((await call(emu)).headers['retry-after'], '1');
    }));

  it("sends the rule's retryAfter, in seconds or as an HTTP date, with fault '429'", () =>
    withEmulator({}, async (emu) => {
      const date = 'Wed, 21 Oct 2026 07:28:00 GMT';
      emu.setFaults([{ fault: '429', requests: [1], retryAfter: 2 }, { fault: '429', requests: [2], retryAfter: date }]);
      assert.equal((await call(emu)).headers['retry-after'], '2');
      assert.equal((await call(emu)).headers['retry-after'], date);
    }));

  it("destroys the socket without committing on fault 'reset-before'", () =>
    withEmulator({ faults: [{ fault: 'reset-before', requests: [1] }] }, async (emu) => {
      await assert.rejects(call(emu), { code: 'ECONNRESET' });
      assert.equal(emu.inserted.length, 0);
      assert.equal((await call(emu)).status, 200);
    }));

  it("commits, then destroys the socket without answering, on fault 'reset-after'", () =>
    withEmulator({ faults: [{ fault: 'reset-after', requests: [1] }] }, async (emu) => {
      await assert.rejects(call(emu), { code: 'ECONNRESET' });
      assert.equal(emu.inserted.length, 1);
      assert.equal(emu.inserted[0]!.requestNo, 1);
    }));

  it("never answers nor commits on fault 'hang', until the client gives up", () =>
    withEmulator({ faults: [{ fault: 'hang', requests: [1] }] }, async (emu) => {
      await assert.rejects(call(emu, { giveUpAfterMs: 150 }), { code: 'CLIENT_TIMEOUT' });
      assert.equal(emu.inserted.length, 0);
      assert.deepEqual(emu.stats().byHttpStatus, {});
    }));

  it('waits the latency before a server-side fault', () =>
    withEmulator({ latencyMs: 400, faults: [{ fault: '503', requests: [1] }] }, async (emu) => {
      const t = Date.now();
      assert.equal((await call(emu)).status, 503);
      assert.ok(Date.now() - t >= 390, '503 waited the latency');
    }));

  it('counts the latency from the request\'s arrival, not from the end of its body', () =>
    withEmulator({ latencyMs: 1000 }, async (emu) => {
      const { port } = new URL(emu.url);
      const body = JSON.stringify(gestion());
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: INSERT, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'wolkvox-token': TOKEN } });
      const answered = new Promise<number>((resolve, reject) => {
        req.once('response', (res) => res.resume().once('end', () => resolve(Date.now())));
        req.once('error', reject);
      });
      req.write(body.slice(0, 10));
      await until(() => emu.stats().insertCalls === 1); // arrived: its latency runs from now
      await sleep(1100);
      const bodyEnd = Date.now();
      req.end(body.slice(10));
      // Counted from the body's end it would be ≥ 1000 ms more (a timer never fires early).
      assert.ok((await answered) - bodyEnd < 900, 'answered once the body was in: the latency had already passed');
      assert.equal(emu.inserted.length, 1);
    }));

  it('answers a check-like fault at once, while an earlier request still waits its latency', { timeout: 30_000 }, async () => {
    const emu = await startEmulator({ latencyMs: 600_000, faults: [{ fault: '503', requests: [1] }, { fault: 'maintenance', requests: [2] }] });
    try {
      let waiting = true;
      const first = call(emu).finally(() => (waiting = false));
      await until(() => emu.stats().insertCalls === 1);
      assert.equal((await call(emu)).status, 403);
      assert.ok(waiting, 'maintenance answered while the 503 still waits its latency');
      await emu.close();
      await assert.rejects(first);
    } finally {
      await emu.close();
    }
  });

  it('applies faults only after the token checks, to calls that count', () =>
    withEmulator({ tokens: ['good'], faults: [{ fault: '503' }] }, async (emu) => {
      assert.equal((await call(emu, { token: null })).status, 401);
      assert.equal((await call(emu, { token: 'bad' })).status, 403);
      assert.equal(emu.stats().faultsInjected, 0);
      assert.equal((await call(emu, { token: 'good' })).status, 503);
      assert.equal(emu.stats().faultsInjected, 1);
    }));
});
