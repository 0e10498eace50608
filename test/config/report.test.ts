import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveImportConfig } from '../../src/config/config.ts';
import { parseDuration } from '../../src/config/report.ts';
import { resolveManagerToken } from '../../src/config/token.ts';
import { TokenError, UsageError } from '../../src/errors.ts';

const base = { preset: 'cdr_1', server: 'crm0001.wolkvox.com', operation: 'op' };
const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test(e.message);

describe('--report configuration', () => {
  it('reads the report flags; the input becomes a snapshot next to the result file', () => {
    const cfg = resolveImportConfig({ ...base, report: 'cdr_1', managerServer: '0042', since: 'yesterday', out: 'r/nightly.results.csv' }, {});
    assert.equal(cfg.report!.managerServer, 'https://wv0042.wolkvox.com');
    assert.equal(cfg.report!.tz, 'America/Bogota');
    assert.equal(cfg.report!.overlapMs, 600_000);
    assert.equal(cfg.report!.settleMs, 600_000);
    assert.equal(cfg.report!.campaignId, undefined);
    assert.match(cfg.input, /r\/nightly-\d{8}-\d{6}\.snapshot\.csv$/, 'a stamped snapshot: an older one is never overwritten');
    assert.throws(() => resolveImportConfig({ ...base, report: 'campaign_3', managerServer: '0042', since: 'last' }, {}), usage(/--preset cdr_1 maps the fields of the cdr_1 report; --report campaign_3 has others: give --preset campaign_3/));
    const dflt = resolveImportConfig({ ...base, preset: 'campaign_3', report: 'campaign_3', managerServer: 'wv0042.wolkvox.com', since: 'last', overlap: '90s', settleDelay: '1h' }, {});
    assert.match(dflt.out, /reports\/campaign_3-\d{8}-\d{6}\.results\.csv$/);
    assert.equal(dflt.input, dflt.out.replace('.results.csv', '.snapshot.csv'));
    assert.equal(dflt.report!.campaignId, 'all');
    assert.deepEqual([dflt.report!.overlapMs, dflt.report!.settleMs], [90_000, 3_600_000]);
  });

  it('refuses what does not go together', () => {
    assert.throws(() => resolveImportConfig({ ...base, input: 'x.csv', report: 'cdr_1', managerServer: '0042', since: 'today' }, {}), usage(/no input file/));
    assert.throws(() => resolveImportConfig({ ...base }, {}), usage(/input file is required/));
    assert.throws(() => resolveImportConfig({ ...base, input: 'x.csv', since: 'today' }, {}), usage(/--since goes with --report/));
    assert.throws(() => resolveImportConfig({ ...base, report: 'cdr_2', managerServer: '0042', since: 'today' }, {}), usage(/cdr_1, campaign_3, campaign_5/));
    assert.throws(() => resolveImportConfig({ ...base, report: 'cdr_1', since: 'today' }, {}), usage(/--manager-server is required/));
    assert.throws(() => resolveImportConfig({ ...base, report: 'cdr_1', managerServer: '0042' }, {}), usage(/--since is required/));
    assert.throws(() => resolveImportConfig({ ...base, report: 'cdr_1', managerServer: '0042', since: 'today', campaignId: '7' }, {}), usage(/--campaign-id goes with/));
    assert.throws(() => resolveImportConfig({ ...base, report: 'cdr_1', managerServer: '0042', since: 'today', tz: 'Mars/Base' }, {}), usage(/--tz/));
    assert.throws(() => resolveImportConfig({ ...base, report: 'cdr_1', managerServer: 'http://wv0042.wolkvox.com', since: 'today' }, {}));
    // The HTML report's switch in a job file ("report": false) is not a report source.
    assert.equal(resolveImportConfig({ ...base, input: 'x.csv', report: false }, {}).report, undefined);
  });

  it('durations: 10m, 90s, 1h or seconds, at most a day', () => {
    assert.equal(parseDuration('overlap', '10m', 0), 600_000);
    assert.equal(parseDuration('overlap', 30, 0), 30_000);
    assert.equal(parseDuration('overlap', undefined, 5), 5);
    assert.throws(() => parseDuration('overlap', '-1m', 0), usage(/--overlap/));
    assert.throws(() => parseDuration('overlap', '25h', 0), usage(/at most 24h/));
  });

  it('the Manager token: WOLKVOX_MANAGER_TOKEN or --manager-token-file, never shown in a message', async () => {
    assert.equal(await resolveManagerToken({ WOLKVOX_MANAGER_TOKEN: ' abc ' }, undefined), 'abc');
    await assert.rejects(resolveManagerToken({ WOLKVOX_TOKEN: 'crm' }, undefined), (e: unknown) => e instanceof TokenError && /WOLKVOX_MANAGER_TOKEN/.test(e.message));
    await assert.rejects(resolveManagerToken({ WOLKVOX_MANAGER_TOKEN: 'sec\u200bret' }, undefined), (e: unknown) => e instanceof TokenError && !e.message.includes('sec'));
  });
});
