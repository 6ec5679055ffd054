/**
 * Stock read use cases of the valuation part: the locations a caller may see, a location's stock with cost
 * and value, the valuation per location and company at any date, and a product's movements across
 * locations. Scope: HQ every location; a franchisee manager the stores, warehouses and transit of their
 * companies; a store manager their store only.
 */
import type { DataSource } from 'typeorm';
import { valueCents } from '@tpv/shared/inventory/cost';
import type { CompanyValuation, LocationStockItem, ProductMovementItem, StockLocationItem, ValuationResponse } from '@tpv/shared/wire/http/stock-valuation';
import { forbidden, notFound } from '../auth/http';
import type { AuthUser } from '../auth/service';
import { isFranchiseWide } from '../platform/permissions';
import * as repo from './valuation-repository';

export function locationScopeOf(user: AuthUser): repo.LocationScope {
  if (isFranchiseWide(user.role)) return { companyIds: null, storeId: null };
  if (user.role === 'store_manager') return { companyIds: [], storeId: user.storeId ?? '-' };
  if (user.role === 'franchisee_manager') return { companyIds: [...user.companyIds], storeId: null };
  return { companyIds: [], storeId: null };
}

function maySee(scope: repo.LocationScope, loc: { id: string; companyId: string }): boolean {
  if (scope.storeId !== null) return loc.id === scope.storeId;
  return scope.companyIds === null || scope.companyIds.includes(loc.companyId);
}

/** The location, or 404 when unknown and 403 when outside the caller's scope. */
async function visibleLocation(ds: DataSource, user: AuthUser, locationId: string) {
  const loc = await repo.locationRow(ds.manager, locationId);
  if (!loc) throw notFound(`stock location ${locationId}`);
  if (!maySee(locationScopeOf(user), loc)) throw forbidden('This stock location belongs to another company or store.');
  return loc;
}

export const stockLocations = (ds: DataSource, user: AuthUser): Promise<StockLocationItem[]> => repo.visibleLocations(ds.manager, locationScopeOf(user));

const toItem = (r: repo.StockListRow): LocationStockItem => ({ ...r, valueCents: r.avgCostMicros === null ? null : valueCents(r.quantity, r.avgCostMicros) });

export async function locationStock(
  ds: DataSource,
  user: AuthUser,
  locationId: string,
  f: repo.StockListFilter,
  sort: repo.StockSort,
  dir: 'asc' | 'desc',
  limit: number,
  offset: number,
): Promise<{ rows: LocationStockItem[]; total: number; location: { code: string; name: string } }> {
  const loc = await visibleLocation(ds, user, locationId);
  const { rows, total } = await repo.locationStockPage(ds.manager, locationId, f, sort, dir, limit, offset);
  return { rows: rows.map(toItem), total, location: loc };
}

/** Valuation now (`at` absent) or at an instant; per location, per company (transit apart) and in total. */
export async function stockValuation(ds: DataSource, user: AuthUser, q: { at?: string | undefined; companyId?: string | undefined; locationId?: string | undefined }): Promise<ValuationResponse> {
  const scope = locationScopeOf(user);
  if (q.locationId) await visibleLocation(ds, user, q.locationId);
  // Stored instants are UTC ISO strings: compare like with like.
  const at = q.at ? new Date(q.at).toISOString() : null;
  const locations = at ? await repo.valuationAt(ds.manager, at, scope, q) : await repo.valuationNow(ds.manager, scope, q);
  const names = await repo.companyNames(ds.manager, [...new Set(locations.map((l) => l.companyId))]);
  const companies = new Map<string, CompanyValuation>();
  for (const l of locations) {
    const c = companies.get(l.companyId) ?? { companyId: l.companyId, companyName: names.get(l.companyId) ?? l.companyId, valueCents: 0, inTransitCents: 0 };
    c.valueCents += l.valueCents;
    if (l.kind === 'transit') c.inTransitCents += l.valueCents;
    companies.set(l.companyId, c);
  }
  return { at, locations, companies: [...companies.values()], totalValueCents: locations.reduce((s, l) => s + l.valueCents, 0) };
}

export async function productMovementsAcross(
  ds: DataSource,
  user: AuthUser,
  productId: string,
  f: repo.MovementFilter,
  dir: 'asc' | 'desc',
  limit: number,
  offset: number,
): Promise<{ rows: ProductMovementItem[]; total: number }> {
  if (f.locationId) await visibleLocation(ds, user, f.locationId);
  const norm = (s: string | undefined) => (s ? new Date(s).toISOString() : undefined);
  return repo.productMovementPage(ds.manager, productId, locationScopeOf(user), { ...f, from: norm(f.from), to: norm(f.to) }, dir, limit, offset);
}
