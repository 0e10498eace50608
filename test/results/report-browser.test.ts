import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { writeReports } from '../../src/results/report.ts';
import { collect, fabricatedResult, removeTempDirs, tempDir, TOKEN } from './helpers.ts';

after(removeTempDirs);

const BROWSER_TIMEOUT_MS = 60_000;

/** Debian's chromium: /usr/bin/chromium, else `chromium` on PATH. */
function findChromium(): string | undefined {
  const candidates = ['/usr/bin/chromium', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'chromium'))];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Runs chromium headless in its own process group with a fresh profile, bounded by a timeout;
 * the whole group (browser, zygote, renderers) is killed afterwards whatever happened.
 */
async function chromium(bin: string, extra: string[], url: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${tempDir('wolkvox-chromium-')}`, '--window-size=1280,2000', ...extra, url];
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(killGroup, BROWSER_TIMEOUT_MS);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c) => resolve(c));
    });
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
    killGroup();
  }
}

/** The text a reader sees in a serialized DOM: tags dropped, entities decoded. */
function textOf(dom: string): string {
  return dom
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the HTML report in a real browser', { timeout: 3 * BROWSER_TIMEOUT_MS }, () => {
  it('renders in chromium: Spanish headings, counts, data as text, no script from data', async () => {
    const bin = findChromium();
    if (!bin) assert.fail('chromium is not installed, and this test renders the HTML report in it. Install it: `apt-get install -y chromium` (Debian/Ubuntu, as root), or put a `chromium` binary on PATH.');
    const dir = tempDir();
    const out = join(dir, 'gestiones agosto.results.csv');
    const examples = collect(['CONN_ID', 'FECHA', 'TELEFONO', 'DESCRIPCIÓN'], [
      ['ok', '', 'c-1', '15/08/2026', '3001112233', 'Promesa de pago'],
      ['invalid', 'INVALID: FECHA: expected a date such as "15/08/2026", got "<script>alert(1)</script>"', 'c-2', '<script>alert(1)</script>', '300', 'Ñ'],
      ['failed', 'API_400: SOME PARAMETERS ARE REQUIRED', 'c-3', '15/08/2026', '301', 'Sin tipificación'],
      ['uncertain', 'UNCERTAIN: NET_UND_ERR_HEADERS_TIMEOUT: Headers Timeout Error', '<script>alert("dom")</script>', '16/08/2026', '3019998877', 'Llamada caída'],
      ['uncertain', 'UNCERTAIN: API_502: Bad Gateway', 'c-5', '16/08/2026', '3025556677', 'Acuerdo de pago — señora Núñez'],
      ['pending', 'STOPPED_QUOTA: API_403: TOKEN LIMIT EXCEEDED', 'c-6', '16/08/2026', '302', ''],
    ]);
    const counts = { ok: 1180, invalid: 30, skipped: 12, duplicate: 5, failed: 13, uncertain: 2, pending: 3 };
    const result = fabricatedResult(out, { input: join(dir, 'gestiones agosto.csv'), counts, exitCode: 3, stop: { kind: 'quota', code: 'API_403', message: "API_403: TOKEN LIMIT EXCEEDED: the token's daily quota is used up" } });
    const { htmlPath } = await writeReports({ result, argv: ['wolkvox-import', 'import', 'gestiones agosto.csv', `--token=${TOKEN}`], secrets: [TOKEN], lang: 'es', examples });
    const url = pathToFileURL(htmlPath).href;

    const png = join(dir, 'report.png');
    const shot = await chromium(bin!, [`--screenshot=${png}`], url);
    assert.ok(existsSync(png), `no screenshot (exit ${shot.code}): ${shot.stderr.slice(-2000)}`);
    assert.ok(statSync(png).size > 30_000, `screenshot only ${statSync(png).size} bytes`);
    assert.deepEqual(pngSize(readFileSync(png)), { width: 1280, height: 2000 });

    const dump = await chromium(bin!, ['--dump-dom'], url);
    assert.ok(dump.stdout.includes('</html>'), `no DOM dumped (exit ${dump.code}): ${dump.stderr.slice(-2000)}`);
    assert.equal(dump.stdout.match(/<script/gi), null, 'a script element is in the DOM');
    const text = textOf(dump.stdout);
    for (const s of ['Carga de gestiones: gestiones agosto.csv', 'Resultados', 'Qué hacer ahora', 'Errores y novedades por código',
      'Gestiones por verificar en el CRM (inciertas)', 'Ritmo de envío', 'Detalles de la ejecución', 'Motivo: se agotó la cuota diaria del token.',
      'Cargadas 1,180', 'Inválidas 30', 'Rechazadas 13', 'Por verificar 2', 'Pendientes 3']) {
      assert.ok(text.includes(s), `the page does not show "${s}"`);
    }
    assert.ok(text.includes('<script>alert(1)</script>'), 'the <script> value is not shown as text');
    assert.ok(text.includes('<script>alert("dom")</script>'), 'the <script> id value is not shown as text');
    assert.ok(!text.includes(TOKEN) && !dump.stdout.includes(TOKEN), 'the token is in the page');
    if (process.env.WOLKVOX_KEEP_REPORTS === '1') console.log(`report: ${htmlPath}\nscreenshot: ${png}`);
  });
});
