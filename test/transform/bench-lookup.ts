/**
 * Heap kept by a loaded lookup table and its load time:
 * `node --expose-gc --import tsx test/transform/bench-lookup.ts [rows]` (default 100,000).
 * The CSV has 6 columns; the mapping reads one (wolkvox_idRecord), keyed by customer_id.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLookup } from '../../src/transform/lookup.ts';

const rows = Number(process.argv[2] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const dir = mkdtempSync(join(tmpdir(), 'wvx-lookup-'));
const file = join(dir, 'crm_records.csv');
function writeCsv(): void {
  const lines = ['\ufeffcustomer_id,wolkvox_idRecord,nombre,apellido,telefono,saldo'];
  for (let i = 0; i < rows; i++) {
    lines.push(`${1_000_000_000 + i},${(0x5f3a000000 + i * 7919).toString(16)}cb${i % 97},Nombre ${i},Apellido ${i},300555${String(i % 10_000).padStart(4, '0')},${(i * 1234) % 9_999_999}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
}
writeCsv();
// Load once (warms the csv-parse and stream code) and drop it, then measure a second load.
async function warmUp(): Promise<void> {
  await loadLookup({ name: 'records', def: { file, key: ['customer_id'] }, file, wanted: ['wolkvox_idRecord'] });
}
await warmUp();
// Let the streams' pending callbacks run so nothing of the warm-up is still referenced.
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 50));
await settle();
gc();
gc();
const before = process.memoryUsage().heapUsed;
const t0 = performance.now();
const { table } = await loadLookup({ name: 'records', def: { file, key: ['customer_id'] }, file, wanted: ['wolkvox_idRecord'] });
const ms = performance.now() - t0;
await settle();
gc();
const after = process.memoryUsage().heapUsed;
const mb = (after - before) / 1024 / 1024;
console.log(`${table.index.size} keys from ${rows} rows: +${mb.toFixed(1)} MB heap (${(mb * 100_000 / rows).toFixed(1)} MB per 100,000 rows, ${((after - before) / rows).toFixed(0)} B/row); load ${ms.toFixed(0)} ms`);
rmSync(dir, { recursive: true, force: true });
