import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MappingError } from '../../src/errors.ts';
import { listPresets, loadMapping, loadPreset, parseMapping } from '../../src/transform/index.ts';
import { BASE, tmpDir, writeFile } from './helpers.ts';

/** The MappingError message for a mapping object. */
function problems(mapping: unknown): string {
  try {
    parseMapping(JSON.stringify(mapping), 'mapping.json');
  } catch (err) {
    assert.ok(err instanceof MappingError, String(err));
    assert.equal(err.code, 'E_MAPPING');
    return err.message;
  }
  assert.fail('expected a MappingError');
}

describe('loadMapping', () => {
  it('accepts the fixed contract: a column name, {column, default} and {value}', () => {
    const m = parseMapping(
      JSON.stringify({ fields: { ...BASE, client_name: { column: 'Nombre', default: 'N/A' }, type_interaction: { value: 'outbound' } } }),
      'mapping.json',
    );
    assert.deepEqual(m.fields.client_name, { column: 'Nombre', default: 'N/A' });
    assert.deepEqual(m.fields.type_interaction, { value: 'outbound' });
  });

  it('reads a file and keeps its text and path', async () => {
    const dir = tmpDir();
    const text = JSON.stringify({ fields: BASE });
    const path = writeFile(dir, 'mapping.json', '\ufeff' + text);
    const loaded = await loadMapping(path);
    assert.equal(loaded.path, path);
    assert.equal(loaded.text, '\ufeff' + text);
    assert.deepEqual(loaded.mapping.fields, BASE);
  });

  it('names a missing file', async () => {
    await assert.rejects(loadMapping('/nonexistent/m.json'), (e: Error) => e instanceof MappingError && /cannot read mapping file \/nonexistent\/m\.json: no such file/.test(e.message));
  });

  const invalidJson: [string, string, RegExp][] = [
    ['a trailing comma', '{"fields": {\n  "a": "b",\n  }\n}', /^m\.json:3:3: invalid JSON: /],
    ['a cut-off file', '{"fields": ', /^m\.json:1:12: invalid JSON: Unexpected end of JSON input/],
    ['an empty file', '', /^m\.json:1:1: invalid JSON/],
  ];
  for (const [what, text, expected] of invalidJson) {
    it(`reports invalid JSON with line and column: ${what}`, () => {
      assert.throws(() => parseMapping(text, 'm.json'), (e: Error) => e instanceof MappingError && expected.test(e.message));
    });
  }

  const cases: [string, unknown, string][] = [
    [
      'a date pattern that is not one',
      { fields: { ...BASE, date: { column: 'F', transforms: [{ date: { from: '31-12' } }] } } },
      'mapping.json: fields.date.transforms[0].date.from: expected a date pattern such as "dd/MM/yyyy", got "31-12"',
    ],
    ['a misspelt API field', { fields: { ...BASE, tipification_cod: 'X' } }, 'mapping.json: fields.tipification_cod: unknown API field; did you mean "tipification_code"?'],
    ['a field spec of the wrong type', { fields: { ...BASE, client_name: 3 } }, 'fields.client_name: expected a column name or an object such as {"column": "..."}, got 3'],
    ['an empty column name', { fields: { ...BASE, client_name: '' } }, 'fields.client_name: expected a column name, got ""'],
    ['two sources', { fields: { ...BASE, client_name: { column: 'a', value: 'b' } } }, 'fields.client_name: expected exactly one source among "column", "value", "coalesce", "template", "lookup", got "column" and "value"'],
    ['no source', { fields: { ...BASE, client_name: { default: 'x' } } }, 'got none'],
    ['an unknown transform', { fields: { ...BASE, client_name: { column: 'N', transforms: ['capitalize'] } } }, 'fields.client_name.transforms[0]: expected "trim", "upper", "lower", "digits" or an object'],
    ['an invalid regex', { fields: { ...BASE, client_name: { column: 'N', transforms: [{ replace: { pattern: '(', with: '' } }] } } }, 'fields.client_name.transforms[0].replace.pattern: invalid regular expression "("'],
    ['a regex over 200 characters', { fields: { ...BASE, client_name: { column: 'N', transforms: [{ replace: { pattern: 'a'.repeat(201), with: '' } }] } } }, 'fields.client_name.transforms[0].replace.pattern: expected a regular expression of at most 200 characters, got 201'],
    ['bad regex flags', { fields: { ...BASE, client_name: { column: 'N', transforms: [{ replace: { pattern: 'a', with: '', flags: 'gx' } }] } } }, 'replace.flags: expected regular expression flags among "gimsu"'],
    ['a map value that is not a string', { fields: { ...BASE, client_name: { column: 'N', transforms: [{ map: { table: { a: 1 } } }] } } }, 'fields.client_name.transforms[0].map.table.a: expected a string, got 1'],
    ['a week-year date token', { fields: { ...BASE, date: { column: 'F', transforms: [{ date: { from: 'YYYY-MM-DD' } }] } } }, 'write "yyyy" and "dd"'],
    ['an unknown time zone', { fields: { ...BASE, date: { column: 'F', transforms: [{ date: { from: 'd/M/yyyy', timeZone: 'Mars/Base' } }] } } }, 'date.timeZone: expected an IANA time zone such as "America/Bogota", got "Mars/Base"'],
    ['a duration to the same unit', { fields: { ...BASE, time: { column: 'T', transforms: [{ duration: { from: 'seconds', to: 'seconds' } }] } } }, 'duration: expected "from" and "to" to differ'],
    ['a missing mandatory field', { fields: { tipifycation_code: 'a', tipifycation_desc: 'b' } }, 'mapping.json: fields: missing required field "wolkvox_idRecord"'],
    ['no typification code under any spelling', { fields: { tipifycation_desc: 'b', wolkvox_idRecord: 'c' } }, 'missing required field "tipifycation_code" or "tipification_code"'],
    ['module other than collections', { fields: { ...BASE, module: { value: 'sales' } } }, 'fields.module: expected "collections" or {"value": "collections"}'],
    ['module from a column', { fields: { ...BASE, module: 'MODULO' } }, 'fields.module: expected "collections"'],
    ['a dedupeKey field the mapping does not produce', { fields: BASE, dedupeKey: ['wolkvox_idCall'] }, 'dedupeKey[0]: expected a field the mapping produces, got "wolkvox_idCall"'],
    ['a misspelt top-level key', { fields: BASE, lookup: {} }, 'unknown key "lookup" (did you mean "lookups"?)'],
    ['a lookup table that is not declared', { fields: { ...BASE, wolkvox_idRecord: { lookup: { table: 'recs', key: 'A', column: 'id' } } }, lookups: { records: { file: 'r.csv', key: 'a' } } }, 'fields.wolkvox_idRecord.lookup.table: no lookup table named "recs"; the mapping\'s lookups are "records"'],
    ['a lookup key of the wrong length', { fields: { ...BASE, wolkvox_idRecord: { lookup: { table: 'r', key: ['A'], column: 'id' } } }, lookups: { r: { file: 'r.csv', key: ['a', 'b'] } } }, 'fields.wolkvox_idRecord.lookup.key: expected 2 key column(s)'],
    ['a lookup encoding nobody knows', { fields: BASE, lookups: { r: { file: 'r.csv', key: 'a', encoding: 'ebcdic' } } }, 'lookups.r.encoding: expected utf-8, windows-1252, latin1, utf-16le or utf-16be, got "ebcdic"'],
    ['a skip rule without a test', { fields: BASE, skip: [{ column: 'A' }] }, 'skip[0]: expected exactly one test among "equals", "in", "matches", "empty", got none'],
    ['a skip rule with flags but no matches', { fields: BASE, skip: [{ column: 'A', equals: 'x', flags: 'i' }] }, 'skip[0].flags: "flags" only goes with "matches"'],
    ['a top level that is not an object', [], 'mapping.json: (top level): expected an object, got an array'],
  ];
  for (const [what, mapping, expected] of cases) {
    it(`rejects ${what}, naming the key, what was expected and what was got`, () => {
      const msg = problems(mapping);
      assert.ok(msg.includes(expected), `message:\n${msg}\nexpected to contain:\n${expected}`);
    });
  }

  it('lists every problem, one per line', () => {
    const msg = problems({ fields: { ...BASE, client_name: 3, tipification_cod: 'x' }, skip: [{ column: 'A' }] });
    assert.equal(msg.split('\n').length, 3, msg);
  });

  it('sends unknown fields when allowUnknownFields is true', () => {
    const m = parseMapping(JSON.stringify({ fields: { ...BASE, custom_score: 'score' }, allowUnknownFields: true }), 'm.json');
    assert.equal(m.fields.custom_score, 'score');
  });

  it('accepts dedupeKey on a typification spelling the mapping fills itself', () => {
    assert.doesNotThrow(() => parseMapping(JSON.stringify({ fields: BASE, dedupeKey: ['tipification_code', 'module'] }), 'm.json'));
  });
});

describe('loadPreset', () => {
  it('loads cdr_1 from fixtures/mappings and marks it as a preset', async () => {
    const p = await loadPreset('cdr_1');
    assert.equal(p.preset, 'cdr_1');
    assert.match(p.path, /fixtures[/\\]mappings[/\\]cdr_1\.json$/);
    assert.deepEqual(p.mapping.dedupeKey, ['wolkvox_idCall']);
  });

  it('lists the known presets for an unknown name', async () => {
    assert.ok((await listPresets()).includes('cdr_1'));
    await assert.rejects(loadPreset('cdr_2'), (e: Error) => e instanceof MappingError && /unknown mapping preset "cdr_2"; known presets: .*"cdr_1"/.test(e.message));
    await assert.rejects(loadPreset('../package'), MappingError);
  });
});
