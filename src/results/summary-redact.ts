/**
 * Keeps secrets out of the summary and the report. The token never is a flag value (it comes
 * from WOLKVOX_TOKEN or a token file), but a command line is recorded as typed, so we are
 * defensive: literal secrets, values of anything named like a secret, and URL credentials.
 */
export const REDACTED = '***';

/** Names that hold a secret: token, secret, password, api key, authorization, credential. */
const SECRET_NAME = /token|secret|passw(?:or)?d|pwd|api[-_]?key|authori[sz]ation|credential|bearer/i;
/** ...unless the name says it holds a file or a path to one (`--token-file` is not the token). */
const PATH_NAME = /[-_](?:file|path|dir)$/i;

function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !PATH_NAME.test(name);
}

/** Replaces every literal occurrence of a secret (empty ones ignored; longest first). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  const list = secrets.map((s) => s.trim()).filter((s) => s !== '').sort((a, b) => b.length - a.length);
  for (const s of list) out = out.split(s).join(REDACTED);
  return out;
}

/** `name=value`, `name: value` inside one word or header (`--token=x`, `WOLKVOX_TOKEN=x`, `?token=x`, `Wolkvox-Token: x`). */
const NAMED_VALUE = /([\w.-]+)(\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s&;,]+)/g;
/** `scheme://user:password@host`. */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)[^/\s@]+@/gi;

function redactElement(arg: string): string {
  return arg
    .replace(URL_CREDENTIALS, `$1${REDACTED}@`)
    .replace(NAMED_VALUE, (whole, name: string, sep: string) => (isSecretName(name) ? `${name}${sep}${REDACTED}` : whole));
}

/**
 * The command line with secrets replaced by `***`: literal secrets anywhere, `--token=x`,
 * `--token x` (the next element, unless it is another `--flag`), `X_TOKEN=x`, URL credentials.
 */
export function redactArgv(argv: readonly string[], secrets: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = redactElement(redactSecrets(argv[i] ?? '', secrets));
    out.push(arg);
    const flag = /^--?([\w-]+)$/.exec(arg);
    if (flag && isSecretName(flag[1] ?? '') && i + 1 < argv.length && !(argv[i + 1] ?? '').startsWith('--')) {
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
