import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countRecords } from '../../src/source/index.ts';
import { fixture, readAll } from './helpers.ts';

const CDR_HEADER = [
  'CONN_ID', 'AGENT_NAME', 'DATE', 'DESTINY', 'TELEPHONE', 'COST', 'TIME_SEG', 'TIME_MIN', 'COD_ACT', 'DESCRIPTION_COD_ACT',
  'COD_ACT_2', 'DESCRIPTION_COD_ACT_2', 'TYPE_INTERACTION', 'CUSTOMER_ID', 'HANG_UP', 'CAMPAIGN_ID', 'SKILL_ID', 'SKILL_NAME', 'AGENT_ID', 'COMMENT',
];

describe('openSource on the fixtures', () => {
  const cases = [
    { file: 'cdr_1_cp1252_semicolon.csv', encoding: 'windows-1252', bom: false, delimiter: ';', records: 30, width: 20 },
    { file: 'crm_records.csv', encoding: 'utf-8', bom: false, delimiter: ',', records: 9, width: 3 },
    { file: 'disposition_utf16_tab.csv', encoding: 'utf-16le', bom: true, delimiter: '\t', records: 10, width: 4 },
    { file: 'utf8_bom_comma.csv', encoding: 'utf-8', bom: true, delimiter: ',', records: 5, width: 7 },
  ];
  for (const c of cases) {
    it(`reads ${c.file} as ${c.encoding}${c.bom ? ' with BOM' : ''}, ${JSON.stringify(c.delimiter)}-separated, ${c.records} records`, async () => {
      const { source, records, error } = await readAll({ path: fixture(c.file) });
      assert.equal(error, undefined);
      assert.equal(source.info.encoding, c.encoding);
      assert.equal(source.info.bom, c.bom);
      assert.equal(source.info.delimiter, c.delimiter);
      assert.equal(source.info.header.length, c.width);
      assert.equal(records.length, c.records);
      assert.deepEqual(
        records.map((r) => r.row),
        records.map((_, i) => i + 1),
      );
      assert.ok(records.every((r) => r.problem === undefined && r.values.length === c.width));
    });
  }

  it('decodes the Windows-1252 call-detail export: accents, curly quotes and the euro sign', async () => {
    const { source, records } = await readAll({ path: fixture('cdr_1_cp1252_semicolon.csv') });
    assert.deepEqual(source.info.header, CDR_HEADER);
    assert.deepEqual(source.info.duplicateHeaders, []);
    const first = records[0]!;
    assert.equal(first.line, 2);
    assert.equal(first.values[1], 'Ana María Peña');
    assert.equal(first.values[2], '15/08/2026 8:00:00 a. m.');
    assert.equal(first.values[5], '31,5');
    assert.equal(records[11]!.values[19], 'Se ofrece “cuota fija” de €0');
    assert.equal(records.filter((r) => r.values[8] === 'TIMEOUTACW').length, 2);
    assert.equal(records.find((r) => r.values[9] === 'PRUEBA')?.values[13], '9999999999');
    assert.ok(records.some((r) => r.values[10] === '-'));
  });

  it('keeps a quoted ";" and a quoted line break inside their value, and numbers lines physically', async () => {
    const { records } = await readAll({ path: fixture('cdr_1_cp1252_semicolon.csv') });
    assert.equal(records[8]!.values[19], 'Acordó abono; confirma el lunes');
    assert.deepEqual([records[14]!.row, records[14]!.line, records[14]!.values[19]], [15, 16, 'Llamar de nuevo.\nPrefiere horario de la tarde']);
    assert.deepEqual([records[15]!.row, records[15]!.line], [16, 18]);
    assert.deepEqual([records[29]!.row, records[29]!.line], [30, 32]);
  });

  it('matches every CUSTOMER_ID of the call-detail export but one in the CRM export', async () => {
    const cdr = await readAll({ path: fixture('cdr_1_cp1252_semicolon.csv') });
    const crm = await readAll({ path: fixture('crm_records.csv') });
    const known = new Set(crm.records.map((r) => r.values[0]));
    const missing = new Set(cdr.records.map((r) => r.values[13]).filter((id) => !known.has(id)));
    assert.deepEqual([...missing], ['1098765432']);
    assert.equal(crm.records[3]!.values[2], 'Castaño, Iván Darío');
  });

  it('strips the BOM from the first header name and unescapes doubled quotes', async () => {
    const { source, records } = await readAll({ path: fixture('utf8_bom_comma.csv') });
    assert.equal(source.info.header[0], 'customer_id');
    assert.equal(records[3]!.values[6], 'Dice "ya pagué" por PSE');
    assert.equal(records[1]!.values[6], '');
  });

  it('reads the UTF-16 disposition table with its accents', async () => {
    const { records } = await readAll({ path: fixture('disposition_utf16_tab.csv') });
    assert.deepEqual(records[2]!.values, ['BZ', 'Buzón de voz', 'Sin contacto', 'NO']);
    assert.equal(records[0]!.values[3], 'SÍ');
  });

  it('lists duplicate header names once, after trimming the spaces around them', async () => {
    const { source, records } = await readAll({ path: fixture('broken/duplicate_headers.csv') });
    assert.deepEqual(source.info.header, ['customer_id', 'comment', 'date', 'comment', 'wolkvox_idRecord']);
    assert.deepEqual(source.info.duplicateHeaders, ['comment']);
    assert.equal(records.length, 2);
  });

  it('yields no records and no error for a header-only file', async () => {
    const { source, records, error } = await readAll({ path: fixture('broken/header_only.csv') });
    assert.deepEqual(source.info.header, ['customer_id', 'wolkvox_idRecord', 'comment']);
    assert.deepEqual(records, []);
    assert.equal(error, undefined);
  });

  it('honours forced encoding and delimiter overrides', async () => {
    const { source, records } = await readAll({ path: fixture('cdr_1_cp1252_semicolon.csv'), encoding: 'latin1', delimiter: 'semicolon' });
    assert.equal(source.info.encoding, 'latin1');
    assert.equal(records[0]!.values[1], 'Ana María Peña');
    assert.notEqual(records[11]!.values[19], 'Se ofrece “cuota fija” de €0'); // latin1 has no curly quotes or euro
    const asComma = await readAll({ path: fixture('crm_records.csv'), delimiter: ';' });
    assert.deepEqual(asComma.source.info.header, ['customer_id,wolkvox_idRecord,client_name']);
  });

  const counts: Array<[string, number]> = [
    ['crm_records.csv', 9],
    ['disposition_utf16_tab.csv', 10],
    ['utf8_bom_comma.csv', 5],
    ['broken/header_only.csv', 0],
    ['broken/wrong_field_count.csv', 4],
    ['cdr_1_cp1252_semicolon.csv', 31], // 30 records: one comment spans two lines (documented over-count)
  ];
  for (const [file, n] of counts) {
    it(`counts ${n} records in ${file} without parsing it`, async () => {
      assert.equal(await countRecords({ path: fixture(file) }), n);
    });
  }
});
