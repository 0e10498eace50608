import { EXIT } from '../errors.ts';
import { t, type Lang } from '../i18n/index.ts';
import { wallText } from '../manager/windows.ts';
import type { ReportInfo } from '../run/report.ts';
import { writeErr, writeOut } from './output.ts';

const wall = (isoText: string, tz: string) => wallText(new Date(isoText), tz).slice(0, 16);

/** The figures every --report line shows: the report, its range in the dialer's zone, windows, records, Manager calls, watermark. */
function figures(info: ReportInfo, lang: Lang) {
  const s = info.source;
  return {
    report: s.key.report + (s.key.campaign ? ` campaign_id=${s.key.campaign}` : ''),
    from: wall(s.from, s.tz), to: wall(s.to, s.tz), tz: s.tz,
    windows: s.windows.length,
    records: s.windows.reduce((n, w) => n + w.records, 0),
    managerCalls: info.managerCalls,
    watermark: info.watermark ? wall(info.watermark, s.tz) : t(lang, 'report.noWatermark'),
  };
}

/** The line after an import of a report: Manager and CRM calls counted apart. */
export function reportLine(info: ReportInfo, o: { calls: number; lang: Lang }): string {
  const line = t(o.lang, 'report.line', { ...figures(info, o.lang), crmCalls: o.calls });
  return `wolkvox-import: ${line}${info.fromSnapshot ? t(o.lang, 'report.fromSnapshot') : ''}`;
}

/** The report's part of the --json summary. */
export function reportJson(info: ReportInfo) {
  const s = info.source;
  return { report: s.key.report, managerServer: s.key.managerServer, campaign: s.key.campaign || null, tz: s.tz, from: s.from, to: s.to,
    windows: s.windows, managerCalls: info.managerCalls, snapshot: info.snapshot, fromSnapshot: info.fromSnapshot, watermark: info.watermark ?? null };
}

/** A report run with no row to import (an empty range, or only empty windows): said, exit 0. */
export function nothingToImport(info: ReportInfo, o: { json: boolean; quiet: boolean; lang: Lang }): number {
  if (o.json) writeOut(JSON.stringify({ exitCode: EXIT.OK, counts: {}, totalRows: 0, calls: 0, managerReport: reportJson(info) }) + '\n');
  else if (!o.quiet) writeErr(`wolkvox-import: ${t(o.lang, 'report.nothing', figures(info, o.lang))}\n`);
  return EXIT.OK;
}
