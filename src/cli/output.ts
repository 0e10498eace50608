/**
 * The commands' one way to the terminal. A reader that goes away (`ledger | head`, `runs | true`)
 * closes the pipe: the next write fails with EPIPE. That is the reader's choice, not an error of
 * ours: output stops quietly and the command keeps its exit code.
 */
const closed = new WeakSet<NodeJS.WritableStream>();
const watched = new WeakSet<NodeJS.WritableStream>();

function watch(stream: NodeJS.WritableStream): void {
  if (watched.has(stream)) return;
  watched.add(stream);
  // EPIPE (the reader left) or any later write error: nothing more can reach that reader.
  stream.on('error', () => closed.add(stream));
}

function write(stream: NodeJS.WritableStream, text: string): boolean {
  if (closed.has(stream)) return false;
  watch(stream);
  stream.write(text);
  return !closed.has(stream);
}

/** Writes to stdout; false once the reader has gone (stop producing output then). */
export function writeOut(text: string): boolean {
  return write(process.stdout, text);
}

/** Writes to stderr, with the same tolerance of a closed pipe. */
export function writeErr(text: string): boolean {
  return write(process.stderr, text);
}
