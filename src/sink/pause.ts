import type { Logger } from 'pino';
import { sleep, type RetryPolicy } from './policy.ts';

interface PauseState {
  since: number;
  /** Send number of the last request that left before the pause began. */
  sinceSeq: number;
  /** The one row that probes the API while every other row waits; undefined: the next row to ask takes the role. */
  prober: number | undefined;
  delay: number;
  open: Promise<void>;
  release: () => void;
}

function gate(): { open: Promise<void>; release: () => void } {
  let release!: () => void;
  const open = new Promise<void>((r) => (release = r));
  return { open, release };
}

/**
 * A maintenance window: every row waits, one row probes on a growing interval (2 s → 60 s), and
 * sending resumes when an answer to a request sent after the pause began is not maintenance.
 */
export class MaintenancePause {
  private state: PauseState | undefined;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly log: Logger,
    private readonly wake: AbortSignal,
  ) {}

  /** True while a pause is on. */
  get active(): boolean {
    return this.state !== undefined;
  }

  /** True when `row` must wait for the pause to end before taking a slot. A pause without a prober gives the role to `row`. */
  blocks(row: number): boolean {
    const s = this.state;
    if (!s) return false;
    if (s.prober === undefined) {
      s.prober = row;
      this.log.info({ row }, 'maintenance pause: this row probes now');
    }
    return s.prober !== row;
  }

  /**
   * `row` is done (whatever its outcome). When it was the prober and the pause is still on, the role
   * is handed over: the waiting rows are woken and the first to ask probes. Without this, a prober
   * that ended for another reason (retries spent, a row rejected) would leave every other row
   * waiting for an end that nobody checks.
   */
  leave(row: number): void {
    const s = this.state;
    if (!s || s.prober !== row) return;
    s.prober = undefined;
    const waiting = s.release;
    const next = gate();
    s.open = next.open;
    s.release = next.release;
    waiting();
  }

  /** Resolves when the pause ends (or at once when there is none). */
  ended(): Promise<void> {
    return this.state?.open ?? Promise.resolve();
  }

  /** `seq`: the send number of the latest request that has left (see Sender). */
  begin(prober: number, seq: number): void {
    if (this.state) {
      this.state.prober ??= prober;
      return;
    }
    this.state = { since: Date.now(), sinceSeq: seq, prober, delay: this.policy.probeIntervalMs, ...gate() };
    this.log.warn({ row: prober }, 'the API answers as in maintenance: pausing all sending and probing with one request');
  }

  /** An answer that is not maintenance: ends the pause if its request (send number `seq`) left after the pause began. */
  answered(seq: number): void {
    const s = this.state;
    if (!s || seq <= s.sinceSeq) return;
    this.state = undefined;
    s.release();
    this.log.info({ pausedMs: Date.now() - s.since }, 'the API answers again: resuming');
  }

  /** Lets every waiting row go (the run is stopping). */
  releaseAll(): void {
    this.state?.release();
  }

  /**
   * Between two attempts of a row that got a maintenance answer: the prober sleeps the probe
   * interval, the others wait for the end. 'expired' when the pause outlasted --max-pause.
   */
  async between(row: number): Promise<'again' | 'expired'> {
    const s = this.state;
    if (!s) return 'again';
    const maxPause = this.policy.maxPauseMs;
    s.prober ??= row;
    if (s.prober !== row) {
      await sleep(maxPause, this.wake, s.open);
      return 'again';
    }
    const elapsed = Date.now() - s.since;
    if (elapsed >= maxPause) return 'expired';
    const wait = Math.min(s.delay, maxPause - elapsed);
    s.delay = Math.min(s.delay * 2, this.policy.maxProbeIntervalMs);
    await sleep(wait, this.wake);
    return 'again';
  }
}
