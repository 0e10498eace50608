import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { managerTokenInfo } from '../../src/manager/token-info.ts';
import { TOKEN, withManager } from './helpers.ts';
import { closeServer, listenLoopback } from '../helpers.ts';

/** 2026-11-20 in the dialer's zone, as date_ini/date_end. */
const DAY = new URLSearchParams({ api: 'cdr_1', date_ini: '20261120000000', date_end: '20261120235959' });

/**
 * A stand-in for shapes the emulator never answers (a list-wrapped `data` with numbers, a refusal
 * that echoes the token, a 404 on the path): answers `body` with `status`.
 */
async function standIn(status: number, body: unknown, run: (origin: string) => Promise<void>): Promise<void> {
  const srv = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  const origin = await listenLoopback(srv);
  try {
    await run(origin);
  } finally {
    await closeServer(srv);
  }
}

describe('managerTokenInfo', () => {
  it('GETs information.php?api=token_info with the wolkvox-token header (the emulator refuses anything else) and reads the counters', () =>
    withManager({ quota: 50 }, async (emu) => {
      const res = await fetch(`${emu.url}/api/v2/reports_manager.php?${DAY.toString()}`, { headers: { 'wolkvox-token': TOKEN } });
      assert.equal(res.status, 200);
      await res.arrayBuffer();
      const r = await managerTokenInfo({ origin: emu.url, token: TOKEN });
      assert.deepEqual(r, { info: { description: 'Emulator Manager token', tokenLimit: 50, usedToday: 2, allTokensToday: 2, available: 48, hoursToReset: undefined } });
      assert.equal(emu.manager.calls, 2, 'one report call and the token_info call, each one of the quota');
    }));

  it('a wrong token and a used-up quota come back classified (token, quota), without the token', async () => {
    await withManager({}, async (emu) => {
      const r = await managerTokenInfo({ origin: emu.url, token: 'not-the-manager-token' });
      assert.ok('refused' in r);
      assert.equal(r.refused.kind, 'token');
    });
    await withManager({ quota: 0 }, async (emu) => {
      const r = await managerTokenInfo({ origin: emu.url, token: TOKEN });
      assert.ok('refused' in r);
      assert.equal(r.refused.kind, 'quota');
      assert.ok(!r.refused.reason.includes(TOKEN));
      assert.equal(emu.manager.calls, 1);
    });
  });

  it('computes what is left when only the limit and the use are given (stand-in: a list-wrapped data with numbers)', async () => {
    await standIn(200, { code: 200, data: [{ token_limit: 100, token_use_today: 30 }] }, async (origin) => {
      const r = await managerTokenInfo({ origin, token: TOKEN });
      assert.ok('info' in r);
      assert.equal(r.info.available, 70);
    });
  });

  it('scrubs the token from a refusal that echoes it; another 404 is not-found (stand-ins)', async () => {
    await standIn(403, { code: 403, error: `TOKEN LIMIT EXCEEDED ${TOKEN}` }, async (origin) => {
      const r = await managerTokenInfo({ origin, token: TOKEN });
      assert.ok('refused' in r);
      assert.equal(r.refused.kind, 'quota');
      assert.ok(r.refused.reason.includes('TOKEN LIMIT EXCEEDED'));
      assert.ok(!r.refused.reason.includes(TOKEN));
    });
    await standIn(404, { code: 404, error: 'THE API YOU WANT TO CONSULT DOES NOT EXIST' }, async (origin) => {
      const r = await managerTokenInfo({ origin, token: TOKEN });
      assert.ok('refused' in r);
      assert.equal(r.refused.kind, 'not-found');
    });
  });
});
