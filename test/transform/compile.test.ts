import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MappingError } from '../../src/errors.ts';
import { BASE, BASE_HEADER, compile, errorOf, rec, recOf, sent } from './helpers.ts';

describe('compileMapping: columns', () => {
  const table: [string, string, string[]][] = [
    ['the exact name', 'Código Tipificación', ['Código Tipificación']],
    ['ignoring case and accents', 'Código Tipificación', ['CODIGO TIPIFICACION']],
    ['ignoring surrounding spaces', 'ID Registro', ['  id registro ']],
    ['the exact name before a looser one', 'Fecha', ['FECHA', 'Fecha']],
  ];
  for (const [what, column, header] of table) {
    it(`finds a column by ${what}`, async () => {
      const h = [...header, 'desc', 'record'];
      const c = await compile({ fields: { ...BASE, tipifycation_code: column } }, h);
      const values = h.map((_, i) => `v${i}`);
      assert.equal(sent(c.transform(rec(values))).tipifycation_code, `v${h.indexOf(column) >= 0 ? h.indexOf(column) : 0}`);
    });
  }

  it('names a missing column and the closest header names', async () => {
    await assert.rejects(compile({ fields: { ...BASE, client_name: 'NOMBRES' } }, [...BASE_HEADER, 'Nombre', 'Teléfono']), (e: Error) => {
      assert.ok(e instanceof MappingError);
      assert.match(e.message, /fields\.client_name\.column: column "NOMBRES" is not in the input header; closest header names: "Nombre"/);
      return true;
    });
  });

  it('refuses a mapped column that occurs twice in the header, naming the positions', async () => {
    await assert.rejects(compile({ fields: BASE }, ['code', 'desc', 'record', 'code']), /column "code" occurs 2 times in the input header \(positions 1 and 4\)/);
  });

  it('refuses a column that matches two headers when accents and case are ignored', async () => {
    await assert.rejects(compile({ fields: { ...BASE, date: 'fecha' } }, [...BASE_HEADER, 'Fecha', 'FECHA']), /matches several columns .*"Fecha" \(position 4\), "FECHA" \(position 5\)/);
  });

  it('warns once about duplicate headers the mapping does not read', async () => {
    const c = await compile({ fields: BASE }, [...BASE_HEADER, 'x', 'X']);
    assert.equal(c.warnings.length, 1);
    assert.match(c.warnings[0], /column "x" occurs 2 times \(positions 4 and 5\)/);
  });

  it('resolves the columns of skip rules, templates and coalesce too', async () => {
    await assert.rejects(compile({ fields: BASE, skip: [{ column: 'nope', empty: true }] }, BASE_HEADER), /skip rule "nope empty" \(skip\[0\]\): column "nope"/);
    await assert.rejects(compile({ fields: { ...BASE, client_name: { template: '{A} {B}' } } }, [...BASE_HEADER, 'A']), /fields\.client_name\.template: column "B"/);
    await assert.rejects(compile({ fields: { ...BASE, client_name: { coalesce: ['A', 'B'] } } }, [...BASE_HEADER, 'B']), /fields\.client_name\.coalesce\[0\]: column "A"/);
  });
});

