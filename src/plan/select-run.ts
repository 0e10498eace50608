import type { Logger } from 'pino';
import type { ImportConfig } from '../config/config.ts';
import { StateError } from '../errors.ts';
import type { Prepared } from '../run/prepare.ts';
import type { RunMeta, RunRecord, RunStore } from '../store/store.ts';

export interface SelectedRun {
  runId: number;
  out: string;
  resumed: boolean;
  /** Rows left `sending` by a crash that this resume turned `uncertain`. */
  madeUncertain: number;
}

/** Says what differs between an earlier run and this one, for the --resume refusal. */
export function describeChange(prev: RunMeta, now: RunMeta): string {
  const what: string[] = [];
  if (prev.inputHash !== now.inputHash) what.push('the input file changed since');
  if (prev.mappingHash !== now.mappingHash) what.push('the mapping changed');
  if (prev.server !== now.server) what.push(`the server was ${prev.server}, now ${now.server}`);
  if (prev.operation !== now.operation) what.push(`the operation was "${prev.operation}", now "${now.operation}"`);
  return what.join('; ') || 'the run fingerprint differs';
}

function runMeta(cfg: ImportConfig, p: Prepared): RunMeta {
  return { inputPath: cfg.input, fingerprint: p.fingerprint, inputHash: p.inputHash, mappingHash: p.mappingHash,
    server: cfg.server, operation: cfg.operation, outPath: cfg.out, sourceInfo: p.source.info, reportSource: cfg.reportSource };
}

/**
 * Which run this import writes to: the earlier run of the same file on --resume, else a new one.
 * Refuses what would insert rows twice: a new run of a file already imported (same content, mapping,
 * server and operation) unless --force-new-run, and a forced new run that would resend rows inserted
 * without a dedupe key unless --yes.
 */
export function selectRun(cfg: ImportConfig, store: RunStore, p: Prepared, log: Logger): SelectedRun {
  const meta = runMeta(cfg, p);
  if (cfg.dryRun) return { runId: store.createRun(meta), out: cfg.out, resumed: false, madeUncertain: 0 };
  if (cfg.resume) {
    const resumed = resumeRun(cfg, store, p, log);
    if (resumed) return resumed;
  } else {
    refuseRepeat(cfg, store, p.fingerprint);
  }
  return { runId: store.createRun(meta), out: cfg.out, resumed: false, madeUncertain: 0 };
}

/** The earlier run to continue, or undefined when there is none (a new run starts: one command for "start or continue"). */
function resumeRun(cfg: ImportConfig, store: RunStore, p: Prepared, log: Logger): SelectedRun | undefined {
  const prev = store.latestRunForInput(cfg.input);
  if (!prev) {
    log.info({ input: cfg.input }, '--resume: no earlier run of this file in the state file: starting a new run');
    return undefined;
  }
  if (prev.fingerprint !== p.fingerprint) {
    if (!cfg.forceNewRun) {
      throw new StateError(`--resume: run ${prev.id} of ${cfg.input} cannot be continued: ${describeChange(prev, runMeta(cfg, p))}. Restore it, or pass --force-new-run to start a new run (rows whose dedupe key was already inserted are still skipped as duplicates)`);
    }
    refuseResend(cfg, store, prev);
    return undefined;
  }
  const out = cfg.outGiven ? cfg.out : prev.outPath;
  const madeUncertain = store.reopenRun(prev.id, out);
  if (madeUncertain > 0) log.warn({ rows: madeUncertain }, 'rows that were being sent when the earlier run stopped are now uncertain: check them in the CRM');
  log.info({ runId: prev.id }, 'resuming run');
  return { runId: prev.id, out, resumed: true, madeUncertain };
}

/** A new run of a file that already has a run with the same fingerprint: refused unless --force-new-run. */
function refuseRepeat(cfg: ImportConfig, store: RunStore, fingerprint: string): void {
  const same = store.latestRunForFingerprint(fingerprint);
  if (!same) return;
  if (cfg.forceNewRun) {
    refuseResend(cfg, store, same);
    return;
  }
  const inserted = store.countsByStatus(same.id).ok ?? 0;
  if (same.state === 'finished') {
    throw new StateError(`${cfg.input} was already imported: run ${same.id} (${same.startedAt}, finished, ${inserted} rows inserted) had the same content, mapping, server and operation. Nothing was sent. To import it again anyway, pass --force-new-run`, { runId: same.id });
  }
  throw new StateError(`run ${same.id} of this same file (${same.startedAt}, ${inserted} rows inserted so far) stopped before the end: continue it with --resume (a new run would send its rows again). Nothing was sent`, { runId: same.id });
}

/** --force-new-run over a run whose inserted rows have no dedupe key: they would be sent again; that takes --yes. */
function refuseResend(cfg: ImportConfig, store: RunStore, prev: RunRecord): void {
  const unguarded = store.insertedWithoutKey(prev.id);
  if (unguarded === 0 || cfg.yes) return;
  throw new StateError(`--force-new-run: ${unguarded} rows already inserted by run ${prev.id} (${prev.startedAt}) have no dedupe key and would be sent again, inserting them twice in the CRM. Add a dedupeKey to the mapping, or pass --yes to insert them again anyway. Nothing was sent`, { runId: prev.id });
}
