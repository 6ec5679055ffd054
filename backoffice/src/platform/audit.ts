/**
 * The audit log: every back-office write records who, when, what, and the row before → after, inside the
 * write's own transaction (an audit entry exists exactly when the change does). Read through GET /api/audit.
 */
import type { EntityManager } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import { newRowId } from '../persistence/row-id';
import { engineOfManager, placeholders } from '../persistence/raw';

export interface AuditActor {
  id: string;
  email: string;
}

export interface AuditEntry {
  /** null: the system (a job, the ingest). */
  actor: AuditActor | null;
  /** `<entity>.<verb>`: `company.create`, `price.schedule`, `user.deactivate`. */
  action: string;
  entity: string;
  entityId: string;
  companyId?: string | null;
  storeId?: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
}

/** Rows larger than this are cut (a catalog import records a summary, not 200k products). */
const MAX_SNAPSHOT_CHARS = 16_000;

const snapshot = (v: unknown): string | null => {
  if (v === undefined || v === null) return null;
  const s = JSON.stringify(v, (k, x) => (/(password|pin|secret|token)(hash)?$/i.test(k) ? '[redacted]' : x));
  return s.length > MAX_SNAPSHOT_CHARS ? JSON.stringify({ truncated: true, prefix: s.slice(0, MAX_SNAPSHOT_CHARS) }) : s;
};

export async function recordAudit(m: EntityManager, clock: Clock, e: AuditEntry): Promise<void> {
  const engine = engineOfManager(m);
  await m.query(
    `INSERT INTO audit_log (id, at, actor_id, actor_email, action, entity, entity_id, company_id, store_id, before_json, after_json, request_id)
     VALUES (${placeholders(engine, 12)})`,
    [
      newRowId(clock),
      new Date(clock.now()).toISOString(),
      e.actor?.id ?? null,
      e.actor?.email ?? null,
      e.action,
      e.entity,
      e.entityId,
      e.companyId ?? null,
      e.storeId ?? null,
      snapshot(e.before),
      snapshot(e.after),
      e.requestId ?? null,
    ],
  );
}
