import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { call, envelope, gestion, INSERT, TOKEN, withEmulator } from './helpers.ts';

const QUERY = '/server/API/v2/collections/queryGestion.php';
const query = (body: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ path: QUERY, body: { operation: 'cobranza', ...body }, ...extra });
const data = (a: { json?: { data?: unknown } }) => a.json?.data as Record<string, unknown>[];

describe('emulator: module, token in the body, queryGestion', () => {
  it('refuses a module other than collections with 400 SOME PARAMETERS ARE REQUIRED', () =>
    withEmulator({}, async (emu) => {
      assert.deepEqual((await call(emu, { body: gestion({ module: 'custom' }) })).json, envelope(400, 'SOME PARAMETERS ARE REQUIRED'));
      assert.equal((await call(emu, { body: gestion({ module: ' collections ' }) })).status, 200);
      assert.equal(emu.inserted.length, 1);
    }));

  it('in tokenFrom "body" mode reads the token only from the JSON body ("wolkvox-token")', () =>
    withEmulator({ tokenFrom: 'body', tokens: [TOKEN] }, async (emu) => {
      const headerOnly = await call(emu, { body: gestion() });
      assert.deepEqual(headerOnly.json, envelope(401, 'PLEASE ENTER THE WOLKVOX-TOKEN'));
      const inBody = await call(emu, { body: { ...gestion(), 'wolkvox-token': TOKEN }, token: null });
      assert.equal(inBody.status, 200);
      assert.equal(emu.inserted.length, 1);
      assert.equal(emu.inserted[0]!.fields['wolkvox-token'], undefined, 'the token is not a field');
      assert.equal((await call(emu, { body: { ...gestion(), 'wolkvox-token': 'wrong' }, token: null })).status, 403);
    }));

  it('finds committed gestiones by any field, with the documented fields, code "200" and error "null"', () =>
    withEmulator({}, async (emu) => {
      await call(emu, { body: gestion({ wolkvox_idCall: 'c1', id_customer: '77' }) });
      await call(emu, { body: gestion({ wolkvox_idCall: 'c2', id_customer: '77' }) });
      const a = await call(emu, query({ field: 'wolkvox_idCall', value: 'c2', limit: 250, page: 1 }));
      assert.equal(a.status, 200);
      assert.equal(a.json?.code, '200');
      assert.equal(a.json?.error, 'null');
      assert.equal(a.json?.msg, '1 records were are found');
      const [g] = data(a);
      assert.equal(g!.wolkvox_id, emu.inserted[1]!.wolkvoxId);
      assert.equal(g!.wolkvox_idCall, 'c2');
      assert.equal(g!.tipifycation_code, '101');
      assert.equal(g!.client_name, '', 'a documented field not sent comes back empty');
      for (const k of ['wolkvox_origen', 'wolkvox_usuario_creacion', 'wolkvox_fecha_creacion', 'wolkvox_ip_address']) assert.equal(typeof g![k], 'string', k);
      assert.match(String(g!.wolkvox_fecha_creacion), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      assert.equal(data(await call(emu, query({ field: 'id_customer', value: '77' }))).length, 2);
      assert.equal(data(await call(emu, query({ field: 'id_customer', value: '77' }, { body: { operation: 'other', field: 'id_customer', value: '77' } }))).length, 0, 'another operation');
    }));

  it('pages with limit (at most 250) and page, and refuses a query without field or value', () =>
    withEmulator({}, async (emu) => {
      for (let i = 0; i < 5; i++) await call(emu, { body: gestion({ id_customer: '9' }) });
      const pages = [];
      for (let page = 1; page <= 3; page++) pages.push(data(await call(emu, query({ field: 'id_customer', value: '9', limit: 2, page }))).map((g) => g.wolkvox_id));
      assert.deepEqual(pages, [[emu.inserted[0]!.wolkvoxId, emu.inserted[1]!.wolkvoxId], [emu.inserted[2]!.wolkvoxId, emu.inserted[3]!.wolkvoxId], [emu.inserted[4]!.wolkvoxId]]);
      assert.deepEqual((await call(emu, query({ field: 'id_customer', value: '9', limit: 251 }))).json, envelope(400, 'SOME PARAMETERS ARE REQUIRED'));
      assert.equal((await call(emu, query({ value: '9' }))).status, 400);
      assert.equal((await call(emu, query({ field: 'id_customer' }))).status, 400);
      assert.equal((await call(emu, { method: 'GET', path: QUERY })).status, 405);
    }));

  it('says "nothing found" as data: [] by default, and as 404 NO RECORDS FOUND with notFound "404"', async () => {
    await withEmulator({}, async (emu) => {
      const a = await call(emu, query({ field: 'id_customer', value: 'none' }));
      assert.equal(a.status, 200);
      assert.deepEqual(a.json?.data, []);
    });
    await withEmulator({ notFound: '404' }, async (emu) => {
      assert.deepEqual((await call(emu, query({ field: 'id_customer', value: 'none' }))).json, envelope(404, 'NO RECORDS FOUND'));
    });
  });

  it('serves inserts committed by 500-after and reset-after faults', () =>
    withEmulator({ faults: [{ fault: '500-after', requests: [1] }, { fault: 'reset-after', requests: [2] }] }, async (emu) => {
      assert.equal((await call(emu, { body: gestion({ wolkvox_idCall: 'x1' }) })).status, 500);
      await assert.rejects(call(emu, { body: gestion({ wolkvox_idCall: 'x2' }) }));
      for (const id of ['x1', 'x2']) assert.equal(data(await call(emu, query({ field: 'wolkvox_idCall', value: id }))).length, 1, id);
    }));

  it('counts queries against the quota and the in-flight limit', () =>
    withEmulator({ quota: 2 }, async (emu) => {
      await call(emu, { path: INSERT });
      assert.equal((await call(emu, query({ field: 'customer_id', value: '1001' }))).status, 200);
      assert.deepEqual((await call(emu, query({ field: 'customer_id', value: '1001' }))).json, envelope(403, 'TOKEN LIMIT EXCEEDED'));
      assert.equal(emu.stats().queryCalls, 2);
      assert.equal(emu.stats().calls, 3);
    }));

  it('refuses a third query in flight with EXCEEDS THE LIMIT', () =>
    withEmulator({ latencyMs: 200 }, async (emu) => {
      const q = query({ field: 'customer_id', value: '1' });
      const answers = await Promise.all([call(emu, q), call(emu, q), call(emu, q)]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 200, 403]);
    }));
});
