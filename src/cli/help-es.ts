import type { Options } from 'yargs';
import type { Lang } from '../i18n/index.ts';
import type { IMPORT_OPTIONS } from './options.ts';

/** Spanish --help for the flags of import/validate (a test keeps the keys in step with options.ts). */
export const IMPORT_OPTIONS_ES: Readonly<Record<keyof typeof IMPORT_OPTIONS, string>> = {
  mapping: 'archivo de mapeo (JSON): qué columna del CSV va a qué campo de la API',
  preset: 'mapeo incorporado en lugar de --mapping (cdr_1: detalle de llamadas de wolkvox)',
  lookup: 'NOMBRE=ARCHIVO: leer la tabla de búsqueda NOMBRE desde ARCHIVO (p. ej. records=export_crm.csv con --preset cdr_1)',
  server: 'servidor del CRM, p. ej. crm0001.wolkvox.com (o WOLKVOX_SERVER); https obligatorio salvo en esta máquina',
  operation: 'nombre de la operación del CRM (o WOLKVOX_OPERATION)',
  'token-file': 'archivo con el token (si no, WOLKVOX_TOKEN); nunca pase el token como opción',
  out: 'CSV de resultados (por defecto: reports/<entrada>-<hora>.results.csv)',
  excel: 'escribir el CSV de resultados con BOM UTF-8 para que Excel muestre bien las tildes',
  concurrency: 'solicitudes simultáneas como máximo (por defecto 2, el límite de la API por token)',
  'dry-run': 'mapear y validar cada fila sin enviar nada; las filas que se enviarían quedan "pending"',
  state: 'archivo de estado de las cargas (por defecto: $XDG_STATE_HOME/wolkvox-import/state.sqlite; ":memory:" no guarda nada: sin --resume)',
  resume: 'continuar la última carga de este archivo: envía solo las filas pendientes y rechazadas',
  'force-new-run': 'con --resume: empezar una carga nueva aunque el archivo o el mapeo hayan cambiado',
  'retry-uncertain': 'reenviar también las filas que pudieron llegar al CRM (¡verifíquelas antes!)',
  encoding: 'codificación de la entrada (por defecto se detecta: utf-8, utf-16 con BOM, windows-1252)',
  delimiter: 'separador de la entrada (por defecto se detecta entre , ; tabulador |)',
  timeout: 'segundos de espera por cada respuesta (por defecto 30)',
  'max-attempts': 'intentos por fila ante respuestas reintentables (por defecto 5)',
  'max-backoff': 'segundos de espera acumulada entre reintentos por fila (por defecto 120)',
  'max-pause': 'segundos de espera durante un mantenimiento de la API antes de detenerse (por defecto 1800)',
  'max-errors': 'detenerse tras N filas rechazadas, o P% ("10%"), u "off" (por defecto: las 20 primeras rechazadas, o más de la mitad tras 50)',
  'max-calls': 'llamadas a la API que esta carga puede gastar como máximo (deja cuota para otras integraciones)',
  'check-quota': 'consultar primero las llamadas que le quedan hoy al token (una llamada) y enviar solo lo que alcance',
  'wait-lock': 'segundos de espera si otra carga usa el mismo archivo de estado (por defecto 0: fallar de inmediato)',
  'log-file': 'escribir el registro JSON en este archivo en lugar de stderr',
  quiet: 'sin indicador de progreso',
  'progress-interval': 'fuera de una terminal: segundos entre líneas de progreso en el registro (por defecto 60)',
  lang: 'idioma de los mensajes y del informe HTML (por defecto según LANG)',
  report: 'escribir <nombre>.summary.json y <nombre>.report.html junto a los resultados (--no-report: omitir)',
};

export const COMMANDS_ES: Readonly<Record<string, string>> = {
  import: 'cargar un archivo CSV en la cobranza de wolkvox',
  validate: 'mapear y validar un CSV sin enviar nada (igual que import --dry-run; no necesita token)',
  check: 'verificación previa: la URL del servidor, el token y su cuota de hoy, y con --input un plan para el archivo',
  'init-mapping': 'proponer un archivo de mapeo a partir de un CSV exportado (encabezado y una muestra de filas)',
  runs: 'listar las cargas recientes del archivo de estado',
  ledger: 'listar, exportar u olvidar las claves de las gestiones ya cargadas (la protección contra duplicados)',
  emulator: 'ejecutar un emulador local de la API de wolkvox (para probar y para las pruebas)',
  demo: 'iniciar el emulador y cargar el archivo de ejemplo (no necesita un CRM)',
  usage: 'Carga gestiones desde archivos CSV en la cobranza de wolkvox CRM, una inserción por fila.',
};

/** The import options with their descriptions in `lang`. */
export function localisedImportOptions(opts: typeof IMPORT_OPTIONS, lang: Lang): Record<string, Options> {
  if (lang !== 'es') return opts;
  const out: Record<string, Options> = {};
  for (const [k, v] of Object.entries(opts)) out[k] = { ...v, describe: IMPORT_OPTIONS_ES[k as keyof typeof IMPORT_OPTIONS] };
  return out;
}
