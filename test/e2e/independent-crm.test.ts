/**
 * Issue 15 against an independent implementation of the documented API (test/independent-crm.ts, not
 * the project's emulator): its own readings of what the docs leave open, its own fault mix, both
 * "nothing found" forms. The real CLI runs against it; every row is audited call by call against the
 * inserts the server committed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify } from '../../src/sink/classify.ts';
import { createClient } from '../../src/sink/client.ts';
import { IndependentCrm, type LogEntry } from '../independent-crm.ts';
import { readResults, runCli, tmp, type ResultRow } from '../helpers.ts';

const TOKEN = 'tok-independent-7f3a';
const ENV = { WOLKVOX_TOKEN: TOKEN };
const OP = 'cobranza';
const callOf = (i: number, first = 1) => `C${String(first + i - 1).padStart(6, '0')}`;
const count = (rs: ResultRow[], s: string) => rs.filter((r) => r.status === s).length;

interface Row {
  call: string;
  customer: string;
  record: string;
}

/** A dialer-like export: dates as 2026-11-DD, times as HH:MM (no seconds), an agent extension. */
function writeInput(dir: string, rows: Row[], name = 'input.csv'): string {
  const lines = ['call_id,codigo,descripcion,registro,nombre,fecha,hora,cliente,agente'];
  rows.forEach((r, i) => lines.push([r.call, '01', 'PROMESA DE PAGO', r.record, `Cliente ${i + 1}`, `2026-11-${String((i % 28) + 1).padStart(2, '0')}`, `${String(8 + (i % 10)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`, r.customer, String(1000 + (i % 7))].join(',')));
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function writeMapping(dir: string, extra: Record<string, unknown> = {}, record: unknown = 'registro'): string {
  const path = join(dir, 'mapping.json');
  writeFileSync(path, JSON.stringify({
    fields: {
      wolkvox_idCall: 'call_id', tipifycation_code: 'codigo', tipifycation_desc: 'descripcion', wolkvox_idRecord: record, client_name: 'nombre',
      date: 'fecha', time: 'hora', id_customer: 'cliente', agent_id: 'agente',
    },
    ...extra,
  }, null, 2));
  return path;
}

const plainRows = (n: number, first = 1): Row[] => Array.from({ length: n }, (_, i) => ({ call: callOf(i + 1, first), customer: `K${(i % 50) + 1}`, record: `R${first + i}` }));

/**
 * The call-by-call audit: each input row committed exactly once; an `ok` row carries the id committed
 * for it, and says RECONCILED exactly when the answer to its committing call could not be read (500,
 * reset); no call refused as malformed (a `limit` over 250, a page 0); the 2-in-flight limit kept.
 * Returns how many rows the server's answers made uncertain: found (committed, answer lost) and
 * missing (an error inside a 200, nothing committed).
 */
function auditCalls(crm: IndependentCrm, rs: ResultRow[], calls: string[]): { lost: number; errorIn200: number } {
  assert.equal(rs.length, calls.length, 'one result line per input row');
  const commits = new Map<string, LogEntry[]>();
  for (const e of crm.entries('insert')) if (e.committed) commits.set(e.key!, [...(commits.get(e.key!) ?? []), e]);
  let lost = 0;
  rs.forEach((r, i) => {
    assert.equal(r.call_id, calls[i], `result line ${i + 1} is its row`);
    const c = commits.get(r.call_id!) ?? [];
    assert.equal(c.length, 1, `${r.call_id} committed ${c.length} times`);
    assert.equal(r.status, 'ok', `${r.call_id}: ${r.status} ${r.error}`);
    assert.equal(r.wolkvox_id, c[0]!.committed, `${r.call_id} carries the id committed for it`);
    const unreadable = c[0]!.status === 500 || c[0]!.status === 'reset';
    assert.equal(r.error.startsWith('RECONCILED'), unreadable, `${r.call_id}: committing answer ${c[0]!.status}, error "${r.error}"`);
    if (unreadable) lost++;
  });
  assert.equal(crm.committed.filter((g) => g.fields.wolkvox_idCall !== undefined && !calls.includes(g.fields.wolkvox_idCall) && !g.fields.wolkvox_idCall.startsWith('SEED')).length, 0, 'nothing committed for a call not in the input');
  assert.deepEqual(crm.log.filter((e) => e.status === 400), [], 'no request refused as malformed');
  assert.equal(crm.over, 0, 'never more than 2 requests in flight');
  return { lost, errorIn200: crm.entries('insert').filter((e) => e.fault === '200-error').length };
}

/** Queries the server authenticated (a 401 that asked for the token in the body is not a call). */
const queries = (crm: IndependentCrm) => crm.entries('query').filter((e) => e.status !== 401).length;

/** No file the run wrote, no output, carries the token. */
function noToken(dir: string, ...texts: string[]): void {
  for (const t of texts) assert.ok(!t.includes(TOKEN), 'the token is in an output');
  for (const e of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const p = join(dir, e);
    if (statSync(p).isFile()) assert.ok(!readFileSync(p).includes(TOKEN), `the token is in ${e}`);
  }
}

describe('issue 15 against an independent CRM (its own readings and fault mix)', () => {
  it('import --reconcile --resend --check-quota under its fault mix ("nothing found" = data: []): every row once, none uncertain, <= 1.1 queries per uncertain row', async () => {
    const crm = await new IndependentCrm({
      token: TOKEN, seed: 20261202, notFound: 'empty', queryFault: 0.02,
      insertFaults: { '500-after': 0.05, 'reset-after': 0.03, '200-error': 0.03, busy: 0.02, slow: 0.04 },
    }).start();
    try {
      const dir = tmp();
      const n = 400;
      const rows = plainRows(n);
      const input = writeInput(dir, rows);
      const out = join(dir, 'r.csv');
      const run = await runCli(['import', input, '--mapping', writeMapping(dir, { reconcileBy: 'wolkvox_idCall' }), '--server', crm.url, '--operation', OP,
        '--out', out, '--reconcile', '--resend', '--check-quota', '--json', '--quiet'], { cwd: dir, env: ENV });
      assert.equal(run.code, 0, run.stderr);
      // tokenInformation: POST (the vendor's way) refused with 405, then GET, once.
      assert.deepEqual(crm.entries('token').map((e) => `${e.method} ${e.status}`), ['POST 405', 'GET 200']);
      const rs = readResults(out);
      const { lost, errorIn200 } = auditCalls(crm, rs, rows.map((r) => r.call));
      const rec = JSON.parse(run.stdout).reconciled as Record<string, number>;
      assert.ok(lost >= 20 && errorIn200 >= 5, `the faults left rows to reconcile (${lost} lost answers, ${errorIn200} errors inside a 200)`);
      assert.equal(rec.found, lost, 'each row whose committing answer was lost is found');
      assert.equal(rec.missing, errorIn200, 'each error inside a 200 (nothing committed) is proven missing, then resent');
      assert.equal(rec.uncertain, 0);
      assert.equal(rec.rows, lost + errorIn200);
      const q = queries(crm);
      assert.equal(rec.calls, q, 'the run counts every query the server answered');
      assert.ok(q <= 1.1 * rec.rows, `${q} queries for ${rec.rows} uncertain rows`);
      process.stdout.write(`# independent CRM: ${n} rows, ${rec.rows} uncertain (found ${rec.found}, missing ${rec.missing}), ${q} queries (${(q / rec.rows).toFixed(3)} per row), ${crm.entries('insert').length} insert calls\n`);
    } finally {
      await crm.close();
    }
  });

  it('token only in the body, "nothing found" = 404 NO RECORDS FOUND: `reconcile <input>` resolves what an import left uncertain; --resume sends the missing; the token is nowhere', async () => {
    const crm = await new IndependentCrm({
      token: TOKEN, seed: 77, notFound: '404', tokenFrom: 'body',
      insertFaults: { '500-after': 0.06, 'reset-after': 0.04, '200-error': 0.04 },
    }).start();
    try {
      const dir = tmp();
      const n = 150;
      const rows = plainRows(n);
      const input = writeInput(dir, rows);
      const out = join(dir, 'r.csv');
      const base = ['--mapping', writeMapping(dir), '--server', crm.url, '--operation', OP, '--out', out];
      const first = await runCli(['import', input, ...base], { cwd: dir, env: ENV });
      assert.equal(first.code, 1, first.stderr);
      const uncertain = count(readResults(out), 'uncertain');
      assert.ok(uncertain >= 10, `${uncertain} uncertain rows`);
      const inserts = crm.entries('insert');
      const refused = inserts.filter((e) => e.status === 401);
      assert.ok(refused.length >= 1 && refused.length <= 2 && refused.every((e) => !e.bodyToken), 'a 401 for each request in flight without the body token');
      assert.ok(inserts.slice(refused.length).every((e) => e.bodyToken && e.status !== 401), 'then the token goes in the body, for the rest of the run');
      const q0 = queries(crm);
      const rec = await runCli(['reconcile', input, ...base, '--json'], { cwd: dir, env: ENV });
      const stats = JSON.parse(rec.stdout).reconciled as Record<string, number>;
      assert.equal(stats.rows, uncertain);
      assert.equal(stats.uncertain, 0, rec.stderr);
      assert.equal(rec.code, stats.missing > 0 ? 3 : 0, rec.stderr);
      assert.equal(crm.entries('query')[0]!.status, 401, 'the reconcile command learnt the body token too');
      assert.ok(queries(crm) - q0 <= 1.1 * uncertain, `${queries(crm) - q0} queries for ${uncertain} rows`);
      const resumed = await runCli(['import', input, ...base, '--resume', '--reconcile', '--resend'], { cwd: dir, env: ENV });
      assert.equal(resumed.code, 0, resumed.stderr);
      const { lost } = auditCalls(crm, readResults(out), rows.map((r) => r.call));
      assert.ok(lost >= 5);
      noToken(dir, first.stdout, first.stderr, rec.stdout, rec.stderr, resumed.stdout, resumed.stderr);
    } finally {
      await crm.close();
    }
  });

  it('paging: a row searched by a customer with 300 gestiones is found on page 2 (limit 250, pages from 1)', async () => {
    const crm = await new IndependentCrm({ token: TOKEN, seed: 3, notFound: '404', forced: { C000002: ['500-after'], C000003: ['reset-after'] } }).start();
    try {
      for (let k = 1; k <= 300; k++) crm.seed(OP, { id_customer: 'BIG', wolkvox_idRecord: `RB${k}`, wolkvox_idCall: `SEED-${k}`, tipifycation_code: '01', tipifycation_desc: 'PROMESA DE PAGO' });
      const dir = tmp();
      const rows = plainRows(4).map((r) => ({ ...r, customer: 'BIG' }));
      const input = writeInput(dir, rows);
      const out = join(dir, 'r.csv');
      const run = await runCli(['import', input, '--mapping', writeMapping(dir, { reconcileBy: 'id_customer' }), '--server', crm.url, '--operation', OP, '--out', out, '--reconcile', '--json'], { cwd: dir, env: ENV });
      assert.equal(run.code, 0, run.stderr);
      auditCalls(crm, readResults(out), rows.map((r) => r.call));
      assert.deepEqual(crm.entries('query').map((e) => `${e.key} p${e.page} l${e.limit} ${e.status}`), ['BIG p1 l250 200', 'BIG p2 l250 200', 'BIG p1 l250 200', 'BIG p2 l250 200']);
    } finally {
      await crm.close();
    }
  });

  it('record ids from the CRM (token only in the body): one query per distinct customer (+ a page past 250), none on the second run; several and not found (404) are invalid', async () => {
    const crm = await new IndependentCrm({ token: TOKEN, seed: 11, notFound: '404', tokenFrom: 'body', insertFaults: { slow: 0.1 } }).start();
    try {
      const seed = (customer: string, record: string, k: number) => crm.seed(OP, { id_customer: customer, wolkvox_idRecord: record, wolkvox_idCall: `SEED-${customer}-${k}`, tipifycation_code: '02', tipifycation_desc: 'SEGUIMIENTO' });
      for (let c = 1; c <= 5; c++) for (let k = 1; k <= 2; k++) seed(`K${c}`, `REC-K${c}`, k);
      seed('K6', 'REC-A', 1); // the same customer in two records: "several", never guessed
      seed('K6', 'REC-B', 2);
      for (let k = 1; k <= 300; k++) seed('K8', 'REC-K8', k); // K7: none
      for (let k = 1; k <= 250; k++) seed('K9', 'REC-K9', k); // exactly a full page: page 2 answers 404
      const customers = 9;
      const dir = tmp();
      const map = writeMapping(dir, { lookups: { records: { crm: { field: 'id_customer', take: 'wolkvox_idRecord' } } } }, { lookup: { table: 'records', key: 'cliente' } });
      const rowsOf = (first: number) => Array.from({ length: 27 }, (_, i) => ({ call: callOf(i + 1, first), customer: `K${(i % customers) + 1}`, record: '' }));
      const base = ['--mapping', map, '--server', crm.url, '--operation', OP];
      const first = rowsOf(1);
      const out1 = join(dir, 'r1.csv');
      const run1 = await runCli(['import', writeInput(dir, first, 'first.csv'), ...base, '--out', out1, '--json'], { cwd: dir, env: ENV });
      assert.equal(run1.code, 1, run1.stderr); // K6 and K7 rows are invalid
      const asked = () => crm.entries('query').filter((e) => e.status !== 401);
      assert.ok(crm.entries('query').length - asked().length <= 2, 'a 401 at most for each query in flight before the token went in the body');
      assert.deepEqual(asked().map((e) => `${e.key}:${e.page}`).sort(), ['K1:1', 'K2:1', 'K3:1', 'K4:1', 'K5:1', 'K6:1', 'K7:1', 'K8:1', 'K8:2', 'K9:1', 'K9:2']);
      assert.deepEqual(JSON.parse(run1.stdout).lookups, { keys: customers, found: 6 + 1, none: 1, several: 1, failed: 0, calls: 11 });
      const rs = readResults(out1);
      assert.equal(count(rs, 'ok'), 21);
      assert.equal(count(rs, 'invalid'), 6);
      assert.match(rs.find((r) => r.cliente === 'K6')!.error, /REC-A, REC-B/);
      const mine = () => crm.committed.filter((g) => !g.fields.wolkvox_idCall!.startsWith('SEED'));
      for (const g of mine()) assert.equal(g.fields.wolkvox_idRecord, `REC-${g.fields.id_customer}`, `${g.fields.wolkvox_idCall} went to its customer's record`);
      assert.ok(!mine().some((g) => g.fields.id_customer === 'K6' || g.fields.id_customer === 'K7'), 'no insert for several / not found');
      for (const r of rs.filter((x) => x.status === 'ok')) assert.equal(r.wolkvox_id, mine().find((g) => g.fields.wolkvox_idCall === r.call_id)!.wolkvoxId);

      const q = crm.entries('query').length;
      const i = crm.entries('insert').length;
      const run2 = await runCli(['import', writeInput(dir, rowsOf(1001), 'second.csv'), ...base, '--out', join(dir, 'r2.csv'), '--quiet'], { cwd: dir, env: ENV });
      assert.equal(run2.code, 1, run2.stderr);
      assert.equal(crm.entries('query').length, q, 'no query on the second run');
      const inserts = crm.entries('insert').slice(i);
      assert.equal(inserts.filter((e) => e.status !== 401).length, 21, 'its inserts (after a 401 for each sent before the token went in the body)');
      assert.equal(mine().length, 42);
      for (const g of mine()) assert.equal(g.fields.wolkvox_idRecord, `REC-${g.fields.id_customer}`);
      assert.equal(crm.over, 0);
    } finally {
      await crm.close();
    }
  });
});

describe('issue 15: what the independent CRM cannot prove', () => {
  it('a near match (the CRM kept a shorter client_name) stays uncertain, says why, and is asked once even when --resend needs more rounds', async () => {
    const crm = await new IndependentCrm({
      token: TOKEN, seed: 5, notFound: 'empty', widths: { client_name: 12 },
      forced: { C000002: ['500-after'], C000004: ['200-error'], C000005: ['200-error', '200-error'] },
    }).start();
    try {
      const dir = tmp();
      const rows = plainRows(6);
      const input = writeInput(dir, rows);
      writeFileSync(input, readFileSync(input, 'utf8').replace('Cliente 2,', 'Cliente con un nombre largo,'));
      const out = join(dir, 'r.csv');
      const run = await runCli(['import', input, '--mapping', writeMapping(dir), '--server', crm.url, '--operation', OP, '--out', out, '--reconcile', '--resend', '--json', '--quiet'], { cwd: dir, env: ENV });
      assert.equal(run.code, 1, run.stderr);
      const rs = readResults(out);
      assert.deepEqual(rs.map((r) => r.status), ['ok', 'uncertain', 'ok', 'ok', 'ok', 'ok']);
      assert.match(rs[1]!.error, /RECONCILE: 1 gestión\(es\) share its ids but differ \(e\.g\. in client_name\) \(ids seen: \w+\)/);
      for (const call of ['C000004', 'C000005']) assert.equal(crm.committed.filter((g) => g.fields.wolkvox_idCall === call).length, 1, `${call} once`);
      assert.deepEqual(crm.entries('query').map((e) => e.key), ['C000002', 'C000004', 'C000005', 'C000005'], 'the near match is asked once: the CRM will not say anything else a second later');
      assert.deepEqual(JSON.parse(run.stdout).reconciled, { rows: 4, found: 0, missing: 3, uncertain: 1, calls: 4 });
    } finally {
      await crm.close();
    }
  });
});

describe('issue 15: a CRM with numeric typification codes', () => {
  it('"01" sent, 1 returned: the same gestión (found), never "missing" and resent', async () => {
    const crm = await new IndependentCrm({
      token: TOKEN, seed: 12, notFound: 'empty', numeric: ['tipifycation_code', 'tipification_code'],
      forced: { C000002: ['500-after'], C000005: ['reset-after'], C000006: ['200-error'] },
    }).start();
    try {
      const dir = tmp();
      const rows = plainRows(8);
      const input = writeInput(dir, rows);
      const out = join(dir, 'r.csv');
      const run = await runCli(['import', input, '--mapping', writeMapping(dir), '--server', crm.url, '--operation', OP, '--out', out, '--reconcile', '--resend', '--json', '--quiet'], { cwd: dir, env: ENV });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(auditCalls(crm, readResults(out), rows.map((r) => r.call)), { lost: 2, errorIn200: 1 });
      assert.deepEqual(JSON.parse(run.stdout).reconciled, { rows: 3, found: 2, missing: 1, uncertain: 0, calls: 3 });
    } finally {
      await crm.close();
    }
  });
});

describe('issue 15: the quota and slow answers of the independent CRM', () => {
  it("today's quota runs out in the middle of the reconcile: the rest stays uncertain (not searched), exit 3; the next day's --resume --reconcile finishes", async () => {
    const crm = await new IndependentCrm({ token: TOKEN, seed: 4, notFound: '404', quota: 31, forced: { C000005: ['500-after'], C000010: ['reset-after'], C000020: ['500-after'] } }).start();
    try {
      const dir = tmp();
      const rows = plainRows(30);
      const input = writeInput(dir, rows);
      const out = join(dir, 'r.csv');
      const args = ['import', input, '--mapping', writeMapping(dir), '--server', crm.url, '--operation', OP, '--out', out, '--reconcile', '--json', '--quiet'];
      const first = await runCli(args, { cwd: dir, env: ENV });
      assert.equal(first.code, 3, first.stderr);
      assert.deepEqual(JSON.parse(first.stdout).reconciled, { rows: 3, found: 1, missing: 0, uncertain: 2, calls: 2 });
      const rs = readResults(out);
      assert.equal(count(rs, 'uncertain'), 2);
      assert.ok(rs.filter((r) => r.status === 'uncertain').every((r) => /RECONCILE: (not searched|queryGestion answered API_403: TOKEN LIMIT EXCEEDED)/.test(r.error)), rs.map((r) => r.error).join('\n'));
      crm.newDay();
      const second = await runCli([...args, '--resume'], { cwd: dir, env: ENV });
      assert.equal(second.code, 0, second.stderr);
      assert.deepEqual(JSON.parse(second.stdout).reconciled, { rows: 2, found: 2, missing: 0, uncertain: 0, calls: 2 });
      assert.deepEqual(auditCalls(crm, readResults(out), rows.map((r) => r.call)), { lost: 3, errorIn200: 0 });
    } finally {
      await crm.close();
    }
  });

  it('answers that come after --timeout (committed; the slot stays taken a while on the server): uncertain, then found; the 403 for 2 in flight that follows is waited out', async () => {
    const crm = await new IndependentCrm({ token: TOKEN, seed: 8, notFound: 'empty', forced: { C000004: ['stall'], C000009: ['stall'] } }).start();
    try {
      const dir = tmp();
      const rows = plainRows(14);
      const input = writeInput(dir, rows);
      const out = join(dir, 'r.csv');
      const run = await runCli(['import', input, '--mapping', writeMapping(dir), '--server', crm.url, '--operation', OP, '--out', out, '--reconcile', '--timeout', '1', '--json', '--quiet',
        // The default 5 attempts' backoff can be shorter than the 1.5 s the server keeps a timed-out request's slot: a row then ends
        // `failed` (API_403 EXCEEDS THE LIMIT ... after 5 attempts) although nothing was inserted or wrong: the sender's call, not reconcile's.
        '--max-attempts', '12'], { cwd: dir, env: ENV });
      const rs = readResults(out);
      assert.equal(run.code, 0, run.stderr + JSON.stringify(rs.filter((r) => r.status !== 'ok')));
      assert.match(rs[3]!.error, /^RECONCILED/);
      assert.match(rs[8]!.error, /^RECONCILED/);
      assert.ok(crm.over > 0, 'the server refused requests for 2 in flight: it still counted the stalled ones');
      assert.deepEqual(JSON.parse(run.stdout).reconciled, { rows: 2, found: 2, missing: 0, uncertain: 0, calls: 2 });
      const commits = crm.entries('insert').filter((e) => e.committed);
      assert.equal(commits.length, 14, 'each row committed once');
      assert.equal(new Set(commits.map((e) => e.key)).size, 14);
    } finally {
      await crm.close();
    }
  });
});

describe('issue 15: a CRM that searches only by the documented fields', () => {
  it('refusing wolkvox_idCall inside a 200 ("400", FIELD NOT FOUND) is no "nothing found": the rows are searched by id_customer, never resent blindly', async () => {
    const crm = await new IndependentCrm({
      token: TOKEN, seed: 9, notFound: 'empty', searchable: ['id_customer', 'customer_id'],
      forced: { C000003: ['500-after'], C000007: ['reset-after'], C000011: ['200-error'] },
    }).start();
    try {
      const dir = tmp();
      const rows = plainRows(20);
      const input = writeInput(dir, rows);
      const out = join(dir, 'r.csv');
      const run = await runCli(['import', input, '--mapping', writeMapping(dir), '--server', crm.url, '--operation', OP, '--out', out, '--reconcile', '--resend', '--json', '--quiet'], { cwd: dir, env: ENV });
      assert.equal(run.code, 0, run.stderr);
      const { lost, errorIn200 } = auditCalls(crm, readResults(out), rows.map((r) => r.call));
      assert.deepEqual([lost, errorIn200], [2, 1]);
      assert.deepEqual(crm.entries('query').map((e) => `${e.field}=${e.key}`), ['wolkvox_idCall=C000003', 'id_customer=K3', 'id_customer=K7', 'id_customer=K11'], 'one refusal, then by the next field for the rest of the pass');
      assert.deepEqual(JSON.parse(run.stdout).reconciled, { rows: 3, found: 2, missing: 1, uncertain: 0, calls: 4 });
    } finally {
      await crm.close();
    }
  });

  it('a CRM lookup by a field the CRM refuses to search by is no "not found": nothing cached, the rows wait (pending), none invalid', async () => {
    const crm = await new IndependentCrm({ token: TOKEN, seed: 10, notFound: 'empty', searchable: ['id_customer', 'customer_id'] }).start();
    try {
      crm.seed(OP, { wolkvox_idCustomer: 'K1', wolkvox_idRecord: 'REC-K1', wolkvox_idCall: 'SEED-1', tipifycation_code: '01', tipifycation_desc: 'PAGO' });
      const dir = tmp();
      const map = writeMapping(dir, { lookups: { records: { crm: { field: 'wolkvox_idCustomer', take: 'wolkvox_idRecord' } } } }, { lookup: { table: 'records', key: 'cliente' } });
      const out = join(dir, 'r.csv');
      const run = await runCli(['import', writeInput(dir, plainRows(8)), '--mapping', map, '--server', crm.url, '--operation', OP, '--out', out, '--json', '--quiet'], { cwd: dir, env: ENV });
      assert.equal(run.code, 3, run.stderr);
      assert.deepEqual(readResults(out).map((r) => r.status), Array(8).fill('pending'));
      assert.equal(JSON.parse(run.stdout).lookups.none, 0);
      assert.equal((await runCli(['lookups', '--json'], { cwd: dir })).stdout.trim(), '', 'no answer cached');
      assert.equal(crm.entries('insert').length, 0);
    } finally {
      await crm.close();
    }
  });
});

describe('the client against the independent CRM', () => {
  it('token only in the body: two inserts in flight when the first 401 comes back are both resent with it (neither stops the run)', async () => {
    const crm = await new IndependentCrm({ token: TOKEN, seed: 1, notFound: 'empty', tokenFrom: 'body', forced: { A: ['slow'] } }).start();
    const notes: string[] = [];
    const client = createClient({ origin: crm.url, token: TOKEN, timeoutMs: 10_000, connections: 2, onNote: (m) => notes.push(m) });
    try {
      const fields = (call: string) => ({ module: 'collections', wolkvox_idCall: call, wolkvox_idRecord: 'R1', tipifycation_code: '01', tipifycation_desc: 'PAGO' });
      const answers = await Promise.all(['A', 'B', 'C'].map((c) => client.insert(OP, fields(c))));
      assert.deepEqual(answers.map((x) => classify(x).action), ['ok', 'ok', 'ok']);
      assert.deepEqual(crm.committed.map((g) => g.fields.wolkvox_idCall).sort(), ['A', 'B', 'C'], 'each inserted once');
      assert.equal(notes.length, 1, 'told once');
    } finally {
      await client.close();
      await crm.close();
    }
  });
});
