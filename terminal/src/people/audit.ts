import type { SqliteHandle } from '../persistence/data-source';

export interface AuditEntry {
  action: string;
  actorId: string | null;
  /** Who authorised an override (a supervisor's staff id; the actor's own id when they hold the role). */
  authorisedBy?: string | null;
  details?: Record<string, unknown>;
}

export type AuditLog = (entry: AuditEntry) => void;

/** Appends to `audit_log` (inside the caller's transaction when there is one). */
export function createAuditLog(db: SqliteHandle, newId: () => string, nowIso: () => string): AuditLog {
  const insert = db.prepare('INSERT INTO audit_log (id, at, action, actor_id, authorised_by, details) VALUES (?, ?, ?, ?, ?, ?)');
  return (e) => {
    insert.run(newId(), nowIso(), e.action, e.actorId, e.authorisedBy ?? null, e.details ? JSON.stringify(e.details) : null);
  };
}
