import { Pool } from 'undici';
const pool = new Pool('http://127.0.0.1:18096', { connections: 2 });
const body = JSON.stringify({ operation: 'b', fields: { tipifycation_code: '1', tipifycation_desc: 'x', module: 'collections', wolkvox_idRecord: 'r' } });
let n = 0; const lat = [];
async function worker() { while (n < 400) { n++; const t = performance.now(); const r = await pool.request({ method: 'POST', path: '/server/API/v2/collections/insertGestion.php', headers: { 'wolkvox-token': 'benchtoken', 'content-type': 'application/json' }, body }); await r.body.text(); lat.push(performance.now() - t); } }
const t0 = performance.now(); await Promise.all([worker(), worker()]); const secs = (performance.now() - t0) / 1000;
lat.sort((a, b) => a - b);
console.log('raw undici vs emulator: rows/s', (400 / secs).toFixed(1), 'mean', (lat.reduce((a, b) => a + b) / lat.length).toFixed(2), 'p50', lat[200].toFixed(2));
await pool.close();
