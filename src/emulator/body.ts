/** Reading a request body into a string, with a size cap. */
import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Calls `done` with the body as UTF-8 text, or with undefined when it exceeded `limit` bytes
 * (the rest is read and dropped so the connection stays usable). Never called if the client
 * goes away first. The text is copied out of the socket's buffers, so nothing large is retained.
 */
export function readBody(req: IncomingMessage, limit: number, done: (text: string | undefined) => void): void {
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      first = undefined;
      more = undefined;
    } else if (first === undefined) {
      first = chunk;
    } else {
      (more ??= [first]).push(chunk);
    }
  });
  req.on('end', () => {
    if (size > limit) return done(undefined);
    if (more !== undefined) return done(Buffer.concat(more).toString('utf8'));
    done(first === undefined ? '' : first.toString('utf8'));
  });
}
