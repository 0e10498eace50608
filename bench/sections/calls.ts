/**
 * 3. Calls per row (the quota is the scarce thing): a clean run spends exactly one call per row;
 * with 5 % injected 503s the extra calls are exactly the retries; invalid, skipped and duplicate
 * rows (in the file, and across runs through the ledger) cost nothing.
 * The emulator answers at once (latency 0) with the API's limit of 2 in flight.
 */
import { join } from 'node:path';
import { runImporter, shownCommand, type ImportArgs } from '../lib/cli.ts';
import type { Ctx, SectionFn } from '../lib/context.ts';
import { writeGestiones } from '../lib/data.ts';
import { startBenchEmulator, type BenchEmulator } from '../lib/emulator.ts';
import { verdict, type Figure } from '../lib/report.ts';
import { readResults, statusText, type ResultSummary } from '../lib/results.ts';

const FAULT = { fault: '503' as const, rate: 0.05 };
const SEED = 20260801;

async function importOnce(ctx: Ctx, emu: BenchEmulator, a: ImportArgs): Promise<{ calls: number; res: ResultSummary; code: number | null }> {
  const before = (await emu.stats()).calls;
  const t = await runImporter(ctx.runner, a, { timeoutMs: 300_000 });
  const calls = (await emu.stats()).calls - before;
  const res = await readResults(a.out);
  if (t.code !== 0 && t.code !== 1) throw new Error(`import ${a.input}: exit ${t.code}\n${t.stderr.slice(-1500)}`);
  return { calls, res, code: t.code };
}

/** File A: every 10th row invalid, every 10th (offset 3) skipped, every 10th (offset 6) repeats the key of the row 5 above. */
function kindA(i: number): 'valid' | 'invalid' | 'skip' | { dupOf: number } {
  if (i % 10 === 0) return 'invalid';
  if (i % 10 === 3) return 'skip';
  if (i % 10 === 6) return { dupOf: i - 5 };
  return 'valid';
}

