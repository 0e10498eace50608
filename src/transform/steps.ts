/**
 * Declarative transforms → compiled steps. Every step is pure and leaves an empty value empty
 * (so `default` and the required check decide about it), except `map` with a "" key.
 */
import { InternalError } from '../errors.ts';
import { compileDate } from './dates.ts';
import { Failure, showValue, type Step } from './failure.ts';
import { compileUserRegex } from './regex.ts';
import type { TransformSpec } from './schema.ts';

const NON_DIGITS = /\D+/g;
const HMS = /^(\d+):([0-5]?\d):([0-5]?\d)$/;
const SECONDS = /^\d+(?:\.\d+)?$/;

const trim: Step = (v) => v.trim();
const upper: Step = (v) => v.toUpperCase();
const lower: Step = (v) => v.toLowerCase();
const digits: Step = (v) => v.replace(NON_DIGITS, '');

/** Compiles one transform of a field (already validated by the mapping schema). */
export function compileStep(spec: TransformSpec): Step {
  if (typeof spec === 'string') {
    switch (spec) {
      case 'trim':
        return trim;
      case 'upper':
        return upper;
      case 'lower':
        return lower;
      case 'digits':
        return digits;
    }
  }
  if (spec.replace) {
    const { pattern, with: replacement, flags = 'g' } = spec.replace;
    const re = compileUserRegex(pattern, flags);
    if (typeof re === 'string') throw new InternalError(re); // unreachable: the schema checked it
    return (v) => (v === '' ? v : re.replace(v, replacement));
  }
  if (spec.date) return compileDate(spec.date);
  if (spec.duration) return compileDuration(spec.duration.from, spec.duration.to);
  if (spec.map) return compileMap(spec.map.table, spec.map.default, spec.map.ignoreCase === true);
  throw new InternalError(`unknown transform ${JSON.stringify(spec)}`); // unreachable: the schema checked it
}

/** Runs steps in order; the first Failure stops the chain. */
export function chain(steps: readonly Step[]): Step | undefined {
  if (steps.length === 0) return undefined;
  if (steps.length === 1) return steps[0];
  return (value) => {
    let v = value;
    for (let i = 0; i < steps.length; i++) {
      const r = steps[i](v);
      if (typeof r !== 'string') return r;
      v = r;
    }
    return v;
  };
}

type DurationUnit = 'hh:mm:ss' | 'seconds';

function compileDuration(from: DurationUnit, to: DurationUnit): Step {
  const read = from === 'seconds' ? readSeconds : readHms;
  const write = to === 'seconds' ? String : writeHms;
  return (v) => {
    if (v === '') return v;
    const seconds = read(v);
    if (seconds === undefined) return new Failure(`${showValue(v)} is not a duration in ${from === 'seconds' ? 'seconds' : 'h:mm:ss'}`);
    return write(seconds);
  };
}

function readHms(v: string): number | undefined {
  const m = HMS.exec(v);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}

function readSeconds(v: string): number | undefined {
  return SECONDS.test(v) ? Math.round(Number(v)) : undefined;
}

function writeHms(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

function compileMap(table: Record<string, string>, fallback: string | undefined, ignoreCase: boolean): Step {
  const exact = new Map(Object.entries(table));
  const folded = ignoreCase ? new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v])) : undefined;
  const hasEmpty = exact.has('');
  return (v) => {
    if (v === '' && !hasEmpty) return v;
    const hit = exact.get(v) ?? folded?.get(v.toLowerCase());
    if (hit !== undefined) return hit;
    if (fallback !== undefined) return fallback;
    return new Failure(`${showValue(v)} is not in the map table`);
  };
}
