// The change feed's own persistence (the change_log writer), hence its TypeORM calls here, beside persistence/change-log.ts.
import type { EntityManager } from 'typeorm';
import { appendChange, type ChangeInput } from '../persistence/change-log';
import { ChangeLogEntity } from '../persistence/entities';

/**
 * Appends many changes in order inside the caller's transaction. The first goes through `appendChange`
 * (which takes the PostgreSQL advisory lock that orders change-writing transactions); the rest, still under
 * that lock, are inserted in chunks. Returns the highest version written (0 for none).
 */
export async function appendChanges(m: EntityManager, changes: readonly ChangeInput[]): Promise<number> {
  if (changes.length === 0) return 0;
  let last = await appendChange(m, changes[0]!);
  const rest = changes.slice(1);
  for (let i = 0; i < rest.length; i += 200) {
    const chunk = rest.slice(i, i + 200).map((c) => ({
      entity: c.entity,
      entityId: c.entityId,
      op: c.op,
      storeId: c.storeId ?? null,
      payload: c.payload ?? null,
      createdAt: c.createdAt,
    }));
    await m.insert(ChangeLogEntity, chunk as never);
  }
  if (rest.length > 0) {
    const row = await m.getRepository(ChangeLogEntity).createQueryBuilder('c').select('MAX(c.version)', 'v').getRawOne<{ v: number }>();
    last = Number(row?.v ?? last);
  }
  return last;
}
