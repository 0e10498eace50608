import type { Lang } from './index.ts';

/** The CLI's own messages (the report's live in en.ts/es.ts). Status names and CSV columns stay English: they are a contract. */
const EN = {
  done: 'done',
  dryRunDone: 'dry run done',
  stopped: 'stopped ({reason})',
  rows: '{n} rows',
  results: 'results',
  exit: 'exit',
  report: 'report',
  madeUncertain: '{n} rows were being sent when the earlier run stopped: they are "uncertain"',
  uncertain: '{n} rows are "uncertain" (the request may have reached the CRM): check them in the CRM; resend only those that are missing, with --resume --retry-uncertain',
  pending: '{n} rows are pending: run the same command with --resume to continue',
  failed: '{n} rows failed: see the "error" column; --resume sends them again',
  readRows: '{n} rows read ({encoding}, delimiter {delimiter}, {columns} columns)',
  readyLine: '  ready to send: {send}   invalid: {invalid}   skipped by a filter: {skipped}   duplicates: {duplicate}',
  noData: '  the file has a header but no data rows: nothing to import',
  allValid: '  no invalid rows: the file is ready to import',
  line: 'line {line} (row {row})',
} as const;

export type CliKey = keyof typeof EN;

const ES: Readonly<Record<CliKey, string>> = {
  done: 'terminado',
  dryRunDone: 'simulación terminada',
  stopped: 'detenido ({reason})',
  rows: '{n} filas',
  results: 'resultados',
  exit: 'código de salida',
  report: 'informe',
  madeUncertain: '{n} filas se estaban enviando cuando se detuvo la carga anterior: quedan "uncertain" (por verificar)',
  uncertain: '{n} filas quedaron "uncertain" (la solicitud pudo llegar al CRM): búsquelas en el CRM y reenvíe solo las que falten, con --resume --retry-uncertain',
  pending: '{n} filas quedaron pendientes ("pending"): ejecute el mismo comando con --resume para continuar',
  failed: '{n} filas fueron rechazadas ("failed"): vea la columna "error"; --resume las envía de nuevo',
  readRows: '{n} filas leídas ({encoding}, separador {delimiter}, {columns} columnas)',
  readyLine: '  listas para enviar: {send}   inválidas: {invalid}   omitidas por un filtro: {skipped}   duplicadas: {duplicate}',
  noData: '  el archivo tiene encabezado pero ninguna fila de datos: no hay nada que cargar',
  allValid: '  ninguna fila inválida: el archivo está listo para cargar',
  line: 'línea {line} (fila {row})',
};

export function tc(lang: Lang, key: CliKey, params: Readonly<Record<string, string | number>> = {}): string {
  const text = lang === 'es' ? ES[key] : EN[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The language a command line asks for (`--lang es`, `--lang=es`), else the environment's. */
export function langFromArgv(argv: readonly string[], fallback: Lang): Lang {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = a === '--lang' ? argv[i + 1] : a.startsWith('--lang=') ? a.slice(7) : undefined;
    if (v === 'es' || v === 'en') return v;
  }
  return fallback;
}
