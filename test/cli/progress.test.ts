import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { progressFigures, startProgress } from '../../src/cli/progress.ts';
import { Progress } from '../../src/run/progress.ts';

function progressWith(ok: number, failed: number): Progress {
  const p = new Progress();
  for (let i = 0; i < ok; i++) p.done('ok');
  for (let i = 0; i < failed; i++) p.done('failed');
  return p;
}

describe('progress display', () => {
  it('computes rows/s and the time left from the total', () => {
    const f = progressFigures(progressWith(90, 10), 10, 1000);
    assert.equal(f.done, 100);
    assert.equal(f.rowsPerSec, 10);
    assert.equal(f.eta, '1m30s');
    assert.equal(progressFigures(progressWith(1, 0), 1, undefined).eta, '?');
  });

  it('draws a bar with done/total, ok, failed, rows/s and ETA on a terminal', async () => {
    let written = '';
    const tty = Object.assign(new Writable({ write(c, _e, cb) { written += String(c); cb(); } }), { isTTY: true }) as unknown as NodeJS.WriteStream;
    const p = progressWith(5, 1);
    const d = startProgress(p, pino({ level: 'silent' }), { intervalSec: 60, total: Promise.resolve(12), stream: tty });
    await new Promise((r) => setTimeout(r, 600));
    d.stop();
    assert.match(written, /\[#{12}\.{12}\] 6\/12 rows · ok 5 · failed 1 · invalid 0 · [\d.]+ rows\/s · ETA/);
  });

  it('off a terminal, logs a JSON progress line every interval instead', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } });
    const plain = Object.assign(new Writable({ write(_c, _e, cb) { cb(); } }), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const d = startProgress(progressWith(3, 0), pino(sink), { intervalSec: 0.1, stream: plain });
    await new Promise((r) => setTimeout(r, 350));
    d.stop();
    assert.ok(lines.length >= 2, `${lines.length} lines`);
    const rec = JSON.parse(lines[0]!);
    assert.equal(rec.msg, 'progress');
    assert.equal(rec.ok, 3);
  });
});
