/** What `wolkvox-import emulator` prints when it listens: where it is, what it accepts, a command to try. */
import { INSERT_PATH } from '../config/server.ts';
import { REPORTS_PATH } from './manager/query.ts';
import { ADMIN_PREFIX } from './messages.ts';
import type { EmulatorOptions } from './types.ts';

export interface BannerInfo {
  url: string;
  /** The accepted tokens (--token); none = any non-empty token. */
  tokens?: readonly string[];
  quota: number;
  maxInflight: number;
  latencyMs: EmulatorOptions['latencyMs'];
  /** The Manager report API, when the banner should name it. */
  manager?: { token: string; callsPerDay: number };
}

/** A POSIX shell word: bare when safe, single-quoted otherwise. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The listening banner. Its `try:` line is a command that works against this emulator as started:
 * it uses the first token the emulator accepts (`demo` when any token is accepted).
 */
export function emulatorBanner(b: BannerInfo): string {
  const tokens = (b.tokens ?? []).filter((t) => t !== '');
  const token = tokens[0] ?? 'demo';
  return (
    `wolkvox emulator listening on ${b.url}\n` +
    `  insert: POST ${b.url}${INSERT_PATH}\n` +
    `  tokens: ${tokens.length ? tokens.join(', ') : 'any non-empty token'} · quota ${b.quota}/day · ${b.maxInflight} in flight · latency ${JSON.stringify(b.latencyMs ?? 0)} ms\n` +
    (b.manager === undefined ? '' : `  manager: GET ${b.url}${REPORTS_PATH}?api=cdr_1&date_ini=YYYYmmddHHiiss&date_end=YYYYmmddHHiiss · token ${b.manager.token} · ${b.manager.callsPerDay} calls/day · lookup GET ${ADMIN_PREFIX}crm-records.csv\n`) +
    `  admin:  GET ${b.url}${ADMIN_PREFIX}state · POST ${ADMIN_PREFIX}new-day · POST ${ADMIN_PREFIX}reset\n` +
    `try: WOLKVOX_TOKEN=${shellWord(token)} npx wolkvox-import import fixtures/sample_gestiones.csv --mapping fixtures/mappings/sample.json --server ${b.url} --operation demo\n`
  );
}
