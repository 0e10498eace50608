import type { Dispatcher } from 'undici';
import { ConfigError } from '../errors.ts';
import { redactUrl } from '../redact.ts';
import { proxyAgents } from './undici.ts';

/**
 * The outbound proxy, for operations that must leave through a fixed IP (wolkvox allow-lists IPs):
 * `--proxy URL`, else HTTPS_PROXY / HTTP_PROXY with NO_PROXY from the environment. Requests are
 * tunnelled with CONNECT, so the proxy never sees the token. The proxy URL's credentials are secrets.
 */
export interface ProxyOptions {
  origin: string;
  proxy?: string;
  env: NodeJS.ProcessEnv;
  connections: number;
  timeouts: { headersTimeout: number; bodyTimeout: number; connectTimeout: number; keepAliveTimeout: number };
}

const envOf = (env: NodeJS.ProcessEnv, name: string): string => env[name.toLowerCase()] ?? env[name] ?? '';

/** Checks a proxy URL (http:// or https://, a host); the error never shows its credentials. */
export function checkProxyUrl(url: string, where = '--proxy'): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ConfigError(`${where}: expected a URL such as http://proxy.example.com:3128, got "${redactUrl(url)}"`);
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '') {
    throw new ConfigError(`${where}: expected an http:// or https:// proxy URL, got "${redactUrl(url)}"`);
  }
  return url;
}

/** A dispatcher through the proxy, or undefined when none applies (a direct connection). */
export function proxyDispatcher(o: ProxyOptions): Dispatcher | undefined {
  const agent = { connections: o.connections, pipelining: 1, ...o.timeouts };
  if (o.proxy) return new (proxyAgents().ProxyAgent)({ ...agent, uri: checkProxyUrl(o.proxy) });
  const httpsProxy = envOf(o.env, 'HTTPS_PROXY');
  const httpProxy = envOf(o.env, 'HTTP_PROXY');
  if (!httpsProxy && !httpProxy) return undefined;
  if (httpsProxy) checkProxyUrl(httpsProxy, 'HTTPS_PROXY');
  if (httpProxy) checkProxyUrl(httpProxy, 'HTTP_PROXY');
  // '' (not undefined) keeps undici from reading process.env behind our back.
  return new (proxyAgents().EnvHttpProxyAgent)({ ...agent, httpsProxy, httpProxy, noProxy: envOf(o.env, 'NO_PROXY') });
}

/** The proxy credentials in use (user and password, decoded and raw), to redact from every message. */
export function proxySecrets(proxy: string | undefined, env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const url of [proxy, envOf(env, 'HTTPS_PROXY'), envOf(env, 'HTTP_PROXY')]) {
    if (!url) continue;
    try {
      const u = new URL(url);
      for (const s of [u.password, u.username]) if (s) out.push(s, decodeURIComponent(s));
    } catch {
      /* checked elsewhere */
    }
  }
  return out;
}
