import { isIP } from 'node:net';
import { ConfigError } from '../errors.ts';

/**
 * The old `svNNNN.crmvox.com` hosts were switched off on 2024-11-30; each was replaced by the
 * `crmNNNN.wolkvox.com` host of the same number (docs/api.md, "Server and URL").
 */
const RETIRED_HOST = /^sv(\d+)\.crmvox\.com$/;

/** What to say about a retired host, or undefined when `host` is not one. */
function retiredHostAdvice(host: string): string | undefined {
  const h = host.replace(/\.$/, '');
  const m = RETIRED_HOST.exec(h);
  if (m) return `use crm${m[1]}.wolkvox.com instead`;
  if (h === 'crmvox.com' || h.endsWith('.crmvox.com')) return 'use your crmNNNN.wolkvox.com host instead';
  return undefined;
}

/** The API's paths, shared by the client and the local emulator. */
export const INSERT_PATH = '/server/API/v2/collections/insertGestion.php';
export const TOKEN_INFO_PATH = '/server/API/v2/token/tokenInformation.php';
export const QUERY_PATH = '/server/API/v2/collections/queryGestion.php';

/** True for 127.0.0.0/8, ::1 and localhost: the only places plain http:// is allowed. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Accepts a bare host (`crm0001.wolkvox.com`), `https://host`, a doubled scheme
 * (`https://https://host`) or a pasted API URL, and returns the origin (`https://host[:port]`).
 * HTTPS is required except to loopback.
 */
export function normaliseServer(input: string): string {
  const raw = input.trim();
  if (raw === '') throw new ConfigError('--server: expected a host such as crm0001.wolkvox.com, got an empty value');
  let rest = raw;
  let scheme: string | undefined;
  // Strip any number of leading schemes, remembering the last one given explicitly.
  for (;;) {
    const m = /^([a-z][a-z0-9+.-]*):\/\/+/i.exec(rest);
    if (!m) break;
    scheme = m[1]!.toLowerCase();
    rest = rest.slice(m[0].length);
  }
  rest = rest.replace(/^\/+/, '');
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw new ConfigError(`--server: expected an https:// address, got the scheme "${scheme}://" in "${raw}"`);
  }
  let url: URL;
  try {
    url = new URL(`${scheme ?? 'https'}://${rest}`);
  } catch {
    throw new ConfigError(`--server: expected a host such as crm0001.wolkvox.com, got "${raw}"`);
  }
  if (!url.hostname || /\s/.test(rest.split('/')[0] ?? '')) {
    throw new ConfigError(`--server: expected a host such as crm0001.wolkvox.com, got "${raw}"`);
  }
  const host = url.hostname.toLowerCase();
  const advice = retiredHostAdvice(host);
  if (advice) {
    throw new ConfigError(
      `--server: ${host} was switched off on 2024-11-30; ${advice} (the host in your browser's address bar after logging in at crm.wolkvox.com)`,
    );
  }
  if (url.protocol === 'http:' && !isLoopback(host)) {
    throw new ConfigError(
      `--server: plain http:// is only allowed to this machine (127.0.0.1, localhost, ::1); use https://${url.host}`,
    );
  }
  return url.origin;
}
