import { writeFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { ArgumentsCamelCase } from 'yargs';
import type { InitArgs } from '../builders.ts';
import { UsageError } from '../../errors.ts';
import { pickLang, t, type Lang } from '../../i18n/index.ts';
import { openSource } from '../../source/index.ts';
import { proposeMapping } from '../../transform/index.ts';
import { writeOut } from '../output.ts';

/** The header and up to `limit` records of `input`. */
async function readSample(input: string, a: InitArgs) {
  const src = await openSource({ path: input, encoding: a.encoding, delimiter: a.delimiter, sheet: a.sheet === undefined ? undefined : String(a.sheet), headerLine: a.headerLine });
  const sample: string[][] = [];
  const lines: number[] = [];
  try {
    for await (const rec of src.records) {
      sample.push(rec.values);
      lines.push(rec.line);
      if (sample.length >= a.sample) break;
    }
  } finally {
    await src.close();
  }
  return { info: src.info, sample, lines };
}

async function writeMapping(out: string, mapping: unknown, o: { force?: boolean; lang: Lang }): Promise<void> {
  try {
    await writeFile(out, JSON.stringify(mapping, null, 2) + '\n', { flag: o.force ? 'w' : 'wx', mode: 0o644 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(t(o.lang, 'init.exists', { file: out }), { file: out });
    throw err;
  }
}

/** Proposes a mapping from the header and a sample, writes it for the user to edit; never overwrites without --force. */
export async function initMappingHandler(a: ArgumentsCamelCase<InitArgs>): Promise<number> {
  const lang = pickLang(a.lang);
  const input = resolve(a.input);
  const out = a.out ? resolve(a.out) : resolve(input, '..', `${basename(input, extname(input))}.mapping.json`);
  const { info, sample, lines } = await readSample(input, a);
  const p = proposeMapping(info.header, sample, lines);
  await writeMapping(out, p.mapping, { force: a.force, lang });
  const mapped = Object.entries(p.mapping.fields).map(([f, spec]) => `  ${f.padEnd(24)} ← ${typeof spec === 'string' ? spec : JSON.stringify(spec)}`);
  writeOut([
    t(lang, 'init.read', { columns: info.header.length, rows: sample.length, input, encoding: info.encoding, delimiter: JSON.stringify(info.delimiter) }),
    ...(info.warnings ?? []).map((message) => t(lang, 'init.warning', { message })),
    t(lang, 'init.proposed'), ...mapped,
    ...p.dateMisfits.map((d) => t(lang, 'init.dateMisfits', { ...d, lines: d.lines.join(', ') })),
    ...p.undated.map((d) => t(lang, 'init.undated', d)),
    p.unmapped.length ? t(lang, 'init.unmapped', { columns: p.unmapped.join(', ') }) : t(lang, 'init.allMapped'),
    p.missingRequired.length ? t(lang, 'init.missing', { fields: p.missingRequired.join(', ') }) : t(lang, 'init.allRequired'),
    t(lang, `init.dedupe.${p.dedupe}`, { key: (p.mapping.dedupeKey ?? []).join(' + ') }),
    t(lang, 'init.written', { file: out }),
    p.missingRequired.length ? t(lang, 'init.nextMissing', { input: a.input, file: out, fields: p.missingRequired.join(', ') }) : t(lang, 'init.next', { input: a.input, file: out }),
  ].join('\n') + '\n');
  return 0;
}
