/**
 * The master-data feed a terminal pulls: "changes since v" for its store (global rows + its store's rows),
 * as a ChangePage. The upper bound is read first, so a page never claims a version it did not include.
 */
import type { DataSource } from 'typeorm';
import { MAX_CHANGES_PER_PAGE, type ChangePage, type MasterDataChange } from '@tpv/shared/wire/sync';
import { latestChangeVersion } from '../persistence/change-log';
import { changeLogPage } from './repository';

export async function changePage(ds: DataSource, storeId: string, sinceVersion: number, limit: number): Promise<ChangePage> {
  const max = Math.max(1, Math.min(limit, MAX_CHANGES_PER_PAGE));
  const latest = await latestChangeVersion(ds.manager);
  const rows = await changeLogPage(ds.manager, storeId, sinceVersion, latest, max + 1);
  const hasMore = rows.length > max;
  const page = rows.slice(0, max);
  const changes: MasterDataChange[] = page.map((r) =>
    r.op === 'delete'
      ? { version: Number(r.version), entity: r.entity as MasterDataChange['entity'], id: r.entity_id, op: 'delete', data: null }
      : {
          version: Number(r.version),
          entity: r.entity as MasterDataChange['entity'],
          id: r.entity_id,
          op: 'upsert',
          data: (r.payload === null ? {} : JSON.parse(r.payload)) as Record<string, unknown>,
        },
  );
  const toVersion = hasMore ? Number(page[page.length - 1]!.version) : Math.max(latest, sinceVersion);
  return { fromVersion: sinceVersion, toVersion, changes, hasMore };
}
