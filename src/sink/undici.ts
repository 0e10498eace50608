/**
 * The parts of undici the client uses, loaded by their paths. undici's index loads all of undici
 * (fetch, WebSocket, caches, mocks: about 60 modules and 100 ms of start-up) in order to attach
 * `request()` to its dispatchers; the importer needs a Pool and that one function. undici is
 * pinned to an exact version in package.json, so these paths do not move under us
 * (test/sink/undici.test.ts checks them). The proxy agents load the whole of undici, only when a
 * proxy is configured.
 */
import { createRequire } from 'node:module';
import type { Dispatcher, EnvHttpProxyAgent, Pool as UndiciPool, ProxyAgent } from 'undici';

const load = createRequire(import.meta.url);

export const Pool = load('undici/lib/dispatcher/pool.js') as typeof UndiciPool;

const apiRequest = load('undici/lib/api/api-request.js') as (this: Dispatcher, o: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/** `dispatcher.request(options)`, for any undici dispatcher. */
export function request(dispatcher: Dispatcher, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  return apiRequest.call(dispatcher, options);
}

/** undici's proxy agents (the whole package is loaded on the first call). */
export function proxyAgents(): { ProxyAgent: typeof ProxyAgent; EnvHttpProxyAgent: typeof EnvHttpProxyAgent } {
  return load('undici') as { ProxyAgent: typeof ProxyAgent; EnvHttpProxyAgent: typeof EnvHttpProxyAgent };
}
