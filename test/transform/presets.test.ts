import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSource } from '../../src/source/index.ts';
import { compileMapping, loadMapping, loadPreset, type CompiledMapping } from '../../src/transform/index.ts';
import type { TransformResult } from '../../src/types.ts';
import { tmpDir, writeFile } from './helpers.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

async function runFile(input: string, compiled: (header: string[]) => Promise<CompiledMapping>): Promise<TransformResult[]> {
  const source = await openSource({ path: input });
  const c = await compiled(source.info.header);
  const out: TransformResult[] = [];
  for await (const r of source.records) out.push(c.transform(r));
  return out;
}

describe('fixtures/mappings/sample.json on fixtures/sample_gestiones.csv (the demo input)', () => {
  it('sends 22 rows, finds 2 invalid and skips 1 test call', async () => {
    const m = await loadMapping(join(FIXTURES, 'mappings', 'sample.json'));
    const results = await runFile(join(FIXTURES, 'sample_gestiones.csv'), (h) => compileMapping(m, h));
    assert.equal(results.length, 25);
    const by = (k: string) => results.filter((r) => r.kind === k);
    assert.equal(by('send').length, 22);
    assert.deepEqual(by('invalid').map((r) => r.kind !== 'send' && r.error), ['INVALID: wolkvox_idRecord: required', 'INVALID: tipifycation_code: required']);
    assert.deepEqual(by('skipped').map((r) => r.kind !== 'send' && r.error), ['SKIPPED: test-call']);
    const third = results[2];
    assert.ok(third.kind === 'send');
    assert.equal(third.fields.tipifycation_desc, 'Acuerdo de pago, cuota 1 de 3');
    assert.equal(third.fields.client_telephone, '3155550103');
    assert.equal(third.dedupeKey, 'CALL-80003');
    const last = results[24];
    assert.ok(last.kind === 'send');
    assert.deepEqual([last.fields.date, last.fields.time], ['2026-08-06', '18:06:08']);
  });
});

describe('preset cdr_1', () => {
  const header = 'conn_id,agent_name,date,destiny,telephone,cost,time_seg,time_min,cod_act,description_cod_act,cod_act_2,description_cod_act_2,type_interaction,customer_id,hang_up,campaign_id,skill_id,skill_name,agent_id,comment';
  const rows = [
    'C-1,Laura Ríos,15/08/2026 6:06:08 p. m.,3005550101,(300) 555-0101,0,65,1.08,01,PROMESA DE PAGO,-,-,outbound,1020304050,agent,CAMP-7,3,Cobranza,105,"dijo: pago el 30, sin falta"',
    'C-2,Laura Ríos,15/08/2026 6:10:00 p. m.,3005550102,300 555 0102,0,0,0,TIMEOUTACW,,-,-,outbound,79111222,client,CAMP-7,3,Cobranza,105,',
    'C-3,Andrés Peña,15/08/2026 9:00:00 a. m.,3005550103,3005550103,0,20,0.33,02,PRUEBA,-,-,outbound,52333444,agent,CAMP-7,3,Cobranza,106,',
    'C-4,Andrés Peña,16/08/2026 10:00:00 a. m.,3005550104,3005550104,0,20,0.33,03,YA PAGÓ,-,-,outbound,99999999,agent,CAMP-7,3,Cobranza,106,',
    'TOTAL,,,,,0,105,1.75,,,,,,,,,,,,',
  ];

  it('reads the call-detail export, with the CRM records next to it', async () => {
    const dir = tmpDir();
    const input = writeFile(dir, 'cdr_1.csv', [header.toUpperCase(), ...rows].join('\r\n') + '\r\n');
    writeFile(dir, 'crm_records.csv', 'customer_id,wolkvox_idRecord\n1020304050,REC-1\n79111222,REC-2\n52333444,REC-3\n');
    const preset = await loadPreset('cdr_1');
    const results = await runFile(input, (h) => compileMapping(preset, h, { inputPath: input }));
    assert.deepEqual(results[0], {
      kind: 'send',
      dedupeKey: 'C-1',
      fields: {
        tipifycation_code: '01',
        tipifycation_desc: 'PROMESA DE PAGO',
        wolkvox_idRecord: 'REC-1',
        wolkvox_idCall: 'C-1',
        customer_id: '1020304050',
        client_telephone: '3005550101',
        agent_name: 'Laura Ríos',
        agent_id: '105',
        campaign_id: 'CAMP-7',
        type_interaction: 'outbound',
        date: '2026-08-15',
        time: '18:06:08',
        tipification_code: '01',
        tipification_desc: 'PROMESA DE PAGO',
        tipification_description: 'PROMESA DE PAGO',
        module: 'collections',
      },
    });
    assert.deepEqual(results.slice(1).map((r) => (r.kind === 'send' ? 'send' : r.error)), [
      'SKIPPED: timeoutacw',
      'SKIPPED: test-call',
      'INVALID: wolkvox_idRecord: no record for CUSTOMER_ID 99999999 in records',
      'SKIPPED: total-row',
    ]);
  });

  it('says where to put crm_records.csv when it is missing', async () => {
    const dir = tmpDir();
    const input = writeFile(dir, 'cdr_1.csv', header + '\n');
    const preset = await loadPreset('cdr_1');
    await assert.rejects(compileMapping(preset, header.split(','), { inputPath: input }), /crm_records\.csv: not found .*resolves against the input file's directory/);
  });
});
