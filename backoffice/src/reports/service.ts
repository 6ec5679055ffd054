/** Read use cases of the admin pages, within the caller's scope (auth/service.ts visibleStoreIds). */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { DailySales, TerminalStatus } from '@tpv/shared/wire/http/reports';
import { assertStoreAccess } from '../auth/http';
import { visibleStoreIds, type AuthUser } from '../auth/service';
import { dailySales, terminalStatuses } from './repository';

export type { DailySales, TerminalStatus } from '@tpv/shared/wire/http/reports';

export interface LiveTerminals {
  online: () => string[];
  highestSeen: (id: string) => number | null;
}

export async function terminalsOf(ds: DataSource, user: AuthUser, live: LiveTerminals): Promise<TerminalStatus[]> {
  const stores = await visibleStoreIds(ds, user);
  return terminalStatuses(ds, stores, { online: new Set(live.online()), highestSeen: live.highestSeen });
}

/** Sales per store and day, the last 30 days by default. */
export async function salesPerDay(ds: DataSource, clock: Clock, user: AuthUser, q: { storeId?: string | undefined; from?: string | undefined; to?: string | undefined }): Promise<DailySales[]> {
  let stores = await visibleStoreIds(ds, user);
  if (q.storeId) {
    await assertStoreAccess(ds, user, q.storeId);
    stores = [q.storeId];
  }
  const today = new Date(clock.now()).toISOString().slice(0, 10);
  const from = q.from ?? new Date(clock.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  return dailySales(ds, stores, from, q.to ?? today);
}
