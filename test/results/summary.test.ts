import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorCode } from '../../src/results/report-examples.ts';
import { redactArgv } from '../../src/redact.ts';
import { buildSummary, chartTimeline, latencyStats, percentile, reportPaths } from '../../src/results/summary.ts';
import { collect, fabricatedExamples, fabricatedResult, START, TOKEN } from './helpers.ts';

describe('buildSummary', () => {
  it('computes nearest-rank percentiles p50/p90/p99/max of the latencies', () => {
    const s = buildSummary({ result: fabricatedResult('/tmp/x.results.csv'), argv: [], secrets: [] });
    assert.deepEqual(s.latencyMs, { samples: 1000, mean: 500.5, p50: 500, p90: 900, p99: 990, max: 1000 });
  });

  for (const [values, p, expected] of [
    [[], 50, null],
    [[42], 99, 42],
    [[1, 2], 50, 1],
    [[1, 2, 3, 4], 90, 4],
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90, 90],
  ] as const) {
    it(`takes p${p} of [${values.join(', ')}] as ${expected}`, () => {
      assert.equal(percentile(values, p), expected);
    });
  }

  it('ignores latencies that are not finite numbers and reports nulls when there are none', () => {
    assert.deepEqual(latencyStats([]), { samples: 0, mean: null, p50: null, p90: null, p99: null, max: null });
    assert.equal(latencyStats([5, Number.NaN, 7]).samples, 2);
  });

  it('has every status, folds rows left sending into uncertain, and takes the error codes from the examples, most frequent first', () => {
    const r = fabricatedResult('/tmp/x.results.csv', { counts: { ok: 3, sending: 2, uncertain: 1 } });
    const s = buildSummary({ result: r, argv: [], secrets: [], examples: fabricatedExamples() });
    assert.deepEqual(s.counts, { ok: 3, invalid: 0, skipped: 0, duplicate: 0, failed: 0, uncertain: 3, pending: 0 });
    assert.deepEqual(Object.keys(s.errorCodes), ['INVALID', 'API_400', 'SKIPPED', 'UNCERTAIN', 'DUPLICATE', 'STOPPED_QUOTA']);
    assert.equal(s.answers.OK, 1180);
  });

  it('reports timings, calls, source, stop and paths', () => {
    const r = fabricatedResult('/data/out/cartera.results.csv', { stop: { kind: 'quota', code: 'API_403', message: `API_403: TOKEN LIMIT EXCEEDED (token ${TOKEN})` }, exitCode: 3 });
    const s = buildSummary({ result: r, argv: [], secrets: [TOKEN] });
    assert.equal(s.timing.startedAt, new Date(START).toISOString());
    assert.equal(s.timing.endedAt, new Date(START + 120_000).toISOString());
    assert.equal(s.timing.rowsPerSecond, 10.4);
    assert.equal(s.calls, 1203);
    assert.deepEqual(s.source, { encoding: 'windows-1252', delimiter: ';' });
    assert.deepEqual(s.stop, { reason: 'quota', code: 'API_403', message: 'API_403: TOKEN LIMIT EXCEEDED (token [REDACTED])' });
    assert.equal(s.exitCode, 3);
    assert.deepEqual(s.files, { results: '/data/out/cartera.results.csv', summary: '/data/out/cartera.summary.json', report: '/data/out/cartera.report.html' });
  });

  it('derives the start from the duration when the run does not carry it, and the input name from the result file', () => {
    const r = fabricatedResult('/o/cartera.results.csv', { startedAt: undefined, input: undefined });
    const s = buildSummary({ result: r, argv: [], secrets: [], now: START + 120_000 });
    assert.equal(s.timing.startedAt, new Date(START).toISOString());
    assert.equal(s.input, 'cartera.csv');
  });

  it('redacts the token from the command line: literal, --token=, --token <value>, NAME=value, URL credentials', () => {
    const argv = ['wolkvox-import', 'import', 'in.csv', '--token', 'abc123', `--header=${TOKEN}`, '--api-key=k1', 'WOLKVOX_TOKEN=zz9',
      '--server', 'https://user:s3cret@crm0001.wolkvox.com', '--token-file', '/etc/wolkvox/token', '--operation', 'cobranza'];
    const s = buildSummary({ result: fabricatedResult('/tmp/x.csv'), argv, secrets: [TOKEN], now: START });
    const all = JSON.stringify(s);
    for (const secret of ['abc123', TOKEN, 'k1', 'zz9', 's3cret']) assert.ok(!all.includes(secret), `${secret} leaked`);
    assert.deepEqual(s.command.argv, ['wolkvox-import', 'import', 'in.csv', '--token', '[REDACTED]', '--header=[REDACTED]', '--api-key=[REDACTED]', 'WOLKVOX_TOKEN=[REDACTED]',
      '--server', 'https://[REDACTED]@crm0001.wolkvox.com', '--token-file', '/etc/wolkvox/token', '--operation', 'cobranza']);
    assert.match(s.command.line, /^wolkvox-import import in\.csv --token '\[REDACTED\]' /);
  });

  it('does not mistake a following flag for the token value', () => {
    assert.deepEqual(redactArgv(['--token', '--dry-run', 'in.csv'], []), ['--token', '--dry-run', 'in.csv']);
  });

  it('names the report files after the result CSV', () => {
    assert.deepEqual(reportPaths('/a/b.csv'), { results: '/a/b.csv', summary: '/a/b.summary.json', report: '/a/b.report.html' });
    assert.equal(reportPaths('/a/b.RESULTS.CSV').report, '/a/b.report.html');
  });
});

