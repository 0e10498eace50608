import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import type { Emulator } from '../../src/emulator/index.ts';
import { call, envelope, gestion, INSERT, TOKEN, until, withEmulator } from './helpers.ts';

const LIMIT = 'EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)';

/**
 * The server frees a slot when it sees the client's socket close, a moment after the client
 * destroyed it: two simultaneous requests are tried until both are answered 200 (every refusal
 * must be the limit's), with a generous deadline instead of a fixed sleep.
 */
async function bothSlotsFree(emu: Pick<Emulator, 'url'>, message: string): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    const answers = await Promise.all([call(emu, { body: gestion() }), call(emu)]);
    for (const a of answers) if (a.status !== 200) assert.deepEqual(a.json, envelope(403, LIMIT));
    if (answers.every((a) => a.status === 200)) return;
    assert.ok(Date.now() < end, message);
  }
}

describe('emulator: simultaneous requests per token', () => {
  it('answers 403 EXCEEDS THE LIMIT at once when a third request arrives while two are in flight', () =>
    withEmulator({ latencyMs: 400 }, async (emu) => {
      const first = [call(emu), call(emu)];
      await until(() => emu.stats().maxInflightSeen === 2);
      const third = await call(emu);
      assert.equal(third.status, 403);
      assert.deepEqual(third.json, envelope(403, LIMIT));
      assert.equal(emu.inserted.length, 0, 'answered while the first two still wait their latency');
      assert.deepEqual((await Promise.all(first)).map((a) => a.status), [200, 200]);
      assert.equal(emu.inserted.length, 2);
      assert.equal(emu.stats().rejectedConcurrency, 1);
    }));

  it('counts a request as in flight from its arrival, while its body is still being sent, until its client goes away', () =>
    withEmulator({}, async (emu) => {
      const open = [0, 1].map(() => {
        const req = request(`${emu.url}${INSERT}`, { method: 'POST', agent: false, headers: { 'wolkvox-token': TOKEN } });
        req.on('error', () => {});
        req.write('{"operation":');
        return req;
      });
      await until(() => emu.stats().maxInflightSeen === 2);
      assert.equal((await call(emu)).status, 403);
      for (const req of open) req.destroy();
      await bothSlotsFree(emu, 'the slots of the abandoned requests are free again');
    }));

  it('keeps a separate in-flight count for each token', () =>
    withEmulator({ latencyMs: 100 }, async (emu) => {
      const answers = await Promise.all([call(emu, { token: 'a' }), call(emu, { token: 'a' }), call(emu, { token: 'b' }), call(emu, { token: 'b' })]);
      assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200]);
    }));

  it('allows as many simultaneous requests as maxInflight says', () =>
    withEmulator({ latencyMs: 200, maxInflight: 4 }, async (emu) => {
      const four = [1, 2, 3, 4].map(() => call(emu));
      await until(() => emu.stats().maxInflightSeen === 4);
      assert.equal((await call(emu)).status, 403);
      assert.deepEqual((await Promise.all(four)).map((a) => a.status), [200, 200, 200, 200]);
    }));

  it('never refuses a client that sends its next request the moment it reads an answer', () =>
    withEmulator({ latencyMs: { min: 0, max: 2 } }, async (emu) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 2 });
      try {
        const worker = async (): Promise<number[]> => {
          const statuses: number[] = [];
          for (let i = 0; i < 100; i++) statuses.push((await call(emu, { agent })).status);
          return statuses;
        };
        const all = (await Promise.all([worker(), worker()])).flat();
        assert.ok(all.every((s) => s === 200), `statuses: ${[...new Set(all)].join(',')}`);
        assert.equal(emu.stats().rejectedConcurrency, 0);
        assert.equal(emu.stats().maxInflightSeen, 2);
      } finally {
        agent.destroy();
      }
    }));

  it('frees the slot of a request whose client gave up', () =>
    withEmulator({ faults: [{ fault: 'hang', requests: [1, 2] }] }, async (emu) => {
      const gaveUp = await Promise.allSettled([call(emu, { giveUpAfterMs: 50 }), call(emu, { giveUpAfterMs: 50 })]);
      assert.deepEqual(gaveUp.map((r) => r.status), ['rejected', 'rejected']);
      await bothSlotsFree(emu, 'the slots of the requests whose clients gave up are free again');
    }));
});
