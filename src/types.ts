/** Shared shapes that travel between pipeline stages. */

/** The statuses of the result CSV's `status` column (public contract, docs/architecture.md "Row statuses"). */
export const STATUSES = ['ok', 'invalid', 'skipped', 'duplicate', 'failed', 'uncertain', 'pending'] as const;
export type RowStatus = (typeof STATUSES)[number];

/**
 * Statuses a resume never sends again: the row is done (or, for `uncertain`, may have been inserted
 * and waits for reconciliation or --retry-uncertain). The one definition the planner, the plan
 * count (`check --input`) and the store share.
 */
export const SETTLED_STATUSES: readonly RowStatus[] = ['ok', 'invalid', 'skipped', 'duplicate', 'uncertain'];

/** One data record of the input file, as the source stage yields it. */
export interface SourceRecord {
  /** Data record number, 1 = first record after the header. */
  row: number;
  /** Physical line (1-based) where the record starts, for messages. */
  line: number;
  /** Field values in header order (always strings; missing trailing fields are ''). */
  values: string[];
  /** When the parser could read the record but it is malformed (e.g. wrong field count). */
  problem?: string;
}

/** The API's `fields` object: every value a string. */
export type ApiFields = Record<string, string>;

/** What the transform stage makes of a record. */
export type TransformResult =
  | { kind: 'send'; fields: ApiFields; dedupeKey?: string }
  | { kind: 'invalid'; error: string }
  | { kind: 'skipped'; error: string }
  /** A CRM lookup the row needs was not answered yet (src/transform/crm.ts): the row waits, a resume sends it. */
  | { kind: 'pending'; error: string };

/** The final outcome of one row, as stored and rendered. */
export interface RowOutcome {
  row: number;
  status: RowStatus;
  wolkvoxId?: string;
  /** Stable code + readable message, e.g. `API_400: SOME PARAMETERS ARE REQUIRED`. Empty when ok. */
  error?: string;
  attempts: number;
  httpStatus?: number;
  /** Id of the classification rule (src/sink/classify.ts RULES) that decided the last answer, if any. */
  rule?: string;
}
