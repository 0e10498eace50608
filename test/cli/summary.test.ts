import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adviceLines, nextCommand, summaryLine, validationLines } from '../../src/cli/summary.ts';
import { logLevel } from '../../src/cli/commands/import.ts';
import { figuresAt, RateMeter } from '../../src/cli/progress.ts';
import { Progress } from '../../src/run/progress.ts';
import type { RunResult } from '../../src/run/result.ts';
import type { StopInfo } from '../../src/sink/stop.ts';

function result(o: Partial<RunResult> & { counts: Record<string, number> }): RunResult {
  const total = Object.values(o.counts).reduce((a, b) => a + b, 0);
  return {
    runId: 1, out: '/tmp/r.csv', resumed: false, madeUncertain: 0, exitCode: 0, totalRows: total, calls: 0, maxInflightSeen: 0,
    durationMs: 1, fingerprint: 'f', dryRun: false, latencies: [], errorCodes: {},
    source: { encoding: 'utf-8', delimiter: ',', header: ['a'] } as unknown as RunResult['source'],
    ...o,
  };
}

const ARGV = ['wolkvox-import', 'import', 'in.csv', '--mapping', 'm.json'];

describe('the end of a run on the terminal', () => {
  it('says "1 row", "1 fila": singular and plural in the summary line and the advice', () => {
    const one = result({ counts: { pending: 1 }, exitCode: 3, stop: { kind: 'signal', message: 'interrupted' } });
    assert.match(summaryLine(one, 'en'), /: 1 row: /);
    assert.match(summaryLine(one, 'es'), /: 1 fila: /);
    assert.ok(adviceLines(one, 'en').some((l) => l.includes('1 row is pending')), adviceLines(one, 'en').join('\n'));
    assert.ok(adviceLines(one, 'es').some((l) => l.includes('1 fila quedó pendiente')));
    const two = result({ counts: { failed: 1, uncertain: 1, ok: 1 } });
    assert.match(summaryLine(two, 'en'), /: 3 rows: /);
    const lines = adviceLines(two, 'en').join('\n');
    assert.match(lines, /1 row failed/);
    assert.match(lines, /1 row is "uncertain"/);
    assert.doesNotMatch(lines, /1 rows/);
    const v = validationLines(result({ counts: { invalid: 1 }, dryRun: true }), new Progress(), 'en');
    assert.match(v[0]!, /^1 row read/);
  });

  it('never suggests --resume for a refused token before it is fixed; after a quota stop it does, with the reset time', () => {
    const fatal: StopInfo = { kind: 'fatal', code: 'API_403', message: 'API_403: PLEASE VALIDATE TOKEN: the token was rejected' };
    const f = adviceLines(result({ counts: { pending: 5 }, exitCode: 3, stop: fatal }), 'en', ARGV);
    assert.ok(!f.some((l) => /run the same command with --resume|next: /.test(l)), f.join('\n'));
    assert.ok(f.some((l) => /fix that first .*wolkvox-import check/.test(l)), f.join('\n'));
    const quota: StopInfo = { kind: 'quota', code: 'API_403', message: "today's quota is spent: the 5 calls left on this token were used (limit 5 per day); the rest is pending: run again with --resume in about 7 h, when the counter resets" };
    const q = adviceLines(result({ counts: { ok: 5, pending: 5 }, exitCode: 3, stop: quota }), 'en', ARGV);
    assert.ok(q.some((l) => /in about 7 h/.test(l)), q.join('\n'));
    assert.ok(q.some((l) => /5 rows are pending: run the same command with --resume after the token's daily counter resets/.test(l)), q.join('\n'));
    assert.ok(q.includes('wolkvox-import: next: wolkvox-import import in.csv --mapping m.json --resume'), q.join('\n'));
  });

  it('gives the exact next command: --resume for pending rows, --resume --reconcile for uncertain ones, the import after a dry run', () => {
    assert.equal(nextCommand(result({ counts: { ok: 1, pending: 2 }, stop: { kind: 'max-calls', message: 'x' } }), ARGV), `${ARGV.join(' ')} --resume`);
    assert.equal(nextCommand(result({ counts: { ok: 1, uncertain: 2 } }), ARGV), `${ARGV.join(' ')} --resume --reconcile`);
    assert.equal(nextCommand(result({ counts: { ok: 1, pending: 1, uncertain: 2 } }), ARGV), `${ARGV.join(' ')} --resume --reconcile`);
    // Searched and still uncertain (several matches, a near match): never a blind resend; pending rows still get --resume.
    const searched = { rows: 2, found: 0, missing: 0, uncertain: 2, calls: 2 };
    assert.equal(nextCommand(result({ counts: { ok: 1, uncertain: 2 }, reconciled: searched }), [...ARGV, '--reconcile']), undefined);
    assert.equal(nextCommand(result({ counts: { pending: 1, uncertain: 2 }, reconciled: searched }), [...ARGV, '--reconcile']), `${ARGV.join(' ')} --reconcile --resume`);
    assert.equal(nextCommand(result({ counts: { ok: 3 } }), ARGV), undefined);
    const dry = result({ counts: { pending: 3 }, dryRun: true });
    assert.equal(nextCommand(dry, ['wolkvox-import', 'validate', 'in.csv', '--mapping', 'm.json']), 'wolkvox-import import in.csv --mapping m.json');
    assert.equal(nextCommand(dry, ['wolkvox-import', 'import', 'in.csv', '--dry-run', '--mapping', 'm.json']), 'wolkvox-import import in.csv --mapping m.json');
    const lines = adviceLines(dry, 'en', ['wolkvox-import', 'validate', 'in.csv', '--mapping', 'm.json']).join('\n');
    assert.match(lines, /this was a simulation: nothing was sent\. To import the file: wolkvox-import import in\.csv --mapping m\.json/);
    assert.doesNotMatch(lines, /--resume/);
  });
});

describe('log lines and the progress bar', () => {
  it('keeps JSON log lines off an interactive terminal unless --log-file or --verbose', () => {
    assert.equal(logLevel({ tty: true }), 'warn');
    assert.equal(logLevel({ tty: true, verbose: true }), 'info');
    assert.equal(logLevel({ tty: true, logFile: '/tmp/x.log' }), 'info');
    assert.equal(logLevel({ tty: false }), 'info', 'cron without a log file: the log is stderr');
    assert.equal(logLevel({ tty: false, quiet: true }), 'warn');
  });

  it('computes the ETA from the rows still to send: rows a --resume found settled do not speed it up', () => {
    const p = new Progress();
    const meter = new RateMeter();
    figuresAt(p, meter, 0, 1000);
    for (let i = 0; i < 900; i++) p.done('kept'); // settled by the earlier runs, counted at once
    let f = figuresAt(p, meter, 1_000, 1000);
    for (let s = 2; s <= 10; s++) {
      p.done('ok'); // one row sent per second
      f = figuresAt(p, meter, s * 1_000, 1000);
    }
    assert.equal(f.done, 909);
    assert.equal(f.left, 91);
    assert.equal(f.rowsPerSec, 0.9);
    assert.equal(f.eta, '1m41s', '91 rows at 0.9 rows/s');
  });
});
