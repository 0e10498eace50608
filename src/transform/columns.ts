/**
 * Column names of a mapping → indexes into a header, resolved once at compile time.
 * Exact name first, then the normal form (case, accents, surrounding spaces ignored); `#5` is the
 * 5th column (1-based) for blank or repeated header names, unless a column is literally named so.
 * For the input header every missing column is gathered and reported at once (throwMissing).
 */
import { LookupError, MappingError, type WolkvoxImportError } from '../errors.ts';
import { closest, normalizeName, quoteList } from './similar.ts';

export interface HeaderIndexOptions {
  /** Message prefix naming the mapping (`mapping.json`) or the lookup table. */
  prefix: string;
  /** How the header is named in messages (`the input header`). */
  what: string;
  /**
   * A lookup file's header: its problems are LookupErrors and they name no header cell but the
   * ones the mapping asked for (a lookup path may name any file, e.g. /etc/shadow, whose first
   * line must not end up in a message or a log). Default: the input header, MappingErrors that
   * suggest the closest header names.
   */
  lookup?: boolean;
}

export class HeaderIndex {
  readonly header: readonly string[];
  private readonly normal: string[];
  /** Indexes some rule or field reads (for the duplicate-header warning). */
  readonly used = new Set<number>();
  private readonly prefix: string;
  private readonly what: string;
  private readonly lookup: boolean;
  /** Missing columns of the input header, reported together by throwMissing(). */
  private readonly missing: { message: string; column: string }[] = [];

  constructor(header: readonly string[], opts: HeaderIndexOptions) {
    this.header = header;
    this.normal = header.map(normalizeName);
    this.prefix = opts.prefix;
    this.what = opts.what;
    this.lookup = opts.lookup === true;
  }

  private fail(message: string, column: string): WolkvoxImportError {
    return this.lookup ? new LookupError(message, { column }) : new MappingError(message, { column });
  }

  /** Index of `name` in the header; `where` is the mapping path shown in errors (`fields.date.column`). */
  resolve(name: string, where: string): number {
    const at = `${this.prefix}: ${where}: column ${JSON.stringify(name)}`;
    const exact = positions(this.header, name);
    if (exact.length === 1) return this.use(exact[0]);
    if (exact.length > 1) throw this.fail(`${at} occurs ${exact.length} times in ${this.what} (positions ${list(exact)}); rename the duplicates`, name);
    const position = /^#(\d+)$/.exec(name.trim());
    if (position) return this.byPosition(Number(position[1]), at, name);
    const loose = positions(this.normal, normalizeName(name));
    if (loose.length === 1) return this.use(loose[0]);
    if (loose.length > 1) {
      const found = this.lookup ? `positions ${list(loose)}` : loose.map((i) => `${JSON.stringify(this.header[i])} (position ${i + 1})`).join(', ');
      throw this.fail(`${at} matches several columns of ${this.what} when case and accents are ignored: ${found}; write the exact name`, name);
    }
    return this.miss(`${at} is not in ${this.what}${this.missingHint(name)}`, name);
  }

  /** `#n`: the n-th column (1-based). */
  private byPosition(n: number, at: string, name: string): number {
    if (n >= 1 && n <= this.header.length) return this.use(n - 1);
    return this.miss(`${at}: ${this.what} has ${this.header.length} column(s), so there is no column ${n}`, name);
  }

  /** A lookup's missing column throws at once; the input's is gathered (-1 is never read: compile throws first). */
  private miss(message: string, column: string): number {
    if (this.lookup) throw this.fail(message, column);
    this.missing.push({ message, column });
    return -1;
  }

  /** Throws one MappingError naming every missing column of the input header, if any. */
  throwMissing(): void {
    if (this.missing.length === 0) return;
    const first = this.missing[0] as { message: string; column: string };
    if (this.missing.length === 1) throw this.fail(first.message, first.column);
    const items = this.missing.map(({ message: m }) => (m.startsWith(`${this.prefix}: `) ? m.slice(this.prefix.length + 2) : m));
    throw this.fail(`${this.prefix}: ${this.missing.length} columns the mapping names are not in ${this.what}:\n  - ${items.join('\n  - ')}`, this.missing.map((m) => m.column).join(', '));
  }

  /** After "is not in the header": the closest names (input), or only how many columns there are (lookup). */
  private missingHint(name: string): string {
    const named = this.header.filter((h) => h.trim() !== '');
    if (named.length === 0) return ' (the header is empty)';
    if (this.lookup) return ` (none of the ${this.header.length} column(s) of its first line has that name, even ignoring case and accents: is it the right file, with a header line?)`;
    return `; closest header names: ${quoteList(closest(name, named, 3))}`;
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
