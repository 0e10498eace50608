/**
 * The public shapes of the local wolkvox emulator (see docs/api.md for the
 * behaviour it imitates). Options are normalised once in options.ts; state lives in state.ts.
 */

/** What a scripted fault does to one insert request. */
export type FaultKind =
  | '503' // 503 SERVICE UNAVAILABLE, nothing committed
  | '429' // 429 with a Retry-After header (rule.retryAfter, default 1 s), nothing committed
  | 'concurrency' // 403 EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2), nothing committed
  | 'maintenance' // 403 API DISABLED FOR MAINTENANCE, nothing committed
  | 'unknown403' // 403 FORBIDDEN, nothing committed
  | 'reset-before' // the socket is destroyed, nothing committed
  | 'reset-after' // committed, then the socket is destroyed without an answer
  | '500-after' // committed, then 500 INTERNAL SERVER ERROR
  | '502' // 502 BAD GATEWAY, nothing committed
  | '504' // 504 GATEWAY TIMEOUT, nothing committed
  | 'garbage-200' // committed, then 200 with a body that is not the JSON envelope
  | 'hang' // never answered, never committed; the socket stays open until the client or close() ends it
  | 'quota' // 403 TOKEN LIMIT EXCEEDED, nothing committed
  | 'fatal-token' // 403 PLEASE VALIDATE TOKEN, nothing committed
  | 'params'; // 400 SOME PARAMETERS ARE REQUIRED (a row the CRM refuses), nothing committed

export const FAULT_KINDS: readonly FaultKind[] = [
  '503', '429', 'concurrency', 'maintenance', 'unknown403', 'reset-before', 'reset-after',
  '500-after', '502', '504', 'garbage-200', 'hang', 'quota', 'fatal-token', 'params',
];

/**
 * One scripted fault. Every condition given must hold (none given = every insert request);
 * rules are tried in order and the first that matches answers the request.
 */
export interface FaultRule {
  fault: FaultKind;
  /** 1-based insert request numbers (see InsertedGestion.requestNo) this rule hits. */
  requests?: number[];
  /** First insert request number this rule hits (inclusive). */
  fromRequest?: number;
  /** Last insert request number this rule hits (inclusive). */
  toRequest?: number;
  /** Probability 0..1, drawn from the seeded PRNG as a function of (seed, rule index, request number). */
  rate?: number;
  /** Hits only requests whose fields[name] === equals. */
  whenField?: { name: string; equals: string };
  /** Applies at most this many times in total (a forMs window counts as one). */
  times?: number;
  /** For '429': the Retry-After header, seconds or an HTTP date; default 1. */
  retryAfter?: number | string;
  /**
   * A time window: from the first time this rule matches, every insert request (and every
   * tokenInformation call) gets this fault for forMs milliseconds; afterwards the rule never
   * matches again. `{ fault: 'maintenance', fromRequest: 5, forMs: 2000 }` is a maintenance window.
   */
  forMs?: number;
}

export interface EmulatorOptions {
  /** Interface to listen on; default '127.0.0.1'. */
  host?: string;
  /** Port; default 0 (an ephemeral port, see Emulator.port). */
  port?: number;
  /** Accepted tokens; empty or undefined = any non-empty token is accepted. */
  tokens?: string[];
  /** Daily calls per token; default 100000. Every call with a valid token counts, refused ones too. */
  quota?: number;
  /** Simultaneous requests per token; default 2 (the documented wolkvox limit). */
  maxInflight?: number;
  /** Wait before answering an insert (fixed, or uniform in [min, max] from the seeded PRNG); default 0. */
  latencyMs?: number | { min: number; max: number };
  /** Scripted faults, first match wins; default none. */
  faults?: FaultRule[];
  /** Seed of the PRNG used by `rate` rules and latency ranges; default 1. */
  seed?: number;
  /**
   * Where the token is read: 'header' (default, the documented `Wolkvox-Token`), 'body' (only the
   * JSON body's `"wolkvox-token"`, as some public clients send it), or 'either'.
   */
  tokenFrom?: 'header' | 'body' | 'either';
  /** tokenInformation.php also accepts GET (the vendor's collection documents POST only); default false. */
  tokenInfoGet?: boolean;
  /** How queryGestion.php says "nothing found": 'empty' (200 with `data: []`, default) or '404' (404 NO RECORDS FOUND). */
  notFound?: 'empty' | '404';
}

/** One committed insert, as the emulator stored it. */
export interface InsertedGestion {
  wolkvoxId: string;
  operation: string;
  fields: Record<string, unknown>;
  token: string;
  /** The insert request number (1-based, counted over insert calls with a valid token). */
  requestNo: number;
  /** When it was committed (epoch ms): queryGestion's `wolkvox_fecha_creacion`. */
  at?: number;
}

export interface EmulatorStats {
  /** Calls that count against a quota: insert, tokenInformation and queryGestion calls with a valid token. */
  calls: number;
  /** queryGestion calls with a valid token. */
  queryCalls: number;
  /** Insert calls with a valid token (the numbering behind requestNo). */
  insertCalls: number;
  /** Highest number of requests in flight on one token at any instant. */
  maxInflightSeen: number;
  /** Real (not scripted) EXCEEDS THE LIMIT refusals. */
  rejectedConcurrency: number;
  /** Answers written, by HTTP status ("200": n, ...); resets and hangs have no status. */
  byHttpStatus: Record<string, number>;
  /** Requests a fault rule answered (a forMs window counts every request it answers). */
  faultsInjected: number;
}

export interface Emulator {
  /** 'http://127.0.0.1:PORT' */
  url: string;
  port: number;
  /** Every committed insert, in commit order. Forgotten by reset(). */
  inserted: InsertedGestion[];
  stats(): EmulatorStats;
  /** Replaces the fault rules (their `times` and windows start afresh). */
  setFaults(rules: FaultRule[]): void;
  /** Resets every token's daily quota counter (simulates the next day). */
  newDay(): void;
  /** Forgets inserts, counters, quota use, request numbering and faults. */
  reset(): void;
  /** Stops listening and destroys every open socket (hung requests included); never hangs. */
  close(): Promise<void>;
}
