/** Issue 15, point 5: record ids from the CRM (a "crm" lookup over queryGestion), one call per customer, ever. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.ts';
import { createClient } from '../../src/sink/client.ts';
import { audit } from '../audit.ts';
import { readResults, runCli, startCli, tmp, until, writeGestiones, type ResultRow } from '../helpers.ts';

const TOKEN = 'tok-crm-lookup';
const ENV = { WOLKVOX_TOKEN: TOKEN };
const OP = 'op';
/** Customers 1-5 have one record in the CRM, 6 has two different ones, 7 has no earlier gestión. */
const CUSTOMERS = 7;
const customerOf = (i: number) => `K${((i - 1) % CUSTOMERS) + 1}`;
const recordOf = (customer: string) => `REC-${customer}`;
const count = (rs: ResultRow[], s: string) => rs.filter((r) => r.status === s).length;

/** Earlier gestiones, inserted through insertGestion as the CRM would have them. */
async function seed(emu: Emulator): Promise<void> {
  const client = createClient({ origin: emu.url, token: TOKEN, timeoutMs: 10_000, connections: 1 });
  const gestion = (customer: string, record: string, n: number) => ({
    module: 'collections', id_customer: customer, wolkvox_idRecord: record, wolkvox_idCall: `SEED-${customer}-${n}`,
    tipifycation_code: '01', tipifycation_desc: 'PROMESA DE PAGO',
  });
  try {
    for (let k = 1; k <= 5; k++) {
      for (let n = 1; n <= 2; n++) assert.equal((await client.insert(OP, gestion(`K${k}`, recordOf(`K${k}`), n))).status, 200);
    }
    for (const r of ['REC-A', 'REC-B']) assert.equal((await client.insert(OP, gestion('K6', r, r === 'REC-A' ? 1 : 2))).status, 200);
  } finally {
    await client.close();
  }
}

/** Input rows with the customer in the `registro` column; call ids from `first`. */
function input(dir: string, n: number, name: string, first = 1): string {
  return writeGestiones(dir, n, (i, r) => ({ ...r, call: `C${String(first + i - 1).padStart(6, '0')}`, record: customerOf(i) }), name);
}

function mapping(dir: string): string {
  const path = join(dir, 'mapping.json');
  writeFileSync(path, JSON.stringify({
    fields: {
      wolkvox_idCall: 'call_id', tipifycation_code: 'codigo', tipifycation_desc: 'descripcion', client_name: 'nombre', id_customer: 'registro',
      wolkvox_idRecord: { lookup: { table: 'records', key: 'registro' } },
    },
    lookups: { records: { crm: { field: 'id_customer', take: 'wolkvox_idRecord' } } },
  }));
  return path;
}

const calls = (first: number, n: number) => Array.from({ length: n }, (_, i) => `C${String(first + i).padStart(6, '0')}`);

/** The run's own inserts (not the seeds): each went to its customer's record. */
function ownInserts(emu: Emulator) {
  return emu.inserted.filter((g) => !String(g.fields.wolkvox_idCall).startsWith('SEED-'));
}

