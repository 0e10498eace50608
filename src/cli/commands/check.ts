import type { ArgumentsCamelCase } from 'yargs';
import type { CheckArgs } from '../builders.ts';
import { resolveImportConfig } from '../../config/config.ts';
import { normaliseServer } from '../../config/server.ts';
import { resolveToken } from '../../config/token.ts';
import { ConfigError, EXIT } from '../../errors.ts';
import { hintText, pickLang, t, type Lang } from '../../i18n/index.ts';
import { planFile } from '../../plan/plan-count.ts';
import { reconcileCallsPlanned } from '../../reconcile/plan.ts';
import { createClient } from '../../sink/client.ts';
import { errorText, type Classified } from '../../sink/classify.ts';
import { readTokenInfo, refusalText, type TokenInfo } from '../../sink/token-info.ts';
import { writeOut } from '../output.ts';
import { tn } from '../summary.ts';

/** What `check` found: the lines for a person and the object for `--json`. */
export interface Findings {
  lang: Lang;
  lines: string[];
  report: Record<string, unknown>;
}

function target(a: CheckArgs, lang: Lang): { server: string; operation: string } {
  const serverRaw = a.server ?? process.env.WOLKVOX_SERVER;
  if (!serverRaw) throw new ConfigError(t(lang, 'check.needServer'));
  const operation = (a.operation ?? process.env.WOLKVOX_OPERATION ?? '').trim();
  if (!operation) throw new ConfigError(t(lang, 'check.needOperation'));
  return { server: normaliseServer(serverRaw), operation };
}

/** Days of quota the plan needs: 1 when it fits in what is left today, then one per daily limit. */
function daysNeeded(toSend: number, left: number, limit: number): number {
  if (toSend === 0) return 0;
  if (toSend <= left) return 1;
  return 1 + (limit > 0 ? Math.ceil((toSend - left) / limit) : Number.POSITIVE_INFINITY);
}

/** `--input`: the file's plan (rows to send, invalid, duplicates) against what the token has left today (when known). */
async function planInput(a: CheckArgs, o: { server: string; operation: string; info?: TokenInfo }, f: Findings): Promise<void> {
  const input = a.input!;
  const cfg = resolveImportConfig({ input, mapping: a.mapping, preset: a.preset, server: o.server, operation: o.operation, state: a.state, encoding: a.encoding, delimiter: a.delimiter });
  const p = await planFile(cfg);
  const { lang } = f;
  f.lines.push(
    t(lang, 'check.input', { input, rows: p.rows, encoding: p.encoding, delimiter: JSON.stringify(p.delimiter) }),
    t(lang, 'check.plan', { send: p.toSend, invalid: p.invalid, skipped: p.skipped, duplicate: p.duplicate }),
  );
  if (p.alreadyDone) f.lines.push(t(lang, 'check.settled', { n: p.alreadyDone }));
  if (p.lookupWait) f.lines.push(t(lang, 'check.lookups', { rows: p.lookupWait, n: p.lookupCalls }));
  const reconcile = reconcileCallsPlanned(cfg.statePath, cfg.input);
  if (reconcile > 0) f.lines.push(t(lang, 'check.reconcile', { n: reconcile }));
  if (o.info) {
    const limit = o.info.tokenLimit ?? 0;
    const left = o.info.available ?? 0;
    const calls = p.toSend + p.lookupCalls; // CRM lookups are calls too
    const days = daysNeeded(calls, left, limit);
    f.report.plan = { ...p, callsNeeded: calls, fitsToday: calls <= left, days };
    f.lines.push(calls <= left ? tn(lang, 'check.fits', calls, { send: calls, left }) : t(lang, 'check.doesNotFit', { send: calls, left, days, limit }));
  } else {
    // The token could not be read (quota used up, no network): the file's own plan still helps.
    f.report.plan = { ...p, callsNeeded: p.toSend + p.lookupCalls, fitsToday: null, days: null };
    f.lines.push(tn(lang, 'check.unknownQuota', p.toSend + p.lookupCalls, { send: p.toSend + p.lookupCalls }));
  }
  f.report.plan = { ...(f.report.plan as object), reconcileCalls: reconcile };
  if (p.invalid > 0) f.lines.push(t(lang, 'check.seeInvalid', { input }));
}

