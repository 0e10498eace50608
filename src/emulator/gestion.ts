/** Parsing and checking an insertGestion body: `{"operation": "...", "fields": {...}}`. */

export interface GestionBody {
  operation: string;
  fields: Record<string, unknown>;
}

/** Each inner list holds the spellings the API accepts for one mandatory field (docs/api.md). */
const MANDATORY_FIELDS: readonly (readonly string[])[] = [
  ['tipifycation_code', 'tipification_code'],
  ['tipifycation_desc', 'tipification_desc', 'tipification_description'],
  ['module'],
  ['wolkvox_idRecord'],
];

function present(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  return true;
}

/** The body when it is JSON with an operation and every mandatory field; otherwise undefined (400). */
export function parseGestion(text: string): GestionBody | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { operation, fields } = body as { operation?: unknown; fields?: unknown };
  if (typeof operation !== 'string' || operation.trim() === '') return undefined;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return undefined;
  const f = fields as Record<string, unknown>;
  for (const spellings of MANDATORY_FIELDS) {
    if (!spellings.some((name) => present(f[name]))) return undefined;
  }
  // `module` is always "collections" for this API: anything else is refused like a missing field.
  if (String(f.module).trim().toLowerCase() !== 'collections') return undefined;
  return { operation, fields: f };
}
