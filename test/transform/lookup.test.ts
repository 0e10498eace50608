import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LookupError } from '../../src/errors.ts';
import { compileMapping, parseMapping } from '../../src/transform/index.ts';
import { loadLookup } from '../../src/transform/lookup.ts';
import { BASE, compile, errorOf, rec, sent, tmpDir, writeFile } from './helpers.ts';

const header = ['code', 'desc', 'CUSTOMER_ID', 'DOC_TYPE'];
const recordFrom = (extra: Record<string, unknown> = {}) => ({
  tipifycation_code: 'code',
  tipifycation_desc: 'desc',
  wolkvox_idRecord: { lookup: { table: 'records', key: ['CUSTOMER_ID'], column: 'wolkvox_idRecord' }, ...extra },
});

describe('lookups', () => {
  it('fills a field from the lookup file, relative to the mapping file, trimming keys', async () => {
    const dir = tmpDir();
    writeFile(dir, 'crm_records.csv', 'customer_id,wolkvox_idRecord,nombre\n123,R-1,Ana\n 456 ,R-2,Luis\n');
    const c = await compile({ fields: recordFrom(), lookups: { records: { file: 'crm_records.csv', key: ['customer_id'] } } }, header, { dir });
    assert.equal(sent(c.transform(rec(['01', 'V', ' 123 ', '']))).wolkvox_idRecord, 'R-1');
    assert.equal(sent(c.transform(rec(['01', 'V', '456', '']))).wolkvox_idRecord, 'R-2');
  });

  it('makes a row invalid when the key is not in the table, naming column, key and table', async () => {
    const dir = tmpDir();
    writeFile(dir, 'crm_records.csv', 'customer_id,wolkvox_idRecord\n123,R-1\n');
    const c = await compile({ fields: recordFrom(), lookups: { records: { file: 'crm_records.csv', key: 'customer_id' } } }, header, { dir });
    assert.equal(errorOf(c.transform(rec(['01', 'V', '999', '']))), 'INVALID: wolkvox_idRecord: no record for CUSTOMER_ID 999 in records');
    assert.equal(errorOf(c.transform(rec(['01', 'V', '', '']))), 'INVALID: wolkvox_idRecord: CUSTOMER_ID is empty, nothing to look up in records');
  });

  it('uses the default on a miss when the field has one', async () => {
    const dir = tmpDir();
    writeFile(dir, 'crm_records.csv', 'customer_id,wolkvox_idRecord\n123,R-1\n');
    const c = await compile({ fields: recordFrom({ default: 'R-0' }), lookups: { records: { file: 'crm_records.csv', key: 'customer_id' } } }, header, { dir });
    assert.equal(sent(c.transform(rec(['01', 'V', '999', '']))).wolkvox_idRecord, 'R-0');
  });

  it('reads a BOM, a semicolon delimiter and Windows-1252 text, matching columns loosely', async () => {
    const dir = tmpDir();
    writeFile(dir, 'bom.csv', '\ufeffCustomer_ID;WOLKVOX_IDRECORD\n123;R-1\n');
    writeFile(dir, 'cp1252.csv', Buffer.from('customer_id,wolkvox_idRecord\n123,Peña\n', 'latin1'));
    for (const file of ['bom.csv', 'cp1252.csv']) {
      const c = await compile({ fields: recordFrom(), lookups: { records: { file, key: 'customer_id' } } }, header, { dir });
      assert.match(sent(c.transform(rec(['01', 'V', '123', '']))).wolkvox_idRecord, /^(R-1|Peña)$/, file);
    }
  });

  it('joins several key columns', async () => {
    const dir = tmpDir();
    writeFile(dir, 'r.csv', 'tipo,numero,id\nCC,123,R-CC\nNIT,123,R-NIT\n');
    const c = await compile(
      { fields: { ...BASE, wolkvox_idRecord: { lookup: { table: 't', key: ['DOC_TYPE', 'CUSTOMER_ID'], column: 'id' } } }, lookups: { t: { file: 'r.csv', key: ['tipo', 'numero'] } } },
      ['code', 'desc', 'record', 'CUSTOMER_ID', 'DOC_TYPE'],
      { dir },
    );
    assert.equal(sent(c.transform(rec(['01', 'V', '', '123', 'NIT']))).wolkvox_idRecord, 'R-NIT');
    assert.equal(errorOf(c.transform(rec(['01', 'V', '', '123', 'CE']))), 'INVALID: wolkvox_idRecord: no record for DOC_TYPE CE, CUSTOMER_ID 123 in t');
  });

  it('keeps the first row of a repeated key and warns once when the values differ', async () => {
    const dir = tmpDir();
    writeFile(dir, 'r.csv', 'customer_id,wolkvox_idRecord\n123,R-1\n123,R-1\n123,R-9\n456,R-2\n456,R-3\n');
    const c = await compile({ fields: recordFrom(), lookups: { records: { file: 'r.csv', key: 'customer_id' } } }, header, { dir });
    assert.equal(sent(c.transform(rec(['01', 'V', '123', '']))).wolkvox_idRecord, 'R-1');
    assert.equal(c.warnings.length, 1);
    assert.match(c.warnings[0], /2 key\(s\) occur more than once with different values \(first: customer_id 123 again on line 4\)/);
  });

  it('stores only the columns fields read', async () => {
    const dir = tmpDir();
    const file = writeFile(dir, 'r.csv', 'customer_id,wolkvox_idRecord,nombre,saldo\n123,R-1,Ana,10\n');
    const { table } = await loadLookup({ name: 'records', def: { file, key: 'customer_id' }, file, wanted: ['wolkvox_idRecord'] });
    assert.deepEqual([...table.columns.keys()], ['wolkvox_idRecord']);
    assert.equal(table.index.size, 1);
  });

  it('fails before anything is sent: missing file (saying where it looked), missing column', async () => {
    const dir = tmpDir();
    await assert.rejects(compile({ fields: recordFrom(), lookups: { records: { file: 'crm_records.csv', key: 'customer_id' } } }, header, { dir }), (e: Error) => {
      assert.ok(e instanceof LookupError);
      assert.equal(e.code, 'E_LOOKUP');
      assert.match(e.message, /lookup "records": .*crm_records\.csv: not found \(ENOENT\) \("file": "crm_records\.csv" resolves against the directory /);
      return true;
    });
    writeFile(dir, 'crm_records.csv', 'customer,record_id\n1,R\n');
    await assert.rejects(compile({ fields: recordFrom(), lookups: { records: { file: 'crm_records.csv', key: 'customer_id' } } }, header, { dir }), (e: Error) => {
      assert.ok(e instanceof LookupError);
      assert.match(e.message, /lookups\.records\.key: column "customer_id" is not in the header of .*crm_records\.csv \(none of the 2 column\(s\) of its first line/);
      assert.doesNotMatch(e.message, /record_id/);
      return true;
    });
  });

  it('never shows the contents of a file given as a lookup (e.g. /etc/shadow): only the path and the problem', async () => {
    const dir = tmpDir();
    const secret = 'root:$6$Zq8SECRETsalt$Hx1c0nF1dEnt1aLhAsH:19700:0:99999:7:::';
    const shadows = [
      `${secret}\ndaemon:*:19700:0:99999:7:::\n`,
      `${secret},customer_ID\nx,y\n`, // the asked name next to a secret cell
      `${secret},Customer_Id,CUSTOMER_ID\nx,y,z\n`, // the asked name twice, loosely: ambiguous
      `"${secret}\n`, // a quote never closed
      Buffer.concat([Buffer.from(secret), Buffer.from([0, 1, 2, 0, 0])]), // binary
    ];
    for (const [i, text] of shadows.entries()) {
      const file = writeFile(dir, `shadow-${i}`, text);
      await assert.rejects(compile({ fields: recordFrom(), lookups: { records: { file, key: 'customer_id' } } }, header, { dir }), (e: Error) => {
        assert.ok(e instanceof LookupError, `${i}: ${e.message}`);
        assert.ok(e.message.includes(file), `${i}: ${e.message}`);
        assert.ok(!e.message.includes('SECRET') && !e.message.includes('root:') && !e.message.includes('daemon'), `${i}: ${e.message}`);
        return true;
      });
    }
  });

  it('takes a file override by lookup name, and a preset resolves against the input file directory', async () => {
    const dir = tmpDir();
    const inputDir = join(dir, 'input');
    const other = writeFile(dir, 'other.csv', 'customer_id,wolkvox_idRecord\n1,R-OTHER\n');
    mkdirSync(inputDir);
    writeFile(inputDir, 'crm_records.csv', 'customer_id,wolkvox_idRecord\n1,R-INPUT\n');
    const mapping = parseMapping(JSON.stringify({ fields: recordFrom(), lookups: { records: { file: 'crm_records.csv', key: 'customer_id' } } }), 'preset.json');
    const preset = { mapping, path: join(dir, 'somewhere', 'preset.json'), preset: 'p' };
    const fromInput = await compileMapping(preset, header, { inputPath: join(inputDir, 'cdr.csv') });
    assert.equal(sent(fromInput.transform(rec(['01', 'V', '1', '']))).wolkvox_idRecord, 'R-INPUT');
    const overridden = await compileMapping(preset, header, { inputPath: join(inputDir, 'cdr.csv'), lookupFiles: { records: other } });
    assert.equal(sent(overridden.transform(rec(['01', 'V', '1', '']))).wolkvox_idRecord, 'R-OTHER');
  });

  it('warns about a lookup no field uses, and does not load it', async () => {
    const c = await compile({ fields: BASE, lookups: { unused: { file: 'does-not-exist.csv', key: 'a' } } }, ['code', 'desc', 'record']);
    assert.match(c.warnings.join('\n'), /lookups\.unused is declared but no field uses it/);
  });
});
