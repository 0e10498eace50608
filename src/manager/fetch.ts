/**
 * Fetches a report range into a snapshot CSV (docs/api.md, "Manager report API"): the range is cut
 * into windows of at most 31 days; a window whose answer reaches the cap (≥ capSplitAt records, or
 * fewer records than its `msg` announced) is cut in two and fetched again, recursively; up to 2
 * calls are in flight, and windows are written in time order as soon as every earlier one is, so
 * memory holds at most 3 windows' records.
 */
import type { Logger } from 'pino';
import { ManagerError, type ManagerErrorKind } from '../errors.ts';
import { redact } from '../redact.ts';
import { sleep } from '../sink/policy.ts';
import { capSplitPoint, WindowEdges, type CutSide } from './boundary.ts';
import { probeSplit, restParts, type Estimate } from './estimate.ts';
import { classifyReport, type ReportRecord, type Verdict } from './classify.ts';
import { createManagerClient, MANAGER_MAX_INFLIGHT, type ManagerClient } from './client.ts';
import { SnapshotWriter, type ReportName } from './snapshot.ts';
import { apiDate, splitRange, splitWindow, wallText, type Window } from './windows.ts';

export interface FetchRequest {
  origin: string;
  token: string;
  report: ReportName;
  /** campaign_3 / campaign_5: a campaign id or `all` (their default); cdr_1: sent only when given. */
  campaignId?: string;
  from: Date;
  to: Date;
  /** The dialer's time zone: date_ini / date_end and the records' dates are wall-clock there. */
  tz: string;
  snapshotPath: string;
  /** Per call, from its start to the answer's last byte (default 120 s: a call may run 60 s). */
  timeoutMs?: number;
  proxy?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  logger: Logger;
  maxWindowDays?: number;
  capSplitAt?: number;
  /** Calls per window before a retryable failure stops the fetch (first included; default 6), and the backoff. */
  retry?: { attempts?: number; baseDelayMs?: number; maxDelayMs?: number };
}

export interface SnapshotWindow {
  from: Date;
  to: Date;
  records: number;
  /** 1-based data row numbers in the snapshot; an empty window has lastRow = firstRow − 1. */
  firstRow: number;
  lastRow: number;
}

export interface ReportSnapshot {
  path: string;
  header: string[];
  records: number;
  /** Manager calls sent (every attempt, retries included: each may cost one from the daily quota). */
  calls: number;
  /** In time order, after cap splits; together they cover [from, to) with no gap. */
  windows: SnapshotWindow[];
  /** Fields first seen after the header was written: their values are not in the snapshot (a warning was logged). */
  droppedFields: string[];
}

export const MAX_WINDOW_DAYS = 31;
export const CAP_SPLIT_AT = 59_000;
/** Windows fetched or waiting to be written at once (the head may be slow while later ones are done). */
const MAX_HELD = 3;

interface Slot {
  win: Window;
  /** waiting: the rest of a capped window, cut once its probe's count is known (estimate.ts). */
  state: 'queued' | 'fetching' | 'done' | 'waiting';
  records?: ReportRecord[];
  /** This window is the probe of a capped window: its count sizes that window's rest. */
  probeOf?: Split;
  /** Cut by capSplitPoint reading the capped answer from this side, which promised fewer than capSplitAt records here. */
  hinted?: CutSide;
}

interface Split extends Estimate {
  restSlot: Slot;
  /** The split whose probe the capped window was. */
  parent?: Split;
}

export async function fetchReport(req: FetchRequest): Promise<ReportSnapshot> {
  const client = createManagerClient({ origin: req.origin, token: req.token, timeoutMs: req.timeoutMs, proxy: req.proxy, env: req.env });
  const onAbort = () => client.abort();
  req.signal?.addEventListener('abort', onAbort, { once: true });
  const writer = await SnapshotWriter.create({ path: req.snapshotPath, report: req.report, logger: req.logger });
  const fetcher = new Fetcher(req, client, writer);
  try {
    await fetcher.run();
    const header = await writer.finish();
    return { path: req.snapshotPath, header, records: writer.rows, calls: fetcher.calls, windows: fetcher.written, droppedFields: writer.droppedFields };
  } catch (err) {
    client.abort();
    await fetcher.settle();
    await writer.discard();
    throw err;
  } finally {
    req.signal?.removeEventListener('abort', onAbort);
    await client.close().catch(() => undefined);
  }
}

