/** What a per-value step returns: the new value, or a Failure naming the reason (never thrown). */
export class Failure {
  constructor(readonly reason: string) {}
}

export type StepResult = string | Failure;

/** One compiled transform: pure, called once per value on the hot path. */
export type Step = (value: string) => StepResult;

/** A value shown in a reason: quoted, cut at 60 characters. */
export function showValue(v: string): string {
  return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
}
