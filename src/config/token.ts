import { readFile, stat } from 'node:fs/promises';
import { said, TokenError } from '../errors.ts';

const WHERE_TO_GET = 'an internal token from CRM → Configuration → wolkvox Integration → Tokens';

/** Invisible or look-alike characters that arrive with a paste, by name. */
const NAMED: Readonly<Record<number, string>> = {
  0x09: 'a tab',
  0x20: 'a space',
  0xa0: 'a non-breaking space U+00A0',
  0x200b: 'a zero-width space U+200B',
  0x200c: 'a zero-width non-joiner U+200C',
  0x200d: 'a zero-width joiner U+200D',
  0x2060: 'a word joiner U+2060',
  0xfeff: 'a zero-width no-break space (byte order mark) U+FEFF',
};

function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What kind of character `cp` is, for a message that must never show the token itself. */
function characterClass(cp: number): string {
  if (cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029) return 'a line break';
  const named = NAMED[cp];
  if (named) return named;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 'a control character';
  return cp > 0xff ? `a non-Latin-1 character ${hex(cp)}` : `a non-ASCII character ${hex(cp)}`;
}

/**
 * A token goes into the `wolkvox-token` header: one line of printable ASCII. Anything else (an
 * inner line break, a pasted zero-width or non-breaking space, a control character) would make the
 * request fail before it is written, so it is refused here, naming the position (1-based, counted
 * in characters after trimming) and the kind of character, never the token or any part of it.
 */
function checkToken(token: string, source: string, where = WHERE_TO_GET): string {
  let position = 0;
  for (const ch of token) {
    position++;
    const cp = ch.codePointAt(0)!;
    if (cp > 0x20 && cp < 0x7f) continue;
    throw new TokenError(
      `${source}: the token has ${characterClass(cp)} at position ${position} (counting from 1, surrounding blanks ignored); ` +
        `a token is one line of plain letters, digits and punctuation: copy it again (${where})`,
      { position },
    );
  }
  return token;
}

async function readTokenFile(tokenFile: string, flag = '--token-file'): Promise<string> {
  try {
    const st = await stat(tokenFile);
    if (!st.isFile()) throw new TokenError(`${flag} ${tokenFile}: expected a file, got a directory or device`);
    return await readFile(tokenFile, 'utf8');
  } catch (err) {
    if (err instanceof TokenError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
    throw new TokenError(`${flag} ${tokenFile}: cannot read the token file (${why})`);
  }
}

/**
 * The token comes from WOLKVOX_TOKEN or a token file, never from a plain flag value
 * (it would show in the process list and in shell history). Surrounding blanks and a final
 * newline are trimmed; any other character a header cannot carry is refused (checkToken).
 */
export async function resolveToken(env: NodeJS.ProcessEnv, tokenFile: string | undefined): Promise<string> {
  if (tokenFile !== undefined) {
    const token = (await readTokenFile(tokenFile)).replace(/^\uFEFF/, '').trim();
    if (token === '') throw new TokenError(`--token-file ${tokenFile}: the file is empty; expected the CRM token`);
    return checkToken(token, `--token-file ${tokenFile}`);
  }
  const fromEnv = env.WOLKVOX_TOKEN?.trim();
  if (fromEnv) return checkToken(fromEnv, 'WOLKVOX_TOKEN');
  throw said(TokenError, 'err.token.none');
}

const MANAGER_WHERE = 'a token from wolkvox Manager → Configuration → Integrations → Tokens (not the CRM token)';

/** The Manager token (--report): from WOLKVOX_MANAGER_TOKEN or --manager-token-file, with the CRM token's rules. */
export async function resolveManagerToken(env: NodeJS.ProcessEnv, tokenFile: string | undefined): Promise<string> {
  if (tokenFile !== undefined) {
    const token = (await readTokenFile(tokenFile, '--manager-token-file')).replace(/^\uFEFF/, '').trim();
    if (token === '') throw said(TokenError, 'err.managerToken.empty', { file: tokenFile }, { flag: 'manager-token-file' });
    return checkToken(token, `--manager-token-file ${tokenFile}`, MANAGER_WHERE);
  }
  const fromEnv = env.WOLKVOX_MANAGER_TOKEN?.trim();
  if (fromEnv) return checkToken(fromEnv, 'WOLKVOX_MANAGER_TOKEN', MANAGER_WHERE);
  throw said(TokenError, 'err.managerToken.none', {}, { flag: 'manager-token-file' });
}
