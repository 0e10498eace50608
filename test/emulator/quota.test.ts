import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, envelope, TOKEN_INFO, withEmulator } from './helpers.ts';

const info = (operation = 'cobranza'): { method: string; path: string; body: string } => ({ method: 'POST', path: `${TOKEN_INFO}?operation=${operation}`, body: '' });

describe('emulator: daily quota and tokenInformation', () => {
  it('answers 403 TOKEN LIMIT EXCEEDED once the daily quota is used up, without committing', () =>
    withEmulator({ quota: 3 }, async (emu) => {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await call(emu)).status);
      assert.deepEqual(statuses, [200, 200, 200]);
      const a = await call(emu);
      assert.equal(a.status, 403);
      assert.deepEqual(a.json, envelope(403, 'TOKEN LIMIT EXCEEDED'));
      assert.equal(emu.inserted.length, 3);
    }));

  it('counts refused calls with a valid token against the quota', () =>
    withEmulator({ quota: 2 }, async (emu) => {
      assert.equal((await call(emu, { body: '{}' })).status, 400);
      assert.equal((await call(emu)).status, 200);
      assert.equal((await call(emu)).json?.msg, 'TOKEN LIMIT EXCEEDED');
      assert.equal(emu.stats().calls, 3);
    }));

  it('keeps a separate quota for each token', () =>
    withEmulator({ quota: 1 }, async (emu) => {
      assert.equal((await call(emu, { token: 'a' })).status, 200);
      assert.equal((await call(emu, { token: 'a' })).status, 403);
      assert.equal((await call(emu, { token: 'b' })).status, 200);
    }));

  it('starts counting again after newDay()', () =>
    withEmulator({ quota: 1 }, async (emu) => {
      assert.equal((await call(emu)).status, 200);
      assert.equal((await call(emu)).status, 403);
      emu.newDay();
      assert.equal((await call(emu)).status, 200);
      assert.equal(emu.inserted.length, 2);
    }));

  it('answers tokenInformation with the limit, the use today and the calls left', () =>
    withEmulator({ quota: 10 }, async (emu) => {
      await call(emu);
      await call(emu);
      const a = await call(emu, info());
      assert.equal(a.status, 200);
      assert.equal(a.json?.code, 200);
      const data = a.json?.data ?? {};
      assert.equal(data.token_limit, 10);
      assert.equal(data.token_use_today, 3, 'the information call itself counts');
      assert.equal(data.available_consumition_options, 7);
      assert.equal(typeof data.description, 'string');
      const hours = data.hours_to_restart_count as number;
      assert.ok(Number.isInteger(hours) && hours >= 1 && hours <= 24, `hours_to_restart_count ${hours}`);
    }));

  it('counts a tokenInformation call against the quota', () =>
    withEmulator({ quota: 1 }, async (emu) => {
      assert.equal((await call(emu, info())).status, 200);
      assert.deepEqual((await call(emu)).json, envelope(403, 'TOKEN LIMIT EXCEEDED'));
      assert.deepEqual((await call(emu, info())).json, envelope(403, 'TOKEN LIMIT EXCEEDED'));
    }));

  it('answers tokenInformation without a token with 401 and with a wrong token with 403', () =>
    withEmulator({ tokens: ['good'] }, async (emu) => {
      assert.deepEqual((await call(emu, { ...info(), token: null })).json, envelope(401, 'PLEASE ENTER THE WOLKVOX-TOKEN'));
      assert.deepEqual((await call(emu, { ...info(), token: 'bad' })).json, envelope(403, 'PLEASE VALIDATE TOKEN'));
    }));

  it('answers tokenInformation without an operation with 400 SOME PARAMETERS ARE REQUIRED', () =>
    withEmulator({}, async (emu) => {
      assert.deepEqual((await call(emu, { method: 'POST', path: TOKEN_INFO, body: '' })).json, envelope(400, 'SOME PARAMETERS ARE REQUIRED'));
    }));

  it('takes the operation of a tokenInformation POST from its JSON body too', () =>
    withEmulator({}, async (emu) => {
      const a = await call(emu, { method: 'POST', path: TOKEN_INFO, body: { operation: 'cobranza' } });
      assert.equal(a.status, 200);
      assert.match(String(a.json?.data?.description), /cobranza/);
    }));

  it('answers a GET to tokenInformation with 405 (the vendor documents POST), and with the figures when tokenInfoGet is on', async () => {
    await withEmulator({}, async (emu) => {
      assert.deepEqual((await call(emu, { method: 'GET', path: `${TOKEN_INFO}?operation=x` })).json, envelope(405, 'METHOD NOT ALLOWED'));
      assert.equal(emu.stats().calls, 0, 'a refused method is not a call');
    });
    await withEmulator({ tokenInfoGet: true }, async (emu) => {
      assert.equal((await call(emu, { method: 'GET', path: `${TOKEN_INFO}?operation=x` })).status, 200);
    });
  });
});
