import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { fitLine, progressFigures, RateMeter, startProgress } from '../../src/cli/progress.ts';
import { Progress } from '../../src/run/progress.ts';

function progressWith(ok: number, failed: number, other: Record<string, number> = {}): Progress {
  const p = new Progress();
  for (let i = 0; i < ok; i++) p.done('ok');
  for (let i = 0; i < failed; i++) p.done('failed');
  for (const [s, n] of Object.entries(other)) for (let i = 0; i < n; i++) p.done(s);
  return p;
}

/** A fake terminal of `columns` columns that emits 'drawn' at each write. */
function terminal(columns: number) {
  const writes: string[] = [];
  const stream = Object.assign(new Writable({
    write(c, _e, cb) {
      writes.push(String(c));
      stream.emit('drawn');
      cb();
    },
  }), { isTTY: true, columns }) as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

/** The visible text of the writes: escape sequences out, the longest line drawn. */
function drawnLines(writes: string[]): string[] {
  const esc = new RegExp(`${String.fromCharCode(27)}(\\[[0-9;?]*[A-Za-z]|[78])`, 'g');
  return writes.map((w) => w.replace(esc, '').replace(/\r/g, '')).filter((l) => l !== '');
}

describe('progress display', () => {
  it('computes rows/s, each status count, the rows left and the time left', () => {
    const f = progressFigures(progressWith(90, 10, { skipped: 3, duplicate: 2 }), 10, 1005);
    assert.equal(f.done, 105);
    assert.equal(f.left, 900);
    assert.equal(f.rowsPerSec, 10);
    assert.equal(f.eta, '1m30s');
    assert.deepEqual([f.ok, f.failed, f.skipped, f.duplicate, f.pending, f.uncertain, f.invalid], [90, 10, 3, 2, 0, 0, 0]);
    assert.equal(progressFigures(progressWith(1, 0), 1, undefined).eta, '?');
  });

  it('measures the rate over a recent window: rows settled at once when a resume starts leave it', () => {
    const m = new RateMeter(10_000);
    m.sample(0, 0);
    m.sample(1_000, 900); // a --resume counting rows settled by earlier runs
    let rate = 0;
    for (let t = 2_000; t <= 30_000; t += 1_000) rate = m.sample(t, 900 + (t - 1_000) / 1_000);
    assert.equal(Math.round(rate * 10) / 10, 1);
  });

  it('fits the line to the terminal: a bar when there is room, the text cut at the width otherwise', () => {
    const text = '6/12 rows · 2 rows/s · ETA 0m03s · ok 5 · failed 1';
    assert.equal(fitLine(text, 120, 0.5), `[${'#'.repeat(15)}${'.'.repeat(15)}] ${text}`);
    const at40 = fitLine(text, 40, 0.5);
    assert.equal(at40.length, 39);
    assert.ok(at40.endsWith('…'));
    assert.ok(fitLine(text, 75, 0.5).length <= 74);
  });

  for (const columns of [80, 50]) {
    it(`draws through cli-progress on a terminal of ${columns} columns without ever reaching the last column`, async () => {
      const { stream, writes } = terminal(columns);
      const p = progressWith(5, 1);
      const d = startProgress(p, pino({ level: 'silent' }), { intervalSec: 60, total: Promise.resolve(12), stream });
      while (!drawnLines(writes).some((l) => l.includes('6/12'))) await once(stream, 'drawn');
      d.stop();
      const lines = drawnLines(writes);
      for (const l of lines) assert.ok(l.length < columns, `${l.length} characters at ${columns} columns: ${l}`);
      assert.match(lines.find((l) => l.includes('6/12'))!, /^(\[#+\.+\] )?6\/12 rows · [\d.]+ rows\/s · ETA /);
    });
  }

  it('speaks Spanish when asked', async () => {
    const { stream, writes } = terminal(200);
    const d = startProgress(progressWith(2, 0), pino({ level: 'silent' }), { intervalSec: 60, total: Promise.resolve(4), stream, lang: 'es' });
    while (!drawnLines(writes).some((l) => l.includes('2/4'))) await once(stream, 'drawn');
    d.stop();
    assert.match(drawnLines(writes).join('\n'), /\[#+\.+\] 2\/4 filas · [\d.]+ filas\/s · faltan .* · ok 2 · rechazadas 0 · inválidas 0 · omitidas 0 · duplicadas 0/);
  });

  it('off a terminal, logs a JSON progress line every interval instead, with each status count', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(c, _e, cb) {
        lines.push(String(c));
        sink.emit('line');
        cb();
      },
    });
    const plain = Object.assign(new Writable({ write(_c, _e, cb) { cb(); } }), { isTTY: false }) as unknown as NodeJS.WriteStream;
    const d = startProgress(progressWith(3, 0), pino(sink), { intervalSec: 1, total: Promise.resolve(10), stream: plain });
    const alive = setInterval(() => undefined, 1000); // the display's timer is unref'd: keep the test's loop alive
    while (lines.length < 2) await once(sink, 'line');
    clearInterval(alive);
    d.stop();
    const rec = JSON.parse(lines[1]!);
    assert.equal(rec.msg, 'progress');
    assert.equal(rec.ok, 3);
    assert.equal(rec.total, 10);
    assert.equal(rec.left, 7);
    assert.equal(rec.skipped, 0);
  });
});
