import type { Options } from 'yargs';
import { DEFAULTS } from '../config/config.ts';

/**
 * Every flag of `import` / `validate`, declared once: yargs builds --help from these and the
 * README's flag table is checked against them by a test.
 */
export const IMPORT_OPTIONS = {
  mapping: { type: 'string', describe: 'mapping file (JSON): which CSV column goes to which API field' },
  preset: { type: 'string', describe: 'built-in mapping instead of --mapping (cdr_1: wolkvox call-detail export)' },
  lookup: { type: 'string', array: true, describe: 'NAME=FILE: read lookup table NAME from FILE (e.g. records=crm_export.csv for --preset cdr_1)' },
  server: { type: 'string', describe: 'CRM host, e.g. crm0001.wolkvox.com (or WOLKVOX_SERVER); https required except to loopback' },
  operation: { type: 'string', describe: 'CRM operation name (or WOLKVOX_OPERATION)' },
  'token-file': { type: 'string', describe: 'file holding the token (else WOLKVOX_TOKEN); never pass the token itself as a flag' },
  out: { type: 'string', describe: 'result CSV (default: reports/<input>-<time>.results.csv)' },
  excel: { type: 'boolean', describe: 'write the result CSV with a UTF-8 BOM so Excel shows accents right' },
  concurrency: { type: 'number', describe: `requests in flight at most (default ${DEFAULTS.concurrency}, the API's limit per token)` },
  'dry-run': { type: 'boolean', describe: 'map and validate every row, send nothing; rows that would be sent are "pending"' },
  state: { type: 'string', describe: 'run store file (default: $XDG_STATE_HOME/wolkvox-import/state.sqlite; ":memory:" keeps none: no resume)' },
  resume: { type: 'boolean', describe: 'continue the latest run of this input: send only pending and failed rows' },
  'force-new-run': { type: 'boolean', describe: 'with --resume: start a new run although the file or mapping changed' },
  'retry-uncertain': { type: 'boolean', describe: 'also resend rows whose earlier request may have reached the CRM (check them first!)' },
  encoding: { type: 'string', describe: 'input encoding (default: detected: utf-8, utf-16 with BOM, windows-1252)' },
  delimiter: { type: 'string', describe: 'input delimiter (default: detected among , ; tab |)' },
  timeout: { type: 'number', describe: `seconds to wait for one answer (default ${DEFAULTS.timeoutSec})` },
  'max-attempts': { type: 'number', describe: `attempts per row for retryable answers (default ${DEFAULTS.maxAttempts})` },
  'max-backoff': { type: 'number', describe: `seconds of backoff one row may spend in total (default ${DEFAULTS.maxBackoffSec})` },
  'max-pause': { type: 'number', describe: `seconds to wait out an API maintenance window before stopping (default ${DEFAULTS.maxPauseSec})` },
  'max-errors': { type: 'string', describe: 'stop after N rejected rows, or P% ("10%"), or "off" (default: first 20 all rejected, or over half after 50)' },
  'max-calls': { type: 'number', describe: 'spend at most this many API calls in this run (leave quota for other integrations)' },
  'check-quota': { type: 'boolean', describe: "ask the token's calls left today first (one call) and send only what fits; the rest stays pending" },
  'wait-lock': { type: 'number', describe: 'seconds to wait for another run on the same state file (default 0: fail at once)' },
  'log-file': { type: 'string', describe: 'write the JSON log here instead of stderr' },
  quiet: { type: 'boolean', describe: 'no progress display' },
  'progress-interval': { type: 'number', describe: 'off a terminal: seconds between progress log lines (default 60)' },
  lang: { type: 'string', choices: ['es', 'en'], describe: 'language of messages and the HTML report (default: from LANG)' },
  report: { type: 'boolean', default: true, describe: 'write <name>.summary.json and <name>.report.html next to the results (--no-report: skip)' },
} as const satisfies Record<string, Options>;
