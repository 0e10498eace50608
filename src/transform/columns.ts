/**
 * Column names of a mapping → indexes into a header, resolved once at compile time.
 * Exact name first, then the normal form (case, accents, surrounding spaces ignored).
 */
import { LookupError, MappingError, type WolkvoxImportError } from '../errors.ts';
import { closest, normalizeName, quoteList } from './similar.ts';

type ErrorFactory = (message: string, context: Record<string, unknown>) => WolkvoxImportError;

export const mappingErrors: ErrorFactory = (message, context) => new MappingError(message, context);
export const lookupErrors: ErrorFactory = (message, context) => new LookupError(message, context);

export class HeaderIndex {
  readonly header: readonly string[];
  private readonly normal: string[];
  /** Indexes some rule or field reads (for the duplicate-header warning). */
  readonly used = new Set<number>();

  /**
   * @param header the header row
   * @param prefix message prefix naming the mapping (`mapping.json`) or lookup file
   * @param what how the header is named in messages (`the input header`)
   */
  constructor(
    header: readonly string[],
    private readonly prefix: string,
    private readonly what: string,
    private readonly fail: ErrorFactory = mappingErrors,
  ) {
    this.header = header;
    this.normal = header.map(normalizeName);
  }

  /** Index of `name` in the header; `where` is the mapping path shown in errors (`fields.date.column`). */
  resolve(name: string, where: string): number {
    const exact = positions(this.header, name);
    if (exact.length === 1) return this.use(exact[0]);
    if (exact.length > 1) {
      throw this.fail(`${this.prefix}: ${where}: column ${JSON.stringify(name)} occurs ${exact.length} times in ${this.what} (positions ${list(exact)}); rename the duplicates`, {
        column: name,
      });
    }
    const loose = positions(this.normal, normalizeName(name));
    if (loose.length === 1) return this.use(loose[0]);
    if (loose.length > 1) {
      const found = loose.map((i) => `${JSON.stringify(this.header[i])} (position ${i + 1})`).join(', ');
      throw this.fail(`${this.prefix}: ${where}: column ${JSON.stringify(name)} matches several columns of ${this.what} when case and accents are ignored: ${found}; write the exact name`, {
        column: name,
      });
    }
    const named = this.header.filter((h) => h.trim() !== '');
    const near = closest(name, named, 3);
    throw this.fail(
      `${this.prefix}: ${where}: column ${JSON.stringify(name)} is not in ${this.what}${near.length ? `; closest header names: ${quoteList(near)}` : ' (the header is empty)'}`,
      { column: name },
    );
  }

  /** Header names that occur more than once and that nothing reads: worth a warning, not an error. */
  unusedDuplicates(): string[] {
    const seen = new Map<string, number[]>();
    this.normal.forEach((n, i) => {
      if (n === '') return;
      const at = seen.get(n);
      if (at) at.push(i);
      else seen.set(n, [i]);
    });
    const out: string[] = [];
    for (const at of seen.values()) {
      if (at.length < 2 || at.some((i) => this.used.has(i))) continue;
      out.push(`${this.what}: column ${JSON.stringify(this.header[at[0]])} occurs ${at.length} times (positions ${list(at)}); the mapping does not read it`);
    }
    return out;
  }

  private use(i: number): number {
    this.used.add(i);
    return i;
  }
}

function positions(names: readonly string[], name: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < names.length; i++) if (names[i] === name) out.push(i);
  return out;
}

function list(indexes: readonly number[]): string {
  const ones = indexes.map((i) => String(i + 1));
  return ones.length <= 2 ? ones.join(' and ') : `${ones.slice(0, -1).join(', ')} and ${ones[ones.length - 1]}`;
}
