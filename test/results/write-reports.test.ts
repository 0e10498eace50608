import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeReports } from '../../src/results/report.ts';
import { collect, fabricatedResult, removeTempDirs, tempDir, TOKEN } from './helpers.ts';

after(removeTempDirs);

describe('writeReports', () => {
  it('writes <name>.summary.json and <name>.report.html next to the result CSV, readable by the owner only', async () => {
    const dir = tempDir();
    const out = join(dir, 'cartera.results.csv');
    const examples = collect(['CONN_ID', 'COMMENT'], [
      ['ok', '', 'c1', 'bien'],
      ['failed', 'API_400: SOME PARAMETERS ARE REQUIRED', 'c2', ''],
      ['uncertain', `UNCERTAIN: NET_UND_ERR_SOCKET: other side closed (${TOKEN}) via https://proxy:pw@10.0.0.1:3128/?sig=abc`, 'c3', `<script>${TOKEN}</script>`],
    ]);
    const result = fabricatedResult(out, { counts: { ok: 1, failed: 1, uncertain: 1 }, totalRows: 3 });
    const argv = ['wolkvox-import', 'import', 'cartera.csv', '--token', TOKEN];
    const paths = await writeReports({ result, argv, secrets: [TOKEN], lang: 'es', examples });
    assert.deepEqual(paths, { summaryPath: join(dir, 'cartera.summary.json'), htmlPath: join(dir, 'cartera.report.html') });
    for (const p of [paths.summaryPath, paths.htmlPath]) {
      assert.equal(statSync(p).mode & 0o777, 0o600, p);
      assert.ok(!readFileSync(p, 'utf8').includes(TOKEN), `${p} holds the token`);
    }
    const summary = JSON.parse(readFileSync(paths.summaryPath, 'utf8'));
    assert.deepEqual(summary.errorCodes, { API_400: 1, UNCERTAIN: 1 });
    assert.equal(summary.files.report, paths.htmlPath);
    assert.equal(summary.command.line, "wolkvox-import import cartera.csv --token '[REDACTED]'");
    assert.ok(readFileSync(paths.htmlPath, 'utf8').includes('other side closed ([REDACTED]) via https://[REDACTED]@10.0.0.1:3128/?sig=[REDACTED]'));
  });

  it('replaces an earlier report with a private one', async () => {
    const dir = tempDir();
    const out = join(dir, 'b.csv');
    writeFileSync(join(dir, 'b.report.html'), 'old', { mode: 0o644 });
    const r = await writeReports({ result: fabricatedResult(out), argv: [], secrets: [], lang: 'en', examples: collect(['x'], [['ok', '', '1']]) });
    assert.equal(statSync(r.htmlPath).mode & 0o777, 0o600);
    assert.match(readFileSync(r.htmlPath, 'utf8'), /^<!doctype html>/);
  });

  it('keeps bounded examples of 200,000 rows', () => {
    const rows: [string, string, ...string[]][] = [];
    for (let i = 0; i < 200_000; i++) {
      rows.push(i % 10 === 0 ? ['uncertain', 'UNCERTAIN: NET_UND_ERR_HEADERS_TIMEOUT: timeout', `c${i}`, '300'] : i % 7 === 0 ? ['failed', 'API_400: SOME PARAMETERS ARE REQUIRED', `c${i}`, ''] : ['ok', '', `c${i}`, '']);
    }
    const ex = collect(['CONN_ID', 'TELEPHONE'], rows);
    assert.equal(ex.rows, 200_000);
    assert.equal(ex.uncertainTotal, 20_000);
    assert.equal(ex.uncertain.length, 200);
    assert.equal(ex.byCode.API_400?.length, 5);
    assert.ok((ex.codes.API_400 ?? 0) > 10_000);
  });
});
