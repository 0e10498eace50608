import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gestionProblems, checkValue } from '../../src/transform/validate.ts';
import { BASE, BASE_HEADER, compile, rec } from './helpers.ts';

describe('row validation', () => {
  const values: [string, string][] = [
    ['a plain value', 'PROMESA DE PAGO'],
    ['accents and ñ', 'Peña Muñoz'],
    ['a tab', 'a\tb'],
    ['a newline', 'a\nb'],
    ['CRLF', 'a\r\nb'],
    ['a lone CR', 'a\rb'],
    ['NUL', 'a\u0000b'],
    ['ESC', '\u001b[31m'],
    ['DEL', 'a\u007f'],
    ['a C1 control (mis-decoded Windows-1252)', 'Pe\u0091a'],
    ['4,000 characters', 'x'.repeat(4000)],
    ['4,001 characters', 'x'.repeat(4001)],
  ];

  it('the compiled check agrees with the zod gestión schema on every value', async () => {
    const c = await compile({ fields: BASE }, BASE_HEADER);
    for (const [what, v] of values) {
      const zodOk = gestionProblems({ tipifycation_code: '01', tipifycation_desc: v, tipification_code: '01', tipification_desc: v, tipification_description: v, module: 'collections', wolkvox_idRecord: 'R' }).length === 0;
      const compiledOk = checkValue(v) === undefined;
      assert.equal(compiledOk, zodOk, what);
      assert.equal(c.transform(rec(['01', v, 'R'])).kind === 'send', zodOk, what);
    }
  });

  it('the zod schema names the mandatory fields a finished row lacks', () => {
    assert.deepEqual(gestionProblems({ tipifycation_code: '01', tipifycation_desc: 'V', tipification_code: '01', tipification_desc: 'V', tipification_description: '', module: 'sales' }), [
      'tipification_description: required',
      'module: must be "collections"',
      'wolkvox_idRecord: required',
    ]);
  });

  it('every send result passes the zod gestión schema', async () => {
    const c = await compile({ fields: { tipification_code: 'code', tipification_desc: 'desc', wolkvox_idRecord: 'record' } }, BASE_HEADER);
    const r = c.transform(rec(['01', 'V', 'R']));
    assert.equal(r.kind, 'send');
    if (r.kind === 'send') assert.deepEqual(gestionProblems(r.fields), []);
  });
});
