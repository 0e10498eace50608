/**
 * Throughput of openSource against bare csv-parse (arrays, same file, same delimiter).
 *   node --import tsx test/source/bench-source.ts [rows=200000] [runs=3]
 * Generates a 20-column UTF-8 file (one quoted value with a delimiter and an accent per
 * row) and a Windows-1252 copy in the OS temp folder, reads them with each reader in
 * turn, prints medians of wall-clock and CPU throughput (CPU is steadier on a shared box).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse';
import { openSource } from '../../src/source/index.ts';

const ROWS = Number(process.argv[2] ?? 200_000);
const RUNS = Number(process.argv[3] ?? 3);
const COLS = 20;

/** Writes the same rows to a UTF-8 file and a Windows-1252 file, streaming. */
async function generate(utf8Path: string, cp1252Path: string): Promise<void> {
  const outs = [createWriteStream(utf8Path), createWriteStream(cp1252Path)] as const;
  const write = async (text: string): Promise<void> => {
    const drains = [outs[0].write(Buffer.from(text, 'utf8')), outs[1].write(iconv.encode(text, 'windows-1252'))].map((ok, i) =>
      ok ? undefined : once(outs[i]!, 'drain'),
    );
    await Promise.all(drains);
  };
  await write(Array.from({ length: COLS }, (_, i) => `COL_${i}`).join(';') + '\r\n');
  let buf = '';
  for (let r = 1; r <= ROWS; r++) {
    const vals: string[] = [];
    for (let c = 0; c < COLS; c++) {
      vals.push(c === 5 ? `"Gestión ${r}; nota"` : c === 2 ? '15/08/2026 6:06:08 p. m.' : `v${r}_${c}`);
    }
    buf += vals.join(';') + '\r\n';
    if (buf.length > 1 << 16) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  for (const out of outs) out.end();
  await Promise.all(outs.map((out) => once(out, 'finish')));
}

async function bare(path: string): Promise<number> {
  let n = 0;
  const parser = parse({ delimiter: ';', relax_quotes: true, relax_column_count: true });
  const done = pipeline(createReadStream(path), parser);
  for await (const _r of parser) n++;
  await done;
  return n - 1;
}

async function source(path: string): Promise<number> {
  let n = 0;
  const src = await openSource({ path });
  for await (const _r of src.records) n++;
  return n;
}

interface Sample {
  rate: number; // rows per wall-clock second
  cpuRate: number; // rows per CPU second (user + system): steadier on a shared machine
  rssMiB: number;
}

async function time(fn: (p: string) => Promise<number>, path: string): Promise<Sample> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const n = await fn(path);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  if (n !== ROWS) throw new Error(`read ${n} rows, expected ${ROWS}`);
  return { rate: n / s, cpuRate: n / ((c.user + c.system) / 1e6), rssMiB: process.memoryUsage().rss / 2 ** 20 };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const dir = await mkdtemp(join(tmpdir(), 'wolkvox-bench-'));
try {
  const path = join(dir, 'bench.csv');
  const cp1252 = join(dir, 'bench-cp1252.csv');
  await generate(path, cp1252);
  const bareRuns: Sample[] = [];
  const sourceRuns: Sample[] = [];
  const cp1252Runs: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    bareRuns.push(await time(bare, path));
    sourceRuns.push(await time(source, path));
    cp1252Runs.push(await time(source, cp1252));
  }
  console.log(`${ROWS} rows x ${COLS} columns, median of ${RUNS} (load average ${loadavg()[0]?.toFixed(2)})`);
  const line = (name: string, runs: Sample[]): [number, number] => {
    const wall = median(runs.map((r) => r.rate));
    const cpu = median(runs.map((r) => r.cpuRate));
    console.log(`${name.padEnd(15)} ${Math.round(wall)} rows/s wall, ${Math.round(cpu)} rows/s of CPU (${(1e6 / cpu).toFixed(2)} µs CPU/row)`);
    return [wall, cpu];
  };
  const [bw, bc] = line('bare csv-parse', bareRuns);
  const [ow, oc] = line('openSource', sourceRuns);
  line('  (cp1252 file)', cp1252Runs);
  console.log(`openSource overhead: ${((bw / ow - 1) * 100).toFixed(1)} % wall, ${((bc / oc - 1) * 100).toFixed(1)} % CPU; peak RSS ${Math.round(Math.max(...sourceRuns.map((r) => r.rssMiB)))} MiB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
