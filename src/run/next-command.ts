import { shellLine } from '../redact.ts';

/** The result-file text of a row a dry run would send (the report groups these rows under DRY_RUN). */
export const DRY_RUN_TEXT = 'DRY_RUN: valid; would be sent by the import (a dry run sends nothing)';

/**
 * The command that really imports what a dry run simulated: `validate` becomes `import`, `--dry-run`
 * goes away, everything else stays as typed. `argv` starts with the program's name.
 */
export function importCommandLine(argv: readonly string[]): string {
  const out = argv.filter((a) => a !== '--dry-run' && a !== '--dry-run=true');
  const i = out.findIndex((a, n) => n > 0 && !a.startsWith('-'));
  if (i > 0 && out[i] === 'validate') out[i] = 'import';
  return shellLine(out);
}

/** The same command with `flags` added (those not already on it): `--resume` after a stop, for one. */
export function withFlags(argv: readonly string[], flags: readonly string[]): string {
  return shellLine([...argv, ...flags.filter((f) => !argv.includes(f))]);
}
