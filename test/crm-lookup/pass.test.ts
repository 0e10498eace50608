/** The lookup pass in-process against the emulator: a query that fails leaves its rows pending, uncached; a resume asks again. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { resolveImportConfig } from '../../src/config/config.ts';
import { listLookups } from '../../src/crm-lookup/cache.ts';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { runImport } from '../../src/run/import.ts';
import { planFile } from '../../src/plan/plan-count.ts';
import { createClient, type ApiClient } from '../../src/sink/client.ts';
import { RunStore } from '../../src/store/store.ts';
import { readResults, tmp, writeGestiones } from '../helpers.ts';

const logger = pino({ level: 'silent' });
const TOKEN = 'tok-pass';

function setup(dir: string, emu: Emulator, customers: number, n: number) {
  const input = writeGestiones(dir, n, (i, r) => ({ ...r, record: `K${((i - 1) % customers) + 1}` }));
  const mapping = join(dir, 'mapping.json');
  writeFileSync(mapping, JSON.stringify({
    fields: {
      wolkvox_idCall: 'call_id', tipifycation_code: 'codigo', tipifycation_desc: 'descripcion', id_customer: 'registro',
      wolkvox_idRecord: { lookup: { table: 'records', key: 'registro' }, default: 'REC-DEFAULT' },
    },
    lookups: { records: { crm: { field: 'id_customer', take: 'wolkvox_idRecord' } } },
  }));
  return resolveImportConfig({ input, mapping, server: emu.url, operation: 'OP', out: join(dir, 'out.csv'), state: join(dir, 'state.sqlite') });
}

async function seed(emu: Emulator, customers: number): Promise<void> {
  const c = createClient({ origin: emu.url, token: TOKEN, timeoutMs: 5000, connections: 1 });
  for (let k = 1; k <= customers; k++) {
    await c.insert('OP', { module: 'collections', id_customer: `K${k}`, wolkvox_idRecord: `REC-${k}`, wolkvox_idCall: `SEED${k}`, tipifycation_code: '01', tipifycation_desc: 'X' });
  }
  await c.close();
}

describe('the CRM lookup pass', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ latencyMs: 2, tokens: [TOKEN] });
  });
  after(() => emu.close());

  it('an unreadable answer leaves that key\'s rows pending (not invalid, not the default), uncached; at most 2 queries in flight; a resume asks again', async () => {
    emu.reset();
    await seed(emu, 8);
    const dir = tmp();
    const cfg = setup(dir, emu, 10, 40); // K9, K10: not in the CRM → the default
    const real = createClient({ origin: emu.url, token: TOKEN, timeoutMs: 5000, connections: 2 });
    let inflight = 0;
    let most = 0;
    const asked: string[] = [];
    const client: ApiClient = { ...real, query: async (op, q) => {
      asked.push(q.value);
      if (q.value === 'K3') return { status: 200, text: '<html>gateway</html>', latencyMs: 1 };
      most = Math.max(most, ++inflight);
      try {
        return await real.query!(op, q);
      } finally {
        inflight--;
      }
    } };
    const r = await runImport(cfg, { logger, token: TOKEN, client });
    assert.equal(r.exitCode, 3, 'rows left pending');
    const rows = readResults(cfg.out);
    const k3 = rows.filter((x) => x.registro === 'K3');
    assert.ok(k3.length === 4 && k3.every((x) => x.status === 'pending'));
    assert.match(k3[0]!.error, /^LOOKUP_PENDING: wolkvox_idRecord: id_customer "K3": not looked up: queryGestion answered .*--resume asks again/);
    assert.ok(rows.filter((x) => x.registro === 'K9').every((x) => x.status === 'ok'), 'not found takes the field\'s default');
    assert.equal(rows.filter((x) => x.status === 'ok').length, 36);
    assert.ok(most <= 2, `${most} queries in flight`);
    assert.equal(emu.stats().rejectedConcurrency, 0);
    assert.equal(r.calls, asked.length + 36, 'queries count in the run\'s calls');
    const store = RunStore.open(cfg.statePath);
    assert.deepEqual(listLookups(store.database).map((e) => e.value).sort(), ['K1', 'K10', 'K2', 'K4', 'K5', 'K6', 'K7', 'K8', 'K9']);
    store.close();
    for (const g of emu.inserted.filter((x) => !String(x.fields.wolkvox_idCall).startsWith('SEED'))) {
      const k = Number(String(g.fields.id_customer).slice(1));
      assert.equal(g.fields.wolkvox_idRecord, k <= 8 ? `REC-${k}` : 'REC-DEFAULT');
    }

    asked.length = 0;
    const next = createClient({ origin: emu.url, token: TOKEN, timeoutMs: 5000, connections: 2 }); // the run closed its client
    const again = await runImport({ ...cfg, resume: true }, { logger, token: TOKEN, client: { ...next, query: (op, q) => (asked.push(q.value), next.query!(op, q)) } });
    assert.equal(again.exitCode, 0, JSON.stringify({ stop: again.stop, rows: readResults(cfg.out).filter((x) => x.status !== "ok") }));
    assert.deepEqual(asked, ['K3'], 'only the failed key is asked again');
    assert.ok(readResults(cfg.out).every((x) => x.status === 'ok'));
  });
});

/** Gestiones put straight into the emulator's committed list (as if the CRM had them already). */
function plant(emu: Emulator, fields: Record<string, string>[]): void {
  for (const f of fields) emu.inserted.push({ wolkvoxId: `seed-${emu.inserted.length}`, operation: 'OP', fields: { module: 'collections', ...f }, token: TOKEN, requestNo: 0 });
}

