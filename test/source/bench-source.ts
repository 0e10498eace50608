/**
 * Throughput of openSource against bare csv-parse (arrays, same file, same delimiter).
 *   node --import tsx test/source/bench-source.ts [rows=200000] [runs=3]
 * Generates a 20-column UTF-8 file (one quoted value with a delimiter and an accent per
 * row) in the OS temp folder, reads it with each reader alternately, prints medians.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { openSource } from '../../src/source/index.ts';

const ROWS = Number(process.argv[2] ?? 200_000);
const RUNS = Number(process.argv[3] ?? 3);
const COLS = 20;

async function generate(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write(Array.from({ length: COLS }, (_, i) => `COL_${i}`).join(';') + '\r\n');
  let buf = '';
  for (let r = 1; r <= ROWS; r++) {
    const vals: string[] = [];
    for (let c = 0; c < COLS; c++) {
      vals.push(c === 5 ? `"Gestión ${r}; nota"` : c === 2 ? '15/08/2026 6:06:08 p. m.' : `v${r}_${c}`);
    }
    buf += vals.join(';') + '\r\n';
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

async function bare(path: string): Promise<number> {
  let n = 0;
  const parser = createReadStream(path).pipe(parse({ delimiter: ';', relax_quotes: true, relax_column_count: true }));
  for await (const _r of parser) n++;
  return n - 1;
}

async function source(path: string): Promise<number> {
  let n = 0;
  const src = await openSource({ path });
  for await (const _r of src.records) n++;
  return n;
}

async function time(fn: (p: string) => Promise<number>, path: string): Promise<{ rate: number; rssMiB: number }> {
  const t0 = process.hrtime.bigint();
  const n = await fn(path);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (n !== ROWS) throw new Error(`read ${n} rows, expected ${ROWS}`);
  return { rate: n / s, rssMiB: process.memoryUsage().rss / 2 ** 20 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const dir = await mkdtemp(join(tmpdir(), 'wolkvox-bench-'));
try {
  const path = join(dir, 'bench.csv');
  await generate(path);
  const results: Record<string, number[]> = { 'bare csv-parse': [], openSource: [] };
  let rss = 0;
  for (let i = 0; i < RUNS; i++) {
    results['bare csv-parse']!.push((await time(bare, path)).rate);
    const r = await time(source, path);
    results.openSource!.push(r.rate);
    rss = Math.max(rss, r.rssMiB);
  }
  const b = median(results['bare csv-parse']!);
  const o = median(results.openSource!);
  console.log(`${ROWS} rows x ${COLS} columns, median of ${RUNS}`);
  console.log(`bare csv-parse: ${Math.round(b)} rows/s (${(1e6 / b).toFixed(2)} µs/row)`);
  console.log(`openSource:     ${Math.round(o)} rows/s (${(1e6 / o).toFixed(2)} µs/row), ${((b / o - 1) * 100).toFixed(1)} % slower; peak RSS ${Math.round(rss)} MiB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
