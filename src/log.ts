import { fchmodSync } from 'node:fs';
import { pino, type Logger, type DestinationStream } from 'pino';
import { REDACTED, redact } from './redact.ts';

/** Paths that may carry the token in anything we log (error objects that hold request headers included). */
const REDACT_PATHS = [
  'token',
  'headers["wolkvox-token"]',
  'headers["Wolkvox-Token"]',
  '*.headers["wolkvox-token"]',
  '*.headers["Wolkvox-Token"]',
  'err.headers["wolkvox-token"]',
  'err.headers["Wolkvox-Token"]',
];

export interface LogHandle {
  logger: Logger;
  /** Flushes buffered lines; call before the process exits. */
  flush(): void;
}

/**
 * JSON lines to stderr (fd 2) or a file. `secrets` and URL credentials are scrubbed from every
 * line as a last guard, whatever object carried them.
 */
export function createLogger(opts: { file?: string; level?: string; secrets?: string[] } = {}): LogHandle {
  const dest: DestinationStream & { flushSync?: () => void } = pino.destination({
    dest: opts.file ?? 2,
    sync: true,
    mkdir: true,
    mode: 0o600,
  } as Parameters<typeof pino.destination>[0]);
  // `mode` applies only to a new file: an existing log (it carries row data) is made private too.
  if (opts.file !== undefined) fchmodSync((dest as unknown as { fd: number }).fd, 0o600);
  const secrets = opts.secrets ?? [];
  const stream: DestinationStream = { write: (line: string) => void dest.write(redact(line, secrets)) };
  const logger = pino(
    {
      level: opts.level ?? 'info',
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
  return {
    logger,
    flush() {
      try {
        dest.flushSync?.();
      } catch {
        /* nothing buffered */
      }
    },
  };
}