/**
 * A tokenInformation call that did not answer with the token's day: a used-up quota (exit 3), a
 * server that could not be reached (exit 2: not a refused token), or a refused token (exit 3 when
 * the CRM refused it, 2 otherwise).
 */
function refusedLines(c: Classified, f: Findings): number {
  if (c.action === 'quota') {
    f.lines.push(t(f.lang, 'check.quotaUsedUp', { code: errorText(c) }));
    f.report.token = { quotaUsedUp: true, code: c.code, message: c.message, hoursToReset: null };
    return EXIT.STOPPED;
  }
  const text = refusalText({ ...c, hint: hintText(f.lang, c.rule) ?? c.hint });
  if (c.code.startsWith('NET_')) {
    f.lines.push(t(f.lang, 'check.unreachable', { text }));
    f.report.token = { unchecked: c.code, message: c.message };
    return EXIT.USAGE;
  }
  f.lines.push(t(f.lang, 'check.refused', { text }));
  f.report.token = { refused: c.code, message: c.message };
  return c.action === 'fatal' ? EXIT.STOPPED : EXIT.USAGE;
}

function tokenLines(i: TokenInfo, lang: Lang): string[] {
  const q = (v: number | undefined) => v ?? '?';
  return [
    i.description ? t(lang, 'check.tokenOkDescribed', { description: i.description }) : t(lang, 'check.tokenOk'),
    t(lang, 'check.quota', { limit: q(i.tokenLimit), used: q(i.usedToday), left: q(i.available), hours: q(i.hoursToReset) }),
  ];
}

/** The token's day (one call); with --input, the plan (also when the token could not be read). Returns the exit code. */
async function checkToken(a: CheckArgs, o: { server: string; operation: string; report?: (f: Findings) => Promise<number> }, f: Findings): Promise<number> {
  const token = await resolveToken(process.env, a.tokenFile);
  const client = createClient({ origin: o.server, token, timeoutMs: 30_000, connections: 1 });
  let r: ReturnType<typeof readTokenInfo>;
  try {
    r = readTokenInfo(await client.tokenInfo(o.operation));
  } finally {
    await client.close();
  }
  const info = 'info' in r ? r.info : undefined;
  const code = info ? EXIT.OK : refusedLines((r as { refused: Classified }).refused, f);
  if (info) {
    f.report.token = info;
    f.lines.push(...tokenLines(info, f.lang));
  }
  if (a.input) await planInput(a, { ...o, info }, f);
  if (o.report) return Math.max(code, await o.report(f));
  return code;
}

/** Pre-flight: the server URL, the token's day (one call), and with --input a plan against the quota. */
export async function checkHandler(a: ArgumentsCamelCase<CheckArgs>): Promise<number> {
  const lang = pickLang(a.lang);
  const o = target(a, lang);
  const f: Findings = { lang, lines: [], report: { server: o.server, operation: o.operation } };
  f.lines.push(
    t(lang, 'check.server', { server: o.server }),
    t(lang, 'check.insertUrl', { url: `${o.server}/server/API/v2/collections/insertGestion.php` }),
    t(lang, 'check.operation', { operation: o.operation }),
  );
  // --report: every flag, token and date checked before the first call (check-report.ts).
  const report = typeof a.report === 'string' ? await (await import('./check-report.ts')).prepareReport(a, o) : undefined;
  const code = await checkToken(a, { ...o, report }, f);
  writeOut(a.json ? JSON.stringify(f.report) + '\n' : f.lines.join('\n') + '\n');
  return code;
}
