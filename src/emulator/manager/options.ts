/** The Manager side's options, checked once; and the options of its request context (token, quota, faults...). */
import { ConfigError } from '../../errors.ts';
import { validateFaultRules } from '../fault-rules.ts';
import { integer, latency, oneOf, type NormalizedOptions } from '../options.ts';
import type { ManagerOptions } from '../types.ts';

export interface ManagerConfig {
  readonly token: string;
  readonly callsPerDay: number;
  readonly cap: number;
  readonly writeLagMs: number;
  readonly dateEnd: 'inclusive' | 'exclusive';
  readonly now: () => number;
}

const MANAGER_DEFAULTS = { token: 'manager-token', quota: 10_000, maxInflight: 2, callsPerDay: 3000, cap: 60_000 } as const;
const MAX_CALLS_PER_DAY = 5_000_000;
const DAY_MS = 86_400_000;

function token(value: string | undefined): string {
  if (value === undefined) return MANAGER_DEFAULTS.token;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`emulator option manager.token: expected a non-empty string, got ${JSON.stringify(value)}`, { field: 'manager.token' });
  }
  return value;
}

function clock(value: ManagerOptions['now']): () => number {
  if (value === undefined) return Date.now;
  if (typeof value !== 'function') throw new ConfigError('emulator option manager.now: expected a function returning epoch milliseconds', { field: 'manager.now' });
  return value;
}

/** The Manager side's own settings. */
export function managerConfig(m: ManagerOptions = {}): ManagerConfig {
  return Object.freeze({
    token: token(m.token),
    callsPerDay: integer('manager.callsPerDay', m.callsPerDay, MANAGER_DEFAULTS.callsPerDay, [1, MAX_CALLS_PER_DAY]),
    cap: integer('manager.cap', m.cap, MANAGER_DEFAULTS.cap, [1]),
    writeLagMs: integer('manager.writeLagMs', m.writeLagMs, 0, [0, 31 * DAY_MS]),
    dateEnd: oneOf('manager.dateEnd', m.dateEnd, ['inclusive', 'exclusive'] as const),
    now: clock(m.now),
  });
}

/** The options the shared request machinery (gate, Call, faults, latency) reads, for the Manager token. */
export function managerContextOptions(base: NormalizedOptions, m: ManagerOptions = {}): NormalizedOptions {
  const [latencyMin, latencyMax] = latency(m.latencyMs, 'manager.latencyMs');
  return Object.freeze({
    ...base,
    tokens: new Set([token(m.token)]),
    quota: integer('manager.quota', m.quota, MANAGER_DEFAULTS.quota, [0]),
    maxInflight: integer('manager.maxInflight', m.maxInflight, MANAGER_DEFAULTS.maxInflight, [1]),
    latencyMin,
    latencyMax,
    seed: integer('manager.seed', m.seed, base.seed, [0, 0xffffffff]),
    faults: validateFaultRules(m.faults ?? [], 'manager.faults'),
    tokenFrom: 'header' as const,
  });
}
