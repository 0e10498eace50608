/** The source stage: bytes → text (BOM, encoding) → delimiter → csv-parse → {row, line, values}. */
export { openSource } from './open-source.ts';
export { countRecords } from './count-records.ts';
export { DEFAULT_MAX_CELL_BYTES, normalizeDelimiter, normalizeEncoding, reopenOptions, sourceOptions } from './options.ts';
export type { EncodingName, Source, SourceInfo, SourceOptions } from './options.ts';
