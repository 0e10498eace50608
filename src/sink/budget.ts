import { UsageError } from '../errors.ts';

/**
 * The error budget protects the day's quota from a wrong mapping: when the API keeps rejecting
 * rows, stop and say why instead of spending every call on rejections.
 */
export interface ErrorBudgetSpec {
  /** Stop after this many rejected rows (absolute), or... */
  maxCount?: number;
  /** ...when more than this fraction of sent rows were rejected (after `minSample` rows). */
  maxRatio?: number;
  minSample: number;
  /** Stop when the first `allFailedFirst` rows sent were all rejected. */
  allFailedFirst: number;
}

/** Default: the first 20 rows all rejected, or more than half rejected after 50. */
export const DEFAULT_BUDGET: ErrorBudgetSpec = { maxRatio: 0.5, minSample: 50, allFailedFirst: 20 };

/** `--max-errors 100` or `--max-errors 10%` (or `off`). */
export function parseMaxErrors(value: string | number | undefined): ErrorBudgetSpec | undefined {
  if (value === undefined || value === '') return DEFAULT_BUDGET;
  const v = String(value).trim();
  if (v === 'off' || v === 'none') return undefined;
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(v);
  if (pct) {
    const p = Number(pct[1]);
    if (p <= 0 || p > 100) throw new UsageError(`--max-errors: expected a percentage between 0 and 100 such as "10%", got "${v}"`);
    return { maxRatio: p / 100, minSample: 20, allFailedFirst: 20 };
  }
  if (/^\d+$/.test(v)) return { maxCount: Number(v), minSample: 0, allFailedFirst: Number.POSITIVE_INFINITY };
  throw new UsageError(`--max-errors: expected a number of rows such as 100, a percentage such as "10%", or "off", got "${v}"`);
}

export class ErrorBudget {
  private sent = 0;
  private rejected = 0;
  private readonly byCode = new Map<string, number>();
  constructor(private readonly spec: ErrorBudgetSpec | undefined) {}

  /** Records a finished row; returns a stop message when the budget is spent. */
  record(rejected: boolean, code: string | undefined): string | undefined {
    this.sent++;
    if (rejected) {
      this.rejected++;
      if (code) this.byCode.set(code, (this.byCode.get(code) ?? 0) + 1);
    }
    const s = this.spec;
    if (!s || !rejected) return undefined;
    const tooMany =
      (s.maxCount !== undefined && this.rejected > s.maxCount) ||
      (this.sent >= s.allFailedFirst && this.rejected === this.sent) ||
      (s.maxRatio !== undefined && this.sent >= s.minSample && this.rejected / this.sent > s.maxRatio);
    if (!tooMany) return undefined;
    const dominant = this.dominant();
    if (dominant.startsWith('NET_')) {
      return `${this.rejected} of ${this.sent} rows could not be sent, mostly "${dominant}": the server cannot be reached; check --server and the network, then run again with --resume`;
    }
    return `the API rejected ${this.rejected} of ${this.sent} rows sent, mostly "${dominant}": stopped to save the day's quota; fix the mapping or data, then run again with --resume`;
  }

  dominant(): string {
    let best = '';
    let n = -1;
    for (const [code, c] of this.byCode) if (c > n) [best, n] = [code, c];
    return best;
  }
}
