import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { html, prose, raw } from '../../src/results/html.ts';
import { renderHtml } from '../../src/results/report-html.ts';
import { buildSummary } from '../../src/results/summary.ts';
import { fabricatedExamples, fabricatedResult } from './helpers.ts';

describe('the html tagged template', () => {
  it('escapes every interpolated value', () => {
    const v = `<script>alert('x') & "y"</script>`;
    assert.equal(html`<td title="${v}">${v}</td>`.toString(),
      '<td title="&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;">&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;</td>');
  });

  it('does not escape nested templates twice, and joins arrays', () => {
    const cell = html`<td>${'a & b'}</td>`;
    const rows = ['<1>', '<2>'].map((x) => html`<tr>${x}</tr>`);
    assert.equal(html`<tr>${cell}</tr>`.toString(), '<tr><td>a &amp; b</td></tr>');
    assert.equal(html`<tbody>${rows}</tbody>`.toString(), '<tbody><tr>&lt;1&gt;</tr><tr>&lt;2&gt;</tr></tbody>');
  });

  it('escapes a string that only looks like markup, writes nothing for null/undefined, numbers as text', () => {
    const looksSafe = html`<b>x</b>`.toString();
    assert.equal(html`${looksSafe}`.toString(), '&lt;b&gt;x&lt;/b&gt;');
    assert.equal(html`[${null}${undefined}${0}${1.5}]`.toString(), '[01.5]');
  });

  it('keeps raw markup and sets --flags of prose in code type', () => {
    assert.equal(html`<style>${raw('a > b { font: "x" }')}</style>`.toString(), '<style>a > b { font: "x" }</style>');
    assert.equal(prose('run with --resume <now>').toString(), 'run with <code class="flag">--resume</code> &lt;now&gt;');
  });
});

describe('the report with a hostile error cell', () => {
  it('shows <script> in an error cell as text', () => {
    const examples = fabricatedExamples();
    examples.byCode.API_400 = [{ row: 17, status: 'failed', error: 'API_400: <script>alert(document.cookie)</script><img src=x onerror=alert(1)>' }];
    const summary = buildSummary({ result: fabricatedResult('/o/x.results.csv'), argv: [], secrets: [], examples });
    const page = renderHtml(summary, examples, 'en');
    assert.ok(!page.includes('<script'));
    assert.ok(!page.includes('<img'));
    assert.ok(page.includes('API_400: &lt;script&gt;alert(document.cookie)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!page.includes('&amp;lt;'), 'escaped twice');
  });
});
