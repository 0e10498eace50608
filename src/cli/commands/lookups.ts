/**
 * `wolkvox-import lookups`: lists the CRM lookup cache (what queryGestion answered for each key of a
 * "crm" lookup), or forgets part of it so the next import asks the CRM again. Forgetting costs calls,
 * never a duplicate: it waits for no lock.
 */
import type { ArgumentsCamelCase } from 'yargs';
import type { LookupsArgs } from '../builders.ts';
import { forgetLookups, listLookups, type CachedLookup } from '../../crm-lookup/cache.ts';
import { EXIT, UsageError } from '../../errors.ts';
import { pickLang, t, type Lang } from '../../i18n/index.ts';
import { writeOut } from '../output.ts';
import { tn } from '../summary.ts';
import type { RunStore } from '../../store/store.ts';
import { forgetDate, openExisting } from './state.ts';

/** `--forget-before`'s date as an ISO instant (a future date is allowed: it forgets every answer). */
function answerText(e: CachedLookup, lang: Lang): string {
  const a = e.answer;
  if (a.kind === 'found') return t(lang, 'lookups.found', { value: a.value });
  return a.kind === 'none' ? t(lang, 'lookups.notFound') : t(lang, 'lookups.several', { values: a.values.join(', ') });
}

function entryText(e: CachedLookup, o: { json?: boolean; lang: Lang }): string {
  if (o.json) return JSON.stringify(e);
  const { field, take, value, server, operation } = e;
  return t(o.lang, 'lookups.entry', { at: e.lookedAt, field, value, answer: answerText(e, o.lang), take, seen: e.answer.seen, server, operation });
}

/**
 * `reconcile` re-reads what an uncertain row sent through the cached answers: forgetting one before
 * those rows are reconciled could change a record id, make the inserted gestión look missing and
 * send the row twice. So nothing is forgotten while a row is uncertain (or was being sent).
 */
function refuseWhileUncertain(store: RunStore, lang: Lang): void {
  const r = store.database
    .prepare("SELECT COUNT(*) AS n, group_concat(DISTINCT run_id) AS runs FROM rows WHERE status IN ('uncertain', 'sending')")
    .get() as { n: number; runs: string | null };
  if (r.n > 0) throw new UsageError(tn(lang, 'lookups.uncertain', r.n, { runs: (r.runs ?? '').split(',').join(', ') }));
}

export async function lookupsHandler(a: ArgumentsCamelCase<LookupsArgs>): Promise<number> {
  const lang = pickLang(a.lang);
  const before = a.forgetBefore === undefined ? undefined : forgetDate(a.forgetBefore, lang, { future: true });
  const store = openExisting(a, lang);
  if (!store) return EXIT.OK;
  try {
    if (before !== undefined || a.forgetKey !== undefined || a.forgetNotFound) {
      refuseWhileUncertain(store, lang);
      // Keys are cached trimmed, as rows are looked up.
      const n = forgetLookups(store.database, { before, value: a.forgetKey?.trim(), result: a.forgetNotFound ? 'none' : undefined });
      writeOut(tn(lang, 'lookups.forgot', n) + '\n');
      return EXIT.OK;
    }
    const entries = listLookups(store.database, { limit: a.limit, value: a.key?.trim() });
    if (entries.length === 0 && !a.json) writeOut(t(lang, 'lookups.none', { path: store.path }) + '\n');
    for (const e of entries) if (!writeOut(entryText(e, { json: a.json, lang }) + '\n')) break;
    return EXIT.OK;
  } finally {
    store.close();
  }
}