/** A client over the emulator that records every query's field and value. */
function recording(emu: Emulator): { client: ApiClient; asked: string[] } {
  const real = createClient({ origin: emu.url, token: TOKEN, timeoutMs: 5000, connections: 2 });
  const asked: string[] = [];
  return { asked, client: { ...real, query: (op, q) => (asked.push(`${q.field}=${q.value}`), real.query!(op, q)) } };
}

describe('the CRM lookup pass: one call per customer, whatever the mapping and the answer', () => {
  let emu: Emulator;
  let emu404: Emulator;
  before(async () => {
    emu = await startEmulator({ latencyMs: 2, tokens: [TOKEN] });
    emu404 = await startEmulator({ latencyMs: 1, tokens: [TOKEN], notFound: '404' });
  });
  after(async () => {
    await emu.close();
    await emu404.close();
  });

  it('two lookups in a row never ask a key twice, even when its query ends while the row waits for a slot', async () => {
    emu.reset();
    plant(emu, ['K1', 'K2'].map((k) => ({ id_customer: k, wolkvox_idRecord: `REC-${k}` })));
    plant(emu, [{ customer_id: 'Z1', agent_id: 'AG-1' }]);
    const dir = tmp();
    // Rows (K1, Z1), (K2, Z1): with one query at a time, Z1's answer arrives while K2 waits for the slot.
    const input = writeGestiones(dir, 2, (i, r) => ({ ...r, record: `K${i}`, name: 'Z1' }));
    const mapping = join(dir, 'mapping.json');
    writeFileSync(mapping, JSON.stringify({
      fields: {
        wolkvox_idCall: 'call_id', tipifycation_code: 'codigo', tipifycation_desc: 'descripcion',
        wolkvox_idRecord: { lookup: { table: 'records', key: 'registro' } }, agent_id: { lookup: { table: 'agents', key: 'nombre' } },
      },
      lookups: { records: { crm: { field: 'id_customer', take: 'wolkvox_idRecord' } }, agents: { crm: { field: 'customer_id', take: 'agent_id' } } },
    }));
    const cfg = resolveImportConfig({ input, mapping, server: emu.url, operation: 'OP', out: join(dir, 'out.csv'), state: join(dir, 'state.sqlite'), concurrency: 1 });
    const { client, asked } = recording(emu);
    const r = await runImport(cfg, { logger, token: TOKEN, client });
    assert.equal(r.exitCode, 0, JSON.stringify(readResults(cfg.out)));
    assert.deepEqual(asked.sort(), ['customer_id=Z1', 'id_customer=K1', 'id_customer=K2']);
    assert.deepEqual(emu.inserted.filter((g) => g.requestNo > 0).map((g) => g.fields.agent_id), ['AG-1', 'AG-1']);
  });

  it('two lookups by the same CRM field (two values of the customer\'s gestiones) cost one query per customer', async () => {
    emu.reset();
    plant(emu, ['K1', 'K2'].map((k) => ({ id_customer: k, wolkvox_idRecord: `REC-${k}`, agent_id: `AG-${k}` })));
    const dir = tmp();
    const input = writeGestiones(dir, 4, (i, r) => ({ ...r, record: `K${((i - 1) % 2) + 1}` }));
    const mapping = join(dir, 'mapping.json');
    writeFileSync(mapping, JSON.stringify({
      fields: {
        wolkvox_idCall: 'call_id', tipifycation_code: 'codigo', tipifycation_desc: 'descripcion', id_customer: 'registro',
        wolkvox_idRecord: { lookup: { table: 'records', key: 'registro' } }, agent_id: { lookup: { table: 'agents', key: 'registro' } },
      },
      lookups: { records: { crm: { field: 'id_customer', take: 'wolkvox_idRecord' } }, agents: { crm: { field: 'id_customer', take: 'agent_id' } } },
    }));
    const cfg = resolveImportConfig({ input, mapping, server: emu.url, operation: 'OP', out: join(dir, 'out.csv'), state: join(dir, 'state.sqlite') });
    assert.equal((await planFile(cfg)).lookupCalls, 2, '`check` counts the same calls');
    const { client, asked } = recording(emu);
    const r = await runImport(cfg, { logger, token: TOKEN, client });
    assert.equal(r.exitCode, 0, JSON.stringify(readResults(cfg.out)));
    assert.deepEqual(asked.sort(), ['id_customer=K1', 'id_customer=K2']);
    assert.equal((await planFile({ ...cfg, input: writeGestiones(dir, 4, (i, x) => ({ ...x, record: `K${i}` }), 'next.csv') })).lookupCalls, 2, 'K3 and K4 only: the rest is cached');
    const own = emu.inserted.filter((x) => x.requestNo > 0);
    assert.equal(own.length, 4);
    for (const g of own) assert.equal(g.fields.agent_id, `AG-${String(g.fields.id_customer)}`, 'the agent from the same answer');
    assert.deepEqual(r.lookups, { keys: 2, found: 2, none: 0, several: 0, failed: 0, calls: 2 });
  });

  it('the 404 "no records" form is "not found" (cached); a customer with more than a page is read page by page; empty record ids are not values', async () => {
    emu404.reset();
    const many = Array.from({ length: 260 }, (_, i) => ({ id_customer: 'K1', wolkvox_idRecord: i % 7 === 0 ? '' : 'REC-1', wolkvox_idCall: `S${i}` }));
    plant(emu404, many);
    plant(emu404, [{ id_customer: 'K3', wolkvox_idRecord: '' }]);
    const dir = tmp();
    const cfg = setup(dir, emu404, 3, 6); // K1 (260 gestiones), K2 (none: 404), K3 (one, without a record id)
    const { client, asked } = recording(emu404);
    const r = await runImport(cfg, { logger, token: TOKEN, client });
    assert.equal(r.exitCode, 0, JSON.stringify(readResults(cfg.out)));
    assert.deepEqual([...asked].sort(), ['id_customer=K1', 'id_customer=K1', 'id_customer=K2', 'id_customer=K3'], 'two pages for K1');
    assert.deepEqual(r.lookups, { keys: 3, found: 1, none: 2, several: 0, failed: 0, calls: 4 });
    const store = RunStore.open(cfg.statePath);
    const cached = Object.fromEntries(listLookups(store.database).map((e) => [e.value, e.answer]));
    store.close();
    assert.deepEqual(cached, { K1: { kind: 'found', value: 'REC-1', seen: 260 }, K2: { kind: 'none', seen: 0 }, K3: { kind: 'none', seen: 1 } });
    const rows = readResults(cfg.out);
    assert.deepEqual(rows.map((x) => x.status), Array(6).fill('ok'), 'K2 and K3 take the default');
    assert.equal(r.calls, 4 + 6);
  });

  it('--concurrency above the API\'s 2 in flight: the lookups drop to what the API took at the first refusal (retries too): only the first burst is refused', async () => {
    const strict = await startEmulator({ latencyMs: 20, tokens: [TOKEN] });
    try {
      plant(strict, Array.from({ length: 40 }, (_, i) => ({ id_customer: `K${i + 1}`, wolkvox_idRecord: `REC-${i + 1}` })));
      const dir = tmp();
      const cfg = { ...setup(dir, strict, 40, 40), concurrency: 8 };
      const r = await runImport(cfg, { logger, token: TOKEN });
      assert.equal(r.exitCode, 0);
      // 8 out at once before any answer: the API refuses 6; from then on at most 2 are out (retries too).
      assert.ok(r.lookups!.calls <= 40 + 6, `${r.lookups!.calls} queries for 40 customers`);
    } finally {
      await strict.close();
    }
  });

  it('gestiones returned without the field to take (an answer of another shape) are not "not found": the rows stay pending, nothing is cached', async () => {
    emu.reset();
    plant(emu, ['K1', 'K2'].map((k) => ({ id_customer: k, wolkvox_idRecord: `REC-${k}` })));
    const dir = tmp();
    const cfg = setup(dir, emu, 2, 4); // the field has a default: a wrong "none" would send REC-DEFAULT
    const real = createClient({ origin: emu.url, token: TOKEN, timeoutMs: 5000, connections: 2 });
    const client: ApiClient = { ...real, query: async (op, q) => {
      const a = await real.query!(op, q);
      if (q.value !== 'K2') return a;
      const body = structuredClone(a.body) as { data: Record<string, unknown>[] };
      for (const g of body.data) delete g.wolkvox_idRecord;
      return { ...a, body, text: JSON.stringify(body) };
    } };
    const r = await runImport(cfg, { logger, token: TOKEN, client });
    assert.equal(r.exitCode, 3);
    const k2 = readResults(cfg.out).filter((x) => x.registro === 'K2');
    assert.ok(k2.every((x) => x.status === 'pending'), JSON.stringify(k2));
    assert.match(k2[0]!.error, /no wolkvox_idRecord field/);
    assert.equal(emu.inserted.filter((g) => g.fields.wolkvox_idRecord === 'REC-DEFAULT').length, 0);
    const store = RunStore.open(cfg.statePath);
    assert.deepEqual(listLookups(store.database).map((e) => e.value), ['K1']);
    store.close();
  });
});
