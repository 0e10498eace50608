/**
 * A report answer, `{"code":200,"error":null,"msg":"N records were found","data":[…]}`, streamed in
 * ~1 MB pieces that wait for the client to drain, so 60,000 records never sit in memory as one string.
 * The in-flight slot is held until the last piece is handed over.
 */
import type { Call } from '../call.ts';
import { JSON_TYPE, drained } from '../respond.ts';
import type { ReportName } from '../types.ts';
import type { DialerCall } from './dialer.ts';
import { renderRow } from './rows.ts';

const FLUSH_CHARS = 1 << 20;

/** Writes the rows; resolves with their conn_ids once all were written, or undefined if the client went away. */
export async function writeReport(call: Call, report: ReportName, calls: readonly DialerCall[]): Promise<string[] | undefined> {
  const { res } = call;
  const ids: string[] = [];
  call.ctx.state.countStatus(200);
  res.writeHead(200, { 'content-type': JSON_TYPE });
  let out = `{"code":200,"error":null,"msg":"${calls.length} records were found","data":[`;
  for (let i = 0; i < calls.length; i++) {
    const row = renderRow(report, calls[i]!);
    ids.push(row.conn_id!);
    out += (i === 0 ? '' : ',') + JSON.stringify(row);
    if (out.length < FLUSH_CHARS) continue;
    if (res.destroyed) return undefined;
    const flushed = res.write(out);
    out = '';
    if (!flushed && !(await drained(res))) return undefined;
  }
  call.release();
  res.end(`${out}]}`);
  return ids;
}
