/**
 * Input files for the benchmarks, generated on the fly into a temporary folder: gestiones in the
 * shape of fixtures/sample_gestiones.csv (read by fixtures/mappings/sample.json), the same rows
 * already mapped for newman, lookup tables and the mappings that use them.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { once } from 'node:events';

export const SAMPLE_MAPPING = 'fixtures/mappings/sample.json';
const HEADER = ['Código Tipificación', 'Descripción', 'ID Registro', 'ID Llamada', 'Cédula', 'Nombre', 'Teléfono', 'Agente', 'Fecha'];
/** Cédulas are CEDULA_BASE + (id % keySpace): keys of the lookup table. */
const CEDULA_BASE = 1_000_000_000;

const TYPES: readonly [string, string][] = [
  ['01', 'PROMESA DE PAGO'], ['02', 'NO CONTESTA'], ['03', 'YA PAGÓ'], ['04', 'NÚMERO EQUIVOCADO'],
  ['05', 'VOLVER A LLAMAR'], ['06', 'Acuerdo de pago, cuota 1 de 3'],
];
const NAMES = ['María Fernanda Gómez', 'José Pérez', 'Ana Lucía Martínez', 'Camilo Ortiz', 'Sofía Ramírez', 'Julián Castaño', 'Valentina Muñoz'];
const AGENTS = ['Laura Ríos', 'Andrés Peña', 'Carolina Díaz'];

/** What one generated row becomes: the raw CSV values and the fields the importer sends. */
interface GenRow {
  values: string[];
  api: { code: string; desc: string; record: string; call: string; customer: string; name: string; phone: string; agent: string; date: string; time: string };
}

