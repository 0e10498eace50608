/**
 * The public shapes of the local wolkvox emulator (see docs/api.md for the
 * behaviour it imitates). Options are normalised once in options.ts; state lives in state.ts.
 */
import type { CrmRecord } from './records.ts';

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
  /** How many collections records (customers) exist, see `Emulator.records`; default 1000. */
  records?: number;
  /** The Manager report API on the same port (`GET /api/v2/reports_manager.php`). */
  manager?: ManagerOptions;
}

/** The Manager reports the emulator serves. */
export type ReportName = 'cdr_1' | 'campaign_3' | 'campaign_5';

/** The Manager report API: its own token, quota and in-flight limit, and a synthetic dialer. */
export interface ManagerOptions {
  /** The Manager token (header `wolkvox-token`); default 'manager-token'. */
  token?: string;
  /** Daily calls on the token (reports and token_info); default 10000 (licences × 1,000). Every call with the token counts, refused ones too. */
  quota?: number;
  /** Simultaneous report requests on the token; default 2. */
  maxInflight?: number;
  /** Calls the synthetic dialer makes every day; default 3000. */
  callsPerDay?: number;
  /** Seed of the dialer, of latency ranges and of `rate` faults; default the emulator's `seed`. */
  seed?: number;
  /** Records an answer holds at most; more are cut silently; default 60000. */
  cap?: number;
  /** A call is served only once the clock is at least this long after its start; default 0. */
  writeLagMs?: number;
  /** Wait before answering a report call (fixed, or uniform in [min, max]); default 0. */
  latencyMs?: number | { min: number; max: number };
  /** Scripted faults, numbered by report call (1-based); `whenField` sees `api` and `campaign_id`. */
  faults?: FaultRule[];
  /** Whether a call at exactly date_end is served ('inclusive', default, as SQL BETWEEN) or not ('exclusive'). */
  dateEnd?: 'inclusive' | 'exclusive';
  /** The clock (epoch ms) that decides what has been written; default Date.now. */
  now?: () => number;
}

export interface ManagerStats {
  /** Calls with the Manager token, reports and token_info (what its quota counts), refused ones too. */
  calls: number;
  /** 200 answers, and the records they held. */
  answers: number;
  recordsServed: number;
  /** 200 answers cut at the cap. */
  truncated: number;
  /** Report requests in flight right now, and the most at any instant. */
  inflight: number;
  maxInflightSeen: number;
  rejectedConcurrency: number;
  byHttpStatus: Record<string, number>;
  faultsInjected: number;
}

/** Audit hooks of the Manager side. */
export interface ManagerEmulator {
  readonly token: string;
  readonly callsPerDay: number;
  /** Same as stats().calls. */
  readonly calls: number;
  stats(): ManagerStats;
  /** Every row of `report` whose call starts in [from, to), served yet or not, in time order (for exactly-once audits). */
  rows(report: ReportName, window: { from: Date; to: Date; campaignId?: string }): Record<string, string>[];
  /** The conn_ids of `report` in 200 answers so far. */
  servedConnIds(report: ReportName): ReadonlySet<string>;
  /** Replaces the report fault rules. */
  setFaults(rules: FaultRule[]): void;
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
  /** The collections records (customer id → wolkvox_idRecord) the Manager reports draw their customers from. */
  records: readonly CrmRecord[];
  /** The records as a lookup CSV: `customer_id,wolkvox_idRecord,client_name`. */
  recordsCsv(): string;
  manager: ManagerEmulator;
  stats(): EmulatorStats;
  /** Replaces the fault rules (their `times` and windows start afresh). */
  setFaults(rules: FaultRule[]): void;
  /** Resets every token's daily quota counter, the Manager token's too (simulates the next day). */
  newDay(): void;
  /** Forgets inserts, counters, quota use, request numbering and faults (the Manager side's too). */
  reset(): void;
  /** Stops listening and destroys every open socket (hung requests included); never hangs. */
  close(): Promise<void>;
}
