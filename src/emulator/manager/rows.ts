/**
 * A dialer call as a row of each report, with the documented field names; every value is a string
 * (numbers included, as the live API answers). The same call keeps its `conn_id` in every report.
 */
import { randomAt } from '../prng.ts';
import { personName, pick } from '../records.ts';
import { AGENTS, COMMENTS, INBOUND_LINE } from './catalog.ts';
import type { ReportName } from '../types.ts';
import type { DialerCall } from './dialer.ts';
import { dayStart, wallStamp } from './time.ts';

export type ReportRow = Record<string, string>;

const STREAM = { hangUp: 301, subCode: 302, hasComment: 303, comment: 304 } as const;
const AGENT_SEED = 77;
const AGENT_NAMES = Array.from({ length: AGENTS }, (_, k) => {
  const n = personName(AGENT_SEED, k);
  return `${n.firstName} ${n.lastName}`;
});
const OUTBOUND = new Set(['out_pre', 'outbound_ma']);

/** The call's id: its wall-clock day and its index in that day, unique across days (up to 10 million calls a day). */
function connId(call: DialerCall): string {
  if (call.day !== lastDay.day) lastDay = { day: call.day, prefix: wallStamp(dayStart(call.day)).slice(0, 10).replace(/-/g, '') };
  return lastDay.prefix + String(call.index).padStart(7, '0');
}
let lastDay = { day: NaN, prefix: '' };

/** The call's details shared by the reports. */
function details(call: DialerCall): ReportRow {
  const r = (stream: number): number => randomAt(call.daySeed, stream, call.index);
  const { code, customer, seconds } = call;
  const outbound = OUTBOUND.has(call.interaction);
  const sub = code.code === 'PP' ? (r(STREAM.subCode) < 0.5 ? ['PP1', 'Pago total'] : ['PP2', 'Pago parcial']) : ['-', '-'];
  return {
    agent_name: AGENT_NAMES[call.agent]!,
    agent_id: String(1001 + call.agent),
    date: wallStamp(call.at),
    destiny: outbound ? customer.telephone : INBOUND_LINE,
    telephone: customer.telephone,
    cost: outbound && code.talked ? (seconds * 0.9).toFixed(1) : '0',
    time_seg: String(seconds),
    time_min: (seconds / 60).toFixed(2),
    cod_act: code.code,
    description_cod_act: code.description,
    cod_act_2: sub[0]!,
    description_cod_act_2: sub[1]!,
    hang_up: r(STREAM.hangUp) < 0.6 ? 'CUSTOMER' : 'AGENT',
    comment: r(STREAM.hasComment) < 0.2 ? pick(COMMENTS, r(STREAM.comment)) : '',
    result: code.talked ? 'ANSWER' : code.code === 'BZ' ? 'ANSWERING MACHINE' : 'NO ANSWER',
  };
}

function cdr1(call: DialerCall, d: ReportRow, conn: string): ReportRow {
  return {
    agent_name: d.agent_name!, date: d.date!, destiny: d.destiny!, telephone: d.telephone!, cost: d.cost!,
    time_seg: d.time_seg!, time_min: d.time_min!, cod_act: d.cod_act!, description_cod_act: d.description_cod_act!,
    cod_act_2: d.cod_act_2!, description_cod_act_2: d.description_cod_act_2!, type_interaction: call.interaction,
    customer_id: call.customer.customerId, hang_up: d.hang_up!, campaign_id: call.campaign.id, conn_id: conn,
    skill_id: call.campaign.skillId, skill_name: call.campaign.skillName, agent_id: d.agent_id!, comment: d.comment!,
  };
}

/** Predictive campaign results; the activity code and its description come in opt1 and opt2. */
function campaign3(call: DialerCall, d: ReportRow, conn: string): ReportRow {
  const row: ReportRow = {
    campaign_id: call.campaign.id, customer_name: call.customer.firstName, customer_last_name: call.customer.lastName,
    id_type: 'CC', customer_id: call.customer.customerId, date: d.date!, telephone: d.telephone!, result: d.result!,
    opt1: d.cod_act!, opt2: d.description_cod_act!,
  };
  for (let k = 3; k <= 12; k++) row[`opt${k}`] = '';
  row.conn_id = conn;
  return row;
}

/** Preview campaigns; `time` is the talk time in seconds. */
function campaign5(call: DialerCall, d: ReportRow, conn: string): ReportRow {
  return {
    type_of_row: 'CALL', campaign_id: call.campaign.id, customer_name: call.customer.firstName,
    customer_last_name: call.customer.lastName, result: d.result!, last_code_act: d.cod_act!, comments_customer_reg: '',
    customer_id: call.customer.customerId, agent_id: d.agent_id!, conn_id: conn, telephone: d.telephone!,
    hang_up: d.hang_up!, type_interaction: call.interaction, call_result: d.result!, date: d.date!,
    time: d.time_seg!, cod_act: d.cod_act!, comments: d.comment!,
  };
}

const RENDER: Readonly<Record<ReportName, (call: DialerCall, d: ReportRow, conn: string) => ReportRow>> = {
  cdr_1: cdr1,
  campaign_3: campaign3,
  campaign_5: campaign5,
};

/** The call as a row of `report`. */
export function renderRow(report: ReportName, call: DialerCall): ReportRow {
  return RENDER[report](call, details(call), connId(call));
}
