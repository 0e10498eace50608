import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MappingError } from '../../src/errors.ts';
import { parseMapping } from '../../src/transform/index.ts';
import { compileUserRegex, type UserRegex } from '../../src/transform/regex.ts';
import { BASE, BASE_HEADER, compile, errorOf, rec, sent } from './helpers.ts';

const regex = (pattern: string, flags = ''): UserRegex => {
  const re = compileUserRegex(pattern, flags);
  if (typeof re === 'string') throw new Error(re);
  return re;
};

describe('mapping regular expressions run in linear time (RE2)', () => {
  // With a backtracking engine each of these takes minutes to years on these inputs.
  const redos: [pattern: string, input: string, matches: boolean][] = [
    ['^(a+)+$', `${'a'.repeat(5000)}!`, false],
    ['^(a+)+$', 'a'.repeat(5000), true],
    ['(a|aa)+$', `${'a'.repeat(5000)}!`, false],
    ['(.*a){20}', 'a'.repeat(5000), true],
    ['(.*a){20}', 'b'.repeat(5000), false],
    ['^(\\w+\\s?)*$', `${'word '.repeat(2000)}!`, false],
    ['^(\\w+\\s?)*$', 'word '.repeat(2000).trim(), true],
  ];

  it('the classic ReDoS patterns answer at once on long inputs', { timeout: 10_000 }, () => {
    for (const [pattern, input, matches] of redos) assert.equal(regex(pattern).test(input), matches, `${pattern} on ${input.length} characters`);
  });

  it('a catastrophic pattern in a skip rule and in a replace transform does not hang a row', { timeout: 10_000 }, async () => {
    const c = await compile(
      {
        fields: { ...BASE, client_name: { column: 'name', transforms: [{ replace: { pattern: '^(a+)+$', with: 'many a' } }] } },
        skip: [{ name: 'redos', column: 'note', matches: '(a|aa)+$' }],
      },
      [...BASE_HEADER, 'name', 'note'],
    );
    assert.equal(sent(c.transform(rec(['01', 'V', 'R', 'a'.repeat(40), `${'a'.repeat(40)}!`]))).client_name, 'many a');
    assert.equal(sent(c.transform(rec(['01', 'V', 'R', `${'a'.repeat(40)}!`, 'x'.repeat(40)]))).client_name, `${'a'.repeat(40)}!`);
    assert.equal(errorOf(c.transform(rec(['01', 'V', 'R', 'x', 'a'.repeat(40)]))), 'SKIPPED: redos');
  });

  it('replaces as String.replace does: first match, every match with g, $1, $&, $<name>, i', () => {
    assert.equal(regex('a').replace('banana', 'o'), 'bonana');
    assert.equal(regex('a', 'g').replace('banana', 'o'), 'bonono');
    assert.equal(regex('^57(3\\d{9})$', 'g').replace('573001234567', '$1'), '3001234567');
    assert.equal(regex('n(?<v>a)', 'g').replace('banana', '[$&:$<v>]'), 'ba[na:a][na:a]');
    assert.equal(regex('PRUEBA', 'i').test('una prueba'), true);
    assert.equal(regex('caf\\u00e9').test('un café'), true);
  });

  const refused: [what: string, pattern: string, reason: RegExp][] = [
    ['a lookahead', '^57(?=3\\d{9}$)', /uses a lookahead "\(\?=" or "\(\?!"/],
    ['a negative lookahead', '^(?!x)', /uses a lookahead/],
    ['a lookbehind', '(?<=\\$)\\d+', /uses a lookbehind/],
    ['a backreference', '(\\w)\\1', /uses a backreference/],
    ['a named backreference', '(?<c>\\w)\\k<c>', /uses a backreference/],
    ['a syntax error', '(a', /invalid regular expression "\(a": missing closing \)/],
  ];
  for (const [what, pattern, reason] of refused) {
    it(`refuses ${what} at load time, naming the file, the key and the pattern`, () => {
      const mapping = { fields: { ...BASE, client_name: { column: 'name', transforms: [{ replace: { pattern, with: '' } }] } } };
      assert.throws(
        () => parseMapping(JSON.stringify(mapping), '/maps/m.json'),
        (e: Error) => {
          assert.ok(e instanceof MappingError);
          assert.equal(e.code, 'E_MAPPING');
          assert.ok(e.message.startsWith('/maps/m.json: fields.client_name.transforms[0].replace.pattern: '), e.message);
          assert.ok(e.message.includes(JSON.stringify(pattern)), e.message);
          assert.match(e.message, reason);
          return true;
        },
      );
    });
  }

  it('an escaped parenthesis or backslash is not mistaken for lookaround or a backreference', () => {
    assert.equal(regex('\\(?=').test('(='), true);
    assert.equal(regex('\\\\1').test('\\1'), true);
  });

  it('refuses the flags RE2 cannot honour (y, d) and repeated flags', () => {
    for (const flags of ['y', 'd', 'gg']) assert.match(String(compileUserRegex('a', flags)), /expected regular expression flags among "gimsu"/);
  });
});
