import type { Logger } from 'pino';
import type { Progress } from '../run/progress.ts';

export interface ProgressOptions {
  /** Off a terminal: seconds between log lines. */
  intervalSec: number;
  /** Resolves to the number of data records (a fast pre-count), for the total and the ETA. */
  total?: Promise<number>;
  /** Write to this stream when it is a terminal (tests pass a fake one). */
  stream?: NodeJS.WriteStream;
}

function eta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

/** The progress figures: done / total, counts, rows/s and the time left. */
export function progressFigures(p: Progress, elapsedSec: number, total: number | undefined) {
  const rate = elapsedSec > 0 ? p.finished / elapsedSec : 0;
  const s = p.byStatus;
  const left = total !== undefined && rate > 0 ? (total - p.finished) / rate : Number.NaN;
  return { done: p.finished, total, ok: s.ok ?? 0, failed: s.failed ?? 0, invalid: s.invalid ?? 0, pending: s.pending ?? 0,
    rowsPerSec: Math.round(rate * 10) / 10, eta: eta(left) };
}

/**
 * On a terminal: a progress bar on stderr (rows done / total, ok, failed, rows/s, ETA). Off a
 * terminal (cron): a pino line every `intervalSec` seconds instead.
 */
export function startProgress(p: Progress, log: Logger, o: ProgressOptions): { stop(): void } {
  const t0 = Date.now();
  const out = o.stream ?? process.stderr;
  const tty = out.isTTY === true;
  let total: number | undefined;
  o.total?.then((n) => (total = n)).catch(() => undefined);
  const draw = () => {
    const f = progressFigures(p, (Date.now() - t0) / 1000, total);
    if (!tty) return void log.info(f, 'progress');
    const width = 24;
    const frac = total ? Math.min(1, f.done / Math.max(1, total)) : 0;
    const bar = total ? `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ` : '';
    out.write(`\r\x1b[2K${bar}${f.done}/${total ?? '?'} rows · ok ${f.ok} · failed ${f.failed} · invalid ${f.invalid} · ${f.rowsPerSec} rows/s · ETA ${f.eta}`);
  };
  const timer = setInterval(draw, tty ? 250 : o.intervalSec * 1000);
  timer.unref();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (tty) out.write('\r\x1b[2K');
    },
  };
}