export interface GenOptions {
  /** Id of the first row (ids make ID Llamada and ID Registro unique). Default 1. */
  firstId?: number;
  /** Row kinds by position (1-based index in the file); default: every row valid. `dupOf` is the id whose key the row repeats. */
  kindOf?: (i: number) => 'valid' | 'invalid' | 'skip' | { dupOf: number };
  /** Cédulas cycle over this many values (lookup keys). Default 100,000. */
  keySpace?: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

function makeRow(id: number, keySpace = 100_000): GenRow {
  const [code, desc] = TYPES[id % TYPES.length]!;
  const day = 1 + (id % 28);
  const month = 1 + (id % 12);
  const h24 = 7 + (id % 12);
  const mm = id % 60;
  const ss = (id * 7) % 60;
  const h12 = h24 > 12 ? h24 - 12 : h24;
  const ampm = h24 >= 12 ? 'p. m.' : 'a. m.';
  const digits = `3${pad(id % 100)}555${String(id % 10_000).padStart(4, '0')}`;
  const phone = id % 3 === 0 ? `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}` : id % 3 === 1 ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : digits;
  const customer = String(CEDULA_BASE + (id % keySpace));
  const name = NAMES[id % NAMES.length]!;
  const agent = AGENTS[id % AGENTS.length]!;
  return {
    values: [code, desc, `REC-${id}`, `CALL-${id}`, customer, name, phone, agent, `${day}/${month}/2026 ${h12}:${pad(mm)}:${pad(ss)} ${ampm}`],
    api: { code, desc, record: `REC-${id}`, call: `CALL-${id}`, customer, name, phone: digits, agent, date: `2026-${pad(month)}-${pad(day)}`, time: `${pad(h24)}:${pad(mm)}:${pad(ss)}` },
  };
}

function csvLine(values: readonly string[]): string {
  return values.map((v) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(',') + '\r\n';
}

async function writeLines(path: string, header: readonly string[], n: number, rowAt: (i: number) => string[]): Promise<void> {
  const out = createWriteStream(path);
  let buf = csvLine(header);
  for (let i = 1; i <= n; i++) {
    buf += csvLine(rowAt(i));
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

/** A gestiones CSV (comma-separated, UTF-8, CRLF) of n data rows. */
export async function writeGestiones(path: string, n: number, o: GenOptions = {}): Promise<void> {
  const first = o.firstId ?? 1;
  await writeLines(path, HEADER, n, (i) => {
    const kind = o.kindOf?.(i) ?? 'valid';
    const row = makeRow(typeof kind === 'object' ? kind.dupOf : first + i - 1, o.keySpace).values;
    if (kind === 'invalid') row[2] = ''; // no ID Registro: "wolkvox_idRecord: required"
    if (kind === 'skip') row[1] = 'PRUEBA interna'; // the sample mapping's test-call skip rule
    if (typeof kind === 'object') row[7] = `${row[7]} (again)`; // same ID Llamada, other content
    return row;
  });
}

/** The same rows as writeGestiones(path, n) with every row valid, already in API form, for newman's -d. */
export async function writeNewmanData(path: string, n: number): Promise<void> {
  const cols = ['code', 'desc', 'record', 'call', 'customer', 'name', 'phone', 'agent', 'date', 'time'] as const;
  await writeLines(path, cols, n, (i) => {
    const a = makeRow(i).api;
    return cols.map((c) => a[c]);
  });
}

/** A lookup CSV: customer_id → wolkvox_idRecord, `size` rows. */
export async function writeLookup(path: string, size: number): Promise<void> {
  await writeLines(path, ['customer_id', 'wolkvox_idRecord'], size, (i) => [String(CEDULA_BASE + i - 1), `REC-L${i - 1}`]);
}

/** fixtures/mappings/sample.json with wolkvox_idRecord taken from a lookup table (file given absolute). */
export async function writeLookupMapping(path: string, sample: string, lookupFile: string): Promise<void> {
  const m = JSON.parse(sample) as { fields: Record<string, unknown>; lookups?: unknown; $comment?: unknown };
  m.$comment = 'bench: the sample mapping with wolkvox_idRecord from a lookup table keyed by Cédula';
  m.fields.wolkvox_idRecord = { lookup: { table: 'records', key: ['Cédula'], column: 'wolkvox_idRecord' } };
  m.lookups = { records: { file: lookupFile, key: ['customer_id'] } };
  await writeFile(path, JSON.stringify(m, null, 2));
}

/** The JSON body the importer sends for row `id` of writeGestiones (for the reference client). */
export function apiBody(id: number, operation = 'bench'): string {
  const a = makeRow(id).api;
  return JSON.stringify({
    operation,
    fields: {
      tipifycation_code: a.code, tipifycation_desc: a.desc, wolkvox_idRecord: a.record, wolkvox_idCall: a.call, customer_id: a.customer,
      client_name: a.name, client_telephone: a.phone, agent_name: a.agent, date: a.date, time: a.time,
      tipification_code: a.code, tipification_desc: a.desc, tipification_description: a.desc, module: 'collections',
    },
  });
}

/** A Postman collection v2.1 with one insert request, its body built from the iteration data. */
export function newmanCollection(): object {
  const body = {
    operation: '{{operation}}',
    fields: {
      tipifycation_code: '{{code}}', tipifycation_desc: '{{desc}}', wolkvox_idRecord: '{{record}}', wolkvox_idCall: '{{call}}',
      customer_id: '{{customer}}', client_name: '{{name}}', client_telephone: '{{phone}}', agent_name: '{{agent}}',
      date: '{{date}}', time: '{{time}}',
      // the importer sends the other typification spellings and module as well: same bytes on the wire
      tipification_code: '{{code}}', tipification_desc: '{{desc}}', tipification_description: '{{desc}}', module: 'collections',
    },
  };
  return {
    info: { name: 'wolkvox insertGestion (bench)', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: [
      {
        name: 'insertGestion',
        request: {
          method: 'POST',
          header: [
            { key: 'Wolkvox-Token', value: '{{token}}' },
            { key: 'Content-Type', value: 'application/json' },
          ],
          url: '{{server}}/server/API/v2/collections/insertGestion.php',
          body: { mode: 'raw', raw: JSON.stringify(body), options: { raw: { language: 'json' } } },
        },
      },
    ],
  };
}
