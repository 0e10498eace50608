import { t, type Lang, type MessageKey, type Params } from './i18n/index.ts';

/**
 * Every error the importer raises on purpose is a WolkvoxImportError with a stable `code`.
 * Code matches on `code`, never on message text. The CLI maps `exitCode` to the process exit.
 * Bad rows are never errors: they are outcomes (see src/types.ts).
 */

export type ErrorCode =
  | 'E_USAGE' // a flag or argument is wrong
  | 'E_CONFIG' // a configuration value is wrong (server, token, operation, concurrency...)
  | 'E_MAPPING' // the mapping file is wrong
  | 'E_INPUT' // the input file cannot be read or parsed any further
  | 'E_TOKEN' // no token, or the token file is unreadable
  | 'E_STATE' // the run store refused (locked, changed input on --resume, no run to resume)
  | 'E_LOCKED' // another process holds the store
  | 'E_LOOKUP' // a lookup table cannot be loaded
  | 'E_MANAGER' // the Manager report API refused or failed a fetch (ManagerError.kind says why)
  | 'E_INTERNAL';

export interface ErrorContext {
  file?: string;
  line?: number;
  row?: number;
  column?: string;
  field?: string;
  [key: string]: unknown;
}

/** Exit codes: the public contract for cron (docs/architecture.md, "Exit codes"). */
export const EXIT = { OK: 0, ROWS_NOT_OK: 1, USAGE: 2, STOPPED: 3 } as const;

export class WolkvoxImportError extends Error {
  readonly code: ErrorCode;
  readonly context: ErrorContext;
  readonly exitCode: number;
  constructor(code: ErrorCode, message: string, context: ErrorContext = {}, exitCode: number = EXIT.USAGE) {
    super(message);
    this.name = 'WolkvoxImportError';
    this.code = code;
    this.context = context;
    this.exitCode = exitCode;
  }
}

export class UsageError extends WolkvoxImportError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_USAGE', message, context);
    this.name = 'UsageError';
  }
}

export class ConfigError extends WolkvoxImportError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_CONFIG', message, context);
    this.name = 'ConfigError';
  }
}

export class MappingError extends WolkvoxImportError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_MAPPING', message, context);
    this.name = 'MappingError';
  }
}

export class InputError extends WolkvoxImportError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_INPUT', message, context);
    this.name = 'InputError';
  }
}

export class TokenError extends WolkvoxImportError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_TOKEN', message, context);
    this.name = 'TokenError';
  }
}

export class StateError extends WolkvoxImportError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_STATE', message, context);
    this.name = 'StateError';
  }
}

export class LockedError extends WolkvoxImportError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_LOCKED', message, context);
    this.name = 'LockedError';
  }
}

export class LookupError extends WolkvoxImportError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_LOOKUP', message, context);
    this.name = 'LookupError';
  }
}

/** Why a Manager report fetch stopped (docs/api.md, "Manager report API"). */
export type ManagerErrorKind = 'token' | 'quota' | 'refused' | 'not-found' | 'cap' | 'network' | 'answer' | 'aborted';

/** A Manager report fetch stopped: nothing was imported from it; the message never holds the token. */
export class ManagerError extends WolkvoxImportError {
  readonly kind: ManagerErrorKind;
  constructor(kind: ManagerErrorKind, message: string, context: ErrorContext = {}) {
    super('E_MANAGER', message, { ...context, kind }, EXIT.STOPPED);
    this.name = 'ManagerError';
    this.kind = kind;
  }
}

export function isWolkvoxImportError(err: unknown): err is WolkvoxImportError {
  return err instanceof WolkvoxImportError;
}

/**
 * An error whose text the CLI prints in the user's language: `message` is the English text (logs,
 * summary.json), `context.i18n` the key and params main.ts renders with `messageIn`.
 * `throw said(UsageError, 'err.since.bad', { value }, { flag: 'since' })`.
 */
export function said<E extends WolkvoxImportError>(Kind: new (message: string, context: ErrorContext) => E, key: MessageKey, params: Params = {}, context: ErrorContext = {}): E {
  return new Kind(t('en', key, params), { ...context, i18n: { key, params } });
}

/** The error's text in `lang` (its English message when it was not made by `said`). */
export function messageIn(err: WolkvoxImportError, lang: Lang): string {
  const i18n = err.context.i18n as { key: MessageKey; params: Params } | undefined;
  return i18n ? t(lang, i18n.key, i18n.params) : err.message;
}

/** A broken invariant of the program itself (never the user's input): a bug to report. */
export class InternalError extends WolkvoxImportError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_INTERNAL', `internal error: ${message}`, context);
    this.name = 'InternalError';
  }
}
