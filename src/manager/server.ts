import { isLoopback } from '../config/server.ts';
import { said, UsageError } from '../errors.ts';

/**
 * The Manager host of an operation is `wv{number}.wolkvox.com` (docs/api.md, "Manager report API").
 * Accepts that host, a URL pasted from the browser (`https://wv0042.wolkvox.com/...`), or the
 * number alone (`0042`, `wv0042`), and returns the origin; a CRM host is refused. HTTPS is required
 * except to loopback (tests and the emulator).
 */
export function parseManagerServer(input: string): string {
  const raw = input.trim();
  const flag = { flag: 'manager-server' };
  if (raw === '') throw said(UsageError, 'err.managerServer.empty', {}, flag);
  if (/^(?:wv)?\d{1,6}$/i.test(raw)) return `https://wv${raw.replace(/^wv/i, '')}.wolkvox.com`;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw said(UsageError, 'err.managerServer.scheme', { scheme }, flag);
  }
  let url: URL;
  try {
    url = new URL(scheme === undefined ? `https://${raw.replace(/^\/+/, '')}` : raw);
  } catch {
    throw said(UsageError, 'err.managerServer.bad', { value: hostPart(raw) }, flag);
  }
  if (url.hostname === '' || url.username !== '' || url.password !== '') {
    throw said(UsageError, 'err.managerServer.bad', { value: hostPart(raw) }, flag);
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:' && !isLoopback(host)) {
    throw said(UsageError, 'err.managerServer.http', { host: url.host }, flag);
  }
  return notCrm(url.origin, host);
}

/** The CRM's hosts (crm0001.wolkvox.com, the old sv0001.crmvox.com) serve no reports: a mix-up, refused before any call. */
function notCrm(origin: string, host: string): string {
  if (/^crm\d*\.wolkvox\.com$|\.crmvox\.com$/.test(host)) throw said(UsageError, 'err.managerServer.crm', { host }, { flag: 'manager-server' });
  return origin;
}

/** The part of a pasted value shown in a message: no path or query (a pasted URL may carry a token). */
function hostPart(raw: string): string {
  const authority = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0] ?? '';
  return authority.slice(authority.lastIndexOf('@') + 1);
}
