/** The transform stage: mapping file → compiled per-row function (filter, map, transform, lookup, validate). */
export { compileMapping, type CompiledMapping, type CompileOptions } from './compile.ts';
export { listPresets, loadMapping, loadPreset, parseMapping } from './load.ts';
export { proposeMapping } from './propose.ts';
export type { Mapping } from './schema.ts';
