/**
 * Header names (Spanish and English) that init-mapping recognises for each API field, in the
 * key form of headerKey(): no accents, lower case, `_ - .` as spaces. Order matters only
 * between fields: a header is given to the first field that lists it.
 */
import { normalizeName } from './similar.ts';

/** `Código_Tipificación` → `codigo tipificacion`. */
export function headerKey(name: string): string {
  return normalizeName(name).replace(/[\s_.\-/]+/g, ' ').trim();
}

export const SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  tipifycation_code: [
    'cod act', 'codigo tipificacion', 'cod tipificacion', 'codigo de tipificacion', 'tipificacion', 'tipificacion codigo',
    'typification code', 'tipification code', 'tipifycation code', 'disposition code', 'codigo gestion', 'cod gestion',
    'codigo resultado', 'cod resultado',
  ],
  tipifycation_desc: [
    'description cod act', 'descripcion cod act', 'descripcion', 'descripcion tipificacion', 'tipificacion descripcion',
    'typification description', 'tipification description', 'typification desc', 'tipification desc', 'tipifycation desc',
    'description', 'disposition', 'resultado', 'descripcion gestion', 'descripcion resultado',
  ],
  wolkvox_idRecord: ['id registro', 'registro id', 'id record', 'record id', 'idrecord', 'wolkvox id record', 'id del registro'],
  wolkvox_idCall: ['conn id', 'id llamada', 'llamada id', 'call id', 'id call', 'idcall', 'id de llamada', 'connection id'],
  customer_id: [
    'customer id', 'cedula', 'documento', 'numero documento', 'numero de documento', 'nro documento', 'no documento',
    'identificacion', 'numero identificacion', 'id cliente', 'cliente id', 'nit', 'dni', 'cc', 'id customer',
    'num documento', 'nro identificacion', 'num identificacion', 'numero id', 'num id', 'documento cliente',
  ],
  client_name: ['nombre', 'nombres', 'client name', 'customer name', 'nombre cliente', 'nombre del cliente', 'name', 'first name', 'nombre completo', 'nombre deudor', 'nombre titular'],
  client_lastname: ['apellido', 'apellidos', 'last name', 'lastname', 'client lastname', 'surname', 'apellido cliente'],
  client_type_document: ['tipo documento', 'tipo de documento', 'tipo doc', 'document type', 'type document', 'client type document', 'tipo id', 'tipo identificacion', 'tipo de identificacion'],
  client_telephone: ['telephone', 'telefono', 'phone', 'tel', 'celular', 'movil', 'numero telefono', 'numero de telefono', 'client telephone', 'telefono 1', 'tel 1', 'celular 1', 'movil 1', 'telefono principal'],
  agent_name: ['agent name', 'agente', 'nombre agente', 'nombre del agente', 'asesor', 'nombre asesor', 'agent', 'gestor', 'nombre gestor'],
  agent_id: ['agent id', 'extension', 'ext', 'id agente', 'agente id', 'extension agente', 'id asesor', 'codigo agente', 'cod agente', 'codigo asesor', 'id gestor', 'codigo gestor'],
  type_interaction: ['type interaction', 'tipo interaccion', 'tipo de interaccion', 'interaction type', 'canal'],
  campaign_id: ['campaign id', 'campana', 'id campana', 'campana id', 'campaign', 'campaign name'],
  date: ['date', 'fecha', 'fecha gestion', 'fecha llamada', 'fecha de gestion', 'call date', 'fecha hora', 'date time', 'datetime'],
  time: ['time', 'hora', 'hora gestion', 'hora llamada', 'call time'],
  obligation: ['obligation', 'obligacion', 'numero obligacion', 'nro obligacion', 'credito', 'numero credito', 'num obligacion', 'numero de obligacion', 'no obligacion'],
};
