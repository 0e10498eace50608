/**
 * 8. Manager report source: one day of 150,000 calls from the emulator's synthetic dialer, as a
 * nightly job meets it. `check --report cdr_1 --since yesterday` (the plan: windows, estimated
 * Manager calls, CRM calls left), then `import --report cdr_1 --since yesterday --preset cdr_1
 * --dry-run` (every window fetched, the snapshot streamed to disk, every row mapped and validated
 * against the emulator's CRM records; nothing sent). Figures: Manager calls against the minimum
 * (⌈calls / 59,000⌉ windows), seconds, peak RSS of the bin.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TOKEN } from '../lib/cli.ts';
import type { Ctx, SectionFn } from '../lib/context.ts';
import { startBenchEmulator, type BenchEmulator } from '../lib/emulator.ts';
import { run, type Timed } from '../lib/proc.ts';
import { fmt, mib, verdict, type Figure } from '../lib/report.ts';
import { readResults, statusText } from '../lib/results.ts';

const MANAGER_TOKEN = 'bench-manager-token';
/** A window whose answer holds this many records is split (the fetcher's rule): the minimum is ⌈calls / this⌉. */
const SPLIT_AT = 59_000;

interface ManagerStats {
  calls: number;
  answers: number;
  recordsServed: number;
  truncated: number;
  maxInflightSeen: number;
  byHttpStatus: Record<string, number>;
}

async function managerStats(emu: BenchEmulator): Promise<ManagerStats> {
  return (await (await fetch(`${emu.url}/__emulator/manager`)).json()) as ManagerStats;
}

/** The bin with `args`, both tokens in the environment (never in argv). */
function bin(ctx: Ctx, args: string[], peakRss = false): Promise<Timed> {
  const env = { ...process.env, WOLKVOX_TOKEN: TOKEN, WOLKVOX_MANAGER_TOKEN: MANAGER_TOKEN };
  return run(process.execPath, [...ctx.runner.node, ...args], { env, timeoutMs: 600_000, peakRss });
}

/** The last JSON object the command printed on stdout, if any. */
function lastJson(t: Timed): Record<string, unknown> | undefined {
  const line = t.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  try {
    return line === undefined ? undefined : (JSON.parse(line) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

const countLines = async (path: string): Promise<number> => (existsSync(path) ? (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '').length : NaN);

export const report: SectionFn = async (ctx) => {
  const perDay = ctx.size(150_000);
  const emu = await startBenchEmulator({ manager: { token: MANAGER_TOKEN, callsPerDay: perDay } });
  const dir = join(ctx.tmp, 'report');
  await mkdir(dir, { recursive: true });
  try {
    // The preset's lookup resolves against the snapshot's folder (next to the result file).
    await writeFile(join(dir, 'crm_records.csv'), await (await fetch(`${emu.url}/__emulator/crm-records.csv`)).text());
    const common = ['--report', 'cdr_1', '--manager-server', emu.url, '--since', 'yesterday', '--preset', 'cdr_1',
      '--server', emu.url, '--operation', 'bench', '--state', join(dir, 'state.sqlite')];
    const check = await bin(ctx, ['check', ...common, '--json']);
    if (check.code !== 0) throw new Error(`check --report: exit ${check.code}\n${check.stderr.slice(-1500)}`);
    const afterCheck = await managerStats(emu);
    const out = join(dir, 'results.csv');
    const pull = await bin(ctx, ['import', ...common, '--dry-run', '--out', out, '--log-file', join(dir, 'import.log'), '--quiet', '--json'], true);
    // exit 1: finished with invalid rows (the dialer's empty typifications), as expected
    if (pull.code !== 0 && pull.code !== 1) throw new Error(`import --report --dry-run: exit ${pull.code}\n${pull.stderr.slice(-1500)}`);
    const after = await managerStats(emu);
    const calls = after.calls - afterCheck.calls;
    const minimum = Math.ceil(perDay / SPLIT_AT);
    const results = existsSync(out) ? await readResults(out) : undefined;
    const snapshot = (lastJson(pull)?.managerReport as { snapshot?: string } | undefined)?.snapshot;
    const snapshotRows = snapshot === undefined ? NaN : (await countLines(snapshot)) - 1;
    ctx.log(`  check: ${fmt(check.ms)} ms, ${afterCheck.calls} Manager calls; pull + plan: ${fmt(pull.ms)} ms, ${calls} Manager calls, peak RSS ${mib(pull.peakRssKiB)}`);
    const cmd = ctx.benchCmd('report');
    const figures: Figure[] = [
      { section: 'report', figure: `8. a ${fmt(perDay)}-call day pulled and planned (import --report --dry-run): time`, value: `${fmt(pull.ms / 1000, 1)} s`, target: 'info', verdict: 'info', command: cmd },
      { section: 'report', figure: '8. Manager calls for the day', value: `${calls} (minimum ${minimum})`, target: `≤ 2 × minimum (${2 * minimum})`, verdict: verdict(calls <= 2 * minimum), command: cmd },
      { section: 'report', figure: '8. peak RSS of the pull and plan', value: mib(pull.peakRssKiB), target: 'info (the snapshot is streamed to disk)', verdict: 'info', command: cmd },
      { section: 'report', figure: '8. snapshot rows', value: Number.isNaN(snapshotRows) ? 'n/a' : fmt(snapshotRows), target: `${fmt(perDay)} (every call once)`, verdict: Number.isNaN(snapshotRows) ? 'finding' : verdict(snapshotRows === perDay), command: cmd },
      { section: 'report', figure: '8. check --report: time, Manager calls', value: `${fmt(check.ms / 1000, 2)} s, ${afterCheck.calls} report calls`, target: 'no report fetched (0)', verdict: verdict(afterCheck.calls === 0, 'finding'), command: cmd },
    ];
    const details = [
      `Emulator: \`wolkvox-import emulator --port 0 --calls-per-day ${perDay} --manager-token ${MANAGER_TOKEN}\` in its own process; `
        + 'its CRM records (`GET /__emulator/crm-records.csv`) are the preset\'s crm_records.csv lookup.',
      `- \`WOLKVOX_TOKEN=… WOLKVOX_MANAGER_TOKEN=… node ${ctx.runner.node.join(' ')} check ${common.join(' ').replaceAll(emu.url, '$EMULATOR_URL').replaceAll(ctx.tmp, '$TMP')} --json\` — exit ${check.code} in ${fmt(check.ms)} ms.`,
      `- \`… import (same flags) --dry-run --out $TMP/report/results.csv --quiet --json\` — exit ${pull.code} in ${fmt(pull.ms)} ms, peak RSS ${mib(pull.peakRssKiB)} (${pull.rssMethod ?? 'n/a'})${pull.cpuSec === undefined ? '' : `, ${fmt(pull.cpuSec, 1)} s CPU`}.`,
      `- Manager side (the emulator's counters): ${calls} calls, ${after.answers - afterCheck.answers} answers of 200, ${fmt(after.recordsServed - afterCheck.recordsServed)} records served, `
        + `${after.truncated - afterCheck.truncated} answers cut at the cap, at most ${after.maxInflightSeen} in flight; statuses ${JSON.stringify(after.byHttpStatus)}.`,
      `- Result file: ${results ? `${fmt(results.rows)} rows, ${statusText(results.byStatus)}` : 'none (dry run)'}.`,
    ];
    return { name: 'report', title: '8. Manager report: a 150,000-call day', figures, details };
  } finally {
    await emu.close();
  }
};
