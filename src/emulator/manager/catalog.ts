/**
 * What the synthetic dialer is made of: interaction types, campaigns, skills, activity codes and
 * comments, each with a weight. Accents, commas and quotes are deliberate (CSV and UTF-8 paths).
 */

export interface Weighted<T> {
  value: T;
  weight: number;
}

/** `type_interaction` values (the documented list); out_pre feeds campaign_3, outbound_ma campaign_5. */
export const INTERACTIONS: readonly Weighted<string>[] = [
  { value: 'out_pre', weight: 45 },
  { value: 'outbound_ma', weight: 25 },
  { value: 'inbound', weight: 20 },
  { value: 'transfer', weight: 4 },
  { value: 'internal call', weight: 2 },
  { value: 'internal call_inb', weight: 1.5 },
  { value: 'internal call_que', weight: 1.5 },
  { value: 'conference', weight: 1 },
];

export interface Campaign {
  id: string;
  skillId: string;
  skillName: string;
}

/** Predictive campaigns (campaign_3, type out_pre). */
export const PREDICTIVE: readonly Campaign[] = [
  { id: '1057', skillId: '2001', skillName: 'Cobranza Mora 30' },
  { id: '1058', skillId: '2002', skillName: 'Cobranza Mora 60' },
  { id: '1063', skillId: '2003', skillName: 'Recuperación Cartera' },
];

/** Preview campaigns (campaign_5, type outbound_ma). */
export const PREVIEW: readonly Campaign[] = [
  { id: '2001', skillId: '2101', skillName: 'Preventiva' },
  { id: '2002', skillId: '2102', skillName: 'Acuerdos Especiales' },
];

/** Skills of calls outside campaigns (inbound, transfers, internal calls). */
export const SKILLS: readonly Campaign[] = [
  { id: '', skillId: '3001', skillName: 'Servicio al cliente' },
  { id: '', skillId: '3002', skillName: 'Cobranza entrante' },
];

export interface ActivityCode {
  code: string;
  description: string;
  /** The call connected (a duration, a cost, an ANSWER result). */
  talked: boolean;
}

/** `cod_act`s, with the quirks: TIMEOUTACW (never typified), PRUEBA (test calls), empty typification. */
export const CODES: readonly Weighted<ActivityCode>[] = [
  { value: { code: 'PP', description: 'PROMESA DE PAGO', talked: true }, weight: 12 },
  { value: { code: 'NC', description: 'NO CONTESTA', talked: false }, weight: 20 },
  { value: { code: 'BZ', description: 'BUZÓN DE VOZ', talked: false }, weight: 12 },
  { value: { code: 'VL', description: 'VOLVER A LLAMAR', talked: true }, weight: 10 },
  { value: { code: 'PT', description: 'PAGO TOTAL', talked: true }, weight: 5 },
  { value: { code: 'RN', description: 'RENUENTE', talked: true }, weight: 6 },
  { value: { code: 'TE', description: 'TELÉFONO EQUIVOCADO', talked: true }, weight: 5 },
  { value: { code: 'NI', description: 'NO INTERESADO', talked: true }, weight: 8 },
  { value: { code: 'AC', description: 'ACUERDO DE PAGO', talked: true }, weight: 6 },
  { value: { code: 'TIMEOUTACW', description: 'TIMEOUTACW', talked: true }, weight: 8 },
  { value: { code: 'PR', description: 'PRUEBA', talked: true }, weight: 1 },
  { value: { code: 'PR2', description: 'PRUEBA SISTEMA', talked: false }, weight: 1 },
  { value: { code: '', description: '', talked: true }, weight: 3 },
];

export const COMMENTS: readonly string[] = [
  'Cliente indica que pagará el viernes',
  'Dice "no vuelvan a llamar"',
  'Llamar después de las 5, al celular',
  'Compromiso de pago por $250.000',
  'Sin respuesta',
];

/** The operation's inbound line (destiny of inbound calls). */
export const INBOUND_LINE = '6013907000';

export const AGENTS = 40;

const totals = new WeakMap<readonly Weighted<unknown>[], number>();

/** The value of `list` at the cumulative position u·total (u in [0, 1)). */
export function weighted<T>(list: readonly Weighted<T>[], u: number): T {
  let total = totals.get(list);
  if (total === undefined) totals.set(list, (total = list.reduce((sum, w) => sum + w.weight, 0)));
  let x = u * total;
  for (const w of list) {
    if (x < w.weight) return w.value;
    x -= w.weight;
  }
  return list[list.length - 1]!.value;
}
