/**
 * The CRM lookup cache (table `crm_lookups` of the state file): what queryGestion answered for a key,
 * per CRM server and operation, so a key costs one call, ever. Found, none and several are all
 * cached; a query that failed is not (the next run asks again). `wolkvox-import lookups` lists and
 * forgets entries (a record moved in the CRM: forget its key and the next import asks again).
 */
import type Database from 'better-sqlite3';
import type { CrmAnswer, CrmTable } from '../transform/crm.ts';

/** Cache entries are scoped to one CRM server and operation, as the ledger's keys are. */
export function lookupScope(server: string, operation: string): string {
  return `${server}\u001e${operation}`;
}

type Row = { result: string; taken: string | null; seen: number };

function answerOf(r: Row): CrmAnswer {
  if (r.result === 'found') return { kind: 'found', value: r.taken ?? '', seen: r.seen };
  if (r.result === 'several') return { kind: 'several', values: JSON.parse(r.taken ?? '[]') as string[], seen: r.seen };
  return { kind: 'none', seen: r.seen };
}

function takenOf(a: CrmAnswer): string | null {
  return a.kind === 'found' ? a.value : a.kind === 'several' ? JSON.stringify(a.values) : null;
}

/** Answers kept in memory besides the file (a million rows read each customer's answer twice: the pass and the sending). */
const MEMO_SIZE = 50_000;

/** The cache of one scope (server + operation), over an open state file. */
export class LookupCache {
  private readonly getSt: Database.Statement;
  private readonly putSt: Database.Statement;
  /** Recent answers by table + key; emptied when full (bounded memory, whatever the number of keys). */
  private readonly memo = new Map<string, CrmAnswer>();

  constructor(
    db: Database.Database,
    private readonly scope: string,
    /** Read when this cache misses (a dry run's temporary store over the real state file); a hit is copied here. */
    private fallback?: LookupCache,
  ) {
    this.getSt = db.prepare('SELECT result, taken, seen FROM crm_lookups WHERE scope = ? AND field = ? AND take = ? AND value = ?');
    this.putSt = db.prepare(`INSERT OR REPLACE INTO crm_lookups (scope, field, take, value, result, taken, seen, looked_at) VALUES (?,?,?,?,?,?,?,?)`);
  }

  get(t: CrmTable, value: string): CrmAnswer | undefined {
    const id = `${t.field}\u0000${t.take}\u0000${value}`;
    const known = this.memo.get(id);
    if (known) return known;
    const r = this.getSt.get(this.scope, t.field, t.take, value) as Row | undefined;
    const a = r ? answerOf(r) : this.fallback?.get(t, value);
    if (a && !r) this.put(t, value, a);
    else if (a) this.remember(id, a);
    return a;
  }

  put(t: CrmTable, value: string, a: CrmAnswer): void {
    this.putSt.run(this.scope, t.field, t.take, value, a.kind, takenOf(a), a.seen, new Date().toISOString());
    this.remember(`${t.field}\u0000${t.take}\u0000${value}`, a);
  }

  private remember(id: string, a: CrmAnswer): void {
    if (this.memo.size >= MEMO_SIZE) this.memo.clear();
    this.memo.set(id, a);
  }

  /** Stops reading the fallback (its store is about to close). */
  detach(): void {
    this.fallback = undefined;
  }
}

export interface CachedLookup {
  server: string;
  operation: string;
  field: string;
  take: string;
  value: string;
  answer: CrmAnswer;
  lookedAt: string;
}

/** Cached answers, newest first; `value` keeps only that key's. */
export function listLookups(db: Database.Database, o: { limit?: number; value?: string } = {}): CachedLookup[] {
  const rows = db
    .prepare(`SELECT scope, field, take, value, result, taken, seen, looked_at FROM crm_lookups
      WHERE (? IS NULL OR value = ?) ORDER BY looked_at DESC, value LIMIT ?`)
    .all(o.value ?? null, o.value ?? null, o.limit ?? -1) as (Row & { scope: string; field: string; take: string; value: string; looked_at: string })[];
  return rows.map((r) => {
    const at = r.scope.indexOf('\u001e'); // a server (an origin) has no separator; an operation might
    const [server, operation] = [r.scope.slice(0, at), r.scope.slice(at + 1)];
    return { server, operation, field: r.field, take: r.take, value: r.value, answer: answerOf(r), lookedAt: r.looked_at };
  });
}

/** Forgets cached answers looked up before an ISO instant, those of one key, or of one kind (every scope); returns how many. */
export function forgetLookups(db: Database.Database, o: { before?: string; value?: string; result?: CrmAnswer['kind'] }): number {
  return db
    .prepare('DELETE FROM crm_lookups WHERE (? IS NULL OR looked_at < ?) AND (? IS NULL OR value = ?) AND (? IS NULL OR result = ?)')
    .run(o.before ?? null, o.before ?? null, o.value ?? null, o.value ?? null, o.result ?? null, o.result ?? null).changes;
}
