import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, envelope, gestion, INSERT, TOKEN, validFields, withEmulator } from './helpers.ts';

describe('emulator: request checks of insertGestion', () => {
  it('commits a valid insert and answers 200 with the documented success envelope and a wolkvox_id', () =>
    withEmulator({}, async (emu) => {
      const a = await call(emu, { body: gestion({ client_name: 'ANA' }) });
      assert.equal(a.status, 200);
      assert.match(a.headers['content-type'] ?? '', /application\/json/);
      assert.deepEqual(a.json, {
        code: 200, error: 'null', msg: 'Succesfully create record', data: { wolkvox_id: emu.inserted[0]!.wolkvoxId },
      });
      assert.deepEqual(emu.inserted, [
        { wolkvoxId: emu.inserted[0]!.wolkvoxId, operation: 'cobranza', fields: validFields({ client_name: 'ANA' }), token: TOKEN, requestNo: 1, at: emu.inserted[0]!.at },
      ]);
    }));

  it('gives every committed insert a different wolkvox_id of at least 7 hex characters', () =>
    withEmulator({}, async (emu) => {
      for (let i = 0; i < 20; i++) await call(emu);
      const ids = emu.inserted.map((g) => g.wolkvoxId);
      assert.equal(new Set(ids).size, 20);
      for (const id of ids) assert.match(id, /^[0-9a-f]{7,}$/);
    }));

  it('answers 401 PLEASE ENTER THE WOLKVOX-TOKEN when the token header is missing', () =>
    withEmulator({}, async (emu) => {
      const a = await call(emu, { token: null });
      assert.equal(a.status, 401);
      assert.deepEqual(a.json, envelope(401, 'PLEASE ENTER THE WOLKVOX-TOKEN'));
      assert.equal(emu.inserted.length, 0);
    }));

  it('answers 401 when the token header is empty', () =>
    withEmulator({}, async (emu) => {
      assert.equal((await call(emu, { token: '' })).status, 401);
    }));

  it('answers 403 PLEASE VALIDATE TOKEN when the token is not an accepted one, without counting a call', () =>
    withEmulator({ tokens: ['good'] }, async (emu) => {
      const a = await call(emu, { token: 'bad' });
      assert.equal(a.status, 403);
      assert.deepEqual(a.json, envelope(403, 'PLEASE VALIDATE TOKEN'));
      assert.equal(emu.stats().calls, 0);
      assert.equal((await call(emu, { token: 'good' })).status, 200);
    }));

  it('reads the token header case-insensitively', () =>
    withEmulator({ tokens: ['good'] }, async (emu) => {
      const a = await call(emu, { token: null, headers: { 'WOLKVOX-TOKEN': 'good' } });
      assert.equal(a.status, 200);
    }));

  it('accepts any non-empty token when no tokens are configured', () =>
    withEmulator({}, async (emu) => {
      assert.equal((await call(emu, { token: 'whatever' })).status, 200);
      assert.equal(emu.inserted[0]!.token, 'whatever');
    }));

  it('answers 400 SOME PARAMETERS ARE REQUIRED when the body is not JSON', () =>
    withEmulator({}, async (emu) => {
      const a = await call(emu, { body: '{not json' });
      assert.equal(a.status, 400);
      assert.deepEqual(a.json, envelope(400, 'SOME PARAMETERS ARE REQUIRED'));
      assert.equal(emu.inserted.length, 0);
    }));

  it('answers 400 SOME PARAMETERS ARE REQUIRED when the operation is missing', () =>
    withEmulator({}, async (emu) => {
      const a = await call(emu, { body: { fields: validFields() } });
      assert.equal(a.status, 400);
      assert.equal(a.json?.msg, 'SOME PARAMETERS ARE REQUIRED');
    }));

  for (const [name, field] of [
    ['the typification code', 'tipifycation_code'],
    ['the typification description', 'tipifycation_desc'],
    ['module', 'module'],
    ['wolkvox_idRecord', 'wolkvox_idRecord'],
  ] as const) {
    it(`answers 400 SOME PARAMETERS ARE REQUIRED when ${name} is missing or empty`, () =>
      withEmulator({}, async (emu) => {
        const missing = validFields();
        delete missing[field];
        assert.equal((await call(emu, { body: { operation: 'op', fields: missing } })).status, 400);
        const empty = validFields({ [field]: '  ' });
        assert.equal((await call(emu, { body: { operation: 'op', fields: empty } })).json?.msg, 'SOME PARAMETERS ARE REQUIRED');
        assert.equal(emu.inserted.length, 0);
      }));
  }

  for (const [code, desc] of [
    ['tipification_code', 'tipification_desc'],
    ['tipification_code', 'tipification_description'],
    ['tipifycation_code', 'tipification_description'],
  ]) {
    it(`accepts the typification under ${code} and ${desc}`, () =>
      withEmulator({}, async (emu) => {
        const fields = { module: 'collections', wolkvox_idRecord: 'r', [code]: '1', [desc]: 'd' };
        assert.equal((await call(emu, { body: { operation: 'op', fields } })).status, 200);
      }));
  }

  it('answers 405 METHOD NOT ALLOWED to a GET on the insert path', () =>
    withEmulator({}, async (emu) => {
      const a = await call(emu, { method: 'GET' });
      assert.equal(a.status, 405);
      assert.deepEqual(a.json, envelope(405, 'METHOD NOT ALLOWED'));
    }));

  it('answers 400 THE API YOU WANT TO CONSULT DOES NOT EXIST on any other path', () =>
    withEmulator({}, async (emu) => {
      for (const path of ['/server/API/v2/collections/insertObligation.php', '/', `${INSERT}/x`]) {
        const a = await call(emu, { path });
        assert.equal(a.status, 400);
        assert.deepEqual(a.json, envelope(400, 'THE API YOU WANT TO CONSULT DOES NOT EXIST'));
      }
      assert.equal(emu.inserted.length, 0);
    }));

  it('ignores a query string on the insert path', () =>
    withEmulator({}, async (emu) => {
      assert.equal((await call(emu, { path: `${INSERT}?x=1` })).status, 200);
    }));

  it('answers 413 to a body over 1 MiB and keeps serving', () =>
    withEmulator({}, async (emu) => {
      const big = JSON.stringify(gestion({ comment: 'x'.repeat(1024 * 1024) }));
      assert.equal((await call(emu, { body: big })).status, 413);
      assert.equal((await call(emu)).status, 200);
    }));

  it('counts answers by HTTP status in stats()', () =>
    withEmulator({ tokens: ['good'] }, async (emu) => {
      await call(emu, { token: 'good' });
      await call(emu, { token: 'good' });
      await call(emu, { token: null });
      await call(emu, { token: 'good', body: '{}' });
      assert.deepEqual(emu.stats().byHttpStatus, { '200': 2, '400': 1, '401': 1 });
      assert.equal(emu.stats().insertCalls, 3);
      assert.equal(emu.stats().calls, 3);
    }));
});
