/**
 * Undocumented 403s in a row, across rows. Answers arrive out of order, so requests are numbered as
 * they leave, and only an answer to a request that left after the streak's first one breaks it.
 */
export class Unknown403Streak {
  private count = 0;
  /** Send number of the first request of the current streak. */
  private from = 0;

  constructor(private readonly length: number) {}

  /** Records an unknown 403 to request `seq`; true when the streak is long enough to mean maintenance. */
  hit(seq: number): boolean {
    if (this.count++ === 0) this.from = seq;
    return this.count >= this.length;
  }

  /** Any other answer to request `seq`. */
  other(seq: number): void {
    if (seq > this.from) this.count = 0;
  }
}
