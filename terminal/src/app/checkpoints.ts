/**
 * WAL checkpoints off the hot path. SQLite's automatic checkpoint runs inside whichever commit crosses the
 * threshold (fsyncing the database file in the middle of a scan or a sale); here it is turned off and a
 * timer checkpoints (PASSIVE) when the till has been idle for `idleMs`, or after `maxWrites` writes
 * without an idle moment, and at least every 30 s, so the WAL cannot grow without bound.
 */
import type { SqliteHandle } from '../persistence/data-source';

export interface Checkpointer {
  /** Call after each write (the app does it on every cart/status event). */
  noteWrite(): void;
  stop(): void;
}

export function startIdleCheckpoints(db: SqliteHandle, now: () => number, opts: { idleMs?: number; maxWrites?: number; intervalMs?: number } = {}): Checkpointer {
  const idleMs = opts.idleMs ?? 300;
  const maxWrites = opts.maxWrites ?? 400;
  db.pragma('wal_autocheckpoint = 0');
  let last = now();
  let writes = 0;
  let lastCheckpoint = now();
  const timer = setInterval(() => {
    // Writes made by others on this connection (sync client, master data) are caught by the 30 s sweep.
    const sweep = now() - lastCheckpoint > 30_000;
    if (!sweep && (writes === 0 || (now() - last < idleMs && writes < maxWrites))) return;
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
      writes = 0;
      lastCheckpoint = now();
    } catch {
      // busy or closed: try again on the next tick
    }
  }, opts.intervalMs ?? 100);
  timer.unref();
  return {
    noteWrite() {
      last = now();
      writes++;
    },
    stop() {
      clearInterval(timer);
      try {
        db.pragma('wal_autocheckpoint = 1000');
      } catch {
        // database already closed
      }
    },
  };
}
