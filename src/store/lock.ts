import { hostname } from 'node:os';
import { LockedError } from '../errors.ts';
import { redact } from '../redact.ts';
import type { RunStore } from './store.ts';
import { processAlive } from '../process-alive.ts';

export interface LockHolder {
  pid: number;
  hostname: string;
  started_at: string;
  command: string;
}

/**
 * One run at a time per store. The lock is a row in the store itself, taken in an immediate
 * transaction; a holder that died (its pid is gone on this host) is taken over.
 * Returns the stale holder that was taken over, if any.
 */
export function acquireLock(store: RunStore, command: string): LockHolder | undefined {
  const db = store.database;
  const me = hostname();
  const take = db.transaction((): LockHolder | undefined => {
    const holder = db.prepare('SELECT pid, hostname, started_at, command FROM lock WHERE id = 1').get() as LockHolder | undefined;
    if (holder && holder.pid !== process.pid) {
      const sameHost = holder.hostname === me;
      if (!sameHost || processAlive(holder.pid)) {
        throw new LockedError(
          `state file ${store.path} is in use by another wolkvox-import (pid ${holder.pid} on ${holder.hostname}, started ${holder.started_at}: ${redact(holder.command, [])}); wait for it to finish, or use --state <file> for an independent run`,
          { pid: holder.pid, startedAt: holder.started_at },
        );
      }
    }
    db.prepare('INSERT OR REPLACE INTO lock (id, pid, hostname, started_at, command) VALUES (1, ?, ?, ?, ?)').run(
      process.pid, me, new Date().toISOString(), command.slice(0, 500),
    );
    return holder && holder.pid !== process.pid ? holder : undefined;
  });
  return take.immediate();
}

/** Waits up to `waitMs` for the lock, polling; then fails with the holder's details. */
export async function acquireLockWaiting(store: RunStore, command: string, waitMs: number): Promise<LockHolder | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return acquireLock(store, command);
    } catch (err) {
      if (!(err instanceof LockedError) || Date.now() >= deadline) throw err;
      await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(50, deadline - Date.now()))));
    }
  }
}

export function releaseLock(store: RunStore): void {
  try {
    store.database.prepare('DELETE FROM lock WHERE id = 1 AND pid = ?').run(process.pid);
  } catch {
    /* the store may already be closed */
  }
}
