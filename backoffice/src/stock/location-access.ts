/**
 * Who may act on a stock location: a store for whoever may act on the store (auth/service canAccessStore), a
 * warehouse for HQ or a franchisee manager of its company (never a store manager), a till only its own
 * store. Transit locations are nobody's to pick: documents make them.
 */
import type { DataSource } from 'typeorm';
import { HttpProblem, problem } from '@tpv/shared/problem';
import { isFranchiseWide } from '../platform/permissions';
import { canAccessCompany, canAccessStore, type AuthUser } from '../auth/service';
import { forbidden } from '../auth/http';
import { refused } from '../platform/api';
import type { DocumentActor } from '../platform/actor';
import type { Db } from '../persistence/sql';
import { locationsById, type StockLocation } from './ledger';
import { productsById, type LocationFilter, type ProductInfo } from './operations-repository';

export async function mayActAt(ds: DataSource, by: DocumentActor, loc: StockLocation): Promise<boolean> {
  if (by.kind === 'till') return loc.kind === 'store' && loc.id === by.till.storeId;
  if (loc.kind === 'store') return canAccessStore(ds, by.user, loc.id);
  if (loc.kind === 'warehouse') return canAccessCompany(by.user, loc.companyId);
  return false;
}

/** A store or warehouse named in a request body: 422 on the field when unknown, 403 outside the caller's scope. */
export async function locationInScope(ds: DataSource, m: Db, by: DocumentActor, locationId: string, field: string): Promise<StockLocation> {
  const loc = (await locationsById(m, [locationId])).get(locationId);
  if (!loc || loc.kind === 'transit') throw refused(422, 'LOCATION_UNKNOWN', `Tienda o almacén desconocido / unknown store or warehouse ${locationId}`, field);
  if (!(await mayActAt(ds, by, loc))) throw forbidden('Esta tienda o almacén no es de tu ámbito / this store or warehouse is outside your scope.');
  return loc;
}

/** The locations a user's lists show: all (null), their store, or every location of their companies. */
export function listFilterOf(user: AuthUser): LocationFilter | null {
  if (isFranchiseWide(user.role)) return null;
  if (user.role === 'store_manager') return { companyIds: null, locationIds: user.storeId ? [user.storeId] : [] };
  if (user.role === 'franchisee_manager') return { companyIds: user.companyIds, locationIds: null };
  return { companyIds: null, locationIds: [] };
}

export const currentYear = (now: number) => new Date(now).getUTCFullYear();

/** Product lines of a request: each product known, each once (422 naming the line). */
export async function checkLineProducts(m: Db, productIds: readonly string[], field: (i: number) => string): Promise<Map<string, ProductInfo>> {
  const known = await productsById(m, productIds);
  const seen = new Set<string>();
  for (const [i, id] of productIds.entries()) {
    if (!known.has(id)) throw refused(422, 'PRODUCT_UNKNOWN', `Artículo desconocido / unknown product ${id}`, field(i));
    if (seen.has(id)) throw refused(422, 'PRODUCT_REPEATED', `El artículo aparece dos veces / product listed twice`, field(i));
    seen.add(id);
  }
  return known;
}

/** A shortfall of an outgoing posting, as the 409 the caller sees (the line that is short named). */
export function shortfallProblem(shortfalls: ReadonlyArray<{ index: number; onHand: number; wanted: number }>, field: (index: number) => string) {
  const first = shortfalls[0]!;
  return new HttpProblem(
    problem(409, 'INSUFFICIENT_STOCK', 'Request refused', {
      detail: `No hay existencias suficientes: ${first.onHand} disponibles, ${first.wanted} pedidas / not enough stock on hand`,
      errors: shortfalls.map((s) => ({ path: field(s.index), message: `on hand ${s.onHand}, wanted ${s.wanted}` })),
    }),
  );
}
