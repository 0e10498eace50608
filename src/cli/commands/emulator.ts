import type { ArgumentsCamelCase, Argv } from 'yargs';
import { parseFaultSpec, startEmulator, FAULT_SPEC_FORM } from '../../emulator/index.ts';

interface EmulatorArgs {
  port: number;
  host: string;
  latency?: number;
  latencyMax?: number;
  maxInflight: number;
  quota: number;
  token?: string[];
  fault?: string[];
  seed: number;
}

export function emulatorBuilder(y: Argv): Argv<EmulatorArgs> {
  return y
    .option('port', { type: 'number', default: 8089, describe: 'port to listen on (0: any free port)' })
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on (loopback only by default)' })
    .option('latency', { type: 'number', describe: 'milliseconds before answering an insert (default 0)' })
    .option('latency-max', { type: 'number', describe: 'with --latency: answer after a random time between the two' })
    .option('max-inflight', { type: 'number', default: 2, describe: 'simultaneous requests per token before the documented 403' })
    .option('quota', { type: 'number', default: 100_000, describe: 'daily calls per token before TOKEN LIMIT EXCEEDED' })
    .option('token', { type: 'string', array: true, describe: 'accepted token (repeatable); default: any non-empty token' })
    .option('fault', { type: 'string', array: true, describe: `scripted fault (repeatable): ${FAULT_SPEC_FORM}` })
    .option('seed', { type: 'number', default: 1, describe: 'seed for rate-based faults' }) as unknown as Argv<EmulatorArgs>;
}

/** Runs until SIGINT/SIGTERM. */
export async function emulatorHandler(a: ArgumentsCamelCase<EmulatorArgs>): Promise<number> {
  const faults = (a.fault ?? []).map((s) => parseFaultSpec(s));
  const latencyMs = a.latency === undefined ? 0 : a.latencyMax !== undefined ? { min: a.latency, max: a.latencyMax } : a.latency;
  const emu = await startEmulator({ host: a.host, port: a.port, latencyMs, maxInflight: a.maxInflight, quota: a.quota, tokens: a.token, faults, seed: a.seed });
  process.stdout.write(
    `wolkvox emulator listening on ${emu.url}\n` +
      `  insert: POST ${emu.url}/server/API/v2/collections/insertGestion.php\n` +
      `  tokens: ${a.token?.length ? a.token.join(', ') : 'any non-empty token'} · quota ${a.quota}/day · ${a.maxInflight} in flight · latency ${JSON.stringify(latencyMs)} ms\n` +
      `  admin:  GET ${emu.url}/__emulator/state · POST /__emulator/new-day · POST /__emulator/reset\n` +
      `try: WOLKVOX_TOKEN=demo npx wolkvox-import import fixtures/sample_gestiones.csv --mapping fixtures/mappings/sample.json --server ${emu.url} --operation demo\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emu.close();
  return 0;
}
