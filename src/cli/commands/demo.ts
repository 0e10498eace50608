import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveImportConfig } from '../../config/config.ts';
import { startEmulator } from '../../emulator/index.ts';
import { createLogger } from '../../log.ts';
import { runImport } from '../../run/import.ts';
import { adviceLines, summaryLine } from '../summary.ts';
import { writeRunReports } from '../reports.ts';
import { langFromEnv } from '../../i18n/index.ts';

/** The package root (where package.json is), from src/ or dist/src/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * The built-in default: the emulator in-process, the sample dialer file, its mapping; results
 * under reports/. Exits 0 when the demo ran to the end (its sample has invalid rows on purpose).
 */
export async function demoHandler(): Promise<number> {
  const root = packageRoot();
  const emu = await startEmulator({ latencyMs: { min: 5, max: 25 } });
  const { logger, flush } = createLogger({ level: 'warn' });
  try {
    const cfg = resolveImportConfig({
      input: join(root, 'fixtures', 'sample_gestiones.csv'),
      mapping: join(root, 'fixtures', 'mappings', 'sample.json'),
      server: emu.url,
      operation: 'demo',
      state: resolve('reports', 'demo-state.sqlite'),
    });
    process.stderr.write(`wolkvox-import demo: emulator on ${emu.url}; importing ${cfg.input}\n`);
    const r = await runImport(cfg, { logger, token: 'demo-token' });
    const html = await writeRunReports(r, { logger, lang: langFromEnv(process.env) });
    flush();
    process.stderr.write(`wolkvox-import demo: the emulator committed ${emu.inserted.length} gestiones; the result CSV has one line per input row\n`);
    for (const l of adviceLines(r)) process.stderr.write(l + '\n');
    if (html) process.stderr.write(`wolkvox-import demo: open the report in a browser: ${html}\n`);
    process.stderr.write(summaryLine(r) + '\n');
    return r.exitCode <= 1 ? 0 : r.exitCode;
  } finally {
    await emu.close();
  }
}
