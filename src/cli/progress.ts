import type { Logger } from 'pino';
import type { Progress } from '../run/progress.ts';

/**
 * On a terminal: a one-line progress display on stderr. Off a terminal (cron): a log line every
 * `intervalSec` seconds instead.
 */
export function startProgress(p: Progress, log: Logger, intervalSec = 60): { stop(): void } {
  const t0 = Date.now();
  const tty = process.stderr.isTTY === true;
  const line = () => {
    const secs = (Date.now() - t0) / 1000;
    const rate = secs > 0 ? p.finished / secs : 0;
    const s = p.byStatus;
    return { read: p.read, done: p.finished, ok: s.ok ?? 0, failed: s.failed ?? 0, invalid: s.invalid ?? 0, rowsPerSec: Math.round(rate * 10) / 10 };
  };
  const timer = setInterval(
    () => {
      const l = line();
      if (tty) process.stderr.write(`\r\x1b[2K${l.done}/${l.read} rows · ok ${l.ok} · failed ${l.failed} · invalid ${l.invalid} · ${l.rowsPerSec} rows/s`);
      else log.info(l, 'progress');
    },
    tty ? 250 : intervalSec * 1000,
  );
  timer.unref();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (tty) process.stderr.write('\r\x1b[2K');
    },
  };
}
