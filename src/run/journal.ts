import { StateError } from '../errors.ts';
import { redact } from '../redact.ts';
import type { RunStore } from '../store/store.ts';
import type { RowOutcome } from '../types.ts';

/**
 * The run's journal: the store bound to one run. A row is `sending` on disk before its request
 * leaves; an answered row's outcome is written as soon as the next request has left
 * (afterDeparture); rows that never touch the network are written in batches (they are recomputed
 * identically if lost). A write that fails (a full disk, a removed file) never throws: the first
 * failure is kept, `onFailure` stops the run, and every later write is skipped, so no request
 * leaves without its `sending` mark.
 */
export class Journal {
  failure: StateError | undefined;
  private readonly batch: RowOutcome[] = [];
  /** Answered outcomes waiting for their turn (see afterDeparture), with their ledger keys. */
  private readonly answered = new Map<RowOutcome, string | undefined>();

  readonly store: RunStore;
  readonly runId: number;
  private readonly secrets: readonly string[];
  private readonly onFailure: (err: StateError) => void;

  /** `secrets` (the token) are removed from every error text before it is stored: a server may echo them. */
  constructor(o: { store: RunStore; runId: number; secrets: readonly string[]; onFailure: (err: StateError) => void }) {
    this.store = o.store;
    this.runId = o.runId;
    this.secrets = o.secrets;
    this.onFailure = o.onFailure;
  }

  /** Marks the row `sending` (and holds its key); false when the journal cannot be written: do not send. */
  sending(row: number, attempt: number, key: string | undefined): boolean {
    return this.write(() => this.store.markSending(this.runId, row, attempt, key));
  }

  /** Commits a row's outcome at once (with its ledger key for `ok` rows). */
  outcome(o: RowOutcome, key: string | undefined): void {
    const safe = o.error ? { ...o, error: redact(o.error, this.secrets) } : o;
    this.write(() => this.store.recordOutcome(this.runId, safe, key));
  }

  /**
   * Commits an answered row's outcome two event-loop turns from now: undici sends the next request
   * on a freed keep-alive connection from a setImmediate, after one more turn that checks the idle
   * socket, so the write comes after that departure instead of delaying it. The next row's
   * `sending` mark is still written before its request is handed to undici. flush() writes what is
   * still waiting (the stop-at-once path calls it).
   */
  async afterDeparture(o: RowOutcome, key: string | undefined): Promise<void> {
    this.answered.set(o, key);
    await nextTurn();
    await nextTurn();
    if (this.answered.delete(o)) this.outcome(o, key);
  }

  /** Queues the outcome of a row that never touched the network; written 512 at a time. */
  settle(o: RowOutcome): void {
    this.batch.push(o);
    if (this.batch.length >= 512) this.flush();
  }

  flush(): void {
    for (const [o, key] of this.answered) this.outcome(o, key);
    this.answered.clear();
    if (this.batch.length === 0) return;
    this.write(() => this.store.recordOutcomes(this.runId, this.batch));
    this.batch.length = 0;
  }

  private write(fn: () => void): boolean {
    if (this.failure) return false;
    try {
      fn();
      return true;
    } catch (err) {
      this.failure = journalError(this.store.path, err);
      this.onFailure(this.failure);
      return false;
    }
  }
}

/** Resolves on the event loop's next check phase, after the setImmediate callbacks already queued. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A coded error that names the cause and the fix. */
function journalError(path: string, err: unknown): StateError {
  const code = (err as { code?: string }).code ?? 'unknown';
  const cause = code === 'SQLITE_FULL' || code === 'ENOSPC'
    ? 'the disk that holds it is full'
    : code === 'SQLITE_READONLY' || code === 'EACCES' || code === 'EROFS'
      ? 'it became read-only'
      : `${(err as Error).message ?? String(err)}`;
  return new StateError(
    `the state file ${path} could not be written (${code}: ${cause}); stopped sending at once: no request left without being journaled. Free space or fix the file, then run the same command with --resume (rows answered before the failure keep their outcome; rows in flight become uncertain)`,
    { file: path, cause: code },
  );
}
