/**
 * 6. Resume cost: a 1,000,000-row run stopped by --max-calls 500000 (exit 3, the rest pending),
 * then `--resume` of the same command against the fast emulator: the total time, and the time from
 * spawn until the emulator sees the first new insert request.
 */
import { rm } from 'node:fs/promises';
import { runImporter, shownCommand } from '../lib/cli.ts';
import type { Ctx, SectionFn } from '../lib/context.ts';
import { startBenchEmulator } from '../lib/emulator.ts';
import type { Timed } from '../lib/proc.ts';
import { fmt, mib, verdict, type Figure } from '../lib/report.ts';
import { readResults, statusText, type ResultSummary } from '../lib/results.ts';
import { FAST_CONCURRENCY, FAST_EMULATOR } from './overhead.ts';

export interface ResumeRuns {
  rows: number;
  half: number;
  first: Timed;
  again: Timed;
  firstShown: string;
  againShown: string;
  emulator: string;
  /** Epoch ms when the emulator saw the resume's first insert request. */
  firstNew?: number;
  calls1: number;
  calls2: number;
  res1: ResultSummary;
  res2: ResultSummary;
}

/** Both runs, with peak RSS (section 5 may use them as its 1,000,000-row runs). */
export function resumeRuns(ctx: Ctx): Promise<ResumeRuns> {
  return ctx.memo('resume', async () => {
    const rows = ctx.size(1_000_000);
    const half = Math.floor(rows / 2);
    const input = await ctx.gestiones(rows);
    const emu = await startBenchEmulator(FAST_EMULATOR, true);
    const a = ctx.importArgs('resume', input, emu.url, FAST_CONCURRENCY);
    const firstArgs = { ...a, extra: ['--max-calls', String(half)] };
    const againArgs = { ...a, extra: ['--resume'] };
    try {
      const first = await runImporter(ctx.runner, firstArgs, { timeoutMs: 480_000, peakRss: true });
      const calls1 = (await emu.stats()).calls;
      const res1 = await readResults(a.out);
      if (first.code !== 3 || res1.byStatus.ok !== half) throw new Error(`first half: exit ${first.code} (expected 3), ${statusText(res1.byStatus)}\n${first.stderr.slice(-1500)}`);
      ctx.log(`  --max-calls ${half}: ${fmt(first.ms)} ms, ${calls1} calls, ${statusText(res1.byStatus)}, peak RSS ${mib(first.peakRssKiB)}`);
      await emu.arm();
      const again = await runImporter(ctx.runner, againArgs, { timeoutMs: 480_000, peakRss: true });
      const firstNew = await emu.firstAfterArm();
      const calls2 = (await emu.stats()).calls - calls1;
      const res2 = await readResults(a.out);
      if (again.code !== 0 || res2.byStatus.ok !== rows) throw new Error(`resume: exit ${again.code}, ${statusText(res2.byStatus)}\n${again.stderr.slice(-1500)}`);
      ctx.log(`  --resume: ${fmt(again.ms)} ms, first new request after ${fmt((firstNew ?? NaN) - again.spawnedAt)} ms, ${calls2} calls, peak RSS ${mib(again.peakRssKiB)}`);
      return { rows, half, first, again, firstShown: shownCommand(ctx.runner, firstArgs), againShown: shownCommand(ctx.runner, againArgs), emulator: emu.command, firstNew, calls1, calls2, res1, res2 };
    } finally {
      await emu.close();
      await rm(a.out, { force: true });
      await rm(a.state, { force: true });
    }
  });
}

export const resume: SectionFn = async (ctx) => {
  const r = await resumeRuns(ctx);
  const { rows, half, first, again } = r;
  const cmd = ctx.benchCmd('resume');
  const toFirst = r.firstNew === undefined ? NaN : r.firstNew - again.spawnedAt;
  const sendMs = again.ms - toFirst;
  const figures: Figure[] = [
    { section: 'resume', figure: `6. --resume of a ${fmt(rows)}-row run stopped at ${fmt(half)} calls: total`, value: `${fmt(again.ms / 1000, 1)} s (${fmt((rows - half) / (again.ms / 1000))} new rows/s)`, target: 'info', verdict: 'info', command: cmd },
    { section: 'resume', figure: '6. --resume: spawn → first new request', value: `${fmt(toFirst)} ms (${fmt((toFirst / again.ms) * 100, 1)} % of the resume)`, target: 'info', verdict: 'info', command: cmd },
    { section: 'resume', figure: '6. calls spent by the resume', value: `${r.calls2} for ${rows - half} pending rows`, target: 'equal', verdict: verdict(r.calls2 === rows - half), command: cmd },
  ];
  const details = [
    `Emulator: \`${r.emulator}\` in its own process.${ctx.selected.has('memory') ? ' The two runs are shared with section 5 (its 1,000,000-row peak RSS), which may have made them first: this section\'s own time is then near 0.' : ''}`,
    `- First: \`${r.firstShown}\` — exit ${first.code} in ${fmt(first.ms)} ms, ${r.calls1} calls, ${statusText(r.res1.byStatus)}; peak RSS ${mib(first.peakRssKiB)}.`,
    `- Then: \`${r.againShown}\` — exit ${again.code} in ${fmt(again.ms)} ms, ${r.calls2} calls, ${statusText(r.res2.byStatus)}; peak RSS ${mib(again.peakRssKiB)}.`,
    `- The first new insert reached the emulator ${fmt(toFirst)} ms after spawn (the emulator's diagnostics_channel clock against the spawn time; one machine clock): ` +
      `start-up, lock, fingerprint (hashing the input file), and reading past the ${fmt(half)} settled rows (one store lookup each). The remaining ${fmt(sendMs)} ms sent ${fmt(rows - half)} rows ` +
      `(${fmt((rows - half) / (sendMs / 1000))} rows/s) and rendered the result CSV of ${fmt(rows)} rows.`,
  ];
  return { name: 'resume', title: '6. Resume cost', figures, details };
};
