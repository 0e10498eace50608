/** The local wolkvox emulator: see server.ts (startEmulator) and fault-spec.ts (the CLI's --fault form). */
export { startEmulator } from './server.ts';
export { emulatorBanner } from './banner.ts';
export { parseFaultSpec } from './fault-spec.ts';
export { validateFaultRules } from './fault-rules.ts';
export type { Emulator, EmulatorOptions, EmulatorStats, FaultKind, FaultRule, InsertedGestion, ManagerOptions } from './types.ts';
