/**
 * `stock:lookup` from a till: a product's on-hand here, at the other stores of the same company, then at the
 * stores of the same city and province (store addresses), plus what is on its way to this store — the
 * quantities of the store's open delivery notes on the change feed (shipped, not yet received or closed).
 */
import type { DataSource } from 'typeorm';
import { DeliveryNoteDataSchema, StockLookupRequestSchema, type StockLookupReply } from '@tpv/shared/wire/upward';
import * as repo from './repository';

const MAX_STORES = 50;

export async function lookupStockForTill(ds: DataSource, storeId: string, raw: unknown): Promise<StockLookupReply | { error: { code: string; message: string; retry: boolean } }> {
  const req = StockLookupRequestSchema.safeParse(raw);
  if (!req.success) return { error: { code: 'LOOKUP_MALFORMED', message: 'send { productId }', retry: false } };
  const { productId } = req.data;
  const rows = await repo.stockAtNearbyStores(ds.manager, storeId, productId);
  const me = rows.find((r) => r.storeId === storeId);
  // This store, then same company, then same city, then same province; by quantity within each.
  const rank = (r: repo.StoreStockRow) =>
    r.storeId === storeId ? 0 : r.companyId === me?.companyId ? 1 : r.city !== null && r.city === me?.city ? 2 : 3;
  const stores = rows
    .map((r) => ({ r, rank: rank(r), quantity: Number(r.quantity ?? 0) }))
    .sort((a, b) => a.rank - b.rank || b.quantity - a.quantity || a.r.code.localeCompare(b.r.code))
    .slice(0, MAX_STORES)
    .map(({ r, quantity }) => ({ storeId: r.storeId, code: r.code, name: r.name, quantity, thisStore: r.storeId === storeId }));
  let incoming = 0;
  for (const p of await repo.openDeliveryNotePayloads(ds.manager, storeId)) {
    const note = DeliveryNoteDataSchema.safeParse(p);
    if (note.success) for (const l of note.data.lines) if (l.productId === productId) incoming += l.quantity;
  }
  return { productId, stores, incoming };
}
