/**
 * Spanish for the English hints of src/sink/classify.ts (its RULES and its two built-in
 * answers), keyed by the English text. test/results/i18n.test.ts fails when a hint there has
 * no entry here; an untranslated hint is shown in English rather than hidden.
 */
export const API_HINTS_ES: Readonly<Record<string, string>> = {
  'the server could not be reached; nothing was sent':
    'no se pudo contactar el servidor; no se envió nada',
  'the request was sent but no answer came back (timeout or reset): it may have been inserted; check the CRM before resending':
    'la solicitud se envió pero no hubo respuesta (tiempo de espera agotado o conexión cortada): puede haberse registrado; verifique en el CRM antes de reenviar',
  'the API URL is wrong: check --server (the host in your browser after logging in at crm.wolkvox.com)':
    'la dirección de la API es incorrecta: revise --server (el servidor que aparece en el navegador al ingresar a crm.wolkvox.com)',
  'a mandatory field is missing or empty: check the mapping (typification code and description, wolkvox_idRecord) and --operation':
    'falta un campo obligatorio o está vacío: revise el mapeo (código y descripción de la tipificación, wolkvox_idRecord) y --operation',
  'no token reached the API: set WOLKVOX_TOKEN or --token-file':
    'la API no recibió ningún token: configure WOLKVOX_TOKEN o --token-file',
  'the token was rejected: use an internal CRM token of this account (CRM → Configuration → wolkvox Integration → Tokens)':
    'el token fue rechazado: use un token interno del CRM de esta cuenta (CRM → Configuración → Integración wolkvox → Tokens)',
  "the token's daily quota is used up: run again with --resume after the counter resets":
    'se agotó la cuota diaria del token: ejecute de nuevo con --resume cuando se reinicie el contador',
  'more than 2 requests in flight on this token (another integration may be using it): lower --concurrency':
    'hubo más de 2 solicitudes simultáneas con este token (tal vez otra integración lo está usando): baje --concurrency',
  'the API is switched off for maintenance: resume later with --resume':
    'la API está apagada por mantenimiento: reanude más tarde con --resume',
  'an undocumented 403: check the token and the CRM status':
    'un error 403 no documentado: revise el token y el estado del CRM',
  'the API refused the method: check --server points at the CRM host':
    'la API rechazó el método: revise que --server apunte al servidor del CRM',
  'the server asked to slow down':
    'el servidor pidió bajar el ritmo de envío',
  'the server failed after receiving the request: it may have been inserted; check the CRM before resending':
    'el servidor falló después de recibir la solicitud: puede haberse registrado; verifique en el CRM antes de reenviar',
  'the API rejected this row':
    'la API rechazó este registro: revise el mensaje y los datos de la fila',
  'the server answered 200 without a wolkvox_id: the row may have been inserted; check the CRM before resending':
    'el servidor respondió 200 sin wolkvox_id: la gestión puede haberse registrado; verifique en el CRM antes de reenviar',
  'an unexpected answer: check the CRM status':
    'una respuesta inesperada: revise el estado del CRM',
};
