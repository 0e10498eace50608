import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyExamples } from '../../src/results/report-examples.ts';
import { renderHtml } from '../../src/results/report-html.ts';
import { buildSummary } from '../../src/results/summary.ts';
import { fabricatedExamples, fabricatedResult, TOKEN } from './helpers.ts';

function render(lang: 'es' | 'en', over = {}, examples = fabricatedExamples()) {
  const summary = buildSummary({ result: fabricatedResult('/data/out/cartera.results.csv', over), argv: ['wolkvox-import', 'import', '<b>x.csv</b>'], secrets: [TOKEN], examples });
  return renderHtml(summary, examples, lang);
}

describe('renderHtml', () => {
  it('escapes every value from the data: <script> shows as text', () => {
    const html = render('es');
    assert.ok(!html.includes('<script'), 'a script element in the page');
    assert.ok(!html.includes('<b>x.csv</b>'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    assert.ok(html.includes('Ñandú &amp; Cía'));
  });

  it('refers to nothing outside the file', () => {
    for (const lang of ['es', 'en'] as const) {
      const html = render(lang);
      for (const bad of ['src="http', "src='http", 'href="http', "href='http", '@import', '<script', 'url(', '<link', '<iframe', '<img']) {
        assert.ok(!html.toLowerCase().includes(bad), `${lang}: found ${bad}`);
      }
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
    }
  });

  it('speaks Spanish: headings, statuses, next steps and hints', () => {
    const html = render('es');
    assert.match(html, /<html lang="es">/);
    for (const s of ['Carga de gestiones: Gestión cartera agosto.csv', 'Resultados', 'Cargadas', 'Por verificar', 'Rechazadas', 'Qué hacer ahora',
      'Errores y novedades por código', 'Gestiones por verificar en el CRM (inciertas)', 'Ritmo de envío', 'Detalles de la ejecución',
      'Falta un campo obligatorio o está vacío', 'Terminado, con registros por revisar.', '1,180', 'Hay 5 más que no se muestran']) {
      assert.ok(html.includes(s), `missing "${s}"`);
    }
    assert.ok(!html.includes('What to do'));
  });

  it('speaks English', () => {
    const html = render('en');
    assert.match(html, /<html lang="en">/);
    for (const s of ['Import of gestiones: Gestión cartera agosto.csv', 'Inserted', 'Uncertain', 'What to do now', 'Errors and notes by code',
      'A mandatory field is missing or empty', 'API answers per second', '1,180']) {
      assert.ok(html.includes(s), `missing "${s}"`);
    }
    assert.ok(!html.includes('Qué hacer'));
  });

  it('says why the run stopped and what to do about the quota', () => {
    const html = render('es', { exitCode: 3, stop: { kind: 'quota', code: 'API_403', message: 'API_403: TOKEN LIMIT EXCEEDED' } });
    assert.ok(html.includes('Detenido antes de terminar: quedan gestiones pendientes.'));
    assert.ok(html.includes('Motivo: se agotó la cuota diaria del token.'));
    assert.ok(html.includes('<code class="flag">--resume</code>'));
  });

  it('draws the throughput and latency charts as inline SVG', () => {
    const html = render('en');
    assert.equal(html.match(/<svg /g)?.length, 2);
    assert.ok(html.includes('<rect '));
    assert.ok(html.includes('<polyline '));
  });

  it('renders a dry run without calls, errors or uncertain rows', () => {
    const html = render('es', { dryRun: true, calls: 0, timeline: [], latencies: [], exitCode: 0, counts: { ok: 10 } }, emptyExamples());
    assert.ok(html.includes('En esta ejecución no se hicieron llamadas a la API.'));
    assert.ok(html.includes('Sin errores: todas las gestiones se cargaron.'));
    assert.ok(html.includes('No queda nada pendiente'));
    assert.ok(!html.includes('<svg'));
    assert.ok(!html.includes('por verificar en el CRM (inciertas)'));
  });

  it("takes each code's hints from the rule the run decided its rows with (the store's), not from the message", () => {
    const examples = fabricatedExamples();
    examples.byCode.API_400 = [
      { row: 17, status: 'failed', error: 'API_400: SOME PARAMETERS ARE REQUIRED', rule: 'api-4xx' },
      { row: 18, status: 'failed', error: 'API_400: SOME PARAMETERS ARE REQUIRED' },
    ];
    const html = render('en', {}, examples);
    assert.ok(html.includes('The API rejected this row.'));
    assert.ok(!html.includes('A mandatory field is missing or empty'));
    examples.byCode.API_400 = [{ row: 18, status: 'failed', error: 'API_400: SOME PARAMETERS ARE REQUIRED' }];
    assert.ok(render('en', {}, examples).includes('Read the message in the error column of the result file.'), 'no rule stored: the general line');
  });

  it('keeps the token out of the page', () => {
    const summary = buildSummary({ result: fabricatedResult('/o/x.csv'), argv: ['wolkvox-import', `--token=${TOKEN}`], secrets: [TOKEN] });
    assert.ok(!renderHtml(summary, emptyExamples(), 'en').includes(TOKEN));
  });
});
