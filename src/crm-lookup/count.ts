/** `check --input`: the CRM lookup calls an import of the file would spend (distinct keys not cached). */
import { SeenKeys } from '../plan/seen-keys.ts';
import { RunStore, TEMPORARY } from '../store/store.ts';
import type { CompiledMapping } from '../transform/index.ts';
import type { SourceRecord, TransformResult } from '../types.ts';
import { LookupCache, lookupScope } from './cache.ts';
import { CacheResolver, crmKey } from './resolver.ts';

export class LookupCount {
  /** Distinct keys rows wait on that the cache does not have: one call each (more only past 250 gestiones). */
  keys = 0;
  private readonly seen = new SeenKeys();
  private readonly resolver: CacheResolver;
  private readonly own: RunStore | undefined;

  /** `store`: the state file, when there is one (read only: nothing is cached by counting). */
  constructor(
    private readonly compiled: CompiledMapping,
    o: { store?: RunStore; server: string; operation: string },
  ) {
    this.own = o.store ? undefined : RunStore.open(TEMPORARY);
    const db = (o.store ?? this.own)!.database;
    this.resolver = new CacheResolver(new LookupCache(db, lookupScope(o.server, o.operation)));
    compiled.crm?.bind(this.resolver);
  }

  /** The row through the mapping; the keys a `pending` row waits on are counted. */
  transform(rec: SourceRecord): TransformResult {
    this.resolver.asked.length = 0;
    const tr = this.compiled.transform(rec);
    if (tr.kind === 'pending') for (const a of this.resolver.asked) if (this.seen.firstRow(crmKey(a.table, a.value), rec.row) === undefined) this.keys++;
    return tr;
  }

  close(): void {
    this.seen.close();
    this.own?.close();
  }
}