class Fetcher {
  calls = 0;
  /**
   * How capped answers in time order are read (capSplitPoint): from the side they lie closer to; once
   * a part cut that way came back at the cap, from the other side only; after a second such part, not at all.
   */
  private hints: CutSide | 'auto' | 'none' = 'auto';
  private failure: { error: unknown } | undefined;
  readonly written: SnapshotWindow[] = [];
  private readonly slots: Slot[];
  private readonly running = new Map<Slot, Promise<void>>();
  private readonly edges: WindowEdges;
  private readonly wake: AbortSignal;
  private readonly req: FetchRequest;
  private readonly client: ManagerClient;
  private readonly writer: SnapshotWriter;

  constructor(req: FetchRequest, client: ManagerClient, writer: SnapshotWriter) {
    this.req = req;
    this.client = client;
    this.writer = writer;
    this.slots = splitRange(req.from, req.to, req.maxWindowDays ?? MAX_WINDOW_DAYS).map((win) => ({ win, state: 'queued' }));
    this.edges = new WindowEdges(req.tz, req.logger);
    this.wake = req.signal ?? new AbortController().signal;
  }

  async run(): Promise<void> {
    const r = this.req;
    r.logger.info({ report: r.report, from: wallText(r.from, r.tz), to: wallText(r.to, r.tz), tz: r.tz, windows: this.slots.length }, 'manager report: fetching');
    while (this.slots.length > 0) {
      if (this.failure !== undefined) throw this.failure.error;
      this.start();
      const head = this.slots[0] as Slot;
      if (head.state === 'done') {
        this.slots.shift();
        await this.write(head);
      } else if (this.running.size === 0) {
        // Only waiting rests are left at the head (never expected): fetch them as they are.
        for (const s of this.slots) if (s.state === 'waiting') s.state = 'queued';
      } else {
        await Promise.race(this.running.values());
      }
    }
  }

  /** Waits for the calls still in flight after a failure (their own failures are already beside the point). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.running.values());
  }

  /** Starts the earliest queued windows while fewer than 2 calls are in flight and fewer than 3 windows are held. */
  private start(): void {
    for (const slot of this.slots) {
      const held = this.slots.filter((s) => s.state === 'fetching' || s.state === 'done').length;
      if (this.running.size >= MANAGER_MAX_INFLIGHT || (held >= MAX_HELD && slot !== this.slots[0])) return;
      if (slot.state !== 'queued') continue;
      slot.state = 'fetching';
      // Never rejects (a rejection nobody awaits yet would end the process): the first failure is kept for run().
      const call = this.fetchSlot(slot).catch((error: unknown) => void (this.failure ??= { error }));
      this.running.set(slot, call.finally(() => this.running.delete(slot)));
    }
  }

  private async fetchSlot(slot: Slot): Promise<void> {
    const verdict = await this.fetchWindow(slot.win);
    const records = verdict.kind === 'records' ? verdict.records : [];
    const capped = verdict.kind === 'records' && (records.length >= this.capSplitAt() || (verdict.found ?? 0) > records.length);
    if (!capped) {
      slot.state = 'done';
      slot.records = records;
      this.sizeRest(slot.probeOf, records.length);
      return;
    }
    if (slot.hinted) this.hints = this.hints === 'auto' ? (slot.hinted === 'earliest' ? 'latest' : 'earliest') : 'none';
    const seconds = (slot.win.to.getTime() - slot.win.from.getTime()) / 1000;
    if (seconds <= 1) {
      throw this.fail('cap', `${this.label(slot.win)}: ${records.length} records in one second, at the API's cap (60,000 per call): this second cannot be fetched completely`);
    }
    const parts = this.cutCapped(slot, records);
    this.req.logger.info({ window: this.label(slot.win), records: records.length, cutAt: wallText(parts[1]!.win.from, this.req.tz) }, 'manager report: window at the cap, cut and fetched again');
    this.slots.splice(this.slots.indexOf(slot), 1, ...parts);
  }

