import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError, said } from '../errors.ts';

/** Keys of a job file that name files: resolved against the job file's folder, as a person expects. */
const PATH_KEYS = ['mapping', 'tokenFile', 'token-file', 'out', 'state', 'logFile', 'log-file', 'input', 'managerTokenFile', 'manager-token-file'];
/** Keys that would put the secret in a file that gets copied around. */
const FORBIDDEN = /^(token|wolkvox[-_]?token|wolkvoxToken|manager[-_]?token|managerToken|wolkvox[-_]?manager[-_]?token)$/i;

/**
 * `--config job.json`: any flag of the command, as JSON (`{"server": "...", "mapping": "m.json",
 * "tokenFile": "/etc/wolkvox/token", "concurrency": 2}`). Flags given on the command line win;
 * the file wins over WOLKVOX_* environment defaults. Never the token itself.
 */
export function readJobFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`--config ${path}: cannot read the job file (${code === 'ENOENT' ? 'not found' : String(code ?? err)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`--config ${path}: not valid JSON (${(err as Error).message})`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(`--config ${path}: expected a JSON object of flags such as {"server": "crm0001.wolkvox.com"}, got ${Array.isArray(data) ? 'an array' : typeof data}`);
  }
  const out: Record<string, unknown> = {};
  const base = dirname(resolve(path));
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (key.startsWith('$')) continue; // "$comment" and friends
    if (FORBIDDEN.test(key)) throw tokenInFile(path, key);
    out[key] = PATH_KEYS.includes(key) && typeof value === 'string' && !isAbsolute(value) ? resolve(base, value) : value;
  }
  return out;
}

/** A token written into a job file: refused, naming where the CRM or the Manager token goes instead. */
function tokenInFile(path: string, key: string): ConfigError {
  if (/manager/i.test(key)) return said(ConfigError, 'err.jobFile.managerToken', { file: path, key });
  return new ConfigError(`--config ${path}: "${key}": the token never goes in a job file; use "tokenFile" (a private file holding it) or WOLKVOX_TOKEN`);
}
