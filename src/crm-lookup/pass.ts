/**
 * The CRM lookup pass, before the sending: reads the input once, runs each unsettled row through the
 * mapping with the cache bound, and asks queryGestion for each distinct key a row waits on (at most
 * `--concurrency` queries in flight, none while inserts are: the sending has not started). Each
 * query is a call of the run (the sender's `spend`: --max-calls, today's quota, a stop); each answer
 * is cached, so the sending then maps every row synchronously. A query that fails is not cached: its
 * rows stay pending and a resume asks again. A dry run asks nothing: it says what would be asked.
 */
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { DRY_RUN_SERVER } from '../config/config.ts';
import { InputError } from '../errors.ts';
import { SeenKeys } from '../plan/seen-keys.ts';
import { search } from '../reconcile/search.ts';
import type { OpenRun } from '../run/open.ts';
import type { ApiClient } from '../sink/client.ts';
import type { Sender } from '../sink/sender.ts';
import { openSource, reopenOptions } from '../source/index.ts';
import { RunStore } from '../store/store.ts';
import type { CrmTable } from '../transform/crm.ts';
import type { CompiledMapping } from '../transform/index.ts';
import { CacheResolver, crmKey, type Asked } from './resolver.ts';
import { LookupCache, lookupScope } from './cache.ts';
import { lacksTake, verdictOf } from './verdict.ts';
import { QueryRoom } from './room.ts';

export interface LookupStats {
  /** Distinct keys not cached when the pass began (asked, or in a dry run: to ask). */
  keys: number;
  found: number;
  none: number;
  several: number;
  /** Keys whose query failed or was not made (no call left, a stop): their rows stay pending. */
  failed: number;
  /** queryGestion calls spent. */
  calls: number;
}

export interface LookupDeps {
  /** Absent in a dry run. */
  client?: ApiClient;
  sender?: Sender;
  log: Logger;
  signal?: AbortSignal;
}

/** Failed keys in a row after which the pass asks no more (the API does not answer queries readably). */
const FAILURES_IN_A_ROW = 5;

/**
 * Binds the mapping's CRM lookups to the run's store and asks the CRM for the keys not cached.
 * Undefined when the mapping has no CRM lookup. An input that cannot be read ends the pass (the
 * sending meets the same error and reports it).
 */
export async function lookUpCrm(run: OpenRun, d: LookupDeps): Promise<LookupStats | undefined> {
  const crm = run.prepared.compiled.crm;
  if (!crm) return undefined;
  const { cfg } = run;
  const scope = lookupScope(cfg.server, cfg.operation);
  const stats: LookupStats = { keys: 0, found: 0, none: 0, several: 0, failed: 0, calls: 0 };
  const live = d.client && d.sender ? { client: d.client, sender: d.sender } : undefined;
  // A dry run's store is a temporary file: read the real state file's cache (answers are copied in).
  const real = live ? undefined : openIfExists(cfg.statePath);
  const cache = new LookupCache(run.store.database, scope, real ? new LookupCache(real.database, scope) : undefined);
  const resolver = new CacheResolver(cache, live ? undefined : 'DRY RUN: not in the lookup cache; the import asks the CRM (queryGestion, one call)');
  crm.bind(resolver);
  try {
    if (live) await askAll(run, { ...d, ...live, resolver, stats });
    else await countAll(run, resolver, stats);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
  } finally {
    cache.detach();
    real?.close();
  }
  logStats(d.log, stats, { dry: !live, noServer: cfg.server === DRY_RUN_SERVER });
  return stats;
}

/** Binds the mapping's CRM lookups to a state file's cache, asking nothing (`reconcile` re-reads what rows sent). */
export function bindLookupCache(compiled: CompiledMapping, store: RunStore, cfg: { server: string; operation: string }): void {
  compiled.crm?.bind(new CacheResolver(new LookupCache(store.database, lookupScope(cfg.server, cfg.operation))));
}

function openIfExists(path: string): RunStore | undefined {
  if (path === ':memory:' || !existsSync(path)) return undefined; // a dry run creates no state file
  try {
    return RunStore.open(path);
  } catch {
    return undefined; // not a usable state file: the dry run says every key would be asked
  }
}

function logStats(log: Logger, s: LookupStats, o: { dry: boolean; noServer: boolean }): void {
  if (o.dry) {
    // The cache is kept per CRM server and operation: without them, no answer kept can be read.
    const why = o.noServer ? ' (no --server and --operation given: the cache of the answers kept for them was not read)' : '';
    if (s.keys > 0) log.warn({ keys: s.keys }, `dry run: ${s.keys} lookup key(s) are not in the cache${why}: the import asks the CRM for each (queryGestion, ${s.keys} call(s) at least)`);
    return;
  }
  log.info({ ...s }, 'CRM lookups');
}

/**
 * Reads the input once; `onRow` gets the keys each unsettled row waits on (the row is `pending`
 * only for lookups: a row invalid anyway costs no call). Stops reading when `done()` says so.
 */
