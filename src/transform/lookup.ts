/**
 * Lookup tables: a CSV loaded once into a Map from key (key columns joined with \u0000) to a row
 * number, plus one array per column the mapping reads. Only those columns are kept, so memory
 * is about the keys plus the values asked for.
 */
import { isWolkvoxImportError, LookupError } from '../errors.ts';
import { openSource } from '../source/index.ts';
import { HeaderIndex, lookupErrors } from './columns.ts';
import type { LookupDef } from './schema.ts';

/** Separates the parts of a multi-column key. */
export const KEY_SEPARATOR = '\u0000';

export interface LookupTable {
  readonly name: string;
  readonly file: string;
  /** The lookup file's key column names, as the mapping wrote them. */
  readonly keyColumns: readonly string[];
  /** Key → data row number (0-based). */
  readonly index: ReadonlyMap<string, number>;
  /** Column name (as the mapping wrote it) → values by data row number. */
  readonly columns: ReadonlyMap<string, readonly string[]>;
}

/**
 * Loads `def` from `file` keeping the `wanted` columns. The file is read by the source stage
 * (openSource: BOM, encoding detection, delimiter sniffing, csv-parse, streamed), so a lookup
 * file may be whatever an input file may be. Errors: LookupError naming the table and the file
 * (unreadable, malformed CSV, missing column). Duplicate keys: the first row wins; a warning
 * names them when their values differ. Rows the parser flags as malformed are left out (warned).
 */
export async function loadLookup(
  name: string,
  def: LookupDef,
  file: string,
  wanted: readonly string[],
  /** Said after "no such file": how the path was resolved and how to fix it. */
  missingHint = '',
): Promise<{ table: LookupTable; warnings: string[] }> {
  const keyColumns = typeof def.key === 'string' ? [def.key] : def.key;
  const label = `lookup "${name}" (${file})`;
  const index = new Map<string, number>();
  const values = wanted.map(() => [] as string[]);
  let stored = 0;
  let conflicts = 0;
  let firstConflict = '';
  let malformed = 0;
  let firstMalformed = '';
  try {
    const source = await openSource({ path: file, encoding: def.encoding, delimiter: def.delimiter });
    const header = new HeaderIndex(source.info.header, label, `the header of ${file}`, lookupErrors);
    let keyAt: number[];
    let valueAt: number[];
    try {
      keyAt = keyColumns.map((c) => header.resolve(c, `lookups.${name}.key`));
      valueAt = wanted.map((c) => header.resolve(c, `lookups.${name} column`));
    } catch (err) {
      await source.close();
      throw err;
    }
    for await (const rec of source.records) {
      if (rec.problem !== undefined) {
        if (malformed++ === 0) firstMalformed = `line ${rec.line}: ${rec.problem}`;
        continue;
      }
      const v = rec.values;
      const key = keyAt.length === 1 ? v[keyAt[0]].trim() : keyAt.map((i) => v[i].trim()).join(KEY_SEPARATOR);
      if (key === '' || key === KEY_SEPARATOR.repeat(keyAt.length - 1)) continue;
      const seen = index.get(key);
      if (seen !== undefined) {
        if (valueAt.some((c, j) => values[j][seen] !== v[c]) && conflicts++ === 0) {
          firstConflict = `${keyColumns.join('+')} ${key.split(KEY_SEPARATOR).join(' ')} again on line ${rec.line}`;
        }
        continue;
      }
      index.set(key, stored++);
      valueAt.forEach((c, j) => values[j].push(v[c]));
    }
  } catch (err) {
    if (err instanceof LookupError) throw err;
    if (!isWolkvoxImportError(err)) throw err;
    const missing = err.context.osCode === 'ENOENT' && missingHint ? ` (${missingHint})` : '';
    const encodingHint = /encoding|UTF-8/i.test(err.message) && def.encoding === undefined ? '; set "encoding" on the lookup if it is not detected right' : '';
    throw new LookupError(`lookup "${name}": ${err.message}${missing}${encodingHint}`, { file, lookup: name });
  }

  const warnings: string[] = [];
  if (conflicts > 0) warnings.push(`${label}: ${conflicts} key(s) occur more than once with different values (first: ${firstConflict}); the first row of each is used`);
  if (malformed > 0) warnings.push(`${label}: ${malformed} malformed row(s) left out (first: ${firstMalformed})`);
  const columns = new Map(wanted.map((c, j) => [c, values[j]] as const));
  return { table: { name, file, keyColumns, index, columns }, warnings };
}
