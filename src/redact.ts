/**
 * Keeps secrets out of everything shown or stored: logs, error texts, the summary, the report and
 * command lines. One marker everywhere: `[REDACTED]`.
 */
export const REDACTED = '[REDACTED]';

/** Shorter secrets are left alone: replacing a 3-letter test token would mangle ordinary words. */
const MIN_SECRET_LENGTH = 6;

/** Words of a name that say it holds a secret (`apiKey`, `WOLKVOX_TOKEN`, `X-Amz-Signature`, `client_secret`...). */
const SECRET_WORDS = new Set([
  'token', 'secret', 'password', 'passwd', 'pwd', 'pass', 'passphrase', 'key', 'apikey', 'auth', 'authorization',
  'sig', 'signature', 'credential', 'credentials', 'bearer', 'session', 'sessionid', 'cookie',
]);
/** ...unless the name says it holds a file or a path to one (`--token-file` is not the token). */
const PATH_WORDS = new Set(['file', 'path', 'dir']);

/** True for a flag, variable, header or query parameter name that holds a secret. */
export function isSecretName(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  return words.some((w) => SECRET_WORDS.has(w)) && !PATH_WORDS.has(words[words.length - 1] ?? '');
}

/**
 * `text` with every literal occurrence of each secret (of 6 characters or more, longest first)
 * replaced by `[REDACTED]`, and the credentials of every URL in it removed (see `redactUrl`).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  const list = secrets.map((s) => s.trim()).filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  for (const s of list) out = out.split(s).join(REDACTED);
  return redactUrl(out);
}

/** A URL inside any text: `scheme://` up to the next space or quote. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]{0,31}:\/\/[^\s"'<>]+/gi;
/** `//user:password@` (or `//user@`) right after the scheme. */
const USER_INFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s]*@/i;
/** `name=value` of a query string or fragment. */
const QUERY_PARAM = /([?&#;])([^=&#;?]*)=([^&#;]*)/g;

function redactOneUrl(url: string): string {
  return url
    .replace(USER_INFO, `$1${REDACTED}@`)
    .replace(QUERY_PARAM, (whole, sep: string, name: string) => (isSecretName(decodeName(name)) ? `${sep}${name}=${REDACTED}` : whole));
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * `url` (or any text holding URLs) with credentials removed: `https://user:pass@host` →
 * `https://[REDACTED]@host`, and the values of query parameters named like a secret
 * (`?token=`, `api_key=`, `password=`, `sig=`...) → `[REDACTED]`.
 */
export function redactUrl(url: string): string {
  if (!url.includes('://')) return url;
  return url.replace(URL_IN_TEXT, redactOneUrl);
}

/** `name=value`, `name: value` inside one word or header (`--token=x`, `WOLKVOX_TOKEN=x`, `Wolkvox-Token: x`). */
const NAMED_VALUE = /([\w.-]+)(\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s&;,]+)/g;

function redactElement(arg: string): string {
  return arg.replace(NAMED_VALUE, (whole, name: string, sep: string) => (isSecretName(name) ? `${name}${sep}${REDACTED}` : whole));
}

function isSecretFlag(arg: string): boolean {
  const flag = /^--?([\w-]+)$/.exec(arg);
  return flag !== null && isSecretName(flag[1] ?? '');
}

/**
 * A command line with its secrets redacted: literal secrets anywhere, `--token=x`, `--token x`
 * (the next element, unless it is another `--flag`), `X_TOKEN=x`, URL credentials and secret
 * query parameters. Recorded as typed, so this is defensive: the token normally comes from
 * WOLKVOX_TOKEN or a token file.
 */
export function redactArgv(argv: readonly string[], secrets: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = redactElement(redact(argv[i] ?? '', secrets));
    out.push(arg);
    const next = argv[i + 1];
    if (isSecretFlag(arg) && next !== undefined && !next.startsWith('--')) {
      out.push(REDACTED);
      i++;
    }
  }
  return out;
}

/** Joins argv as a POSIX shell would read it back: elements with special characters single-quoted. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}
