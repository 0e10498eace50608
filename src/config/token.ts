import { readFile, stat } from 'node:fs/promises';
import { TokenError } from '../errors.ts';

/**
 * The token comes from WOLKVOX_TOKEN or a token file, never from a plain flag value
 * (it would show in the process list and in shell history).
 */
export async function resolveToken(env: NodeJS.ProcessEnv, tokenFile: string | undefined): Promise<string> {
  if (tokenFile !== undefined) {
    let text: string;
    try {
      const st = await stat(tokenFile);
      if (!st.isFile()) throw new TokenError(`--token-file ${tokenFile}: expected a file, got a directory or device`);
      text = await readFile(tokenFile, 'utf8');
    } catch (err) {
      if (err instanceof TokenError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'permission denied' : String(code ?? err);
      throw new TokenError(`--token-file ${tokenFile}: cannot read the token file (${why})`);
    }
    const token = text.replace(/^\uFEFF/, '').trim();
    if (token === '') throw new TokenError(`--token-file ${tokenFile}: the file is empty; expected the CRM token`);
    if (/\s/.test(token)) throw new TokenError(`--token-file ${tokenFile}: expected one token on one line, got several words or lines`);
    return token;
  }
  const fromEnv = env.WOLKVOX_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  throw new TokenError(
    'no token: set WOLKVOX_TOKEN or pass --token-file <path> (an internal token from CRM → Configuration → wolkvox Integration → Tokens)',
  );
}
