/** Checking fault rules that come from code, the CLI or the admin endpoint (untrusted JSON). */
import { ConfigError } from '../errors.ts';
import { FAULT_KINDS, type FaultKind, type FaultRule } from './types.ts';

function fail(where: string, expected: string, got: unknown): never {
  throw new ConfigError(`${where}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}`, { field: where });
}

function integerAtLeast(where: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) fail(where, `an integer >= ${min}`, value);
  return value;
}

/** Checks one optional key's value (given, not undefined) and returns it; `where` names it in errors. */
type KeyCheck = (value: unknown, where: string) => unknown;

const atLeast = (min: number): KeyCheck => (value, where) => integerAtLeast(where, value, min);

/** Every key a rule may have except `fault`, with its check. */
const CHECKS: Readonly<Record<Exclude<keyof FaultRule, 'fault'>, KeyCheck>> = {
  requests: (value, where) => {
    if (!Array.isArray(value)) fail(where, 'an array of request numbers (1-based)', value);
    return value.map((n, i) => integerAtLeast(`${where}[${i}]`, n, 1));
  },
  fromRequest: atLeast(1),
  toRequest: atLeast(1),
  times: atLeast(0),
  forMs: atLeast(0),
  rate: (value, where) => {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) fail(where, 'a probability from 0 to 1', value);
    return value;
  },
  whenField: (value, where) => {
    const w = value as Record<string, unknown> | null;
    if (typeof w !== 'object' || w === null || typeof w.name !== 'string' || typeof w.equals !== 'string') {
      fail(where, '{"name": "<field>", "equals": "<string>"}', value);
    }
    return { name: w.name, equals: w.equals };
  },
  retryAfter: (value, where) => {
    const ok = (typeof value === 'number' && Number.isInteger(value) && value >= 0) || (typeof value === 'string' && value.trim() !== '');
    if (!ok) fail(where, 'whole seconds >= 0 or an HTTP date', value);
    return value;
  },
};

const KEYS = ['fault', ...Object.keys(CHECKS)];

/** Where a key of the rule at `where` is: `faults[2].rate`, or just `rate` when where is ''. */
function at(where: string, key: string): string {
  return where === '' ? key : `${where}.${key}`;
}

/** Returns a frozen copy of one rule, or throws a ConfigError naming the first wrong value. */
export function validateFaultRule(raw: unknown, where = 'fault rule'): FaultRule {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    fail(where || 'fault rule', 'an object such as {"fault": "503", "rate": 0.05}', raw);
  }
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!KEYS.includes(key)) fail(at(where, key), `one of the keys ${KEYS.join(', ')}`, key);
  }
  if (typeof r.fault !== 'string' || !FAULT_KINDS.includes(r.fault as FaultKind)) {
    fail(at(where, 'fault'), `one of ${FAULT_KINDS.join(', ')}`, r.fault);
  }
  const rule: Record<string, unknown> = { fault: r.fault };
  for (const [key, check] of Object.entries(CHECKS)) {
    if (r[key] !== undefined) rule[key] = check(r[key], at(where, key));
  }
  return Object.freeze(rule as unknown as FaultRule);
}

/** Returns frozen copies of the rules, or throws a ConfigError naming the first wrong value. */
export function validateFaultRules(value: unknown, where = 'faults'): FaultRule[] {
  if (!Array.isArray(value)) fail(where, 'an array of fault rules', value);
  return value.map((raw, i) => validateFaultRule(raw, `${where}[${i}]`));
}
