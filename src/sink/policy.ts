/** Retry and pacing policy, as data. Every default lives in src/config; these are the mechanics. */
export interface RetryPolicy {
  /** Attempts per row, first one included. */
  maxAttempts: number;
  /** Full-jitter exponential backoff: delay = random(0, min(maxDelayMs, baseDelayMs * 2^(n-1))). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Total backoff a row may spend before it is given up (failed). */
  maxBackoffPerRowMs: number;
  /** First maintenance probe interval; doubles up to maxProbeIntervalMs. */
  probeIntervalMs: number;
  maxProbeIntervalMs: number;
  /** Give up on a maintenance pause after this long: rows stay pending. */
  maxPauseMs: number;
  /** Successes in a row before concurrency is raised by one (AIMD). */
  raiseAfterSuccesses: number;
  /** Unknown 403s in a row (across rows) that are taken as a maintenance window. */
  unknown403Streak: number;
}

export function fullJitter(policy: RetryPolicy, failedAttempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Sleeps `ms`, or less when `wake` fires (a run stop) or `until` settles: never keeps a stopped run
 * waiting, and never leaves its timer running after an early end (a ref'd timer would keep the
 * process alive after the run finished).
 */
export function sleep(ms: number, wake: AbortSignal, until?: Promise<unknown>): Promise<void> {
  if (ms <= 0 || wake.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      wake.removeEventListener('abort', done);
      resolve();
    }
    wake.addEventListener('abort', done, { once: true });
    until?.then(done, done);
  });
}
