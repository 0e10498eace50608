/**
 * The CLI's compact fault form: KIND[@key=value,key=value...], e.g. `503@rate=0.05`,
 * `reset-after@requests=3,7`, `quota@from=100`, `429@rate=0.1,retryAfter=2`,
 * `maintenance@from=10,to=20`, `maintenance@from=5,for=2000`, `503@field=customer_id:42`.
 * A piece without '=' continues the previous key's value (the list of `requests`, or an HTTP
 * date with a comma in `retryAfter`).
 */
import { UsageError, isWolkvoxImportError } from '../errors.ts';
import { validateFaultRule } from './fault-rules.ts';
import { FAULT_KINDS, type FaultKind, type FaultRule } from './types.ts';

const FAULT_SPEC_FORM =
  'KIND[@key=value,...] such as 503@rate=0.05, reset-after@requests=3,7, quota@from=100, ' +
  '429@rate=0.1,retryAfter=2, maintenance@from=10,to=20 or maintenance@from=5,for=2000';

const KEY_HELP =
  'requests=N,N..., from=N, to=N, rate=0..1, times=N, retryAfter=SECONDS|HTTP-DATE, field=NAME:VALUE, for=MS';

type Setter = (rule: FaultRule, values: string[], bad: (expected: string) => never) => void;

function num(values: string[], bad: (expected: string) => never, expected: string): number {
  const text = values.join(',').trim();
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) bad(expected);
  return n;
}

const SETTERS: Record<string, Setter> = {
  requests: (r, v, bad) => {
    r.requests = v.map((s) => num([s], bad, 'request numbers such as requests=3,7'));
  },
  from: (r, v, bad) => {
    r.fromRequest = num(v, bad, 'a request number such as from=100');
  },
  to: (r, v, bad) => {
    r.toRequest = num(v, bad, 'a request number such as to=20');
  },
  rate: (r, v, bad) => {
    r.rate = num(v, bad, 'a probability such as rate=0.05');
  },
  times: (r, v, bad) => {
    r.times = num(v, bad, 'a count such as times=3');
  },
  retryAfter: (r, v) => {
    const text = v.join(',').trim();
    r.retryAfter = /^\d+$/.test(text) ? Number(text) : text;
  },
  field: (r, v, bad) => {
    const text = v.join(',').trim();
    const colon = text.indexOf(':');
    if (colon <= 0) bad('NAME:VALUE such as field=customer_id:42');
    r.whenField = { name: text.slice(0, colon), equals: text.slice(colon + 1) };
  },
  for: (r, v, bad) => {
    r.forMs = num(v, bad, 'milliseconds such as for=2000');
  },
};
const ALIASES: Record<string, string> = { fromRequest: 'from', toRequest: 'to', 'retry-after': 'retryAfter', forMs: 'for' };

/** Parses one --fault value into a checked FaultRule, or throws a UsageError naming the expected form. */
export function parseFaultSpec(spec: string): FaultRule {
  const fail = (problem: string): never => {
    throw new UsageError(`--fault "${spec}": ${problem}; expected ${FAULT_SPEC_FORM}`, { field: 'fault' });
  };
  const at = spec.indexOf('@');
  const kind = (at < 0 ? spec : spec.slice(0, at)).trim();
  if (!FAULT_KINDS.includes(kind as FaultKind)) fail(`unknown fault kind "${kind}" (kinds: ${FAULT_KINDS.join(', ')})`);
  const rule: FaultRule = { fault: kind as FaultKind };
  if (at >= 0) {
    const conditions: [string, string[]][] = [];
    for (const piece of spec.slice(at + 1).split(',')) {
      const eq = piece.indexOf('=');
      if (eq >= 0) conditions.push([piece.slice(0, eq).trim(), [piece.slice(eq + 1)]]);
      else if (conditions.length > 0) conditions[conditions.length - 1]![1].push(piece);
      else fail(`"${piece}" is not key=value (keys: ${KEY_HELP})`);
    }
    for (const [rawKey, values] of conditions) {
      const key = Object.hasOwn(ALIASES, rawKey) ? ALIASES[rawKey]! : rawKey;
      const setter = Object.hasOwn(SETTERS, key) ? SETTERS[key] : undefined;
      if (setter === undefined) return fail(`unknown key "${rawKey}" (keys: ${KEY_HELP})`);
      setter(rule, values, (expected) => fail(`${rawKey}: expected ${expected}, got "${values.join(',')}"`));
    }
  }
  try {
    return validateFaultRule(rule, '');
  } catch (err) {
    if (isWolkvoxImportError(err)) fail(err.message);
    throw err;
  }
}
