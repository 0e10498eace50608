import type { Logger } from 'pino';
import { sleep, type RetryPolicy } from './policy.ts';

interface PauseState {
  since: number;
  /** The one row that probes the API while every other row waits. */
  prober: number;
  delay: number;
  open: Promise<void>;
  release: () => void;
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

  /** True when `row` must wait for the pause to end before taking a slot. */
  blocks(row: number): boolean {
    return this.state !== undefined && this.state.prober !== row;
  }

  /** Resolves when the pause ends (or at once when there is none). */
  ended(): Promise<void> {
    return this.state?.open ?? Promise.resolve();
  }

  begin(prober: number): void {
    if (this.state) return;
    let release!: () => void;
    const open = new Promise<void>((r) => (release = r));
    this.state = { since: Date.now(), prober, delay: this.policy.probeIntervalMs, open, release };
    this.log.warn({ row: prober }, 'the API answers as in maintenance: pausing all sending and probing with one request');
  }

  /** An answer that is not maintenance: ends the pause if its request left after the pause began. */
  answered(sentAt: number): void {
    const s = this.state;
    if (!s || sentAt < s.since) return;
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
    if (s.prober !== row) {
      await Promise.race([s.open, sleep(maxPause, this.wake)]);
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
