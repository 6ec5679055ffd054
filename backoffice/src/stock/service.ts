/** Stock read use cases: the caller's scope is checked on the store before the repository is asked. */
import type { DataSource } from 'typeorm';
import type { Movements, StockRow } from '@tpv/shared/wire/http/stock';
import { assertStoreAccess } from '../auth/http';
import type { AuthUser } from '../auth/service';
import { movementsOf, stockOfStore } from './repository';

export type { MovementView, StockRow } from '@tpv/shared/wire/http/stock';

export async function storeStock(ds: DataSource, user: AuthUser, storeId: string, q: { q?: string | undefined; limit: number }): Promise<StockRow[]> {
  await assertStoreAccess(ds, user, storeId);
  return stockOfStore(ds, storeId, q);
}

export async function productMovements(ds: DataSource, user: AuthUser, storeId: string, productId: string, limit: number): Promise<Movements> {
  await assertStoreAccess(ds, user, storeId);
  return movementsOf(ds, storeId, productId, limit);
}
