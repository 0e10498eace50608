/**
 * Lookup tables: a CSV loaded once into a Map from key (key columns joined with \u0000) to a row
 * number, plus one array per column the mapping reads. Only those columns are kept, so memory
 * is about the keys plus the values asked for.
 */
import { isWolkvoxImportError, LookupError } from '../errors.ts';
import { openSource } from '../source/index.ts';
import type { SourceRecord } from '../types.ts';
import { HeaderIndex } from './columns.ts';
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

export interface LookupLoad {
  /** The table's name in the mapping. */
  name: string;
  def: LookupDef;
  /** The resolved path of its file. */
  file: string;
  /** Columns fields read (as the mapping wrote them). */
  wanted: readonly string[];
  /** Said after "not found": how the path was resolved and how to fix it. */
  missingHint?: string;
}

/**
 * Loads a lookup table keeping the `wanted` columns. The file is read by the source stage
 * (openSource: BOM, encoding detection, delimiter sniffing, csv-parse, streamed), so a lookup
 * file may be whatever an input file may be. Errors: LookupError naming the table and the file
 * (unreadable, malformed CSV, missing column), never the file's contents: a lookup path may name
 * any file. Duplicate keys: the first row wins; a warning names them when their values differ.
 * Rows the parser flags as malformed are left out (warned).
 */
export async function loadLookup(load: LookupLoad): Promise<{ table: LookupTable; warnings: string[] }> {
  const { name, def, file, wanted } = load;
  const keyColumns = typeof def.key === 'string' ? [def.key] : (def.key ?? []); // a file lookup: the schema requires a key
  const label = `lookup "${name}" (${file})`;
  const builder = new TableBuilder(keyColumns, wanted.length);
  try {
    const source = await openSource({ path: file, encoding: def.encoding, delimiter: def.delimiter });
    try {
      const header = new HeaderIndex(source.info.header, { prefix: label, what: `the header of ${file}`, lookup: true });
      const keyAt = keyColumns.map((c) => header.resolve(c, `lookups.${name}.key`));
      const valueAt = wanted.map((c) => header.resolve(c, `lookups.${name} column`));
      for await (const rec of source.records) builder.add(rec, keyAt, valueAt);
    } finally {
      await source.close();
    }
  } catch (err) {
    throw asLookupError(err, load);
  }
  const columns = new Map(wanted.map((c, j) => [c, builder.values[j]] as const));
  return { table: { name, file, keyColumns, index: builder.index, columns }, warnings: builder.warnings(label) };
}

/** A source stage error while reading a lookup → a LookupError naming the table (other errors as they are). */
function asLookupError(err: unknown, load: LookupLoad): unknown {
  if (err instanceof LookupError || !isWolkvoxImportError(err)) return err;
  const missing = err.context.osCode === 'ENOENT' && load.missingHint ? ` (${load.missingHint})` : '';
  const encodingHint = /encoding|UTF-8/i.test(err.message) && load.def.encoding === undefined ? '; set "encoding" on the lookup if it is not detected right' : '';
  return new LookupError(`lookup "${load.name}": ${err.message}${missing}${encodingHint}`, { file: load.file, lookup: load.name });
}

/** The table being read: key → row, the kept columns, and what was left out. */
class TableBuilder {
  readonly index = new Map<string, number>();
  readonly values: string[][];
  private conflicts = 0;
  private firstConflict = '';
  private malformed = 0;
  private firstMalformed = '';

  constructor(
    private readonly keyColumns: readonly string[],
    columnCount: number,
  ) {
    this.values = Array.from({ length: columnCount }, () => [] as string[]);
  }

  add(rec: SourceRecord, keyAt: readonly number[], valueAt: readonly number[]): void {
    if (rec.problem !== undefined) {
      if (this.malformed++ === 0) this.firstMalformed = `line ${rec.line}: ${rec.problem}`;
      return;
    }
    const v = rec.values;
    const key = keyAt.length === 1 ? v[keyAt[0]].trim() : keyAt.map((i) => v[i].trim()).join(KEY_SEPARATOR);
    if (key === '' || key === KEY_SEPARATOR.repeat(keyAt.length - 1)) return;
    const seen = this.index.get(key);
    if (seen === undefined) {
      this.index.set(key, this.index.size);
      valueAt.forEach((c, j) => this.values[j].push(v[c]));
    } else if (valueAt.some((c, j) => this.values[j][seen] !== v[c]) && this.conflicts++ === 0) {
      this.firstConflict = `${this.keyColumns.join('+')} ${key.split(KEY_SEPARATOR).join(' ')} again on line ${rec.line}`;
    }
  }

  warnings(label: string): string[] {
    const out: string[] = [];
    if (this.conflicts > 0) out.push(`${label}: ${this.conflicts} key(s) occur more than once with different values (first: ${this.firstConflict}); the first row of each is used`);
    if (this.malformed > 0) out.push(`${label}: ${this.malformed} malformed row(s) left out (first: ${this.firstMalformed})`);
    return out;
  }
}
