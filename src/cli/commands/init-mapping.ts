import { writeFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { ArgumentsCamelCase } from 'yargs';
import type { InitArgs } from '../builders.ts';
import { UsageError } from '../../errors.ts';
import { openSource } from '../../source/index.ts';
import { proposeMapping } from '../../transform/index.ts';



/** Proposes a mapping from the header and a sample, writes it for the user to edit; never overwrites without --force. */
export async function initMappingHandler(a: ArgumentsCamelCase<InitArgs>): Promise<number> {
  const input = resolve(a.input);
  const out = a.out ? resolve(a.out) : resolve(input, '..', `${basename(input, extname(input))}.mapping.json`);
  const src = await openSource({ path: input, encoding: a.encoding, delimiter: a.delimiter });
  const sample: string[][] = [];
  try {
    for await (const rec of src.records) {
      sample.push(rec.values);
      if (sample.length >= a.sample) break;
    }
  } finally {
    await src.close();
  }
  const p = proposeMapping(src.info.header, sample);
  try {
    await writeFile(out, JSON.stringify(p.mapping, null, 2) + '\n', { flag: a.force ? 'w' : 'wx', mode: 0o644 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${out} already exists: pass --force to overwrite it, or --out <file>`);
    throw err;
  }
  const mapped = Object.entries(p.mapping.fields).map(([f, spec]) => `  ${f.padEnd(24)} ← ${typeof spec === 'string' ? spec : JSON.stringify(spec)}`);
  process.stdout.write([
    `read ${src.info.header.length} columns and ${sample.length} rows of ${input} (${src.info.encoding}, delimiter ${JSON.stringify(src.info.delimiter)})`,
    'proposed:', ...mapped,
    p.unmapped.length ? `not mapped (edit the file if you need them): ${p.unmapped.join(', ')}` : 'every column is mapped',
    p.missingRequired.length ? `MISSING mandatory fields: ${p.missingRequired.join(', ')}: add them before importing (wolkvox_idRecord usually comes from a lookup on a CRM export; see --preset cdr_1)` : 'all mandatory fields are mapped',
    `written: ${out}`,
    `next: wolkvox-import validate ${a.input} --mapping ${out}`,
  ].join('\n') + '\n');
  return 0;
}
