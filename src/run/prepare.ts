import type { ImportConfig } from '../config/config.ts';
import { openSource, sourceOptions, type Source } from '../source/index.ts';
import { compileMapping, loadMapping, loadPreset, type CompiledMapping } from '../transform/index.ts';
import { hashFile, hashText } from './fingerprint.ts';

export interface Prepared {
  source: Source;
  compiled: CompiledMapping;
  inputHash: string;
  mappingHash: string;
  fingerprint: string;
}

/** Opens the input, loads and compiles the mapping against its header, fingerprints the run. All errors happen here, before any call. */
export async function loadRunMapping(cfg: ImportConfig): Promise<Prepared> {
  const source = await openSource(sourceOptions(cfg));
  try {
    const m = cfg.preset ? await loadPreset(cfg.preset) : await loadMapping(cfg.mappingPath!);
    const compiled = await compileMapping(m, source.info.header, { inputPath: cfg.input, lookupFiles: cfg.lookupFiles });
    const inputHash = await hashFile(cfg.input);
    const mappingHash = hashText(m.text);
    const fingerprint = hashText(inputHash, mappingHash, cfg.server, cfg.operation);
    return { source, compiled, inputHash, mappingHash, fingerprint };
  } catch (err) {
    await source.close().catch(() => undefined); // a refused mapping must not leave the input open
    throw err;
  }
}
