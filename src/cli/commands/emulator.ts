import type { ArgumentsCamelCase } from 'yargs';
import type { EmulatorArgs } from '../builders.ts';
import { parseFaultSpec, startEmulator } from '../../emulator/index.ts';
import { writeOut } from '../output.ts';

/** Runs until SIGINT/SIGTERM. */
export async function emulatorHandler(a: ArgumentsCamelCase<EmulatorArgs>): Promise<number> {
  const faults = (a.fault ?? []).map((s) => parseFaultSpec(s));
  const latencyMs = a.latency === undefined ? 0 : a.latencyMax !== undefined ? { min: a.latency, max: a.latencyMax } : a.latency;
  const emu = await startEmulator({ host: a.host, port: a.port, latencyMs, maxInflight: a.maxInflight, quota: a.quota, tokens: a.token, faults, seed: a.seed, tokenFrom: a.tokenFrom, notFound: a.notFound, tokenInfoGet: a.tokenInfoGet });
  writeOut(
    `wolkvox emulator listening on ${emu.url}\n` +
      `  insert: POST ${emu.url}/server/API/v2/collections/insertGestion.php\n` +
      `  tokens: ${a.token?.length ? a.token.join(', ') : 'any non-empty token'} · quota ${a.quota}/day · ${a.maxInflight} in flight · latency ${JSON.stringify(latencyMs)} ms\n` +
      `  admin:  GET ${emu.url}/__emulator/state · POST /__emulator/new-day · POST /__emulator/reset\n` +
      `try: WOLKVOX_TOKEN=${a.token?.[0] ?? 'demo'} npx wolkvox-import import fixtures/sample_gestiones.csv --mapping fixtures/mappings/sample.json --server ${emu.url} --operation demo\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emu.close();
  return 0;
}
