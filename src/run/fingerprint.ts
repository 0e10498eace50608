import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/**
 * sha256 of a file's bytes, read through one reused buffer: the finish hashes the input twice, and
 * a stream's fresh 64 KB chunk per read left the whole file in garbage buffers at once (tens of
 * MB of memory for a large file, at the run's peak).
 */
export async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fh = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await fh.close();
  }
  return h.digest('hex');
}

export function hashText(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('hex');
}
