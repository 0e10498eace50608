/** Emulator options, checked and normalised once into a read-only object with every default. */
import { ConfigError } from '../errors.ts';
import { validateFaultRules } from './fault-rules.ts';
import { MAX_RECORDS } from './records.ts';
import type { EmulatorOptions, FaultRule } from './types.ts';

export interface NormalizedOptions {
  readonly host: string;
  readonly port: number;
  /** null = any non-empty token is accepted. */
  readonly tokens: ReadonlySet<string> | null;
  readonly quota: number;
  readonly maxInflight: number;
  readonly latencyMin: number;
  readonly latencyMax: number;
  readonly seed: number;
  readonly faults: readonly FaultRule[];
  readonly tokenFrom: 'header' | 'body' | 'either';
  readonly tokenInfoGet: boolean;
  readonly notFound: 'empty' | '404';
  /** How many collections records exist. */
  readonly records: number;
}

const DEFAULTS = { host: '127.0.0.1', port: 0, quota: 100_000, maxInflight: 2, latencyMs: 0, seed: 1 } as const;

/** `value` checked against [min, max], or `fallback` when not given. */
export function integer(name: string, value: number | undefined, fallback: number, [min, max]: readonly [number, number?]): number {
  if (value === undefined) return fallback;
  max ??= Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`emulator option ${name}: expected an integer from ${min} to ${max}, got ${String(value)}`, { field: name });
  }
  return value;
}

/** `value` when it is one of `choices`, `fallback` when not given. */
export function oneOf<T extends string>(name: string, value: T | undefined, choices: readonly T[]): T {
  if (value === undefined) return choices[0]!;
  if (!choices.includes(value)) throw new ConfigError(`emulator option ${name}: expected one of ${choices.join(', ')}, got ${JSON.stringify(value)}`, { field: name });
  return value;
}

export function latency(value: EmulatorOptions['latencyMs'], name = 'latencyMs'): [number, number] {
  if (value === undefined) return [DEFAULTS.latencyMs, DEFAULTS.latencyMs];
  const [min, max] = typeof value === 'number' ? [value, value] : [value.min, value.max];
  if (!Number.isFinite(min) || !Number.isFinite(max) || min < 0 || max < min) {
    throw new ConfigError(
      `emulator option ${name}: expected milliseconds >= 0 or { min, max } with 0 <= min <= max, got ${JSON.stringify(value)}`,
      { field: name },
    );
  }
  return [min, max];
}

export function normalizeOptions(opts: EmulatorOptions = {}): NormalizedOptions {
  const tokens = opts.tokens?.filter((t) => t !== '');
  const [latencyMin, latencyMax] = latency(opts.latencyMs);
  return Object.freeze({
    host: opts.host ?? DEFAULTS.host,
    port: integer('port', opts.port, DEFAULTS.port, [0, 65535]),
    tokens: tokens === undefined || tokens.length === 0 ? null : new Set(tokens),
    quota: integer('quota', opts.quota, DEFAULTS.quota, [0]),
    maxInflight: integer('maxInflight', opts.maxInflight, DEFAULTS.maxInflight, [1]),
    latencyMin,
    latencyMax,
    seed: integer('seed', opts.seed, DEFAULTS.seed, [0, 0xffffffff]),
    faults: validateFaultRules(opts.faults ?? []),
    tokenFrom: oneOf('tokenFrom', opts.tokenFrom, ['header', 'body', 'either'] as const),
    tokenInfoGet: opts.tokenInfoGet === true,
    notFound: oneOf('notFound', opts.notFound, ['empty', '404'] as const),
    records: integer('records', opts.records, 1000, [1, MAX_RECORDS]),
  });
}
