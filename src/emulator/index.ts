/** The local wolkvox emulator: see server.ts (startEmulator) and fault-spec.ts (the CLI's --fault form). */
export { startEmulator } from './server.ts';
export { parseFaultSpec, FAULT_SPEC_FORM } from './fault-spec.ts';
export { validateFaultRules } from './fault-rules.ts';
export { FAULT_KINDS } from './types.ts';
export type { Emulator, EmulatorOptions, EmulatorStats, FaultKind, FaultRule, InsertedGestion } from './types.ts';
