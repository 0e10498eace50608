/** The CrmResolver a run binds: answers from the cache, the keys it misses noted, and why a key has no answer. */
import type { CrmAnswer, CrmResolver, CrmTable } from '../transform/crm.ts';
import type { LookupCache } from './cache.ts';

export interface Asked {
  table: CrmTable;
  value: string;
}

/** One query: the CRM field searched and the value, as a string (a Map or SeenKeys key). Tables searching the same field share it. */
export function crmKey(t: CrmTable, value: string): string {
  return `${t.field}\u0000${value}`;
}

/** Failed keys remembered at most in one run; more, and the pass asks no more (the rest waits for a resume). */
const MAX_FAILED = 1000;

export class CacheResolver implements CrmResolver {
  /** The keys missed since the caller last emptied this (the pass: per row). */
  readonly asked: Asked[] = [];
  /** Set when the pass stopped asking: why. */
  halted: string | undefined;
  private readonly failures = new Map<string, string>();
  private inARow = 0;

  constructor(
    readonly cache: LookupCache,
    /** Said of a key not cached (a dry run's text); default: not looked up yet. */
    private readonly notCached = 'not looked up in the CRM yet; --resume asks',
  ) {}

  get(t: CrmTable, value: string): CrmAnswer | undefined {
    const a = this.cache.get(t, value);
    if (a === undefined) this.asked.push({ table: t, value });
    return a;
  }

  why(t: CrmTable, value: string): string {
    return this.failures.get(crmKey(t, value)) ?? this.halted ?? this.notCached;
  }

  failedKey(id: string): boolean {
    return this.failures.has(id);
  }

  /** A key's query failed (not cached): its rows stay pending with `reason`; `limit` failures in a row halt the pass. */
  failed(id: string, reason: string, limit: number): void {
    this.failures.set(id, reason);
    if (++this.inARow >= limit || this.failures.size >= MAX_FAILED) {
      this.halted ??= `not looked up: the CRM lookups stopped after ${this.failures.size} failed queries (last: ${reason})`;
    }
  }

  succeeded(): void {
    this.inARow = 0;
  }
}
