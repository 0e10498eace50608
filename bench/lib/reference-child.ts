/**
 * The bare undici loop of section 1 in a process of its own, as cold as the importer's: an undici
 * `Pool` with 2 connections sending the importer's JSON bodies one after another, nothing else.
 * Prints `{"t0":…,"t1":…}` (epoch ms, first request → last answer) on stdout.
 *   node --import tsx bench/lib/reference-child.ts <emulator-url> <rows>
 */
import { Pool } from 'undici';
import { TOKEN } from './cli.ts';
import { apiBody } from './data.ts';
import { epochNow } from './proc.ts';

const SLOTS = 2;
const INSERT = '/server/API/v2/collections/insertGestion.php';
const [url, n] = [process.argv[2]!, Number(process.argv[3])];
const pool = new Pool(url, { connections: SLOTS, pipelining: 1 });
const headers = { 'content-type': 'application/json', 'wolkvox-token': TOKEN };
let next = 1;
const t0 = epochNow();
await Promise.all(Array.from({ length: SLOTS }, async () => {
  while (next <= n) {
    const res = await pool.request({ method: 'POST', path: INSERT, headers, body: apiBody(next++) });
    await res.body.text();
  }
}));
const t1 = epochNow();
await pool.close();
console.log(JSON.stringify({ t0, t1 }));
