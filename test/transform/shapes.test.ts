/** Issue 14 points 7 and 9, issue 13 point 1: positional columns, every missing column at once, dates that do not parse. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MappingError } from '../../src/errors.ts';
import { proposeMapping } from '../../src/transform/index.ts';
import { fitDatePattern } from '../../src/transform/propose.ts';
import { BASE, BASE_HEADER, compile, errorOf, rec, sent } from './helpers.ts';

describe('columns without a usable name', () => {
  it('"#5" names the 5th column (blank or repeated header names)', async () => {
    const header = [...BASE_HEADER, 'x', '', 'x'];
    const c = await compile({ fields: { ...BASE, client_name: '#5', client_lastname: { column: '#6' } } }, header);
    const out = sent(c.transform(rec(['01', 'd', 'R1', 'a', 'Ana', 'Gómez'])));
    assert.equal(out.client_name, 'Ana');
    assert.equal(out.client_lastname, 'Gómez');
  });

  it('a column literally named "#5" wins; "#9" beyond the header is a missing column', async () => {
    const c = await compile({ fields: { ...BASE, client_name: '#1' } }, [...BASE_HEADER, '#1']);
    assert.equal(sent(c.transform(rec(['01', 'd', 'R1', 'named']))).client_name, 'named');
    await assert.rejects(compile({ fields: { ...BASE, client_name: '#9' } }, BASE_HEADER), /has 3 column\(s\), so there is no column 9/);
  });

  it('every missing column is listed, in the user\'s terms', async () => {
    const mapping = { fields: { ...BASE, client_name: 'NOMBRES', agent_name: 'ASESOR' }, skip: [{ name: 'timeoutacw', column: 'COD_ACT', equals: 'TIMEOUTACW' }] };
    await assert.rejects(compile(mapping, BASE_HEADER), (e: unknown) => {
      assert.ok(e instanceof MappingError);
      assert.match(e.message, /3 columns the mapping names are not in the input header/);
      assert.match(e.message, /skip rule "timeoutacw" \(skip\[0\]\): column "COD_ACT"/);
      assert.match(e.message, /fields\.client_name\.column: column "NOMBRES"/);
      assert.match(e.message, /fields\.agent_name\.column: column "ASESOR"/);
      return true;
    });
  });
});

describe('dates that do not parse (issue 13.1)', () => {
  it('a date field sent without a date transform must be yyyy-MM-dd, else the row is invalid', async () => {
    const c = await compile({ fields: { ...BASE, date: 'fecha', time: 'hora' } }, [...BASE_HEADER, 'fecha', 'hora']);
    assert.equal(sent(c.transform(rec(['01', 'd', 'R1', '2026-08-15', '10:11:12']))).date, '2026-08-15');
    assert.match(errorOf(c.transform(rec(['01', 'd', 'R1', '15/08/2026', '10:11:12']))), /date: "15\/08\/2026" is not a date in yyyy-MM-dd form; add a date transform/);
    assert.match(errorOf(c.transform(rec(['01', 'd', 'R1', '2026-02-31', '']))), /date: "2026-02-31"/);
    assert.match(errorOf(c.transform(rec(['01', 'd', 'R1', '', '6 pm']))), /time: "6 pm" is not a time in HH:mm:ss form/);
  });

  it('init-mapping proposes the pattern most values read with and names the lines that do not', () => {
    assert.deepEqual(fitDatePattern(['15/08/2026', '31/02/2026', '16/08/2026', '']), { pattern: 'd/M/yyyy', misfits: [1] });
    const header = ['Fecha', 'Registro', 'Codigo', 'Descripcion'];
    const sample = [['15/08/2026', 'R1', '01', 'x'], ['31/02/2026', 'R2', '01', 'x'], ['16/08/2026', 'R3', '01', 'x']];
    const p = proposeMapping(header, sample, [5, 6, 7]);
    assert.deepEqual(p.mapping.fields.date, { column: 'Fecha', transforms: [{ date: { from: 'd/M/yyyy', to: 'yyyy-MM-dd' } }] });
    assert.deepEqual(p.dateMisfits, [{ field: 'date', column: 'Fecha', pattern: 'd/M/yyyy', lines: [6] }]);
  });

  it('a column named as a date whose values are no date is flagged', () => {
    const p = proposeMapping(['Fecha', 'Registro'], [['mañana', 'R1'], ['ayer', 'R2']]);
    assert.deepEqual(p.undated, [{ field: 'date', column: 'Fecha' }]);
  });
});

describe('init-mapping knows common collections headers', () => {
  it('NUM_DOCUMENTO, NOMBRE_COMPLETO, TELEFONO_1, CODIGO_AGENTE, Gestor, TIPO_ID, NUM_OBLIGACION', () => {
    const header = ['NUM_DOCUMENTO', 'NOMBRE_COMPLETO', 'TELEFONO_1', 'CODIGO_AGENTE', 'Gestor', 'TIPO_ID', 'NUM_OBLIGACION'];
    const f = proposeMapping(header, []).mapping.fields;
    assert.equal(f.customer_id, 'NUM_DOCUMENTO');
    assert.equal(f.client_name, 'NOMBRE_COMPLETO');
    assert.deepEqual(f.client_telephone, { column: 'TELEFONO_1', transforms: ['digits'] });
    assert.equal(f.agent_id, 'CODIGO_AGENTE');
    assert.equal(f.agent_name, 'Gestor');
    assert.equal(f.client_type_document, 'TIPO_ID');
    assert.equal(f.obligation, 'NUM_OBLIGACION');
  });
});
