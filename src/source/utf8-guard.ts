/**
 * Watches the raw bytes of a UTF-8 file chunk by chunk. The encoding is chosen from the
 * first MiB; if a later chunk is not valid UTF-8 (a Windows-1252 file whose first MiB
 * happened to be plain ASCII), decoding replaces the bad bytes with U+FFFD instead of
 * failing, and the guard raises `invalid` so the records holding a U+FFFD get a
 * `problem` rather than reaching the CRM with mangled text.
 */
import { isUtf8 } from 'node:buffer';

/** Length of the sequence a UTF-8 lead byte starts (1 for ASCII and stray continuation bytes). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

/** Where an incomplete multi-byte sequence at the end of `chunk` starts (chunk.length when there is none). */
function completeLength(chunk: Buffer): number {
  const n = chunk.length;
  for (let i = n - 1; i >= 0 && i >= n - 3; i--) {
    const b = chunk[i] as number;
    if (b < 0x80) return n;
    if (b >= 0xc0) return n - i >= sequenceLength(b) ? n : i;
  }
  return n;
}

export class Utf8Guard {
  /** True once any byte sequence seen so far was not valid UTF-8. */
  invalid = false;
  private carry: Buffer | undefined;

  check(chunk: Buffer): void {
    if (this.invalid || chunk.length === 0) return;
    let start = 0;
    if (this.carry !== undefined) {
      const need = sequenceLength(this.carry[0] as number) - this.carry.length;
      if (chunk.length < need) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      this.invalid = !isUtf8(Buffer.concat([this.carry, chunk.subarray(0, need)]));
      this.carry = undefined;
      start = need;
    }
    const end = Math.max(start, completeLength(chunk));
    if (!this.invalid && !isUtf8(chunk.subarray(start, end))) this.invalid = true;
    this.carry = end < chunk.length ? Buffer.from(chunk.subarray(end)) : undefined;
  }

  /** At the end of the file a leftover partial sequence is invalid too. */
  end(): void {
    if (this.carry !== undefined) this.invalid = true;
    this.carry = undefined;
  }
}
