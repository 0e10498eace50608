/**
 * A small counter-based PRNG: mulberry32's mixing function applied to a state derived from
 * (seed, stream, index). Drawing by request number instead of from one shared sequence keeps a
 * `rate` fault reproducible even when concurrent requests are evaluated in a different order.
 */
export function randomAt(seed: number, stream: number, index: number): number {
  let t = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  t = mix(t);
  t = mix((t ^ Math.imul(index, 0x85ebca77)) >>> 0);
  return t / 4294967296;
}

/** One round of mulberry32: advance by its constant, then scramble. Returns an unsigned 32-bit integer. */
function mix(state: number): number {
  let t = (state + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** Streams other than rule indexes (which are 0, 1, 2...). */
export const LATENCY_STREAM = -2;
