/**
 * yargs renders the matched command's whole help text (cliui, wrap-ansi: ~50-150 ms) and caches it
 * every time a command parses, in case its handler shows help later. No command here shows help
 * after parsing (a parse failure prints it before that point), so the cache is switched off.
 */
export function skipHelpCache<T extends object>(cli: T): T {
  type Internal = { getInternalMethods?: () => { getUsageInstance(): { cacheHelpMessage(): void } } };
  const usage = (cli as Internal).getInternalMethods?.().getUsageInstance();
  if (usage) usage.cacheHelpMessage = () => undefined;
  return cli;
}
