/** One bucket of a timeline: answers in it and their summed latency (ms). */
export interface TimelineBucket {
  t: number;
  answers: number;
  latencySum: number;
}

/** Live counters of a run, read by the CLI's progress display and the report. */
export class Progress {
  read = 0;
  finished = 0;
  readonly byStatus: Record<string, number> = {};
  /** Answers per classification code (OK, API_403, NET_ECONNREFUSED...). */
  readonly errorCodes: Record<string, number> = {};
  /** Latency samples (ms) of every answer, kept bounded: a reservoir of at most 20,000. */
  readonly latencies: number[] = [];
  /** Per-second buckets since the start: answers and summed latency (throughput/latency chart). */
  readonly timeline: { t: number; answers: number; latencySum: number }[] = [];
  /** Per-minute buckets (t = minute since start), for runs longer than `timeline`'s 3,600 seconds; kept for 7 days. */
  readonly timelineByMinute: TimelineBucket[] = [];
  private seen = 0;
  private readonly t0 = Date.now();

  /** First examples of each kind of problem (invalid/skipped rows), with the line they start on. */
  readonly examples = new Map<string, { count: number; samples: { row: number; line: number; error: string }[] }>();

  /** Records a row that will not be sent, grouped by its error up to the field (`INVALID: wolkvox_idRecord`). */
  example(row: number, line: number, error: string): void {
    const general = error.replace(/^(\w+: )line \d+: /, '$1');
    const parts = general.split(': ');
    const key = parts.length > 2 ? `${parts[0]}: ${parts[1]}` : general.replace(/\d+/g, 'N');
    let e = this.examples.get(key);
    if (!e) {
      if (this.examples.size >= 100) return;
      e = { count: 0, samples: [] };
      this.examples.set(key, e);
    }
    e.count++;
    if (e.samples.length < 3) e.samples.push({ row, line, error });
  }

  done(status: string): void {
    this.finished++;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
  }

  /** Records one answer (every attempt): its classification code and latency. */
  answer(code: string, latencyMs: number): void {
    this.errorCodes[code] = (this.errorCodes[code] ?? 0) + 1;
    this.seen++;
    if (this.latencies.length < 20_000) this.latencies.push(latencyMs);
    else {
      const i = Math.floor(Math.random() * this.seen);
      if (i < 20_000) this.latencies[i] = latencyMs;
    }
    // The per-minute bucket first: the per-second one returns early after an hour.
    const min = Math.floor((Date.now() - this.t0) / 60_000);
    let m: TimelineBucket | undefined = this.timelineByMinute[this.timelineByMinute.length - 1];
    if (!m || m.t !== min) {
      m = this.timelineByMinute.length < 10_080 ? { t: min, answers: 0, latencySum: 0 } : undefined;
      if (m) this.timelineByMinute.push(m);
    }
    if (m) {
      m.answers++;
      m.latencySum += latencyMs;
    }
    const sec = Math.floor((Date.now() - this.t0) / 1000);
    let last = this.timeline[this.timeline.length - 1];
    if (!last || last.t !== sec) {
      if (this.timeline.length >= 3600) return;
      last = { t: sec, answers: 0, latencySum: 0 };
      this.timeline.push(last);
    }
    last.answers++;
    last.latencySum += latencyMs;
  }
}
