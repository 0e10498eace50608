/**
 * Row validation. gestionSchema (fields.ts, zod) is the source of truth; checkValue is its
 * compiled copy for the hot path (a zod parse per row costs more than the rest of the row),
 * and test/transform/validate.test.ts keeps the two in agreement.
 */
import { CONTROL_CHAR, MAX_VALUE_LENGTH, REASON, gestionSchema } from './fields.ts';

/** Why a non-empty value may not be sent, or undefined. */
export function checkValue(v: string): string | undefined {
  if (v.length > MAX_VALUE_LENGTH) return `${REASON.tooLong} (${v.length})`;
  const m = CONTROL_CHAR.exec(v);
  if (m) return `${REASON.control} (U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at character ${m.index + 1})`;
  return undefined;
}

/** Every problem of a finished `fields` object according to the zod schema: `field: reason`. */
export function gestionProblems(fields: Record<string, unknown>): string[] {
  const r = gestionSchema.safeParse(fields, {
    error: (iss) => (iss.code === 'invalid_type' && iss.input === undefined ? REASON.required : undefined),
  });
  if (r.success) return [];
  return r.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
}