describe('chartTimeline', () => {
  it('fills seconds without answers with 0 so pauses show', () => {
    const tl = chartTimeline({ timeline: [{ t: 0, answers: 4, latencySum: 400 }, { t: 3, answers: 2, latencySum: 100 }] });
    assert.equal(tl.bucketSeconds, 1);
    assert.deepEqual(tl.points.map((p) => [p.t, p.perSecond, p.meanLatencyMs]), [[0, 4, 100], [1, 0, null], [2, 0, null], [3, 2, 50]]);
  });

  it('averages a long timeline into at most 600 points', () => {
    const timeline = Array.from({ length: 3000 }, (_, t) => ({ t, answers: 10, latencySum: 1000 }));
    const tl = chartTimeline({ timeline });
    assert.equal(tl.bucketSeconds, 5);
    assert.equal(tl.points.length, 600);
    assert.equal(tl.points[0]?.perSecond, 10);
  });

  it('charts per minute when the per-second timeline ran out (runs over an hour)', () => {
    const timeline = Array.from({ length: 3600 }, (_, t) => ({ t, answers: 1, latencySum: 10 }));
    const timelineByMinute = Array.from({ length: 180 }, (_, t) => ({ t, answers: 120, latencySum: 1200 }));
    const tl = chartTimeline({ timeline, timelineByMinute });
    assert.equal(tl.bucketSeconds, 60);
    assert.equal(tl.points.length, 180);
    assert.equal(tl.points[0]?.perSecond, 2);
  });
});