export const calls: SectionFn = async (ctx) => {
  const rows = ctx.size(3000);
  const cmd = ctx.benchCmd('calls');
  const input = await ctx.gestiones(rows);
  const emu = await startBenchEmulator({ latencyMs: 0, maxInflight: 2, quota: 10_000_000, seed: SEED });
  const figures: Figure[] = [];
  const details: string[] = [`Emulator: \`${emu.command}\` (faults set per run over IPC, as \`--fault\` would). ${rows} rows per file.`, ''];
  try {
    // clean
    const clean = ctx.importArgs('calls-clean', input, emu.url, 2);
    const c = await importOnce(ctx, emu, clean);
    const ok = c.res.byStatus.ok ?? 0;
    const perRow = c.calls / ok;
    figures.push({ section: 'calls', figure: '3. calls per inserted row, clean run', value: `${perRow.toFixed(3)} (${c.calls} calls, ${ok} ok)`, target: '1.000', verdict: verdict(c.calls === ok && ok === rows), command: cmd });
    details.push(`- Clean: \`${shownCommand(ctx.runner, clean)}\` → ${statusText(c.res.byStatus)}; ${c.calls} calls.`);

    // 5 % 503
    await emu.reset();
    await emu.setFaults([FAULT]);
    const faulty = ctx.importArgs('calls-503', input, emu.url, 2);
    const f = await importOnce(ctx, emu, faulty);
    const st = await emu.stats();
    const fOk = f.res.byStatus.ok ?? 0;
    const extra = f.calls - f.res.sentRows;
    const exact = extra === f.res.retries && f.calls === f.res.attempts && st.insertedCount === fOk;
    figures.push({
      section: 'calls', figure: '3. extra calls with 5 % 503s = retries (Σ attempts−1)', value: `${extra} extra = ${f.res.retries} retries (${st.faultsInjected} 503s)`,
      target: 'equal', verdict: verdict(exact), command: cmd,
    });
    details.push(`- 5 % 503 (\`--fault '${JSON.stringify(FAULT)}' --seed ${SEED}\`): \`${shownCommand(ctx.runner, faulty)}\` → ${statusText(f.res.byStatus)}; ` +
      `${f.calls} calls for ${f.res.sentRows} rows sent: ${extra} extra; result CSV Σ(attempts−1) = ${f.res.retries}, Σ attempts = ${f.res.attempts}; ` +
      `the emulator injected ${st.faultsInjected} 503s and committed ${st.insertedCount} inserts (= ${fOk} rows ok: no row inserted twice).`);

    // invalid, skipped, duplicate; then a second file repeating keys of the first, same state
    await emu.reset();
    const fileA = join(ctx.tmp, `calls-a-${rows}.csv`);
    const fileB = join(ctx.tmp, `calls-b-${rows}.csv`);
    const newInB = Math.max(1, Math.round(rows / 10));
    await writeGestiones(fileA, rows, { kindOf: kindA });
    // B: rows 1..rows-newInB repeat keys A inserted (cycling over them); the last newInB are new ids
    const insertedByA = Array.from({ length: rows }, (_, k) => k + 1).filter((i) => kindA(i) === 'valid');
    await writeGestiones(fileB, rows, { kindOf: (i) => (i <= rows - newInB ? { dupOf: insertedByA[(i - 1) % insertedByA.length]! } : 'valid'), firstId: 10 * rows + 1 });
    const expectA = { ok: insertedByA.length, invalid: 0, skipped: 0, duplicate: 0 };
    for (let i = 1; i <= rows; i++) {
      const k = kindA(i);
      if (k === 'invalid') expectA.invalid++;
      else if (k === 'skip') expectA.skipped++;
      else if (typeof k === 'object') expectA.duplicate++;
    }
    const a = ctx.importArgs('calls-a', fileA, emu.url, 2);
    const b = { ...ctx.importArgs('calls-b', fileB, emu.url, 2), state: a.state };
    const ra = await importOnce(ctx, emu, a);
    const rb = await importOnce(ctx, emu, b);
    const spentA = ra.calls - (ra.res.byStatus.ok ?? 0);
    const spentB = rb.calls - (rb.res.byStatus.ok ?? 0);
    const notSent = (r: ResultSummary) => (r.byStatus.invalid ?? 0) + (r.byStatus.skipped ?? 0) + (r.byStatus.duplicate ?? 0);
    const noneAttempted = ra.res.attempts === (ra.res.byStatus.ok ?? 0) && rb.res.attempts === (rb.res.byStatus.ok ?? 0);
    const asExpected = (Object.keys(expectA) as (keyof typeof expectA)[]).every((k) => (ra.res.byStatus[k] ?? 0) === expectA[k]) &&
      (rb.res.byStatus.ok ?? 0) === newInB && (rb.res.byStatus.duplicate ?? 0) === rows - newInB;
    figures.push({
      section: 'calls', figure: '3. calls on invalid + skipped + duplicate rows (2 files, 1 state)', value: `${spentA + spentB} (for ${notSent(ra.res) + notSent(rb.res)} such rows)`,
      target: '0', verdict: verdict(spentA + spentB === 0 && noneAttempted && asExpected), command: cmd,
    });
    details.push(`- File A (every 10th row invalid: no ID Registro; every 10th skipped: "PRUEBA" description; every 10th repeats the ID Llamada of the row 5 above): ` +
      `\`${shownCommand(ctx.runner, a)}\` → ${statusText(ra.res.byStatus)}; ${ra.calls} calls.`);
    details.push(`- File B, same \`--state\` (the ledger), mapping \`"dedupeKey": ["wolkvox_idCall"]\`: ${rows - newInB} rows repeat keys A inserted, ${newInB} are new: ` +
      `\`${shownCommand(ctx.runner, b)}\` → ${statusText(rb.res.byStatus)}; ${rb.calls} calls.`);
    details.push(`- Expected: A ${statusText(expectA)}; B ok ${newInB}, duplicate ${rows - newInB}: ${asExpected ? 'as expected' : 'DIFFERENT'}.`);
    details.push(`- Calls beyond the rows inserted: A ${spentA}, B ${spentB}; \`attempts\` is 0 on every row not inserted: ${noneAttempted ? 'yes' : 'NO'}.`);
  } finally {
    await emu.close();
  }
  return { name: 'calls', title: '3. Calls per row', figures, details };
};
