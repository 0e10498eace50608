/**
 * Lookup tables: a CSV loaded once into a Map from key (key columns joined with \u0000) to a row
 * number, plus one array per column the mapping reads. Only those columns are kept, so memory
 * is about the keys plus the values asked for.
 */
import { LookupError } from '../errors.ts';
import { HeaderIndex, lookupErrors } from './columns.ts';
import { readCsv } from './lookup-file.ts';
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
 * Loads `def` from `file` keeping the `wanted` columns. Errors: LookupError naming the table and
 * the file (unreadable, bad encoding, malformed CSV, missing column). Duplicate keys: the first
 * row wins; a warning names them when their values differ.
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
  let keyAt: number[] | undefined;
  let valueAt: number[] = [];
  let rows = 0;
  let stored = 0;
  let conflicts = 0;
  let firstConflict = '';

  const onRecord = (rec: string[]): void => {
    if (!keyAt) {
      const header = new HeaderIndex(rec, label, `the header of ${file}`, lookupErrors);
      keyAt = keyColumns.map((c) => header.resolve(c, `lookups.${name}.key`));
      valueAt = wanted.map((c) => header.resolve(c, `lookups.${name} column`));
      return;
    }
    const row = rows++;
    const key = keyAt.length === 1 ? (rec[keyAt[0]] ?? '').trim() : keyAt.map((i) => (rec[i] ?? '').trim()).join(KEY_SEPARATOR);
    if (key === '' || key === KEY_SEPARATOR.repeat(keyAt.length - 1)) return;
    const seen = index.get(key);
    if (seen !== undefined) {
      if (valueAt.some((c, j) => values[j][seen] !== (rec[c] ?? ''))) {
        if (conflicts++ === 0) firstConflict = `${keyColumns.join('+')} ${JSON.stringify(key.split(KEY_SEPARATOR).join(' '))} on data rows ${seen + 1} and ${row + 1}`;
      }
      return;
    }
    index.set(key, stored++);
    valueAt.forEach((c, j) => values[j].push(rec[c] ?? ''));
  };

  try {
    await readCsv(file, { delimiter: def.delimiter, encoding: def.encoding }, onRecord);
  } catch (err) {
    if (err instanceof LookupError) throw err;
    const e = err as NodeJS.ErrnoException;
    const why = describeReadError(e, def) + (e.code === 'ENOENT' && missingHint ? ` (${missingHint})` : '');
    throw new LookupError(`${label}: ${why}`, { file, lookup: name });
  }
  if (!keyAt) throw new LookupError(`${label}: the file is empty (expected a header row naming ${keyColumns.join(', ')})`, { file, lookup: name });

  const warnings =
    conflicts > 0
      ? [`${label}: ${conflicts} key(s) occur more than once with different values (first: ${firstConflict}); the first row of each is used`]
      : [];
  const columns = new Map(wanted.map((c, j) => [c, values[j]] as const));
  return { table: { name, file, keyColumns, index, columns }, warnings };
}

function describeReadError(err: NodeJS.ErrnoException, def: LookupDef): string {
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ERR_ENCODING_INVALID_ENCODED_DATA':
      return `the file is not valid ${def.encoding ?? 'utf-8'}; set "encoding": "windows-1252" on the lookup if it was saved by Excel`;
  }
  if (typeof err.code === 'string' && err.code.startsWith('CSV_')) return `malformed CSV: ${err.message}`;
  return err.message;
}
