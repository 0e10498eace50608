/**
 * The fault engine: which scripted rule (if any) answers an insert request, and what each fault
 * kind does (as data). Rules are tried in order; the first that matches wins.
 */
import { MSG } from './messages.ts';
import { randomAt } from './prng.ts';
import type { FaultKind, FaultRule } from './types.ts';

/** What a fault kind does. `immediate` answers skip the latency (they imitate a check). */
export interface FaultEffect {
  /** 'answer' writes status + body; 'reset' destroys the socket; 'hang' does nothing. */
  action: 'answer' | 'reset' | 'hang';
  /** Commit the insert before acting. */
  commit: boolean;
  immediate: boolean;
  status?: number;
  message?: string;
  /** 'envelope' (the API's JSON), 'proxy' (nginx HTML) or 'garbage' (a 200 that is not JSON). */
  body?: 'envelope' | 'proxy' | 'garbage';
}

export const FAULT_EFFECTS: Readonly<Record<FaultKind, FaultEffect>> = {
  '503': { action: 'answer', commit: false, immediate: false, status: 503, message: MSG.unavailable, body: 'envelope' },
  '429': { action: 'answer', commit: false, immediate: true, status: 429, message: 'TOO MANY REQUESTS', body: 'envelope' },
  concurrency: { action: 'answer', commit: false, immediate: true, status: 403, message: MSG.concurrency, body: 'envelope' },
  maintenance: { action: 'answer', commit: false, immediate: true, status: 403, message: MSG.maintenance, body: 'envelope' },
  unknown403: { action: 'answer', commit: false, immediate: true, status: 403, message: MSG.forbidden, body: 'envelope' },
  quota: { action: 'answer', commit: false, immediate: true, status: 403, message: MSG.quota, body: 'envelope' },
  'fatal-token': { action: 'answer', commit: false, immediate: true, status: 403, message: MSG.badToken, body: 'envelope' },
  '502': { action: 'answer', commit: false, immediate: false, status: 502, message: 'Bad Gateway', body: 'proxy' },
  '504': { action: 'answer', commit: false, immediate: false, status: 504, message: 'Gateway Time-out', body: 'proxy' },
  '500-after': { action: 'answer', commit: true, immediate: false, status: 500, message: MSG.internal, body: 'envelope' },
  'garbage-200': { action: 'answer', commit: true, immediate: false, status: 200, body: 'garbage' },
  'reset-before': { action: 'reset', commit: false, immediate: false },
  'reset-after': { action: 'reset', commit: true, immediate: false },
  hang: { action: 'hang', commit: false, immediate: true },
  params: { action: 'answer', commit: false, immediate: true, status: 400, message: MSG.params, body: 'envelope' },
};

interface RuleState {
  rule: FaultRule;
  requests: ReadonlySet<number> | undefined;
  applied: number;
  /** End of the forMs window (performance.now() ms) once opened. */
  windowEnd: number | undefined;
}

export class FaultEngine {
  private rules: RuleState[] = [];
  private readonly seed: number;

  constructor(seed: number, rules: readonly FaultRule[]) {
    this.seed = seed;
    this.set(rules);
  }

  /** Replaces the rules; `times` counts and windows start afresh. Rules must be validated already. */
  set(rules: readonly FaultRule[]): void {
    this.rules = rules.map((rule) => ({
      rule,
      requests: rule.requests === undefined ? undefined : new Set(rule.requests),
      applied: 0,
      windowEnd: undefined,
    }));
  }

  /** The rule answering insert request `requestNo` (with the request's fields), or undefined. */
  match(requestNo: number, fields: Record<string, unknown>): FaultRule | undefined {
    const rules = this.rules;
    for (let i = 0; i < rules.length; i++) {
      const s = rules[i]!;
      if (s.windowEnd !== undefined) {
        if (performance.now() < s.windowEnd) return s.rule;
        continue; // the window is over: the rule is spent
      }
      if (!this.applies(s, i, requestNo, fields)) continue;
      s.applied++;
      if (s.rule.forMs !== undefined) s.windowEnd = performance.now() + s.rule.forMs;
      return s.rule;
    }
    return undefined;
  }

  /** Whether rule number `i` (not in a window) takes request `requestNo`: every condition holds. */
  private applies(s: RuleState, i: number, requestNo: number, fields: Record<string, unknown>): boolean {
    const r = s.rule;
    return (r.times === undefined || s.applied < r.times) &&
      (s.requests === undefined || s.requests.has(requestNo)) &&
      (r.fromRequest === undefined || requestNo >= r.fromRequest) &&
      (r.toRequest === undefined || requestNo <= r.toRequest) &&
      (r.whenField === undefined || fields[r.whenField.name] === r.whenField.equals) &&
      (r.rate === undefined || randomAt(this.seed, i, requestNo) < r.rate);
  }

  /** A rule whose forMs window is open right now (it also answers tokenInformation calls). */
  openWindow(): FaultRule | undefined {
    for (const s of this.rules) {
      if (s.windowEnd !== undefined && performance.now() < s.windowEnd) return s.rule;
    }
    return undefined;
  }
}
