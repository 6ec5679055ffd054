/**
 * Writing and reading the master-data change feed.
 *
 * A terminal asks for "changes since v" and then remembers the highest version it saw, so versions must
 * become *visible* in order, not merely be allocated in order. On PostgreSQL a sequence hands out numbers at
 * insert time, and a transaction holding version 41 may commit after one holding 42 — a reader between the
 * two commits would skip 41 for ever. `appendChange` therefore takes a transaction-scoped advisory lock
 * first, so change-writing transactions run one at a time and commit in version order. SQLite serializes
 * writers already.
 */
import type { EntityManager } from 'typeorm';
import { ChangeLogEntity } from './entities';
import type { ChangeLogRow, ChangeOp } from './entities';

/**
 * Advisory lock guarding change_log appends on PostgreSQL: (this key, hashtext(current_schema())), so
 * back offices sharing one database in different schemas (tests) do not wait on each other.
 */
export const CHANGE_LOG_LOCK_KEY = 0x7470_636c;

export interface ChangeInput {
  entity: string;
  entityId: string;
  op: ChangeOp;
  /** Store-scoped change (e.g. store_price); omit/null for every store. */
  storeId?: string | null;
  /** JSON-serializable payload; null/omitted for deletes. */
  payload?: unknown;
  /** ISO-8601 UTC, from the injected clock. */
  createdAt: string;
}

/** Appends one change and returns its version. Call inside the transaction that makes the change. */
export async function appendChange(manager: EntityManager, change: ChangeInput): Promise<number> {
  if (manager.connection.options.type === 'postgres') {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('appendChange must run inside a transaction (ds.transaction(m => appendChange(m, …)))');
    }
    await manager.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [CHANGE_LOG_LOCK_KEY]);
  }
  const saved = await manager.getRepository(ChangeLogEntity).save({
    entity: change.entity,
    entityId: change.entityId,
    op: change.op,
    storeId: change.storeId ?? null,
    payload: change.payload ?? null,
    createdAt: change.createdAt,
  });
  return saved.version;
}

/** Changes after `since` that concern `storeId` (global ones included), oldest first. */
export async function changesSince(
  manager: EntityManager,
  since: number,
  storeId: string | null,
  limit = 500,
): Promise<ChangeLogRow[]> {
  const qb = manager
    .getRepository(ChangeLogEntity)
    .createQueryBuilder('c')
    .where('c.version > :since', { since })
    .orderBy('c.version', 'ASC')
    .limit(limit);
  if (storeId === null) qb.andWhere('c.store_id IS NULL');
  else qb.andWhere('(c.store_id IS NULL OR c.store_id = :storeId)', { storeId });
  return qb.getMany();
}

/** Highest version written so far (0 when the feed is empty). */
export async function latestChangeVersion(manager: EntityManager): Promise<number> {
  const row = await manager
    .getRepository(ChangeLogEntity)
    .createQueryBuilder('c')
    .select('MAX(c.version)', 'v')
    .getRawOne<{ v: number | null }>();
  return row?.v ?? 0;
}