describe('record ids from the CRM ("crm" lookups through queryGestion)', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ latencyMs: { min: 1, max: 3 }, seed: 5, quota: 1000 });
  });
  after(() => emu.close());

  it('inserts into the right records, one query per distinct customer on the first run, none on the second; not found and several are invalid, never sent', async () => {
    emu.reset();
    await seed(emu);
    const dir = tmp();
    const map = mapping(dir);
    const n = 28;
    const first = input(dir, n, 'first.csv');
    const base = ['--mapping', map, '--server', emu.url, '--operation', OP, '--quiet'];
    const before = emu.stats();

    // check counts the calls the uncached customers will cost; validate asks nothing.
    const check = await runCli(['check', '--server', emu.url, '--operation', OP, '--input', first, '--mapping', map, '--json'], { cwd: dir, env: ENV });
    assert.equal(check.code, 0, check.stderr);
    const plan = JSON.parse(check.stdout).plan as Record<string, number>;
    assert.equal(plan.lookupCalls, CUSTOMERS);
    assert.equal(plan.lookupWait, n);
    assert.equal(plan.callsNeeded, n + CUSTOMERS);
    const dry = await runCli(['validate', first, ...base.filter((a) => a !== '--quiet'), '--out', join(dir, 'dry.csv')], { cwd: dir, env: ENV });
    assert.match(dry.stderr, /7 lookup key\(s\) are not in the cache/);
    assert.match(readResults(join(dir, 'dry.csv'))[0]!.error, /^LOOKUP_PENDING: wolkvox_idRecord: id_customer "K1": DRY RUN/);
    const noServer = await runCli(['validate', first, '--mapping', map, '--out', join(dir, 'dry2.csv')], { cwd: dir, env: ENV });
    assert.match(noServer.stderr, /7 lookup key\(s\) are not in the cache \(no --server and --operation given/);
    assert.equal(emu.stats().queryCalls, before.queryCalls, 'check and validate ask the CRM nothing');

    const out1 = join(dir, 'r1.csv');
    const run1 = await runCli(['import', first, ...base.filter((x) => x !== '--quiet'), '--out', out1, '--json'], { cwd: dir, env: ENV });
    assert.equal(run1.code, 1, run1.stderr); // invalid rows
    assert.equal(emu.stats().queryCalls - before.queryCalls, CUSTOMERS, 'one query per distinct customer');
    // The figures reach the advice, the --json summary, summary.json and the HTML report.
    const figures = { keys: CUSTOMERS, found: 5, none: 1, several: 1, failed: 0, calls: CUSTOMERS };
    assert.deepEqual(JSON.parse(run1.stdout).lookups, figures);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'r1.summary.json'), 'utf8')).lookups, figures);
    const line = 'CRM lookups: 7 keys asked: found 5, not found 1, several 1, not answered 0, calls 7';
    assert.ok(run1.stderr.includes(line), run1.stderr);
    assert.ok(readFileSync(join(dir, 'r1.report.html'), 'utf8').includes(line), 'the HTML report shows the figures');
    for (const text of [run1.stdout, run1.stderr, readFileSync(out1, 'utf8'), readFileSync(join(dir, 'r1.summary.json'), 'utf8')]) assert.ok(!text.includes(TOKEN), 'the token is nowhere');
    const rs = readResults(out1);
    audit(rs, ownInserts(emu), { calls: calls(1, n) });
    const perCustomer = n / CUSTOMERS;
    assert.equal(count(rs, 'ok'), 5 * perCustomer);
    assert.equal(count(rs, 'invalid'), 2 * perCustomer);
    for (const g of ownInserts(emu)) assert.equal(g.fields.wolkvox_idRecord, recordOf(String(g.fields.id_customer)), `${String(g.fields.wolkvox_idCall)} went to its customer's record`);
    const k6 = rs.find((r) => r.registro === 'K6')!;
    assert.equal(k6.status, 'invalid');
    assert.match(k6.error, /the CRM has 2 different wolkvox_idRecord for id_customer "K6" \(REC-A, REC-B; 2 gestiones seen\)/);
    const k7 = rs.find((r) => r.registro === 'K7')!;
    assert.match(k7.error, /the CRM has no earlier gestión with id_customer "K7"/);
    assert.equal(emu.stats().insertCalls - before.insertCalls, 5 * perCustomer, 'no insert call for not found or several');

    // A new file with the same customers: every answer comes from the cache.
    const second = input(dir, n, 'second.csv', 1001);
    const q = emu.stats().queryCalls;
    const out2 = join(dir, 'r2.csv');
    const run2 = await runCli(['import', second, ...base, '--out', out2], { cwd: dir, env: ENV });
    assert.equal(run2.code, 1, run2.stderr);
    assert.equal(emu.stats().queryCalls, q, 'no query on the second run');
    assert.equal(count(readResults(out2), 'ok'), 5 * perCustomer);
    for (const g of ownInserts(emu)) assert.equal(g.fields.wolkvox_idRecord, recordOf(String(g.fields.id_customer)));

    // The cache is listed and forgotten by key: the next import asks again for that customer only.
    const list = await runCli(['lookups', '--json'], { cwd: dir });
    assert.equal(list.code, 0, list.stderr);
    const entries = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as { value: string; answer: { kind: string } });
    assert.equal(entries.length, CUSTOMERS);
    assert.deepEqual(entries.filter((e) => e.answer.kind === 'several').map((e) => e.value), ['K6']);
    const es = await runCli(['lookups', '--lang', 'es'], { cwd: dir });
    assert.match(es.stdout, /id_customer K7 {2}→ {2}NO ENCONTRADO {2}\(wolkvox_idRecord; 0 gestiones vistas; http:\/\/127\.0\.0\.1:\d+, op\)/);
    assert.match(es.stdout, /id_customer K6 {2}→ {2}VARIOS: REC-A, REC-B/);
    assert.ok(!es.stdout.includes(TOKEN) && !list.stdout.includes(TOKEN));
    const forget = await runCli(['lookups', '--forget-key', 'K7'], { cwd: dir });
    assert.match(forget.stdout, /forgot 1 /);
    const third = input(dir, CUSTOMERS, 'third.csv', 2001);
    await runCli(['import', third, ...base, '--out', join(dir, 'r3.csv')], { cwd: dir, env: ENV });
    assert.equal(emu.stats().queryCalls, q + 1, 'only the forgotten customer is asked again');
    // Customers not found (e.g. since given a first gestión in the CRM) are forgotten all at once; the others stay.
    const notFound = await runCli(['lookups', '--forget-not-found'], { cwd: dir });
    assert.equal(notFound.stdout, 'forgot 1 cached CRM lookup answer\n');
    assert.deepEqual((await runCli(['lookups', '--json'], { cwd: dir })).stdout.trim().split('\n').map((l) => (JSON.parse(l) as { value: string }).value).sort(), ['K1', 'K2', 'K3', 'K4', 'K5', 'K6']);
  });

  it('a quota stop in the middle of the lookups leaves every row pending (not invalid); resumes on the next days finish, each customer answered once', async () => {
    const small = await startEmulator({ latencyMs: 1, quota: 12 + 3 }); // the seeds, then 3 queries
    try {
      await seed(small); // 12 calls
      const dir = tmp();
      const n = 21;
      const file = input(dir, n, 'in.csv');
      const out = join(dir, 'r.csv');
      const args = ['import', file, '--mapping', mapping(dir), '--server', small.url, '--operation', OP, '--out', out, '--quiet'];
      const first = await runCli(args, { cwd: dir, env: ENV });
      assert.equal(first.code, 3, first.stderr);
      const rs = readResults(out);
      assert.equal(count(rs, 'pending'), n, 'no row invalid, none sent');
      assert.equal(ownInserts(small).length, 0);
      assert.ok(small.stats().queryCalls >= 3);
      // 15 calls a day: the 4 lookups left and 11 inserts, then the rest the day after.
      const q = small.stats().queryCalls;
      const codes: (number | null)[] = [];
      for (let day = 0; day < 3 && codes.at(-1) !== 1; day++) {
        small.newDay();
        codes.push((await runCli([...args, '--resume'], { cwd: dir, env: ENV })).code);
      }
      assert.deepEqual(codes, [3, 1]);
      const final = readResults(out);
      audit(final, ownInserts(small), { calls: calls(1, n) });
      assert.equal(count(final, 'ok'), 15);
      assert.equal(count(final, 'invalid'), 6);
      // 3 answers were cached before the stop (the refused 4th was not): the resume asks the other 4.
      assert.equal(small.stats().queryCalls - q, CUSTOMERS - 3);
    } finally {
      await small.close();
    }
  });

  it('`reconcile` re-reads the rows through the cached answers: an uncertain row with a CRM lookup is found, with no new lookup', async () => {
    emu.reset();
    await seed(emu); // insert requests 1-12
    emu.setFaults([{ fault: '500-after', requests: [14] }]);
    const dir = tmp();
    const file = input(dir, 7, 'in.csv');
    const out = join(dir, 'r.csv');
    const base = ['--mapping', mapping(dir), '--server', emu.url, '--operation', OP, '--out', out];
    const first = await runCli(['import', file, ...base, '--quiet'], { cwd: dir, env: ENV });
    assert.equal(first.code, 1, first.stderr);
    assert.equal(count(readResults(out), 'uncertain'), 1);
    // Forgetting now could change the record id reconcile re-derives for the uncertain row: a "missing" verdict, a second insert.
    const refused = await runCli(['lookups', '--forget-key', 'K2'], { cwd: dir });
    assert.equal(refused.code, 2, refused.stdout);
    assert.match(refused.stderr, /1 row of run 1 is uncertain/);
    assert.equal((await runCli(['lookups', '--json'], { cwd: dir })).stdout.trim().split('\n').length, CUSTOMERS, 'nothing forgotten');
    const q = emu.stats().queryCalls;
    const rec = await runCli(['reconcile', file, ...base, '--json'], { cwd: dir, env: ENV });
    assert.equal(rec.code, 1, rec.stderr); // the invalid rows remain
    assert.deepEqual(JSON.parse(rec.stdout).reconciled, { rows: 1, found: 1, missing: 0, uncertain: 0, calls: 1 });
    assert.equal(emu.stats().queryCalls - q, 1, 'the reconcile query only: the record id came from the cache');
    const rs = readResults(out);
    audit(rs, ownInserts(emu), { calls: calls(1, 7) });
    assert.equal(count(rs, 'ok'), 5);
    assert.match((await runCli(['lookups', '--forget-key', 'K2'], { cwd: dir })).stdout, /forgot 1 /, 'reconciled: forgetting is safe again');
  });

  it('--max-calls counts the queries: a cap reached while looking up stops the run; the rows stay pending', async () => {
    emu.reset();
    await seed(emu);
    const dir = tmp();
    const file = input(dir, 14, 'in.csv');
    const out = join(dir, 'r.csv');
    const args = ['import', file, '--mapping', mapping(dir), '--server', emu.url, '--operation', OP, '--out', out, '--quiet'];
    const q = emu.stats().queryCalls;
    const first = await runCli([...args, '--max-calls', '4'], { cwd: dir, env: ENV });
    assert.equal(first.code, 3, first.stderr);
    assert.equal(emu.stats().queryCalls - q, 4);
    assert.equal(count(readResults(out), 'pending'), 14);
    const resumed = await runCli([...args, '--resume'], { cwd: dir, env: ENV });
    assert.equal(resumed.code, 1, resumed.stderr);
    assert.equal(emu.stats().queryCalls - q, CUSTOMERS);
    audit(readResults(out), ownInserts(emu), { calls: calls(1, 14) });
  });

  it('killed (kill -9) in the middle of the lookups: the resume asks only what was not answered (at most the queries in flight again)', async () => {
    const slow = await startEmulator({ latencyMs: 150, quota: 1000 });
    try {
      await seed(slow);
      const dir = tmp();
      const file = input(dir, 14, 'in.csv');
      const out = join(dir, 'r.csv');
      const args = ['import', file, '--mapping', mapping(dir), '--server', slow.url, '--operation', OP, '--out', out, '--quiet'];
      const cli = startCli(args, { cwd: dir, env: ENV });
      await until(() => slow.stats().queryCalls >= 4);
      cli.child.kill('SIGKILL');
      await cli.done;
      const before = slow.stats().queryCalls;
      assert.equal(ownInserts(slow).length, 0, 'killed before any insert');
      const resumed = await runCli([...args, '--resume'], { cwd: dir, env: ENV });
      assert.equal(resumed.code, 1, resumed.stderr); // K6, K7 invalid
      const total = slow.stats().queryCalls;
      assert.ok(total <= CUSTOMERS + 2, `${total} queries for ${CUSTOMERS} customers (2 may have been in flight at the kill)`);
      assert.ok(total - before <= CUSTOMERS - 2, `the resume asked ${total - before}: the answers before the kill were kept`);
      audit(readResults(out), ownInserts(slow), { calls: calls(1, 14) });
    } finally {
      await slow.close();
    }
  });

  it('two imports at once on the same state file (different files, same customers): each customer is asked once in all', async () => {
    emu.reset();
    await seed(emu);
    const dir = tmp();
    const map = mapping(dir);
    const q = emu.stats().queryCalls;
    const run = (name: string, first: number) => runCli(['import', input(dir, 14, name, first), '--mapping', map, '--server', emu.url, '--operation', OP,
      '--out', join(dir, `${name}.out.csv`), '--quiet', '--wait-lock', '120'], { cwd: dir, env: ENV });
    const [a, b] = await Promise.all([run('a.csv', 1), run('b.csv', 101)]);
    assert.equal(a.code, 1, a.stderr);
    assert.equal(b.code, 1, b.stderr);
    assert.equal(emu.stats().queryCalls - q, CUSTOMERS);
    assert.equal(ownInserts(emu).length, 2 * 10);
  });
});
