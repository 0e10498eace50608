/**
 * Hot-path cost of transform(): `node --import tsx test/transform/bench-transform.ts`.
 * A 10-field mapping with trim only (plus the typification spellings, module, dedupeKey) over
 * 200,000 records; also the cdr_1-like mapping with digits and two date transforms.
 */
import { compileMapping, parseMapping, type Mapping } from '../../src/transform/index.ts';
import type { SourceRecord } from '../../src/types.ts';

const N = 200_000;
const header = ['call', 'code', 'desc', 'record', 'customer', 'name', 'last', 'phone', 'agent', 'campaign', 'when'];

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function records(): SourceRecord[] {
  const out: SourceRecord[] = [];
  for (let i = 0; i < N; i++) {
    const t = new Date(Date.UTC(2026, 7, 1) + i * 7_000); // every value distinct: no cache hits
    const h12 = t.getUTCHours() % 12 || 12;
    const when = `${t.getUTCDate()}/${t.getUTCMonth() + 1}/${t.getUTCFullYear()} ${h12}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} ${t.getUTCHours() < 12 ? 'a. m.' : 'p. m.'}`;
    const values = [`C${i}`, ' 01 ', 'PROMESA DE PAGO', `R${i}`, String(10_000_000 + i), 'María', 'Gómez ', `(300) 555-${pad(i % 10_000, 4)}`, 'Laura Ríos', 'CAMP-7', when];
    out.push({ row: i + 1, line: i + 2, values });
  }
  return out;
}

async function measure(label: string, mapping: Mapping, recs: SourceRecord[]): Promise<void> {
  const c = await compileMapping({ mapping, path: 'bench.json' }, header);
  for (let i = 0; i < 20_000; i++) c.transform(recs[i]); // warm-up
  const runs: number[] = [];
  let sent = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < recs.length; i++) if (c.transform(recs[i]).kind === 'send') sent++;
    runs.push(Number(process.hrtime.bigint() - t0) / 1000 / recs.length);
  }
  runs.sort((a, b) => a - b);
  console.log(`${label}: median ${runs[2].toFixed(3)} µs/row (min ${runs[0].toFixed(3)}, max ${runs[4].toFixed(3)}; ${recs.length} rows × 5; sent ${sent / 5})`);
}

const recs = records();
const trimOnly = parseMapping(
  JSON.stringify({
    fields: {
      wolkvox_idCall: 'call', tipifycation_code: 'code', tipifycation_desc: 'desc', wolkvox_idRecord: 'record', customer_id: 'customer',
      client_name: 'name', client_lastname: 'last', client_telephone: 'phone', agent_name: 'agent', campaign_id: 'campaign',
    },
    dedupeKey: ['wolkvox_idCall'],
  }),
  'bench.json',
);
await measure('10 fields, trim only', trimOnly, recs);

const withSkips: Mapping = { ...trimOnly, skip: [{ name: 'timeoutacw', column: 'code', equals: 'TIMEOUTACW' }, { name: 'total', column: 'call', in: ['TOTAL'] }, { name: 'test', column: 'desc', matches: '^prueba', flags: 'i' }] };
await measure('10 fields + 3 skip rules', withSkips, recs);

const dated = parseMapping(
  JSON.stringify({
    ...trimOnly,
    fields: {
      ...trimOnly.fields,
      client_telephone: { column: 'phone', transforms: ['digits'] },
      date: { column: 'when', transforms: [{ date: { from: 'd/M/yyyy h:mm:ss a', to: 'yyyy-MM-dd' } }] },
      time: { column: 'when', transforms: [{ date: { from: 'd/M/yyyy h:mm:ss a', to: 'HH:mm:ss' } }] },
    },
  }),
  'bench.json',
);
await measure('12 fields, digits + 2 date-times (unique values)', dated, recs);
