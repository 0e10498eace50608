/**
 * The emulator's collections records: a deterministic population of CRM customers, each with the
 * customer id a dialer report carries and the CRM's `wolkvox_idRecord`. The Manager reports draw
 * their `customer_id`s from here, so a lookup file written from `recordsCsv()` resolves every one.
 */
import { randomAt } from './prng.ts';

export interface CrmRecord {
  /** The customer's id (a cédula-like number), as dialer reports carry it. */
  customerId: string;
  /** The CRM record id (24 hex digits). */
  wolkvoxIdRecord: string;
  firstName: string;
  lastName: string;
  /** A mobile number, 10 digits. */
  telephone: string;
}

const FIRST = [
  'María José', 'Andrés Felipe', 'Lucía', 'Iván Darío', 'Juliana', 'Sebastián', 'Ana María', 'Julián', 'Valentina',
  'Carlos', 'Luisa Fernanda', 'Jhon Jairo', 'Paola', 'Óscar', 'Diana', 'Camilo', 'Natalia', 'Germán', 'Ángela', 'Héctor',
];
const LAST = [
  'Peña', 'Gómez', 'Muñoz', 'Hernández', 'Ortiz', 'Castaño', 'Ordóñez', 'Rodríguez', 'Martínez', 'López', 'García',
  'Ramírez', 'Suárez', 'Cárdenas', 'Beltrán', 'Jiménez', 'Zuluaga', 'Quintero', 'Londoño', 'Ríos',
];

const STREAM = { first: 101, last1: 102, last2: 103, phone: 104 } as const;
/** Customer ids are k·48271 + offset (mod 90,000,000) + 10,000,000: distinct for every k below 90 million. */
const ID_SPAN = 90_000_000;
export const MAX_RECORDS = 1_000_000;

/** A name from `list`, drawn for (seed, stream, index). */
export function pick<T>(list: readonly T[], u: number): T {
  return list[Math.min(list.length - 1, Math.floor(u * list.length))]!;
}

/** A person's name for (seed, k): shared by the CRM records and the dialer's agents (another seed). */
export function personName(seed: number, k: number): { firstName: string; lastName: string } {
  const firstName = pick(FIRST, randomAt(seed, STREAM.first, k));
  const lastName = `${pick(LAST, randomAt(seed, STREAM.last1, k))} ${pick(LAST, randomAt(seed, STREAM.last2, k))}`;
  return { firstName, lastName };
}

function recordAt(seed: number, k: number): CrmRecord {
  const offset = seed % ID_SPAN;
  const customerId = String(10_000_000 + ((k * 48_271 + offset) % ID_SPAN));
  const wolkvoxIdRecord = `66b1${(seed >>> 0).toString(16).padStart(8, '0')}${k.toString(16).padStart(12, '0')}`;
  const telephone = `3${String(Math.floor(randomAt(seed, STREAM.phone, k) * 1e9)).padStart(9, '0')}`;
  return { customerId, wolkvoxIdRecord, telephone, ...personName(seed, k) };
}

/** The first `count` records of the population of `seed`. */
export function crmRecords(seed: number, count: number): readonly CrmRecord[] {
  const out: CrmRecord[] = [];
  for (let k = 0; k < count; k++) out.push(Object.freeze(recordAt(seed, k)));
  return Object.freeze(out);
}

const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The CRM export a lookup table reads: `customer_id,wolkvox_idRecord,client_name`, one line per record. */
export function recordsCsv(records: readonly CrmRecord[]): string {
  const lines = ['customer_id,wolkvox_idRecord,client_name'];
  for (const r of records) lines.push([r.customerId, r.wolkvoxIdRecord, `${r.firstName} ${r.lastName}`].map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}
