import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from '../../src/i18n/en.ts';
import { es } from '../../src/i18n/es.ts';
import { hintText, langFromEnv, pickLang, t } from '../../src/i18n/index.ts';
import { RULES } from '../../src/sink/classify.ts';

describe('i18n', () => {
  for (const [env, lang] of [
    [{ LANG: 'es_CO.UTF-8' }, 'es'],
    [{ LANG: 'es' }, 'es'],
    [{ LANG: 'ES_mx' }, 'es'],
    [{ LANG: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'C.UTF-8' }, 'en'],
    [{}, 'en'],
    [{ LANG: 'estonian' }, 'en'],
    [{ LANG: 'es_CO.UTF-8', LC_ALL: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'en_US.UTF-8', LC_ALL: 'es_AR.UTF-8' }, 'es'],
    [{ LANG: 'es_CO.UTF-8', LC_ALL: '' }, 'es'],
  ] as const) {
    it(`reads ${JSON.stringify(env)} as ${lang}`, () => assert.equal(langFromEnv(env), lang));
  }

  it('fills {params} and leaves unknown ones as written', () => {
    assert.equal(t('es', 'counts.total', { n: '1,250' }), '1,250 registros en el archivo');
    assert.equal(t('en', 'counts.total'), '{n} rows in the file');
  });

  it('walks every key of both languages: none empty, the same {params} in each', () => {
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    assert.deepEqual(Object.keys(es).sort(), Object.keys(en).sort());
    assert.ok(Object.keys(en).length > 200, `${Object.keys(en).length} keys: the CLI, help and hint texts are in the dictionaries`);
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      for (const lang of ['en', 'es'] as const) {
        assert.ok(t(lang, key).trim() !== '', `${lang} ${key} is empty`);
        assert.deepEqual(params(t(lang, key)), params(en[key]), `${lang} ${key}: same {params} as English`);
      }
      if (!/^(opt\.emulator\.(host|token)|details\.(yes|no))$/.test(key) && en[key].length > 12) {
        assert.notEqual(es[key], en[key], `${key} is not translated`);
      }
    }
  });

  it('has the hint of every rule of src/sink/classify.ts, by the rule\'s id, in both languages', () => {
    for (const rule of RULES) {
      if (rule.hint === undefined) continue;
      assert.equal(hintText('en', rule.id), rule.hint, `en.ts 'hint.${rule.id}' is the rule's hint`);
      assert.notEqual(hintText('es', rule.id), rule.hint, `es.ts has Spanish for 'hint.${rule.id}'`);
    }
    assert.equal(hintText('es', 'no-such-rule'), undefined);
  });

  it('--lang wins over the environment', () => {
    assert.equal(pickLang('en', { LANG: 'es_CO.UTF-8' }), 'en');
    assert.equal(pickLang(undefined, { LC_MESSAGES: 'es_MX' }), 'es');
    assert.equal(pickLang('fr', {}), 'en');
  });
});
