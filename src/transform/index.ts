/** The transform stage: mapping file → compiled per-row function (filter, map, transform, lookup, validate). */
export { compileMapping, DEDUPE_SEPARATOR, type CompiledMapping, type CompileOptions } from './compile.ts';
export { DOCUMENTED_FIELDS, gestionSchema, MODULE_VALUE, TYPIFICATION_CODE, TYPIFICATION_DESC } from './fields.ts';
export { listPresets, loadMapping, loadPreset, parseMapping, type LoadedMapping } from './load.ts';
export { proposeMapping, type Proposal } from './propose.ts';
export { mappingSchema, type Mapping } from './schema.ts';
