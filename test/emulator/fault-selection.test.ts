import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Emulator, FaultRule } from '../../src/emulator/index.ts';
import { call, envelope, gestion, TOKEN_INFO, withEmulator } from './helpers.ts';

/** Sends n valid inserts one after another and returns their statuses. */
async function statuses(emu: Emulator, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(emu)).status);
  return out;
}

/** The request numbers a rate rule hits over n sequential requests with this seed. */
function hitsWithSeed(seed: number, rule: FaultRule, n: number): Promise<number[]> {
  return withEmulator({ seed, faults: [rule] }, async (emu) => {
    const s = await statuses(emu, n);
    return s.flatMap((status, i) => (status === 503 ? [i + 1] : []));
  });
}

describe('emulator: which requests a fault rule hits', () => {
  it('hits every insert request when the rule has no condition', () =>
    withEmulator({ faults: [{ fault: '503' }] }, async (emu) => {
      assert.deepEqual(await statuses(emu, 3), [503, 503, 503]);
    }));

  it('hits only the listed request numbers', () =>
    withEmulator({ faults: [{ fault: '503', requests: [2, 4] }] }, async (emu) => {
      assert.deepEqual(await statuses(emu, 5), [200, 503, 200, 503, 200]);
    }));

  it('hits the inclusive range fromRequest..toRequest', () =>
    withEmulator({ faults: [{ fault: '503', fromRequest: 2, toRequest: 3 }] }, async (emu) => {
      assert.deepEqual(await statuses(emu, 4), [200, 503, 503, 200]);
    }));

  it('numbers the requests refused by a fault too, so a retry gets a new number', () =>
    withEmulator({ faults: [{ fault: '503', requests: [1] }] }, async (emu) => {
      await statuses(emu, 2);
      assert.equal(emu.inserted[0]!.requestNo, 2);
    }));

  it('applies a rule at most `times` times', () =>
    withEmulator({ faults: [{ fault: '503', times: 2 }] }, async (emu) => {
      assert.deepEqual(await statuses(emu, 4), [503, 503, 200, 200]);
    }));

  it('hits only requests whose field equals the given value', () =>
    withEmulator({ faults: [{ fault: 'unknown403', whenField: { name: 'customer_id', equals: '42' } }] }, async (emu) => {
      assert.equal((await call(emu, { body: gestion({ customer_id: '41' }) })).status, 200);
      assert.equal((await call(emu, { body: gestion({ customer_id: '42' }) })).status, 403);
      assert.equal((await call(emu, { body: gestion({ customer_id: '42' }) })).status, 403);
    }));

  it('lets the first matching rule win', () =>
    withEmulator({ faults: [{ fault: '502', requests: [2] }, { fault: '503' }] }, async (emu) => {
      assert.deepEqual(await statuses(emu, 3), [503, 502, 503]);
    }));

  it('hits the same requests for the same seed and other requests for another seed', async () => {
    const rule: FaultRule = { fault: '503', rate: 0.3 };
    const a = await hitsWithSeed(7, rule, 60);
    const b = await hitsWithSeed(7, rule, 60);
    const c = await hitsWithSeed(8, rule, 60);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.ok(a.length > 5 && a.length < 35, `${a.length} hits of 60 at rate 0.3`);
  });

  it('never hits at rate 0 and always hits at rate 1', async () => {
    assert.deepEqual(await hitsWithSeed(1, { fault: '503', rate: 0 }, 20), []);
    assert.equal((await hitsWithSeed(1, { fault: '503', rate: 1 }, 20)).length, 20);
  });

  it('answers every insert and tokenInformation with maintenance during a forMs window, then resumes', () =>
    withEmulator({ faults: [{ fault: 'maintenance', fromRequest: 2, forMs: 300 }] }, async (emu) => {
      const maintenance = envelope(403, 'API DISABLED FOR MAINTENANCE');
      assert.equal((await call(emu)).status, 200);
      assert.deepEqual((await call(emu)).json, maintenance);
      assert.deepEqual((await call(emu)).json, maintenance);
      assert.deepEqual((await call(emu, { method: 'POST', path: `${TOKEN_INFO}?operation=x`, body: '' })).json, maintenance);
      // tokenInformation shows when the window has ended without spending an insert request
      const inWindow = async () => (await call(emu, { method: 'POST', path: `${TOKEN_INFO}?operation=x`, body: '' })).status === 403;
      const end = Date.now() + 20_000;
      while (await inWindow()) assert.ok(Date.now() < end, 'the maintenance window ends');
      assert.deepEqual(await statuses(emu, 2), [200, 200]);
      assert.equal(emu.inserted.length, 3);
    }));

  it('replaces the rules and restarts their counts on setFaults()', () =>
    withEmulator({ faults: [{ fault: '503', times: 1 }] }, async (emu) => {
      assert.deepEqual(await statuses(emu, 2), [503, 200]);
      emu.setFaults([{ fault: '502', times: 1 }]);
      assert.deepEqual(await statuses(emu, 2), [502, 200]);
      emu.setFaults([]);
      assert.deepEqual(await statuses(emu, 1), [200]);
    }));

  it('refuses an invalid rule with a ConfigError naming the wrong value', () =>
    withEmulator({}, async (emu) => {
      assert.throws(() => emu.setFaults([{ fault: '503', rate: 1.5 }]), { code: 'E_CONFIG', message: /faults\[0\]\.rate: expected a probability from 0 to 1, got 1\.5/ });
      assert.throws(() => emu.setFaults([{ fault: 'nope' as never }]), { code: 'E_CONFIG', message: /faults\[0\]\.fault/ });
    }));
});
