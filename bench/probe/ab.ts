/**
 * Spawn → first insert request, wall time, of one or more builds of the bin, interleaved so that
 * the machine's drift hits each alike: section 1's start-up figure without its 3,000-row runs.
 * node --import tsx bench/probe/ab.ts <runs> dist/main.js [other-build/main.js ...]
 * (a build to compare must sit inside the project so that it finds node_modules).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runImporter } from '../lib/cli.ts';
import { SAMPLE_MAPPING, writeGestiones } from '../lib/data.ts';
import { startBenchEmulator } from '../lib/emulator.ts';

const runs = Number(process.argv[2] ?? 9);
const bins = process.argv.slice(3);
if (bins.length === 0) bins.push('dist/main.js');
const dir = await mkdtemp(join(tmpdir(), 'wolkvox-startup-'));
const input = join(dir, 'in.csv');
await writeGestiones(input, 20);
const emu = await startBenchEmulator({ latencyMs: 20, maxInflight: 2, quota: 10_000_000 });
const out: number[][] = bins.map(() => []);
try {
  for (let i = 0; i < runs; i++) {
    for (const [b, bin] of bins.entries()) {
      await emu.reset();
      await emu.record(true);
      const p = (s: string) => join(dir, `${i}.${b}.${s}`);
      const t = await runImporter({ node: [bin], label: '', note: '' }, { input, mapping: SAMPLE_MAPPING, server: emu.url, state: p('state'), out: p('csv'), logFile: p('log'), concurrency: 2 });
      await emu.record(false);
      if (t.code !== 0) throw new Error(`${bin}: exit ${t.code}\n${t.stderr.slice(-1500)}`);
      out[b]!.push(Math.min(...(await emu.timeline()).starts) - t.spawnedAt);
    }
  }
} finally {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
}
for (const [b, bin] of bins.entries()) {
  const s = out[b]!.sort((x, y) => x - y);
  const q = (f: number) => s[Math.floor(s.length * f)]!.toFixed(0);
  console.log(`${bin}: spawn → first request over ${runs} runs: min ${q(0)}, p25 ${q(0.25)}, median ${q(0.5)}, p75 ${q(0.75)} ms`);
}