  /**
   * A capped window's parts: cut where the answer, when it is in time order, says the part on one side
   * holds fewer than capSplitAt records (read as the earliest, then the latest records: a reading whose
   * promise fails is dropped, since a wrong one shaves only a few seconds off a window per call); else a probe and a rest sized by the probe's count
   * (estimate.ts; a probe's count must come back, so a probe is never cut by the first rule); else halves.
   */
  private cutCapped(slot: Slot, records: readonly ReportRecord[]): Slot[] {
    const side = this.hints;
    const hint = slot.probeOf === undefined && side !== 'none' ? capSplitPoint(slot.win, records, { splitAt: this.capSplitAt(), tz: this.req.tz, side }) : undefined;
    if (hint !== undefined) {
      const { cut, side: read } = hint;
      return [{ win: { from: slot.win.from, to: cut }, state: 'queued', hinted: read === 'earliest' ? read : undefined }, { win: { from: cut, to: slot.win.to }, state: 'queued', hinted: read === 'latest' ? read : undefined }];
    }
    const p = probeSplit(slot.win, records, this.req.tz);
    if (p === undefined) {
      this.sizeRest(slot.probeOf, records.length);
      return splitWindow(slot.win, 2).map((win): Slot => ({ win, state: 'queued' }));
    }
    const restSlot: Slot = { win: p.estimate.rest, state: 'waiting' };
    const split: Split = { ...p.estimate, restSlot, parent: slot.probeOf };
    return [{ win: p.probe, state: 'queued', probeOf: split }, restSlot];
  }

  /** The probe of `split` holds `probeRecords`: cut its rest into parts, and size the rest of the window it belongs to. */
  private sizeRest(split: Split | undefined, probeRecords: number): void {
    if (split === undefined) return;
    const { parts, total } = restParts(split, probeRecords, this.capSplitAt());
    const at = this.slots.indexOf(split.restSlot);
    if (at >= 0 && split.restSlot.state === 'waiting') this.slots.splice(at, 1, ...parts.map((win): Slot => ({ win, state: 'queued' })));
    this.sizeRest(split.parent, total);
  }

  /** One window's answer, retrying what is safe to retry (reads change nothing). */
  private async fetchWindow(win: Window): Promise<Extract<Verdict, { kind: 'records' | 'empty' }>> {
    const r = this.req;
    const attempts = Math.max(1, r.retry?.attempts ?? 6);
    const campaignId = r.campaignId ?? (r.report === 'cdr_1' ? undefined : 'all');
    const query = { report: r.report, dateIni: apiDate(win.from, r.tz), dateEnd: apiDate(win.to, r.tz), campaignId };
    for (let attempt = 1; ; attempt++) {
      if (this.wake.aborted) throw this.fail('aborted', `${this.label(win)}: the fetch was stopped`);
      this.calls++;
      const verdict = classifyReport(await this.client.report(query));
      if (verdict.kind === 'records' || verdict.kind === 'empty') return verdict;
      if (verdict.kind === 'stop') throw this.fail(verdict.error, `${this.label(win)}: ${verdict.reason}`);
      if (attempt >= attempts) throw this.fail('network', `${this.label(win)}: no usable answer after ${attempts} calls (last: ${verdict.reason})`);
      const delayMs = Math.max(verdict.retryAfterMs ?? 0, this.backoff(attempt));
      r.logger.warn({ window: this.label(win), attempt, delayMs, reason: this.clean(verdict.reason) }, 'manager report call failed; trying again');
      await sleep(delayMs, this.wake);
    }
  }

  private async write(slot: Slot): Promise<void> {
    const rows = this.edges.rows(slot.win, slot.records ?? [], this.slots.length === 0);
    slot.records = undefined;
    const firstRow = this.writer.rows + 1;
    await this.writer.write(rows, this.label(slot.win));
    this.written.push({ from: slot.win.from, to: slot.win.to, records: rows.length, firstRow, lastRow: this.writer.rows });
    this.req.logger.info({ window: this.label(slot.win), records: rows.length, calls: this.calls }, 'manager report: window written');
  }

  private capSplitAt(): number {
    return this.req.capSplitAt ?? CAP_SPLIT_AT;
  }

  /** Full-jitter exponential backoff. */
  private backoff(failedAttempt: number): number {
    const base = this.req.retry?.baseDelayMs ?? 2_000;
    const max = this.req.retry?.maxDelayMs ?? 60_000;
    return Math.floor(Math.random() * Math.min(max, base * 2 ** (failedAttempt - 1)));
  }

  private label(w: Window): string {
    return `${this.req.report} ${wallText(w.from, this.req.tz)} .. ${wallText(w.to, this.req.tz)} (${this.req.tz})`;
  }

  private clean(text: string): string {
    return redact(text, [this.req.token]);
  }

  private fail(kind: ManagerErrorKind, message: string): ManagerError {
    return new ManagerError(kind, this.clean(`Manager report ${message}`), { report: this.req.report });
  }
}
