/**
 * Opening the input file and reading its leading sample, with every operating-system
 * failure turned into an InputError that names the path and the reason.
 *
 * Only regular files are read: the results are rendered by reading the input a second time, and
 * a FIFO with no writer would block the open itself (no signal can interrupt it). So the path is
 * checked with stat before it is opened, and opened non-blocking in case it was swapped since.
 */
import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { InputError } from '../errors.ts';

export interface OpenedFile {
  readonly path: string;
  readonly handle: FileHandle;
  readonly size: number;
  /** The first bytes of the file (up to the sample size). */
  readonly sample: Buffer;
  /** True when the sample is the whole file. */
  readonly complete: boolean;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'not found',
  ENOTDIR: 'not found (a part of the path is not a folder)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a folder, not a file',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'the disk reported a read error',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

/** `orders.csv: not found (ENOENT)`: the OS reason in words, with the code for support. */
function fsErrorToInputError(file: string, err: unknown, doing = ''): InputError {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
  const reason = code !== undefined && REASONS[code] !== undefined ? `${REASONS[code]} (${code})` : err instanceof Error ? err.message : String(err);
  return new InputError(`${file}: ${doing}${reason}`, { file, osCode: code });
}

/** Refuses anything but a regular file: a folder, a FIFO, /dev/stdin, a device, a socket. */
function checkRegular(file: string, stats: { isFile(): boolean; isDirectory(): boolean }): void {
  if (stats.isFile()) return;
  if (stats.isDirectory()) throw fsErrorToInputError(file, { code: 'EISDIR' });
  throw new InputError(
    `${file}: is not a regular file (a pipe, a FIFO, standard input or a device); the input is read twice (to send, then to write the results), so save the data to a file first, e.g. \`cat > data.csv\`, and give that file`,
    { file },
  );
}

export async function openInputFile(file: string, sampleBytes: number): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    checkRegular(file, await stat(file));
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw err instanceof InputError ? err : fsErrorToInputError(file, err);
  }
  try {
    const stats = await handle.stat();
    checkRegular(file, stats);
    const sample = await readAt(handle, file, 0, sampleBytes);
    const complete = sample.length < sampleBytes || stats.size === sample.length;
    return { path: file, handle, size: stats.size, sample, complete };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}

/** Reads up to `length` bytes at `position` into a fresh buffer (never reused: the parser may keep slices). */
export async function readAt(handle: FileHandle, file: string, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  try {
    while (filled < length) {
      const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
  } catch (err) {
    throw fsErrorToInputError(file, err, 'cannot be read: ');
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}