describe('error codes of the result CSV', () => {
  for (const [status, error, code] of [
    ['failed', 'API_400: SOME PARAMETERS ARE REQUIRED', 'API_400'],
    ['failed', 'NET_ECONNREFUSED: connect ECONNREFUSED (after 5 attempts)', 'NET_ECONNREFUSED'],
    ['failed', 'API_200_UNEXPECTED: answer 200 without the success envelope', 'API_200_UNEXPECTED'],
    ['pending', 'API_403: TOKEN LIMIT EXCEEDED; STOPPED_QUOTA: ...', 'API_403'],
    ['pending', 'STOPPED_ERROR_BUDGET: too many errors', 'STOPPED_ERROR_BUDGET'],
    ['pending', 'PENDING: not processed yet', 'PENDING'],
    ['pending', '', 'PENDING'],
    ['failed', 'something odd', 'FAILED'],
    ['invalid', 'INVALID: fecha: expected a date', 'INVALID'],
    ['invalid', 'FECHA: expected a date', 'INVALID'],
    ['uncertain', 'UNCERTAIN: API_502: Bad Gateway', 'UNCERTAIN'],
    ['skipped', 'SKIPPED: TIMEOUTACW', 'SKIPPED'],
    ['duplicate', 'DUPLICATE: already inserted as 1', 'DUPLICATE'],
  ] as const) {
    it(`groups ${status} "${error}" under ${code}`, () => assert.equal(errorCode(status, error), code));
  }

  it('gathers counts, capped examples and uncertain rows with their identifying values', () => {
    const header = ['AGENT_NAME', 'CONN_ID', 'Teléfono', 'COMMENT'];
    const rows: [string, string, ...string[]][] = [];
    for (let i = 0; i < 30; i++) rows.push(['ok', '', 'Ana', `c${i}`, '300', 'x']);
    for (let i = 0; i < 8; i++) rows.push(['failed', 'API_400: SOME PARAMETERS ARE REQUIRED', 'Luis', `f${i}`, '301', '']);
    for (let i = 0; i < 4; i++) rows.push(['uncertain', 'UNCERTAIN: NET_UND_ERR_HEADERS_TIMEOUT: timeout', 'Sofía', `u${i}`, '=1+2', '<b>']);
    rows.push(['invalid', 'INVALID: fecha: "a,b"', 'Ñ', 'i0', '', '']);
    const ex = collect(header, rows, { maxUncertain: 3 });
    assert.equal(ex.rows, 43);
    assert.deepEqual(ex.statusCounts, { ok: 30, failed: 8, uncertain: 4, invalid: 1 });
    assert.deepEqual(ex.codes, { API_400: 8, UNCERTAIN: 4, INVALID: 1 });
    assert.equal(ex.byCode.API_400?.length, 5);
    assert.deepEqual(ex.byCode.API_400?.[0], { row: 31, status: 'failed', error: 'API_400: SOME PARAMETERS ARE REQUIRED' });
    assert.equal(ex.byCode.INVALID?.[0]?.error, 'INVALID: fecha: "a,b"');
    assert.deepEqual(ex.idColumns, ['AGENT_NAME', 'CONN_ID', 'Teléfono']);
    assert.equal(ex.uncertainTotal, 4);
    assert.equal(ex.uncertain.length, 3);
    assert.deepEqual(ex.uncertain[0], { row: 39, error: 'UNCERTAIN: NET_UND_ERR_HEADERS_TIMEOUT: timeout', values: ['Sofía', 'u0', '=1+2'] });
  });

  it('keeps varied examples: a different message later in the file is not hidden by many identical ones', () => {
    const rows: [string, string, ...string[]][] = [];
    for (let i = 0; i < 50; i++) rows.push(['failed', 'API_400: SOME PARAMETERS ARE REQUIRED', `${i}`]);
    rows.push(['failed', 'API_400: OPERATION NOT FOUND', 'x']);
    const list = collect(['CONN_ID'], rows).byCode.API_400 ?? [];
    assert.equal(list.length, 5);
    assert.deepEqual(list.map((e) => e.row), [1, 2, 3, 4, 51]);
  });

  it('shows the first four input columns when none is a known identifier, or the columns asked for', () => {
    const rows: [string, string, ...string[]][] = [['uncertain', 'UNCERTAIN: x', '1', '2', '3', '4', '5']];
    assert.deepEqual(collect(['a', 'b', 'c', 'd', 'e'], rows).idColumns, ['a', 'b', 'c', 'd']);
    assert.deepEqual(collect(['a', 'b', 'c', 'd', 'e'], rows, { idColumns: ['E', 'b'] }).idColumns, ['e', 'b']);
  });
});
