/**
 * 2. Side by side with newman: the same rows against the same emulator (20 ms, 2 in flight),
 * newman running an equivalent Postman collection with -d (one request at a time), both timed
 * from spawn to exit, back to back in the same invocation.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runImporter, shownCommand, TOKEN } from '../lib/cli.ts';
import type { SectionFn } from '../lib/context.ts';
import { newmanCollection, writeNewmanData } from '../lib/data.ts';
import { startBenchEmulator } from '../lib/emulator.ts';
import { LATENCY_MS, measureEfficiency } from './efficiency.ts';
import { run } from '../lib/proc.ts';
import { fmt, verdict, type Figure } from '../lib/report.ts';
import { readResults, statusText } from '../lib/results.ts';

const NEWMAN = 'node_modules/.bin/newman';

export const newman: SectionFn = async (ctx) => {
  const rows = ctx.size(3000);
  if (!existsSync(NEWMAN)) throw new Error(`${NEWMAN} is missing: run npm ci (newman is a dev dependency)`);
  const input = await ctx.gestiones(rows);
  const data = join(ctx.tmp, `newman-${rows}.csv`);
  const collection = join(ctx.tmp, 'insertGestion.postman_collection.json');
  await writeNewmanData(data, rows);
  await writeFile(collection, JSON.stringify(newmanCollection(), null, 2));
  // With section 1 in the same invocation, its median run (same rows, same emulator settings) is ours.
  const shared = ctx.selected.has('efficiency') ? await measureEfficiency(ctx) : undefined;
  const emu = await startBenchEmulator({ latencyMs: LATENCY_MS, maxInflight: 2, quota: 10_000_000 });
  let oursMs: number, ourLine: string, theirs, newmanArgs: string[];
  let newmanStats;
  try {
    if (shared) {
      oursMs = shared.med.t.ms;
      ourLine = `section 1's median run (\`${shared.shown}\`, same emulator settings, same invocation) — ${fmt(oursMs)} ms`;
    } else {
      const a = ctx.importArgs('newman-ours', input, emu.url, 2);
      const ours = await runImporter(ctx.runner, a, { timeoutMs: 300_000, sharedSession: true });
      const ourStats = await emu.stats();
      const res = await readResults(a.out);
      if (ours.code !== 0 || res.byStatus.ok !== rows) throw new Error(`importer: exit ${ours.code}, ${statusText(res.byStatus)}\n${ours.stderr.slice(-1500)}`);
      oursMs = ours.ms;
      ourLine = `\`${shownCommand(ctx.runner, a)}\` — ${fmt(ours.ms)} ms, ${ourStats.calls} calls, max ${ourStats.maxInflightSeen} in flight`;
      await emu.reset();
    }
    newmanArgs = ['run', collection, '-d', data, '--env-var', `server=${emu.url}`, '--env-var', `token=${TOKEN}`, '--env-var', 'operation=bench', '--silent'];
    // In the bench's session like the importer's runs (section 1 says why).
    theirs = await run(process.execPath, [NEWMAN, ...newmanArgs], { timeoutMs: 400_000, sharedSession: true });
    newmanStats = await emu.stats();
    const okNewman = newmanStats.byHttpStatus['200'] ?? 0;
    if (theirs.code !== 0 || okNewman !== rows) throw new Error(`newman: exit ${theirs.code}, ${okNewman} answers 200 of ${rows}\n${theirs.stderr.slice(-1500)}${theirs.stdout.slice(-1500)}`);
  } finally {
    await emu.close();
  }
  const ourRate = rows / (oursMs / 1000);
  const newmanRate = rows / (theirs.ms / 1000);
  const ratio = ourRate / newmanRate;
  ctx.log(`  importer ${fmt(oursMs)} ms (${fmt(ourRate, 1)} rows/s), newman ${fmt(theirs.ms)} ms (${fmt(newmanRate, 1)} rows/s): ×${ratio.toFixed(2)}`);
  const cmd = ctx.benchCmd('newman');
  const figures: Figure[] = [
    { section: 'newman', figure: `2. importer ÷ newman, rows/s (${rows} rows, same invocation)`, value: `×${ratio.toFixed(2)} (${fmt(ourRate, 1)} vs ${fmt(newmanRate, 1)} rows/s)`, target: '≥ ×1.9 (ceiling ~×2)', verdict: verdict(ratio >= 1.9, 'finding'), command: cmd },
  ];
  const details = [
    `Emulator: \`${emu.command}\`. Importer: ${ourLine}.`,
    `newman 6.2.2: \`node ${NEWMAN} ${newmanArgs.join(' ').replace(ctx.tmp, '$TMP').replace(ctx.tmp, '$TMP').replace(emu.url, '$EMULATOR_URL')}\` — ${fmt(theirs.ms)} ms, ${newmanStats.calls} calls (${newmanStats.byHttpStatus['200'] ?? 0} answered 200), max ${newmanStats.maxInflightSeen} in flight.`,
    'The collection (generated, one POST to `{{server}}/server/API/v2/collections/insertGestion.php`, header `Wolkvox-Token: {{token}}`, raw JSON body of `{{variables}}`) sends the same JSON the importer sends; ' +
      "its data file holds the same rows already in API form, since newman neither maps nor validates (that work is the importer's alone). newman runs iterations one after another: its ceiling is 1 ÷ 20 ms = 50 rows/s, so ×2 is the most the importer can show.",
  ];
  return { name: 'newman', title: '2. Side by side with newman', figures, details };
};
