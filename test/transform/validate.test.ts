import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkValue } from '../../src/transform/validate.ts';
import { BASE, BASE_HEADER, compile, rec } from './helpers.ts';

describe('row validation', () => {
  const values: [what: string, value: string, reason: string | undefined][] = [
    ['a plain value', 'PROMESA DE PAGO', undefined],
    ['accents and ñ', 'Peña Muñoz', undefined],
    ['a tab', 'a\tb', undefined],
    ['a newline', 'a\nb', undefined],
    ['CRLF', 'a\r\nb', undefined],
    ['a lone CR', 'a\rb', 'contains a control character (U+000D at character 2)'],
    ['NUL', 'a\u0000b', 'contains a control character (U+0000 at character 2)'],
    ['ESC', '\u001b[31m', 'contains a control character (U+001B at character 1)'],
    ['DEL', 'a\u007f', 'contains a control character (U+007F at character 2)'],
    ['a C1 control (mis-decoded Windows-1252)', 'Pe\u0091a', 'contains a control character (U+0091 at character 3)'],
    ['4,000 characters', 'x'.repeat(4000), undefined],
    ['4,001 characters', 'x'.repeat(4001), 'longer than 4000 characters (4001)'],
  ];

  for (const [what, v, reason] of values) {
    it(`${reason === undefined ? 'sends' : 'refuses'} ${what}`, async () => {
      assert.equal(checkValue(v), reason);
      const c = await compile({ fields: BASE }, BASE_HEADER);
      const r = c.transform(rec(['01', v, 'R']));
      if (reason === undefined) assert.equal(r.kind, 'send');
      else assert.deepEqual(r, { kind: 'invalid', error: `INVALID: tipifycation_desc: ${reason}` });
    });
  }

  it('names every mandatory field a row leaves empty', async () => {
    const c = await compile({ fields: BASE }, BASE_HEADER);
    assert.deepEqual(c.transform(rec(['01', ' ', ''])), { kind: 'invalid', error: 'INVALID: tipifycation_desc: required; wolkvox_idRecord: required' });
  });

  it('a send result has every typification spelling, module "collections" and only non-empty values', async () => {
    const c = await compile({ fields: { tipification_code: 'code', tipification_desc: 'desc', wolkvox_idRecord: 'record' } }, BASE_HEADER);
    assert.deepEqual(c.transform(rec(['01', 'V', 'R'])), {
      kind: 'send',
      fields: {
        tipification_code: '01', tipification_desc: 'V', wolkvox_idRecord: 'R', tipifycation_code: '01', tipifycation_desc: 'V', tipification_description: 'V', module: 'collections',
      },
    });
  });
});
