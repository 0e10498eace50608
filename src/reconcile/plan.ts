import { existsSync } from 'node:fs';
import { RunStore } from '../store/store.ts';

/**
 * `check --input`: the rows the latest run of the input left `uncertain`, i.e. the queryGestion
 * calls `--reconcile` (or `reconcile`) will spend at least (one page per row; more only when a
 * search value has over 250 gestiones). 0 when the state file or the run does not exist.
 */
export function reconcileCallsPlanned(statePath: string, input: string): number {
  if (statePath === ':memory:' || !existsSync(statePath)) return 0;
  const store = RunStore.open(statePath);
  try {
    const run = store.latestRunForInput(input);
    return run ? store.uncertainRows(run.id).length : 0;
  } finally {
    store.close();
  }
}
