/** The source stage: bytes → text (BOM, encoding) → delimiter → csv-parse → {row, line, values}. */
export { openSource } from './open-source.ts';
export { countRecords } from './count-records.ts';
export { normalizeDelimiter, normalizeEncoding, reopenOptions, sourceOptions } from './options.ts';
export type { Source, SourceInfo, SourceOptions } from './options.ts';
