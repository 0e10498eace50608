import type { Logger } from 'pino';
import type { ImportConfig } from '../config/config.ts';
import { checkOutputTargets } from '../config/outputs.ts';
import { Planner } from '../plan/plan.ts';
import { selectRun, type SelectedRun } from '../plan/select-run.ts';
import { acquireLockWaiting, releaseLock } from '../store/lock.ts';
import { RunStore, TEMPORARY } from '../store/store.ts';
import { loadRunMapping, type Prepared } from './prepare.ts';

export interface OpenDeps {
  logger: Logger;
  /** The command line (token-free) recorded in the lock for a second process's message. */
  command?: string;
  /** Opens the store (tests inject a store with a size limit to fail writes for real). */
  openStore?: (path: string) => RunStore;
}

/** An opened run: input, compiled mapping, store (locked), the run's row in it, the planner. */
export interface OpenRun extends SelectedRun {
  cfg: ImportConfig;
  prepared: Prepared;
  store: RunStore;
  planner: Planner;
  /** Releases everything `openRun` took, whatever happened after. Safe to call twice. */
  dispose(): Promise<void>;
}

/** config → source → store → plan. Everything that can refuse the run happens here, before any call. */
export async function openRun(cfg: ImportConfig, deps: OpenDeps): Promise<OpenRun> {
  const log = deps.logger;
  const prepared = await loadRunMapping(cfg);
  const { source, compiled } = prepared;
  const { encoding, delimiter, header, format, sheet, headerLine } = source.info;
  log.info({ encoding, delimiter, columns: header.length, format, sheet, headerLine }, 'input opened');
  for (const w of [...(source.info.warnings ?? []), ...compiled.warnings]) log.warn(w);
  const undo: (() => unknown)[] = [() => source.close().catch(() => undefined)];
  const dispose = async () => {
    for (const fn of undo.splice(0).reverse()) await fn();
  };
  try {
    // A dry run keeps its journal in a temporary file, not in memory: a million rows stay in flat memory.
    const store = (deps.openStore ?? RunStore.open)(cfg.dryRun ? TEMPORARY : cfg.statePath);
    undo.push(() => store.close());
    if (cfg.statePath === ':memory:' && !cfg.dryRun) log.warn('--state :memory:: no state is kept: this run cannot be resumed and its keys do not enter the ledger');
    if (!cfg.dryRun) {
      const stale = await acquireLockWaiting(store, deps.command ?? 'wolkvox-import import', cfg.lockWaitMs);
      undo.push(() => releaseLock(store));
      if (stale) log.warn({ pid: stale.pid, startedAt: stale.started_at }, 'took over the lock of a wolkvox-import that is no longer running');
    }
    // Before any run is recorded or call made: the result file must not overwrite what the run reads
    // or keeps, and must be writable (again for a resume's own result path).
    checkOutputTargets(cfg);
    const selected = selectRun(cfg, store, prepared, log);
    if (selected.out !== cfg.out) checkOutputTargets({ ...cfg, out: selected.out });
    const planner = new Planner(store, { id: selected.runId, server: cfg.server, operation: cfg.operation, resumed: selected.resumed, retryUncertain: cfg.retryUncertain });
    return { ...selected, cfg, prepared, store, planner, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
