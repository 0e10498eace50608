/**
 * The arguments of every command, declared once: yargs builds --help from these. Light on purpose:
 * main.ts loads a command's handler (and its heavy modules) only when that command runs.
 */
import type { Argv } from 'yargs';
import type { ImportArgs } from '../config/config.ts';
import { readJobFile } from '../config/job-file.ts';
import { FAULT_SPEC_FORM } from '../emulator/fault-spec.ts';
import type { Lang } from '../i18n/index.ts';
import { localisedImportOptions } from './help-es.ts';
import { IMPORT_OPTIONS } from './options.ts';

export interface CheckArgs {
  server?: string;
  operation?: string;
  tokenFile?: string;
  input?: string;
  mapping?: string;
  preset?: string;
  state?: string;
  encoding?: string;
  delimiter?: string;
  json?: boolean;
}

export function checkBuilder(y: Argv): Argv<CheckArgs> {
  const o = IMPORT_OPTIONS;
  return y
    .options({ server: o.server, operation: o.operation, 'token-file': o['token-file'], mapping: o.mapping, preset: o.preset, state: o.state, encoding: o.encoding, delimiter: o.delimiter })
    .config('config', 'job file (JSON) holding any of these flags (never the token)', readJobFile)
    .option('input', { type: 'string', describe: 'also validate this CSV file and plan the import against the quota' })
    .option('json', { type: 'boolean', describe: 'print the findings as one JSON object on stdout' }) as unknown as Argv<CheckArgs>;
}

export interface EmulatorArgs {
  port: number;
  host: string;
  latency?: number;
  latencyMax?: number;
  maxInflight: number;
  quota: number;
  token?: string[];
  fault?: string[];
  seed: number;
}

export function emulatorBuilder(y: Argv): Argv<EmulatorArgs> {
  return y
    .option('port', { type: 'number', default: 8089, describe: 'port to listen on (0: any free port)' })
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on (loopback only by default)' })
    .option('latency', { type: 'number', describe: 'milliseconds before answering an insert (default 0)' })
    .option('latency-max', { type: 'number', describe: 'with --latency: answer after a random time between the two' })
    .option('max-inflight', { type: 'number', default: 2, describe: 'simultaneous requests per token before the documented 403' })
    .option('quota', { type: 'number', default: 100_000, describe: 'daily calls per token before TOKEN LIMIT EXCEEDED' })
    .option('token', { type: 'string', array: true, describe: 'accepted token (repeatable); default: any non-empty token' })
    .option('fault', { type: 'string', array: true, describe: `scripted fault (repeatable): ${FAULT_SPEC_FORM}` })
    .option('seed', { type: 'number', default: 1, describe: 'seed for rate-based faults' }) as unknown as Argv<EmulatorArgs>;
}

export interface InitArgs {
  input: string;
  out?: string;
  force?: boolean;
  encoding?: string;
  delimiter?: string;
  sample: number;
}

export function initMappingBuilder(y: Argv): Argv<InitArgs> {
  return y
    .positional('input', { type: 'string', describe: 'a CSV export to read the header and a sample from' })
    .option('out', { type: 'string', describe: 'where to write the proposed mapping (default: <input>.mapping.json beside the input)' })
    .option('force', { type: 'boolean', describe: 'overwrite an existing mapping file' })
    .option('encoding', { type: 'string', describe: 'input encoding (default detected)' })
    .option('delimiter', { type: 'string', describe: 'input delimiter (default detected)' })
    .option('sample', { type: 'number', default: 200, describe: 'rows to read for the proposal' }) as unknown as Argv<InitArgs>;
}

export interface StateArgs { state?: string; limit: number; json?: boolean }

export interface LedgerArgs extends StateArgs { export?: string; forgetBefore?: string }

export const stateOption = { type: 'string', describe: 'run store file (default: $XDG_STATE_HOME/wolkvox-import/state.sqlite)' } as const;

export function runsBuilder(y: Argv): Argv<StateArgs> {
  return y.option('state', stateOption).option('limit', { type: 'number', default: 20, describe: 'how many runs' })
    .option('json', { type: 'boolean', describe: 'one JSON object per run' }) as unknown as Argv<StateArgs>;
}

export function ledgerBuilder(y: Argv): Argv<LedgerArgs> {
  return y.option('state', stateOption).option('limit', { type: 'number', default: 50, describe: 'how many keys to list' })
    .option('export', { type: 'string', describe: 'write every key to this CSV file' })
    .option('forget-before', { type: 'string', describe: 'forget keys inserted before this date (YYYY-MM-DD)' })
    .option('json', { type: 'boolean', describe: 'one JSON object per key' }) as unknown as Argv<LedgerArgs>;
}

export type ImportCliArgs = ImportArgs & { tokenFile?: string; logFile?: string; quiet?: boolean; json?: boolean; lang?: string; report?: boolean; progressInterval?: number };

export function importBuilder(lang: Lang): (y: Argv) => Argv<ImportCliArgs> {
  const es = lang === 'es';
  return (y) =>
    y
      .positional('input', { type: 'string', describe: es ? 'el archivo CSV a cargar' : 'the CSV file to import' })
      .options(localisedImportOptions(IMPORT_OPTIONS, lang))
      .config('config', es ? 'archivo de trabajo (JSON) con cualquiera de estas opciones (nunca el token; "tokenFile" sí); las opciones dadas aquí ganan' : 'job file (JSON) holding any of these flags (never the token; "tokenFile" is fine); flags given here win', readJobFile)
      .option('json', { type: 'boolean', describe: es ? 'imprimir el resumen como un objeto JSON en stdout' : 'print the summary as one JSON object on stdout' }) as unknown as Argv<ImportCliArgs>;
}
