/**
 * The file as a stream of UTF-8 byte chunks, pulled one at a time (so the consumer's pace
 * is the backpressure; one chunk is read ahead so disk and parsing overlap): the sample
 * already read first, then the rest of the file.
 *
 * UTF-8 files go to csv-parse as raw bytes (csv-parse decodes each field; invalid bytes
 * become U+FFFD and the Utf8Guard reports them). Other encodings go through iconv-lite's
 * streaming decoder (`iconv.getDecoder`, the same stateful decoder `iconv.decodeStream`
 * wraps, without a second stream to wire errors through), then back to UTF-8 bytes.
 * The byte order mark is skipped, never decoded. Closes the file when done or abandoned.
 */
import iconv from 'iconv-lite';
import { readAt, type OpenedFile } from './open-file.ts';
import type { DetectedEncoding } from './detect-encoding.ts';
import type { Utf8Guard } from './utf8-guard.ts';

/** Bytes per read. 256 KiB measured ~8 % faster than 64 KiB; the parser holds one chunk's records at most. */
export const CHUNK_BYTES = 256 * 1024;

export interface ChunkOptions {
  chunkBytes?: number;
  /** For UTF-8 input: watches the bytes for invalid sequences. */
  guard?: Utf8Guard;
}

export async function* readUtf8Chunks(file: OpenedFile, detected: DetectedEncoding, opts: ChunkOptions = {}): AsyncGenerator<Buffer, void, undefined> {
  const chunkBytes = opts.chunkBytes ?? CHUNK_BYTES;
  const decoder = detected.encoding === 'utf-8' ? undefined : iconv.getDecoder(detected.encoding, { stripBOM: false });
  // One read ahead: the next chunk comes from disk while the consumer works on this one.
  let ahead: Promise<Buffer> | undefined;
  try {
    let position = detected.bomLength;
    for (;;) {
      let bytes: Buffer;
      let eof = false;
      if (position < file.sample.length) {
        bytes = file.sample.subarray(position, Math.min(position + chunkBytes, file.sample.length));
      } else if (file.complete) {
        break;
      } else {
        bytes = await (ahead ?? readAt(file.handle, file.path, position, chunkBytes));
        ahead = undefined;
        eof = bytes.length < chunkBytes; // readAt fills the buffer unless the file ends
      }
      if (bytes.length === 0) break;
      position += bytes.length;
      if (!eof && !file.complete && position >= file.sample.length) {
        ahead = readAt(file.handle, file.path, position, chunkBytes);
        ahead.catch(() => undefined); // observed when awaited; never unhandled if the consumer stops
      }
      if (decoder === undefined) {
        opts.guard?.check(bytes);
        yield bytes;
      } else {
        const text = decoder.write(bytes);
        if (text.length > 0) yield Buffer.from(text, 'utf8');
      }
    }
    opts.guard?.end();
    const rest = decoder?.end();
    if (rest !== undefined && rest.length > 0) yield Buffer.from(rest, 'utf8');
  } finally {
    await ahead?.catch(() => undefined); // let an in-flight read finish before closing
    await file.handle.close().catch(() => undefined);
  }
}
