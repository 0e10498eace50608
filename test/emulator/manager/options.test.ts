import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../../../src/emulator/index.ts';
import { withEmulator } from '../helpers.ts';

describe('Manager emulator: options', () => {
  it('refuses wrong Manager options with a ConfigError naming the option', async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ callsPerDay: 0 }, /manager\.callsPerDay/],
      [{ callsPerDay: 1.5 }, /manager\.callsPerDay/],
      [{ cap: 0 }, /manager\.cap/],
      [{ writeLagMs: -1 }, /manager\.writeLagMs/],
      [{ token: '' }, /manager\.token/],
      [{ dateEnd: 'both' }, /manager\.dateEnd/],
      [{ latencyMs: { min: 5, max: 1 } }, /manager\.latencyMs/],
      [{ faults: [{ fault: 'nope' }] }, /manager\.faults\[0\]\.fault/],
      [{ now: 5 }, /manager\.now/],
    ];
    for (const [manager, message] of bad) {
      await assert.rejects(startEmulator({ manager }), (err: Error & { code?: string }) => {
        assert.match(err.message, message);
        assert.equal(err.code, 'E_CONFIG');
        return true;
      });
    }
    await assert.rejects(startEmulator({ records: 0 }), /records/);
  });

  it('has the documented defaults: token manager-token, 3000 calls a day, 1000 records', () =>
    withEmulator({}, async (emu) => {
      assert.equal(emu.manager.token, 'manager-token');
      assert.equal(emu.manager.callsPerDay, 3000);
      assert.equal(emu.records.length, 1000);
      assert.equal(emu.manager.calls, 0);
    }));
});
