/** The per-value check of a row about to be sent: the API's limits on one value (api-fields.ts). */
import { CONTROL_CHAR, MAX_VALUE_LENGTH } from './api-fields.ts';

/** Why a non-empty value may not be sent, or undefined. */
export function checkValue(v: string): string | undefined {
  if (v.length > MAX_VALUE_LENGTH) return `longer than ${MAX_VALUE_LENGTH} characters (${v.length})`;
  const m = CONTROL_CHAR.exec(v);
  if (m) return `contains a control character (U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} at character ${m.index + 1})`;
  return undefined;
}
