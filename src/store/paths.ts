import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$XDG_STATE_HOME/wolkvox-import/state.sqlite`, else `~/.local/state/wolkvox-import/state.sqlite`. */
export function defaultStatePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(base, 'wolkvox-import', 'state.sqlite');
}
