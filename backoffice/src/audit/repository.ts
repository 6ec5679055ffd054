/** Reads of the audit log (writes: platform/audit.ts, inside each change's transaction). */
import type { DataSource } from 'typeorm';
import { engineOfDs } from '../persistence/raw';

export interface AuditFilter {
  from?: string | undefined;
  to?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  entity?: string | undefined;
  entityId?: string | undefined;
  companyId?: string | undefined;
  dir: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export interface AuditRecord {
  id: string;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  entity: string;
  entityId: string;
  companyId: string | null;
  storeId: string | null;
  before: unknown;
  after: unknown;
}

const parse = (s: string | null): unknown => {
  if (s === null || s === undefined) return null;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
};

export async function searchAudit(ds: DataSource, f: AuditFilter): Promise<{ rows: AuditRecord[]; total: number }> {
  const pg = engineOfDs(ds) === 'postgres';
  let n = 0;
  const p = () => (pg ? `$${++n}` : '?');
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.from) {
    where.push(`at >= ${p()}`);
    args.push(f.from);
  }
  if (f.to) {
    where.push(`at < ${p()}`);
    args.push(f.to);
  }
  // Actor: an id, or (part of) an e-mail.
  if (f.actor) {
    where.push(`(actor_id = ${p()} OR LOWER(actor_email) LIKE ${p()})`);
    args.push(f.actor, `%${f.actor.toLowerCase().replace(/[%_]/g, '')}%`);
  }
  // `user.` matches every user action; `user.invite` that one.
  if (f.action) {
    where.push(f.action.endsWith('.') ? `action LIKE ${p()}` : `action = ${p()}`);
    args.push(f.action.endsWith('.') ? `${f.action}%` : f.action);
  }
  if (f.entity) {
    where.push(`entity = ${p()}`);
    args.push(f.entity);
  }
  if (f.entityId) {
    where.push(`entity_id = ${p()}`);
    args.push(f.entityId);
  }
  if (f.companyId) {
    where.push(`company_id = ${p()}`);
    args.push(f.companyId);
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number(((await ds.query(`SELECT COUNT(*) AS n FROM audit_log ${w}`, args)) as Array<{ n: unknown }>)[0]?.n ?? 0);
  const dir = f.dir === 'asc' ? 'ASC' : 'DESC';
  const rows = (await ds.query(
    `SELECT id, at, actor_id AS "actorId", actor_email AS "actorEmail", action, entity, entity_id AS "entityId", company_id AS "companyId", store_id AS "storeId",
            before_json AS "beforeJson", after_json AS "afterJson"
       FROM audit_log ${w} ORDER BY at ${dir}, id ${dir} LIMIT ${p()} OFFSET ${p()}`,
    [...args, f.limit, f.offset],
  )) as Array<Omit<AuditRecord, 'before' | 'after'> & { beforeJson: string | null; afterJson: string | null }>;
  return { rows: rows.map(({ beforeJson, afterJson, ...r }) => ({ ...r, before: parse(beforeJson), after: parse(afterJson) })), total };
}