describe('transform: fields', () => {
  const header = [...BASE_HEADER, 'n', 'a', 'p'];
  const ok = { code: '01', desc: 'VENTA', record: 'R1' };

  it('sends the typification code under both spellings and the description under all three', async () => {
    const c = await compile({ fields: BASE }, BASE_HEADER);
    assert.deepEqual(sent(c.transform(rec(['01', 'VENTA', 'R1']))), {
      tipifycation_code: '01',
      tipifycation_desc: 'VENTA',
      wolkvox_idRecord: 'R1',
      tipification_code: '01',
      tipification_desc: 'VENTA',
      tipification_description: 'VENTA',
      module: 'collections',
    });
  });

  it('fills the other spellings from whichever one the mapping uses', async () => {
    const c = await compile({ fields: { tipification_code: 'code', tipification_description: 'desc', wolkvox_idRecord: 'record' } }, BASE_HEADER);
    const f = sent(c.transform(rec(['01', 'VENTA', 'R1'])));
    assert.equal(f.tipifycation_code, '01');
    assert.equal(f.tipifycation_desc, 'VENTA');
    assert.equal(f.tipification_desc, 'VENTA');
  });

  it('keeps a spelling the mapping maps itself (explicit wins)', async () => {
    const c = await compile({ fields: { ...BASE, tipification_desc: 'n' } }, header);
    const f = sent(c.transform(recOf(header, { ...ok, n: 'otra' })));
    assert.equal(f.tipifycation_desc, 'VENTA');
    assert.equal(f.tipification_desc, 'otra');
    assert.equal(f.tipification_description, 'VENTA');
  });

  it('sets module to collections, also when the mapping says so itself', async () => {
    for (const mod of ['collections', { value: 'collections' }]) {
      const c = await compile({ fields: { ...BASE, module: mod } }, BASE_HEADER);
      assert.equal(sent(c.transform(rec(['01', 'V', 'R']))).module, 'collections');
    }
  });

  const sources: [string, unknown, Record<string, string>, string | undefined][] = [
    ['trims by default', 'n', { n: '  Ana  ' }, 'Ana'],
    ['keeps spaces with "trim": false', { column: 'n', trim: false }, { n: ' Ana ' }, ' Ana '],
    ['a constant value', { value: 'outbound' }, {}, 'outbound'],
    ['the default when the column is empty', { column: 'n', default: 'N/A' }, { n: '   ' }, 'N/A'],
    ['the default when empty after transforms', { column: 'p', transforms: ['digits'], default: '0' }, { p: 'n/a' }, '0'],
    ['coalesce: the first non-empty column', { coalesce: ['n', 'a'] }, { n: ' ', a: 'B' }, 'B'],
    ['a template of columns', { template: '{n} {a}' }, { n: 'Ana', a: 'Gómez' }, 'Ana Gómez'],
    ['a template with literal braces', { template: '{{{n}}}' }, { n: 'x' }, '{x}'],
    ['a template with an empty part, trimmed', { template: '{n} {a}' }, { n: 'Ana' }, 'Ana'],
    ['an empty optional value is left out', 'n', { n: '' }, undefined],
    ['transforms in order', { column: 'p', transforms: ['digits', { replace: { pattern: '^57', with: '' } }] }, { p: '+57 (300) 555-0101' }, '3005550101'],
  ];
  for (const [what, spec, values, expected] of sources) {
    it(`field value: ${what}`, async () => {
      const c = await compile({ fields: { ...BASE, client_name: spec } }, header);
      assert.equal(sent(c.transform(recOf(header, { ...ok, ...values }))).client_name, expected);
    });
  }

  it('sends unknown fields when the mapping allows them', async () => {
    const c = await compile({ fields: { ...BASE, score: 'n' }, allowUnknownFields: true }, header);
    assert.equal(sent(c.transform(recOf(header, { ...ok, n: '7' }))).score, '7');
  });
});

