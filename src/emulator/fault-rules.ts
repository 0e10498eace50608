/** Checking fault rules that come from code, the CLI or the admin endpoint (untrusted JSON). */
import { ConfigError } from '../errors.ts';
import { FAULT_KINDS, type FaultKind, type FaultRule } from './types.ts';

const KEYS = new Set(['fault', 'requests', 'fromRequest', 'toRequest', 'rate', 'whenField', 'times', 'retryAfter', 'forMs']);

function fail(where: string, expected: string, got: unknown): never {
  throw new ConfigError(`${where}: expected ${expected}, got ${JSON.stringify(got) ?? String(got)}`, { field: where });
}

function integerAtLeast(where: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) fail(where, `an integer >= ${min}`, value);
  return value;
}

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
    if (!KEYS.has(key)) fail(at(where, key), `one of the keys ${[...KEYS].join(', ')}`, key);
  }
  if (typeof r.fault !== 'string' || !FAULT_KINDS.includes(r.fault as FaultKind)) {
    fail(at(where, 'fault'), `one of ${FAULT_KINDS.join(', ')}`, r.fault);
  }
  const rule: FaultRule = { fault: r.fault as FaultKind };
  if (r.requests !== undefined) {
    if (!Array.isArray(r.requests)) fail(at(where, 'requests'), 'an array of request numbers (1-based)', r.requests);
    rule.requests = r.requests.map((n, i) => integerAtLeast(at(where, 'requests') + `[${i}]`, n, 1));
  }
  if (r.fromRequest !== undefined) rule.fromRequest = integerAtLeast(at(where, 'fromRequest'), r.fromRequest, 1);
  if (r.toRequest !== undefined) rule.toRequest = integerAtLeast(at(where, 'toRequest'), r.toRequest, 1);
  if (r.times !== undefined) rule.times = integerAtLeast(at(where, 'times'), r.times, 0);
  if (r.forMs !== undefined) rule.forMs = integerAtLeast(at(where, 'forMs'), r.forMs, 0);
  if (r.rate !== undefined) {
    if (typeof r.rate !== 'number' || !(r.rate >= 0 && r.rate <= 1)) fail(at(where, 'rate'), 'a probability from 0 to 1', r.rate);
    rule.rate = r.rate;
  }
  if (r.whenField !== undefined) {
    const w = r.whenField as Record<string, unknown> | null;
    if (typeof w !== 'object' || w === null || typeof w.name !== 'string' || typeof w.equals !== 'string') {
      fail(at(where, 'whenField'), '{"name": "<field>", "equals": "<string>"}', r.whenField);
    }
    rule.whenField = { name: w.name, equals: w.equals };
  }
  if (r.retryAfter !== undefined) {
    const ok = (typeof r.retryAfter === 'number' && Number.isInteger(r.retryAfter) && r.retryAfter >= 0) ||
      (typeof r.retryAfter === 'string' && r.retryAfter.trim() !== '');
    if (!ok) fail(at(where, 'retryAfter'), 'whole seconds >= 0 or an HTTP date', r.retryAfter);
    rule.retryAfter = r.retryAfter as number | string;
  }
  return Object.freeze(rule);
}

/** Returns frozen copies of the rules, or throws a ConfigError naming the first wrong value. */
export function validateFaultRules(value: unknown, where = 'faults'): FaultRule[] {
  if (!Array.isArray(value)) fail(where, 'an array of fault rules', value);
  return value.map((raw, i) => validateFaultRule(raw, `${where}[${i}]`));
}
