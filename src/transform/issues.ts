/**
 * zod issues → `file: path.to.key: expected ..., got ...` lines. zod 4's default messages
 * ("Invalid input: expected string, received number") are replaced by a per-parse error map;
 * a union's issue is narrowed to the branch the input was meant for.
 */
import type * as z from 'zod';
import { didYouMean, quoteList } from './similar.ts';

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/** A value as shown after "got": strings quoted and cut, objects named. */
export function showInput(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  return String(v);
}

const ARTICLE: Record<string, string> = { object: 'an object', record: 'an object', array: 'an array', string: 'a string', number: 'a number', boolean: 'true or false' };

/** Per-parse error map: our wording for zod's built-in checks (custom errors still win). */
export function errorMap(iss: RawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return `missing; expected ${ARTICLE[iss.expected] ?? iss.expected}`;
      return `expected ${ARTICLE[iss.expected] ?? iss.expected}, got ${showInput(iss.input)}`;
    case 'invalid_value':
      return `expected ${quoteList(iss.values.map(String))}, got ${showInput(iss.input)}`;
    case 'unrecognized_keys': {
      const known = knownKeys(iss.inst);
      const hints = iss.keys.map((k) => {
        const near = didYouMean(k, known);
        return near.length ? `${JSON.stringify(k)} (did you mean ${quoteList(near)}?)` : JSON.stringify(k);
      });
      return `unknown key${iss.keys.length > 1 ? 's' : ''} ${hints.join(', ')}${known.length ? `; expected keys: ${known.join(', ')}` : ''}`;
    }
    case 'too_small':
      if (iss.origin === 'string' && Number(iss.minimum) === 1) return `expected a non-empty string, got ""`;
      if (iss.origin === 'array') return `expected at least ${iss.minimum} item(s), got ${(iss.input as unknown[]).length}`;
      return `expected at least ${iss.minimum}, got ${showInput(iss.input)}`;
    case 'too_big':
      if (iss.origin === 'string') return `expected at most ${iss.maximum} characters, got ${(iss.input as string).length}`;
      return `expected at most ${iss.maximum}, got ${showInput(iss.input)}`;
    default:
      return undefined;
  }
}

function knownKeys(inst: unknown): string[] {
  const shape = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

/** `fields.date.transforms[0].date.from` */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out || '(top level)';
}

/** Flattens issues into [path, message] pairs, descending into the union branch that fits. */
function flattenIssues(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): { path: PropertyKey[]; message: string }[] {
  const out: { path: PropertyKey[]; message: string }[] = [];
  for (const iss of issues) {
    const path = [...prefix, ...iss.path];
    if (iss.code === 'invalid_union' && iss.errors.length > 0) {
      const branch = meantBranch(iss.errors);
      if (branch) {
        out.push(...flattenIssues(branch, path));
        continue;
      }
    }
    out.push({ path, message: iss.message });
  }
  return out;
}

/**
 * The union branch the input was meant for: the only one that got past the input's type
 * (its issues lie deeper, or are refinements); else the only one not refused on type alone.
 */
function meantBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  const atRoot = (b: Issue, ...codes: string[]): boolean => b.path.length === 0 && codes.includes(b.code);
  const deep = branches.filter((br) => !br.every((b) => atRoot(b, 'invalid_type', 'invalid_value')));
  if (deep.length === 1) return deep[0];
  if (deep.length > 1) return undefined;
  const notType = branches.filter((br) => !br.some((b) => atRoot(b, 'invalid_type')));
  return notType.length === 1 ? notType[0] : undefined;
}

/** One line per problem: `file: path: message`. */
export function formatIssues(file: string, issues: readonly Issue[]): string {
  return flattenIssues(issues)
    .map((i) => `${file}: ${formatPath(i.path)}: ${i.message}`)
    .join('\n');
}
