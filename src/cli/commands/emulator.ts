import type { ArgumentsCamelCase } from 'yargs';
import type { EmulatorArgs } from '../builders.ts';
import { emulatorBanner, parseFaultSpec, startEmulator, type ManagerOptions } from '../../emulator/index.ts';
import { writeOut } from '../output.ts';

/** The Manager report API's options from the flags (undefined values take the emulator's defaults). */
function managerOptions(a: ArgumentsCamelCase<EmulatorArgs>): ManagerOptions {
  return {
    token: a.managerToken, quota: a.managerQuota, callsPerDay: a.callsPerDay, latencyMs: a.managerLatency,
    writeLagMs: a.writeLag, cap: a.reportCap, faults: (a.managerFault ?? []).map((s) => parseFaultSpec(s)),
  };
}

/** Runs until SIGINT/SIGTERM. */
export async function emulatorHandler(a: ArgumentsCamelCase<EmulatorArgs>): Promise<number> {
  const faults = (a.fault ?? []).map((s) => parseFaultSpec(s));
  const latencyMs = a.latency === undefined ? 0 : a.latencyMax !== undefined ? { min: a.latency, max: a.latencyMax } : a.latency;
  const emu = await startEmulator({
    host: a.host, port: a.port, latencyMs, maxInflight: a.maxInflight, quota: a.quota, tokens: a.token, faults, seed: a.seed,
    tokenFrom: a.tokenFrom, notFound: a.notFound, tokenInfoGet: a.tokenInfoGet, records: a.records, manager: managerOptions(a),
  });
  const manager = { token: emu.manager.token, callsPerDay: emu.manager.callsPerDay };
  writeOut(emulatorBanner({ url: emu.url, tokens: a.token, quota: a.quota, maxInflight: a.maxInflight, latencyMs, manager }));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emu.close();
  return 0;
}
