import { join, resolve } from 'node:path';
import { resolveImportConfig } from '../../config/config.ts';
import { startEmulator } from '../../emulator/index.ts';
import { createLogger } from '../../log.ts';
import { runImport } from '../../run/import.ts';
import { adviceLines, summaryLine } from '../summary.ts';
import { writeRunReports } from '../../results/report.ts';
import { pickLang, t } from '../../i18n/index.ts';
import type { LangArgs } from '../builders.ts';
import { writeErr } from '../output.ts';
import { packageRoot } from '../../package-root.ts';


/**
 * The built-in default: the emulator in-process, the sample dialer file, its mapping; results
 * under reports/. Exits 0 when the demo ran to the end (its sample has invalid rows on purpose).
 */
export async function demoHandler(a: LangArgs = {}): Promise<number> {
  const lang = pickLang(a.lang);
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
    writeErr(`wolkvox-import demo: ${t(lang, 'demo.start', { url: emu.url, input: cfg.input })}\n`);
    const r = await runImport(cfg, { logger, token: 'demo-token' });
    const html = await writeRunReports(r, { logger, secrets: [], lang });
    flush();
    writeErr(`wolkvox-import demo: ${t(lang, 'demo.committed', { n: emu.inserted.length })}\n`);
    for (const l of adviceLines(r, lang)) writeErr(l + '\n');
    if (html) writeErr(`wolkvox-import demo: ${t(lang, 'demo.open', { file: html })}\n`);
    // The summary line says "(exit 1)" for the sample's invalid rows: say on that same line that they are deliberate.
    const invalid = r.counts.invalid ?? 0;
    writeErr(`${summaryLine(r, lang)}${invalid > 0 ? ` · ${t(lang, 'demo.deliberate', { n: invalid })}` : ''}\n`);
    return r.exitCode <= 1 ? 0 : r.exitCode;
  } finally {
    await emu.close();
  }
}
