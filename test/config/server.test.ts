import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseServer, isLoopback } from '../../src/config/server.ts';
import { ConfigError } from '../../src/errors.ts';

describe('normaliseServer', () => {
  const accepted: [string, string][] = [
    ['crm0001.wolkvox.com', 'https://crm0001.wolkvox.com'],
    ['https://crm0001.wolkvox.com', 'https://crm0001.wolkvox.com'],
    ['https://https://crm0001.wolkvox.com', 'https://crm0001.wolkvox.com'],
    ['HTTPS://CRM.wolkvox.com/', 'https://crm.wolkvox.com'],
    ['https://crm0000.wolkvox.com/server/API/v2/collections/insertGestion.php', 'https://crm0000.wolkvox.com'],
    ['  crm0000.wolkvox.com  ', 'https://crm0000.wolkvox.com'],
    ['http://127.0.0.1:8089', 'http://127.0.0.1:8089'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['http://[::1]:9000', 'http://[::1]:9000'],
    ['http://127.4.5.6', 'http://127.4.5.6'],
  ];
  for (const [input, expected] of accepted) {
    it(`turns "${input}" into ${expected}`, () => assert.equal(normaliseServer(input), expected));
  }

  it('rejects the retired sv0001.crmvox.com host and names its replacement', () => {
    assert.throws(() => normaliseServer('https://sv0001.crmvox.com'), (e: unknown) => e instanceof ConfigError && /crm0001\.wolkvox\.com/.test(e.message));
  });
  it('rejects the retired sv0000.crmvox.com host given bare, naming crm0000.wolkvox.com', () => {
    assert.throws(() => normaliseServer('sv0000.crmvox.com'), /crm0000\.wolkvox\.com/);
  });
  for (const n of ['0002', '0003', '0007', '0009', '0012']) {
    it(`rejects every retired host: sv${n}.crmvox.com names crm${n}.wolkvox.com`, () => {
      for (const given of [`sv${n}.crmvox.com`, `https://SV${n}.CRMVOX.COM/server/API/v2/collections/insertGestion.php`, `sv${n}.crmvox.com.`]) {
        assert.throws(() => normaliseServer(given), (e: unknown) => e instanceof ConfigError && e.message.includes(`crm${n}.wolkvox.com`) && /switched off/.test(e.message));
      }
    });
  }
  it('rejects any other crmvox.com host as retired, pointing to crm.wolkvox.com', () => {
    assert.throws(() => normaliseServer('https://www.crmvox.com'), (e: unknown) => e instanceof ConfigError && /switched off/.test(e.message) && /crm\.wolkvox\.com/.test(e.message));
  });
  it('refuses plain http to a host that is not this machine', () => {
    assert.throws(() => normaliseServer('http://crm0001.wolkvox.com'), /https:\/\/crm0001\.wolkvox\.com/);
  });
  it('refuses http to a private-range address (only loopback is exempt)', () => {
    assert.throws(() => normaliseServer('http://192.168.1.10'), ConfigError);
  });
  it('rejects an empty value and a non-http scheme with a message naming the expected form', () => {
    assert.throws(() => normaliseServer(''), /expected a host/);
    assert.throws(() => normaliseServer('ftp://crm.wolkvox.com'), /ftp/);
  });
});

describe('isLoopback', () => {
  it('knows loopback from other addresses', () => {
    assert.deepEqual(['127.0.0.1', 'localhost', '::1', '[::1]', '10.0.0.1', 'crm.wolkvox.com', '128.0.0.1'].map(isLoopback), [true, true, true, true, false, false, false]);
  });
});
