/**
 * The emulator's mutable state: per-token quota use and in-flight counts, reported counters,
 * and the committed inserts (stored compactly: the parsed fields object and interned strings).
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorStats, InsertedGestion } from './types.ts';

export interface TokenState {
  /** The canonical token string (shared by every InsertedGestion of this token). */
  readonly token: string;
  /** Calls counted today. */
  used: number;
  /** Requests in flight right now. */
  inflight: number;
}

const MAX_INTERNED_OPERATIONS = 1000;

export class EmulatorState {
  /** Every committed insert in commit order; emptied in place by reset(). */
  readonly inserted: InsertedGestion[] = [];
  calls = 0;
  insertCalls = 0;
  queryCalls = 0;
  maxInflightSeen = 0;
  rejectedConcurrency = 0;
  faultsInjected = 0;
  private byStatus = new Map<number, number>();
  private readonly tokens = new Map<string, TokenState>();
  private readonly operations = new Map<string, string>();
  /** Ids are a per-instance 6-hex prefix plus a hex counter that never restarts, so they stay unique. */
  private readonly idPrefix = randomBytes(3).toString('hex');
  private idCounter = 0;
  /** queryGestion's indexes: operation + field → value → inserts, caught up lazily with `inserted`. */
  private readonly indexes = new Map<string, { upTo: number; byValue: Map<string, InsertedGestion[]> }>();

  token(token: string): TokenState {
    let s = this.tokens.get(token);
    if (s === undefined) {
      s = { token, used: 0, inflight: 0 };
      this.tokens.set(token, s);
    }
    return s;
  }

  /** Counts one call against the token's quota; returns true when the quota is used up. */
  countCall(ts: TokenState, quota: number): boolean {
    this.calls++;
    ts.used++;
    return ts.used > quota;
  }

  enter(ts: TokenState): void {
    ts.inflight++;
    if (ts.inflight > this.maxInflightSeen) this.maxInflightSeen = ts.inflight;
  }

  leave(ts: TokenState): void {
    ts.inflight--;
  }

  countStatus(status: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  commit(ts: TokenState, operation: string, fields: Record<string, unknown>, requestNo: number): string {
    const wolkvoxId = this.idPrefix + (++this.idCounter).toString(16);
    this.inserted.push({ wolkvoxId, operation: this.intern(operation), fields, token: ts.token, requestNo, at: Date.now() });
    return wolkvoxId;
  }

  /** Committed inserts of `operation` whose `fields[field]` is `value` (trimmed), in commit order. */
  find(operation: string, field: string, value: string): readonly InsertedGestion[] {
    const name = `${operation}\u001e${field}`;
    let ix = this.indexes.get(name);
    if (ix === undefined || ix.upTo > this.inserted.length) {
      ix = { upTo: 0, byValue: new Map() };
      this.indexes.set(name, ix);
    }
    for (; ix.upTo < this.inserted.length; ix.upTo++) {
      const g = this.inserted[ix.upTo]!;
      const v = g.fields[field];
      if (g.operation !== operation || (typeof v !== 'string' && typeof v !== 'number')) continue;
      const key = String(v).trim();
      const list = ix.byValue.get(key);
      if (list === undefined) ix.byValue.set(key, [g]);
      else list.push(g);
    }
    return ix.byValue.get(value.trim()) ?? [];
  }

  private intern(operation: string): string {
    const known = this.operations.get(operation);
    if (known !== undefined) return known;
    if (this.operations.size < MAX_INTERNED_OPERATIONS) this.operations.set(operation, operation);
    return operation;
  }

  stats(): EmulatorStats {
    const byHttpStatus: Record<string, number> = {};
    for (const [status, n] of [...this.byStatus].sort((a, b) => a[0] - b[0])) byHttpStatus[String(status)] = n;
    return {
      calls: this.calls,
      insertCalls: this.insertCalls,
      queryCalls: this.queryCalls,
      maxInflightSeen: this.maxInflightSeen,
      rejectedConcurrency: this.rejectedConcurrency,
      byHttpStatus,
      faultsInjected: this.faultsInjected,
    };
  }

  /** The next day: every token's quota counter starts again. */
  newDay(): void {
    for (const ts of this.tokens.values()) ts.used = 0;
  }

  /** Forgets inserts and counters. In-flight counts stay: those requests are still open. */
  reset(): void {
    this.inserted.length = 0;
    this.indexes.clear();
    this.calls = 0;
    this.insertCalls = 0;
    this.queryCalls = 0;
    this.maxInflightSeen = 0;
    this.rejectedConcurrency = 0;
    this.faultsInjected = 0;
    this.byStatus = new Map();
    this.newDay();
  }

  /** Hours until the next local midnight, when the real API restarts its counter. */
  static hoursToRestart(now = new Date()): number {
    const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
    return Math.ceil((midnight.getTime() - now.getTime()) / 3_600_000);
  }
}
