import { isIP } from 'node:net';
import { ConfigError } from '../errors.ts';

/** The hosts wolkvox switched off on 2024-11-30, and what replaced them (wolkvox-api.md). */
const RETIRED_HOSTS: Record<string, string> = {
  'sv0000.crmvox.com': 'crm0000.wolkvox.com',
  'sv0001.crmvox.com': 'crm0001.wolkvox.com',
};

export const INSERT_PATH = '/server/API/v2/collections/insertGestion.php';
export const TOKEN_INFO_PATH = '/server/API/v2/token/tokenInformation.php';

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
  const replacement = RETIRED_HOSTS[host];
  if (replacement) {
    throw new ConfigError(
      `--server: ${host} was switched off on 2024-11-30; use ${replacement} instead (the host in your browser's address bar after logging in at crm.wolkvox.com)`,
    );
  }
  if (url.protocol === 'http:' && !isLoopback(host)) {
    throw new ConfigError(
      `--server: plain http:// is only allowed to this machine (127.0.0.1, localhost, ::1); use https://${url.host}`,
    );
  }
  return url.origin;
}
