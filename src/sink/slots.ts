import pLimit, { type LimitFunction } from 'p-limit';

/**
 * The requests in flight: never more than p-limit's concurrency, halved when the API throttles and
 * raised by one after a run of successes, up to the configured ceiling (AIMD).
 */
export class Slots {
  readonly limit: LimitFunction;
  inflight = 0;
  maxInflightSeen = 0;
  private successes = 0;

  constructor(
    private readonly ceiling: number,
    private readonly raiseAfter: number,
  ) {
    this.limit = pLimit(ceiling);
  }

  get concurrency(): number {
    return this.limit.concurrency;
  }

  /** Runs `fn` in a slot. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.limit(fn);
  }

  /** Counts a request out until `answer` settles. */
  track<T>(answer: Promise<T>): Promise<T> {
    if (++this.inflight > this.maxInflightSeen) this.maxInflightSeen = this.inflight;
    return answer.finally(() => this.inflight--);
  }

  /** Throttled: half as many in flight (at least one). Returns the new concurrency when it changed. */
  lower(): number | undefined {
    this.successes = 0;
    const next = Math.max(1, Math.floor(this.limit.concurrency / 2));
    if (next === this.limit.concurrency) return undefined;
    this.limit.concurrency = next;
    return next;
  }

  /** A success: one more in flight after `raiseAfter` of them, up to the ceiling. */
  succeeded(): void {
    if (this.limit.concurrency >= this.ceiling) return;
    if (++this.successes >= this.raiseAfter) {
      this.successes = 0;
      this.limit.concurrency += 1;
    }
  }
}
