import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMapping, proposeMapping } from '../../src/transform/index.ts';
import { detectDatePattern } from '../../src/transform/propose.ts';

const CDR_1 = 'CONN_ID,AGENT_NAME,DATE,DESTINY,TELEPHONE,COST,TIME_SEG,TIME_MIN,COD_ACT,DESCRIPTION_COD_ACT,COD_ACT_2,DESCRIPTION_COD_ACT_2,TYPE_INTERACTION,CUSTOMER_ID,HANG_UP,CAMPAIGN_ID,SKILL_ID,SKILL_NAME,AGENT_ID,COMMENT'.split(',');

describe('proposeMapping', () => {
  const synonyms: [string, string][] = [
    ['COD_ACT', 'tipifycation_code'],
    ['DESCRIPTION_COD_ACT', 'tipifycation_desc'],
    ['CONN_ID', 'wolkvox_idCall'],
    ['Teléfono', 'client_telephone'],
    ['TELEPHONE', 'client_telephone'],
    ['AGENT_NAME', 'agent_name'],
    ['Agente', 'agent_name'],
    ['AGENT_ID', 'agent_id'],
    ['extension', 'agent_id'],
    ['CUSTOMER_ID', 'customer_id'],
    ['cedula', 'customer_id'],
    ['Documento', 'customer_id'],
    ['CAMPAIGN_ID', 'campaign_id'],
    ['Campaña', 'campaign_id'],
    ['TYPE_INTERACTION', 'type_interaction'],
    ['DATE', 'date'],
    ['fecha', 'date'],
    ['Nombre', 'client_name'],
    ['apellido', 'client_lastname'],
    ['Código Tipificación', 'tipifycation_code'],
    ['ID Registro', 'wolkvox_idRecord'],
    ['wolkvox_idRecord', 'wolkvox_idRecord'],
    ['TIPIFICATION_CODE', 'tipification_code'],
  ];
  for (const [column, field] of synonyms) {
    it(`maps ${JSON.stringify(column)} to ${field}`, () => {
      const { mapping } = proposeMapping([column, 'otra cosa'], []);
      const spec = mapping.fields[field];
      assert.ok(spec !== undefined, JSON.stringify(mapping.fields));
      assert.equal(typeof spec === 'string' ? spec : spec.column, column);
    });
  }

  it('proposes for a cdr_1 header: date and time from DATE, digits for the phone, skip rules, dedupe on the call id', () => {
    const sample = [CDR_1.map((h) => (h === 'DATE' ? '15/8/2026 6:06:08 p. m.' : '')), CDR_1.map((h) => (h === 'DATE' ? '1/9/2026 10:00:00 a. m.' : ''))];
    const p = proposeMapping(CDR_1, sample);
    assert.deepEqual(p.mapping.fields.date, { column: 'DATE', transforms: [{ date: { from: 'd/M/yyyy h:mm:ss a', to: 'yyyy-MM-dd' } }] });
    assert.deepEqual(p.mapping.fields.time, { column: 'DATE', transforms: [{ date: { from: 'd/M/yyyy h:mm:ss a', to: 'HH:mm:ss' } }] });
    assert.deepEqual(p.mapping.fields.client_telephone, { column: 'TELEPHONE', transforms: ['digits'] });
    assert.deepEqual(p.mapping.dedupeKey, ['wolkvox_idCall']);
    assert.deepEqual(p.mapping.skip?.map((s) => s.name), ['timeoutacw', 'total-row', 'test-call']);
    assert.deepEqual(p.missingRequired, ['wolkvox_idRecord']);
    assert.ok(p.unmapped.includes('COD_ACT_2') && p.unmapped.includes('DESTINY') && !p.unmapped.includes('COD_ACT'));
    assert.match(String(p.mapping.$comment), /wolkvox_idRecord .*lookup/);
  });

  it('proposes a mapping that loads once the missing fields are added', () => {
    const p = proposeMapping(CDR_1, []);
    const completed = { ...p.mapping, fields: { ...p.mapping.fields, wolkvox_idRecord: 'CUSTOMER_ID' } };
    assert.doesNotThrow(() => parseMapping(JSON.stringify(completed), 'proposed.json'));
  });

  it('prefers the date-like column among date synonyms', () => {
    const p = proposeMapping(['Fecha', 'Fecha gestion'], [['Lunes', '2026-08-15'], ['Martes', '2026-08-16']]);
    assert.deepEqual(p.mapping.fields.date, { column: 'Fecha gestion', transforms: [{ date: { from: 'yyyy-MM-dd', to: 'yyyy-MM-dd' } }] });
  });

  it('lists every mandatory field it could not fill', () => {
    assert.deepEqual(proposeMapping(['foo', 'bar'], []).missingRequired, ['wolkvox_idRecord', 'tipifycation_code', 'tipifycation_desc']);
  });

  it('leaves out a header name that occurs twice', () => {
    const p = proposeMapping(['Nombre', 'NOMBRE'], []);
    assert.equal(p.mapping.fields.client_name, undefined);
    assert.deepEqual(p.unmapped, ['Nombre', 'NOMBRE']);
  });

  const dates: [string[], string | undefined][] = [
    [['15/8/2026 6:06:08 p. m.', '1/9/2026 10:00:00 a. m.'], 'd/M/yyyy h:mm:ss a'],
    [['15/08/2026', '01/09/2026'], 'd/M/yyyy'],
    [['8/15/2026', '9/1/2026'], 'M/d/yyyy'],
    [['2026-08-15 18:06:08'], 'yyyy-MM-dd HH:mm:ss'],
    [['', ''], undefined],
    [['mañana'], undefined],
  ];
  for (const [samples, expected] of dates) {
    it(`reads ${JSON.stringify(samples)} as ${expected ?? 'no date'}`, () => assert.equal(detectDatePattern(samples), expected));
  }
});

describe('proposeMapping: the dedupe key', () => {
  it('takes the call id when there is one', () => {
    const p = proposeMapping(CDR_1, [CDR_1.map(() => '1')]);
    assert.equal(p.dedupe, 'call');
    assert.deepEqual(p.mapping.dedupeKey, ['wolkvox_idCall']);
  });

  it('without a call id, proposes record id + date + time + typification', () => {
    const header = ['ID Registro', 'fecha', 'hora', 'Código Tipificación', 'Descripcion'];
    const p = proposeMapping(header, [['R1', '15/08/2026', '10:11:12', '01', 'PROMESA']]);
    assert.equal(p.dedupe, 'composite');
    assert.deepEqual(p.mapping.dedupeKey, ['wolkvox_idRecord', 'date', 'time', 'tipifycation_code']);
    parseMapping(JSON.stringify(p.mapping), 'proposed.json');
  });

  it('says "none" when nothing identifies a gestión (the CLI then warns loudly)', () => {
    const p = proposeMapping(['Nombre', 'Código Tipificación', 'Descripcion'], [['Ana', '01', 'PROMESA']]);
    assert.equal(p.dedupe, 'none');
    assert.equal(p.mapping.dedupeKey, undefined);
  });
});