describe('transform: invalid rows', () => {
  const header = [...BASE_HEADER, 'n', 'd'];
  const mapping = {
    fields: {
      ...BASE,
      client_name: 'n',
      date: { column: 'd', transforms: [{ date: { from: 'd/M/yyyy', to: 'yyyy-MM-dd' } }] },
      type_interaction: { column: 'n', transforms: [{ map: { table: { IN: 'inbound' } } }] },
    },
  };

  const cases: [string, Record<string, string>, string][] = [
    ['the example: record and code missing', { desc: 'V', d: '1/8/2026', n: 'IN' }, 'INVALID: tipifycation_code: required; wolkvox_idRecord: required'],
    ['every mandatory field empty', { n: 'IN' }, 'INVALID: tipifycation_code: required; tipifycation_desc: required; wolkvox_idRecord: required'],
    ['a date that does not parse', { code: '1', desc: 'V', record: 'R', d: '31/2/2026', n: 'IN' }, 'INVALID: date: "31/2/2026" does not match "d/M/yyyy"'],
    ['a value not in the map table', { code: '1', desc: 'V', record: 'R', n: 'OUT' }, 'INVALID: type_interaction: "OUT" is not in the map table'],
    ['a control character', { code: '1', desc: 'V', record: 'R', n: 'IN\u0007' }, 'INVALID: client_name: contains a control character (U+0007 at character 3)'],
    ['a value over 4,000 characters', { code: '1', desc: 'x'.repeat(4001), record: 'R', n: 'IN' }, 'INVALID: tipifycation_desc: longer than 4000 characters (4001)'],
  ];
  for (const [what, values, expected] of cases) {
    it(`names every problem: ${what}`, async () => {
      const c = await compile(mapping, header);
      const error = errorOf(c.transform(recOf(header, values)));
      assert.ok(error.startsWith(expected), `${error}\n  does not start with\n${expected}`);
    });
  }

  it('accepts tab and newline (also CRLF) inside a value', async () => {
    const c = await compile({ fields: BASE }, BASE_HEADER);
    assert.equal(sent(c.transform(rec(['01', 'línea 1\r\nlínea 2\tfin', 'R']))).tipifycation_desc, 'línea 1\r\nlínea 2\tfin');
  });

  it('turns a record the parser flagged into an invalid row', async () => {
    const c = await compile({ fields: BASE }, BASE_HEADER);
    assert.deepEqual(c.transform(rec(['01', 'V', 'R'], { problem: 'expected 3 fields, got 4' })), { kind: 'invalid', error: 'INVALID: expected 3 fields, got 4' });
  });

  it('never throws for odd data (short rows, long values)', async () => {
    const c = await compile(mapping, header);
    for (const values of [[], ['01'], Array(10).fill('\u0000'), [''.padEnd(100_000, 'x')]]) {
      assert.doesNotThrow(() => c.transform(rec(values)));
    }
  });
});

describe('transform: dedupeKey', () => {
  const header = [...BASE_HEADER, 'call', 'agent'];
  it('joins the listed fields with \\u001f when all are present', async () => {
    const c = await compile({ fields: { ...BASE, wolkvox_idCall: 'call', agent_id: 'agent' }, dedupeKey: ['wolkvox_idCall', 'agent_id'] }, header);
    assert.deepEqual(c.dedupeKeyFields, ['wolkvox_idCall', 'agent_id']);
    const r = c.transform(rec(['01', 'V', 'R', 'C1', '105']));
    assert.equal(r.kind === 'send' && r.dedupeKey, 'C1\u001f105');
  });

  it('leaves the key out when one of its fields is empty', async () => {
    const c = await compile({ fields: { ...BASE, wolkvox_idCall: 'call', agent_id: 'agent' }, dedupeKey: ['wolkvox_idCall', 'agent_id'] }, header);
    const r = c.transform(rec(['01', 'V', 'R', 'C1', '']));
    assert.equal(r.kind, 'send');
    assert.equal('dedupeKey' in r, false);
  });

  it('has no key fields when the mapping declares none', async () => {
    const c = await compile({ fields: BASE }, BASE_HEADER);
    assert.deepEqual(c.dedupeKeyFields, []);
    assert.equal('dedupeKey' in c.transform(rec(['01', 'V', 'R'])), false);
  });
});

describe('blank records', () => {
  it("skips a record whose every cell is empty (Excel's ;;;; lines) instead of calling it invalid", async () => {
    const { compileMapping } = await import('../../src/transform/index.ts');
    const c = await compileMapping(
      { mapping: { fields: { tipifycation_code: 'a', tipifycation_desc: 'b', wolkvox_idRecord: 'c' } }, path: '/tmp/m.json' },
      ['a', 'b', 'c'],
    );
    assert.deepEqual(c.transform({ row: 1, line: 2, values: ['', ' ', ''] }), { kind: 'skipped', error: 'SKIPPED: empty row' });
    assert.equal(c.transform({ row: 2, line: 3, values: ['1', '', ''] }).kind, 'invalid');
  });
});
