import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Pool, proxyAgents, request } from '../../src/sink/undici.ts';

describe('undici by path', () => {
  it('the pinned undici still has a Pool and the request function at the paths the client loads', () => {
    assert.equal(typeof Pool, 'function');
    assert.equal(typeof request, 'function');
    assert.equal(typeof proxyAgents().ProxyAgent, 'function');
    const pkg = createRequire(import.meta.url)('undici/package.json') as { version: string };
    const pinned = (createRequire(import.meta.url)('../../package.json') as { dependencies: Record<string, string> }).dependencies.undici;
    assert.equal(pkg.version, pinned, 'undici is pinned exactly: update the paths in src/sink/undici.ts with it');
  });
});
