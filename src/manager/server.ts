import { isLoopback } from '../config/server.ts';
import { UsageError } from '../errors.ts';

/**
 * The Manager host of an operation is `wv{number}.wolkvox.com` (docs/api.md, "Manager report API").
 * Accepts that host, a URL pasted from the browser (`https://wv0042.wolkvox.com/...`), or the
 * number alone (`0042`), and returns the origin. HTTPS is required except to loopback (tests and the
 * emulator).
 */
export function parseManagerServer(input: string): string {
  const raw = input.trim();
  const expected = 'expected a host such as wv0042.wolkvox.com, or its number (0042)';
  if (raw === '') throw new UsageError(`--manager-server: ${expected}, got an empty value`);
  if (/^\d{1,6}$/.test(raw)) return `https://wv${raw}.wolkvox.com`;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw new UsageError(`--manager-server: expected an https:// address, got the scheme "${scheme}://"`);
  }
  let url: URL;
  try {
    url = new URL(scheme === undefined ? `https://${raw.replace(/^\/+/, '')}` : raw);
  } catch {
    throw new UsageError(`--manager-server: ${expected}, got "${hostPart(raw)}"`);
  }
  if (url.hostname === '' || url.username !== '' || url.password !== '') {
    throw new UsageError(`--manager-server: ${expected}, got "${hostPart(raw)}"`);
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:' && !isLoopback(host)) {
    throw new UsageError(`--manager-server: plain http:// is only allowed to this machine (127.0.0.1, localhost, ::1); use https://${url.host}`);
  }
  return url.origin;
}

/** The part of a pasted value shown in a message: no path or query (a pasted URL may carry a token). */
function hostPart(raw: string): string {
  const authority = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1);
}