async function scan(run: OpenRun, resolver: CacheResolver, o: { onRow: (asked: readonly Asked[]) => Promise<void> | void; done: () => boolean }): Promise<void> {
  const source = await openSource(reopenOptions(run.cfg, run.prepared.source.info));
  try {
    for await (const rec of source.records) {
      if (o.done()) break;
      if (run.planner.settled(rec.row)) continue;
      resolver.asked.length = 0;
      if (run.prepared.compiled.transform(rec).kind === 'pending') await o.onRow(resolver.asked);
    }
  } finally {
    await source.close().catch(() => undefined);
  }
}

/** A dry run: counts the distinct keys not cached (in a temporary file: a million keys stay out of memory). */
async function countAll(run: OpenRun, resolver: CacheResolver, stats: LookupStats): Promise<void> {
  const seen = new SeenKeys();
  try {
    await scan(run, resolver, {
      done: () => false,
      onRow: (asked) => {
        for (const a of asked) if (seen.firstRow(crmKey(a.table, a.value), 0) === undefined) stats.keys++;
      },
    });
  } finally {
    seen.close();
  }
}

interface Asking extends LookupDeps {
  client: ApiClient;
  sender: Sender;
  resolver: CacheResolver;
  stats: LookupStats;
}

/** Asks the CRM for each distinct key rows wait on, `--concurrency` at a time. */
async function askAll(run: OpenRun, given: Asking): Promise<void> {
  const room = new QueryRoom(run.cfg.concurrency);
  const onLower = (limit: number) => given.log.warn({ concurrency: limit }, `CRM lookups: the API refused a query for too many requests in flight: ${limit} at a time now`);
  const a: Asking = { ...given, client: room.gate(given.client, onLower) };
  const inflight = new Map<string, Promise<void>>();
  const halted = () => a.sender.stopped !== undefined || a.signal?.aborted === true || a.resolver.halted !== undefined;
  const onRow = async (asked: readonly Asked[]) => {
    for (const { table, value } of asked) {
      const id = crmKey(table, value);
      if (inflight.has(id) || a.resolver.failedKey(id)) continue;
      while (inflight.size >= room.limit) await Promise.race(inflight.values());
      if (halted()) return;
      // Asked since the row was read: while it waited for a slot, or by an earlier lookup of the row.
      if (inflight.has(id) || a.resolver.failedKey(id) || a.resolver.cache.get(table, value) !== undefined) continue;
      a.stats.keys++;
      inflight.set(id, ask(run, a, { table, value }).finally(() => inflight.delete(id)));
    }
  };
  try {
    await scan(run, a.resolver, { onRow, done: halted });
  } finally {
    await Promise.all(inflight.values());
  }
}

/** One key: every page of queryGestion by the table's field, the verdict cached; a failure noted (not cached). */
async function ask(run: OpenRun, a: Asking, k: { table: CrmTable; value: string }): Promise<void> {
  const { cfg } = run;
  const spend = () => {
    const ok = a.sender.spend();
    if (ok) a.stats.calls++;
    return ok;
  };
  const signal = a.signal ?? new AbortController().signal;
  const found = await search({ client: a.client, operation: cfg.operation, policy: cfg.policy, spend, signal }, k.table.field, k.value);
  if (found.kind === 'list') {
    // One answer serves every table searching the same field (e.g. the record id and the agent of a customer).
    const tables = run.prepared.compiled.crm!.tables.filter((t) => t.field === k.table.field && !lacksTake(found.gestiones, t, k.value));
    if (!tables.includes(k.table)) {
      a.stats.failed++;
      a.resolver.failed(crmKey(k.table, k.value), `not looked up: the ${found.gestiones.length} gestiones queryGestion returned have no ${k.table.take} field (an answer of another shape); --resume asks again`, FAILURES_IN_A_ROW);
      return;
    }
    const v = verdictOf(found.gestiones, k.table, k.value);
    try {
      for (const t of tables) a.resolver.cache.put(t, k.value, t === k.table ? v : verdictOf(found.gestiones, t, k.value));
    } catch (err) {
      // Like a journal write: nothing more is sent once the state file cannot keep what it is told.
      a.sender.stop({ kind: 'journal', code: 'E_STATE', message: `the state file ${run.store.path} could not keep a CRM lookup answer (${(err as Error).message}); stopped: fix it, then --resume` });
      a.resolver.failed(crmKey(k.table, k.value), 'not looked up: the state file could not be written', FAILURES_IN_A_ROW);
      return;
    }
    a.resolver.succeeded();
    a.stats[v.kind]++;
    return;
  }
  a.stats.failed++;
  const c = found.stop;
  if (c) a.sender.stop({ kind: c.action === 'quota' ? 'quota' : 'fatal', code: c.code, message: `CRM lookup: ${c.code}: ${c.message}${c.hint ? `: ${c.hint}` : ''}` });
  a.resolver.failed(crmKey(k.table, k.value), `not looked up: ${found.reason}; --resume asks again`, FAILURES_IN_A_ROW);
}
