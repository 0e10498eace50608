import { SeenKeys, sameKeyText } from '../plan/seen-keys.ts';
import type { Sender } from '../sink/sender.ts';
import type { ApiFields, RowOutcome } from '../types.ts';
import { DRY_RUN_TEXT } from './next-command.ts';
import type { Journal } from './journal.ts';
import type { OpenRun } from './open.ts';
import type { Progress } from './progress.ts';

/** Rows out at once (queued or in flight): enough to keep every slot busy; more only holds memory. */
function readAheadFor(concurrency: number): number {
  return Math.max(32, concurrency * 4);
}

/** A counter of rows out with a wake-up for the reader (cheaper than racing promises). */
class Outstanding {
  private n = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly max: number) {}

  enter(): void {
    this.n++;
  }

  leave(): void {
    this.n--;
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** Resolves when fewer than `limit` rows are out. */
  async below(limit: number = this.max): Promise<void> {
    while (this.n >= limit) await new Promise<void>((r) => (this.wake = r));
  }
}

export interface Pump {
  run: OpenRun;
  journal: Journal;
  /** Absent for dry runs. */
  sender: Sender | undefined;
  progress: Progress;
  /** The first SIGINT/SIGTERM: a dry run stops reading too. */
  signal?: AbortSignal;
}

/**
 * The row loop: read → settled on an earlier part of the run? → transform → send (or settle), with
 * bounded read-ahead so memory stays flat whatever the file size. Resolves when every row is settled.
 */
export async function sendRows(p: Pump): Promise<void> {
  const { run, progress } = p;
  const out = new Outstanding(readAheadFor(run.cfg.concurrency));
  // A dry run sends nothing, so the in-flight rule never meets a repeated key: remember the keys read.
  const seen = p.sender ? undefined : new SeenKeys();
  try {
    for await (const rec of run.prepared.source.records) {
      // A stop ends the reading too: the rows not read are rendered pending with the stop's text.
      if (p.sender?.stopped || p.signal?.aborted) break;
      progress.read++;
      if (run.planner.settled(rec.row)) {
        progress.done('kept');
        continue;
      }
      const tr = run.prepared.compiled.transform(rec);
      if (tr.kind !== 'send') {
        settle(p, { row: rec.row, status: tr.kind, error: tr.error, attempts: 0 });
        progress.example(rec.row, rec.line, tr.error);
        continue;
      }
      const key = run.planner.ledgerKeyOf(tr.dedupeKey);
      if (!p.sender) {
        const o = dryOutcome(p, seen!, { row: rec.row, key });
        settle(p, o);
        if (o.status === 'duplicate') progress.example(rec.row, rec.line, o.error ?? '');
        continue;
      }
      await out.below();
      launch(p, out, { row: rec.row, fields: tr.fields, key });
    }
  } finally {
    seen?.close();
    await out.below(1);
    p.journal.flush();
  }
}

/** A dry run's row: a duplicate of the ledger or of an earlier row of the file with the same key, else what would be sent. */
function dryOutcome(p: Pump, seen: SeenKeys, r: { row: number; key: string | undefined }): RowOutcome {
  const would: RowOutcome = { row: r.row, status: 'pending', attempts: 0, error: DRY_RUN_TEXT };
  const o = p.run.planner.unsent(r.row, r.key, would);
  const first = o === would && r.key !== undefined ? seen.firstRow(r.key, r.row) : undefined;
  return first === undefined ? o : { row: r.row, status: 'duplicate', attempts: 0, error: sameKeyText(first) };
}

function settle(p: Pump, o: RowOutcome): void {
  p.journal.settle(o);
  p.progress.done(o.status);
}

/**
 * One row out. Its outcome is written once the next request has left (Journal.afterDeparture),
 * inside the task the planner hands to a later row with the same key: that row reads the ledger
 * only once this row's outcome is on disk.
 */
function launch(p: Pump, out: Outstanding, r: { row: number; fields: ApiFields; key: string | undefined }): void {
  out.enter();
  const sender = p.sender!;
  const sendAndRecord = async (): Promise<RowOutcome> => {
    const o = await sender.send(r.row, r.fields, r.key);
    await p.journal.afterDeparture(o, r.key);
    return o;
  };
  p.run.planner
    .admit(r.row, r.key, sendAndRecord)
    .then((o) => {
      // A duplicate found by the planner was never sent: its outcome is batched like any unsent row.
      if (o.status === 'duplicate') p.journal.settle(o);
      p.progress.done(o.status);
    })
    .catch((err: unknown) => sender.stop({ kind: 'fatal', code: 'E_INTERNAL', message: `internal error while sending row ${r.row}: ${(err as Error)?.message ?? String(err)}; stopped, the rest is pending: please report this with the log` }))
    .finally(() => out.leave());
}
