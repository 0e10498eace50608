import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { startEmulator } from '../../src/emulator/index.ts';
import { call, until, withEmulator } from './helpers.ts';

describe('emulator: lifecycle, latency and options', () => {
  it('listens on 127.0.0.1 on an ephemeral port by default', () =>
    withEmulator({}, async (emu) => {
      assert.ok(emu.port > 0);
      assert.equal(emu.url, `http://127.0.0.1:${emu.port}`);
    }));

  it('closes without hanging while a request hangs, and the client sees its connection end', { timeout: 30_000 }, async () => {
    const emu = await startEmulator({ faults: [{ fault: 'hang' }] });
    const hung = call(emu);
    await until(() => emu.stats().faultsInjected === 1);
    await emu.close(); // a close that waited for the hung request would never return: the test's timeout fails it
    await assert.rejects(hung, { code: 'ECONNRESET' });
    assert.equal(emu.inserted.length, 0);
  });

  it('closes without hanging while a keep-alive connection is idle, and twice in a row', async () => {
    const emu = await startEmulator();
    const agent = new Agent({ keepAlive: true });
    try {
      assert.equal((await call(emu, { agent })).status, 200);
      await emu.close();
      await emu.close();
    } finally {
      agent.destroy();
    }
  });

  it('drops an insert still waiting its latency when closed, without committing it', async () => {
    const emu = await startEmulator({ latencyMs: 5000 });
    const pending = call(emu);
    await until(() => emu.stats().maxInflightSeen === 1);
    await emu.close();
    await assert.rejects(pending);
    assert.equal(emu.inserted.length, 0);
  });

  it('waits latencyMs before answering an insert', () =>
    withEmulator({ latencyMs: 120 }, async (emu) => {
      const started = Date.now();
      assert.equal((await call(emu)).status, 200);
      assert.ok(Date.now() - started >= 110);
    }));

  it('draws the latency from the { min, max } range', () =>
    withEmulator({ latencyMs: { min: 40, max: 80 } }, async (emu) => {
      for (let i = 0; i < 5; i++) {
        const started = Date.now();
        await call(emu);
        const took = Date.now() - started;
        assert.ok(took >= 38, `took ${took} ms`);
      }
    }));

  it('commits an insert whose client gave up during the latency (the uncertain case)', () =>
    withEmulator({ latencyMs: 150 }, async (emu) => {
      await assert.rejects(call(emu, { giveUpAfterMs: 30 }));
      await until(() => emu.inserted.length === 1);
    }));

  it('refuses invalid options with a ConfigError naming the option', async () => {
    await assert.rejects(startEmulator({ maxInflight: 0 }), { code: 'E_CONFIG', message: /maxInflight: expected an integer from 1/ });
    await assert.rejects(startEmulator({ latencyMs: { min: 5, max: 1 } }), { code: 'E_CONFIG', message: /latencyMs/ });
    await assert.rejects(startEmulator({ quota: -1 }), { code: 'E_CONFIG', message: /quota/ });
  });

  it('refuses a port already in use with a ConfigError', () =>
    withEmulator({}, async (emu) => {
      await assert.rejects(startEmulator({ port: emu.port }), { code: 'E_CONFIG', message: /EADDRINUSE/ });
    }));

  it('empties the same inserted array on reset(), so references stay valid', () =>
    withEmulator({}, async (emu) => {
      const list = emu.inserted;
      await call(emu);
      emu.reset();
      assert.equal(list.length, 0);
      await call(emu);
      assert.equal(list.length, 1);
    }));
});
