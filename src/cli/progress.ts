import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import { t, type Lang } from '../i18n/index.ts';
import type { Progress } from '../run/progress.ts';
import { STATUSES } from '../types.ts';

export interface ProgressOptions {
  /** Off a terminal: seconds between log lines. */
  intervalSec: number;
  /** Resolves to the number of data records (a fast pre-count), for the total and the ETA. */
  total?: Promise<number>;
  /** Write to this stream when it is a terminal (tests pass a fake one). */
  stream?: NodeJS.WriteStream;
  lang?: Lang;
}

function eta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * Rows per second over the last `windowMs`: rows settled at once when a run starts (a --resume
 * counting what earlier runs did) leave the window, so the ETA follows the sending pace.
 */
export class RateMeter {
  private readonly samples: { at: number; done: number }[] = [];
  constructor(private readonly windowMs = 20_000) {}

  sample(at: number, done: number): number {
    this.samples.push({ at, done });
    while (this.samples.length > 2 && at - this.samples[1]!.at >= this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const span = (at - first.at) / 1000;
    return span > 0 ? (done - first.done) / span : 0;
  }
}

/** The progress figures: done / total, rows left, each status count, rows/s and the time left. */
export function progressFigures(p: Progress, rowsPerSec: number, total: number | undefined) {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, p.byStatus[s] ?? 0])) as Record<(typeof STATUSES)[number], number>;
  const left = total === undefined ? undefined : Math.max(0, total - p.finished);
  return { done: p.finished, total, left, ...counts, rowsPerSec: Math.round(rowsPerSec * 10) / 10, eta: eta(left !== undefined && rowsPerSec > 0 ? left / rowsPerSec : Number.NaN) };
}

/**
 * The figures at time `at` (ms): the rate counts only rows this run worked on, not rows a --resume
 * found settled by earlier runs (`kept`, counted at once when it starts), so the time left is the
 * rows still to send at the pace they are sent.
 */
export function figuresAt(p: Progress, meter: RateMeter, at: number, total: number | undefined): ReturnType<typeof progressFigures> {
  return progressFigures(p, meter.sample(at, p.finished - (p.byStatus.kept ?? 0)), total);
}

/**
 * The progress line fitted to `width` columns: a bar when there is room for one (10 to 30
 * characters), the text cut with an ellipsis when the terminal is narrower than the text.
 * One column stays free so the terminal never wraps.
 */
export function fitLine(text: string, width: number, fraction: number | undefined): string {
  const room = Math.max(10, width - 1);
  const barWidth = Math.min(30, room - text.length - 3);
  if (fraction !== undefined && barWidth >= 10) return `[${'#'.repeat(Math.round(fraction * barWidth)).padEnd(barWidth, '.')}] ${text}`;
  return text.length > room ? `${text.slice(0, room - 1)}…` : text;
}

/**
 * On a terminal: one line on stderr redrawn by cli-progress (4 times a second), fitted to the
 * terminal's width at each redraw. Off a terminal (cron): a pino line every `intervalSec` seconds.
 */
export function startProgress(p: Progress, log: Logger, o: ProgressOptions): { stop(): void } {
  const out = o.stream ?? process.stderr;
  const lang = o.lang ?? 'en';
  const meter = new RateMeter();
  let total: number | undefined;
  o.total?.then((n) => (total = n)).catch(() => undefined);
  const figures = () => figuresAt(p, meter, Date.now(), total);
  if (out.isTTY !== true) {
    const timer = setInterval(() => log.info(figures(), 'progress'), o.intervalSec * 1000);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }
  const format = (_o: unknown, params: { maxWidth: number }) => {
    const f = figures();
    const text = t(lang, 'progress.line', { ...f, total: f.total ?? '?', left: f.left ?? '?', rate: f.rowsPerSec });
    return fitLine(text, params.maxWidth, total ? Math.min(1, f.done / Math.max(1, total)) : undefined);
  };
  // Loaded only for a terminal: it brings string-width and its large regexes (~100 ms at start-up).
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
  const bar = new cliProgress.SingleBar({ stream: out, fps: 4, format, linewrap: true, clearOnComplete: true, gracefulExit: false });
  bar.start(1, 0);
  return { stop: () => bar.stop() };
}
