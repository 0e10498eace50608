/**
 * CRM lookups: a lookup table answered by the CRM (queryGestion.php) instead of a file, e.g.
 * `"records": {"crm": {"field": "id_customer", "take": "wolkvox_idRecord"}}`. The compiled field
 * asks a CrmResolver, bound once the state file is open: the answers are cached there (a pass before
 * the sending asks the CRM for the keys not cached, src/crm-lookup/), so the per-row function stays
 * synchronous and pure. See docs/architecture.md, "CRM lookups".
 */
import { Failure, showValue, type StepResult } from './failure.ts';
import type { CrmLookupDef } from './schema.ts';

/** What the CRM said about one key: one distinct value, none, or several different ones. */
export type CrmAnswer =
  | { kind: 'found'; value: string; seen: number }
  | { kind: 'none'; seen: number }
  | { kind: 'several'; values: string[]; seen: number };

export interface CrmTable extends CrmLookupDef {
  /** The table's name in the mapping. */
  name: string;
}

export interface CrmResolver {
  /** The answer known for `value` (cached), or undefined when it was not asked (yet). */
  get(table: CrmTable, value: string): CrmAnswer | undefined;
  /** Why `value` has no answer: said in the row's pending text. */
  why(table: CrmTable, value: string): string;
}

/**
 * A failure a field's `default` does not cover: the CRM has several values (ambiguous: never
 * guessed), or the key was not looked up yet (`pending`: the row waits, a resume looks it up).
 */
export class Unsettled extends Failure {
  constructor(
    reason: string,
    readonly pending: boolean,
  ) {
    super(reason);
  }
}

const NOT_BOUND: CrmResolver = {
  get: () => undefined,
  why: () => 'not looked up in the CRM',
};

/** The most values named in a row's "several" reason. */
const MAX_SHOWN = 5;

/** The mapping's CRM lookup tables and the resolver their fields ask (bound after the store opens). */
export class CrmLookups {
  private resolver: CrmResolver = NOT_BOUND;

  constructor(readonly tables: readonly CrmTable[]) {}

  table(name: string): CrmTable | undefined {
    return this.tables.find((t) => t.name === name);
  }

  bind(resolver: CrmResolver): void {
    this.resolver = resolver;
  }

  /** The field's source: the row's key column (trimmed) → the table's answer for it. */
  source(table: CrmTable, at: number, keyColumn: string): (values: readonly string[]) => StepResult {
    return (values) => {
      const key = (values[at] ?? '').trim();
      if (key === '') return new Failure(`${keyColumn} is empty, nothing to look up in the CRM (lookup ${table.name})`);
      const a = this.resolver.get(table, key);
      if (a === undefined) return new Unsettled(`${table.field} ${showValue(key)}: ${this.resolver.why(table, key)}`, true);
      if (a.kind === 'found') return a.value;
      return a.kind === 'none' ? new Failure(noneText(table, key, a.seen)) : new Unsettled(severalText(table, key, a), false);
    };
  }
}

function noneText(t: CrmTable, key: string, seen: number): string {
  const which = seen === 0 ? 'no earlier gestión' : `none of the ${seen} earlier gestiones`;
  return `the CRM has ${which} with ${t.field} ${showValue(key)}${seen === 0 ? '' : ` and a ${t.take}`} (lookup ${t.name}, queryGestion)`;
}

function severalText(t: CrmTable, key: string, a: { values: string[]; seen: number }): string {
  const shown = a.values.slice(0, MAX_SHOWN).join(', ') + (a.values.length > MAX_SHOWN ? ', ...' : '');
  return `the CRM has ${a.values.length} different ${t.take} for ${t.field} ${showValue(key)} (${shown}; ${a.seen} gestiones seen): not guessed (lookup ${t.name})`;
}
