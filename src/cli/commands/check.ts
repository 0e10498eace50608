import type { ArgumentsCamelCase } from 'yargs';
import type { CheckArgs } from '../builders.ts';
import { resolveImportConfig } from '../../config/config.ts';
import { normaliseServer } from '../../config/server.ts';
import { resolveToken } from '../../config/token.ts';
import { ConfigError, EXIT } from '../../errors.ts';
import { planFile } from '../../run/plan-count.ts';
import { createClient } from '../../sink/client.ts';
import { readTokenInfo, refusalText } from '../../sink/token-info.ts';



/** Pre-flight: the server URL, the token's day (one call), and with --input a plan against the quota. */
export async function checkHandler(a: ArgumentsCamelCase<CheckArgs>): Promise<number> {
  const out: string[] = [];
  const serverRaw = a.server ?? process.env.WOLKVOX_SERVER;
  if (!serverRaw) throw new ConfigError('--server is required (or WOLKVOX_SERVER): the CRM host, e.g. crm0001.wolkvox.com');
  const server = normaliseServer(serverRaw);
  const operation = (a.operation ?? process.env.WOLKVOX_OPERATION ?? '').trim();
  if (!operation) throw new ConfigError('--operation is required (or WOLKVOX_OPERATION): the name of the CRM operation');
  out.push(`server     ${server}`, `insert URL ${server}/server/API/v2/collections/insertGestion.php`, `operation  ${operation}`);
  const token = await resolveToken(process.env, a.tokenFile);
  const client = createClient({ origin: server, token, timeoutMs: 30_000, connections: 1 });
  const report: Record<string, unknown> = { server, operation };
  let code: number = EXIT.OK;
  try {
    const r = readTokenInfo(await client.tokenInfo(operation));
    if ('refused' in r) {
      const c = r.refused;
      out.push(`token      REFUSED: ${refusalText(c)}`);
      report.token = { refused: c.code, message: c.message };
      code = c.action === 'fatal' || c.action === 'quota' ? EXIT.STOPPED : EXIT.USAGE;
      if (c.code.startsWith('NET_')) code = EXIT.USAGE;
    } else {
      const i = r.info;
      report.token = i;
      out.push(`token      ok${i.description ? ` (${i.description})` : ''}`,
        `quota      limit ${i.tokenLimit ?? '?'} calls/day · used today ${i.usedToday ?? '?'} · left ${i.available ?? '?'} · resets in ${i.hoursToReset ?? '?'} h`);
      if (a.input) {
        const cfg = resolveImportConfig({ input: a.input, mapping: a.mapping, preset: a.preset, server, operation, state: a.state, encoding: a.encoding, delimiter: a.delimiter });
        const p = await planFile(cfg);
        const limit = i.tokenLimit ?? 0;
        const left = i.available ?? 0;
        const fits = p.toSend <= left;
        const days = p.toSend === 0 ? 0 : fits ? 1 : 1 + (limit > 0 ? Math.ceil((p.toSend - left) / limit) : Number.POSITIVE_INFINITY);
        report.plan = { ...p, callsNeeded: p.toSend, fitsToday: fits, days };
        out.push(`input      ${a.input}: ${p.rows} rows (${p.encoding}, delimiter ${JSON.stringify(p.delimiter)})`,
          `plan       ${p.toSend} to send · ${p.invalid} invalid · ${p.skipped} skipped · ${p.duplicate} already inserted (duplicates)${p.alreadyDone ? ` · ${p.alreadyDone} settled by an earlier run` : ''}`,
          `           ${p.toSend} calls needed, ${left} left today: ${fits ? 'fits today' : `does not fit: about ${days} days at ${limit} calls/day (use --resume each day)`}`);
        if (p.invalid > 0) out.push(`           run "wolkvox-import validate ${a.input} --mapping ..." to see why rows are invalid`);
      }
    }
  } finally {
    await client.close();
  }
  process.stdout.write(a.json ? JSON.stringify(report) + '\n' : out.join('\n') + '\n');
  return code;
}
