/**
 * SQL of the stock lists, valuations and movements. A caller's scope arrives as a `LocationScope` and becomes
 * a condition on `stock_location` (alias `sl`): HQ everything, a franchisee manager their companies' locations,
 * a store manager their store. Values are summed in SQL with the rounding of `valueCents` (per location and
 * product, half away from zero to the cent), so a valuation over millions of rows never leaves the database.
 */
import type { LocationValuation, ProductMovementItem, StockLocationItem } from '@tpv/shared/wire/http/stock-valuation';
import type { LocationKind } from '@tpv/shared/inventory/movements';
import { all, bool, inList, num, one, type Db } from '../persistence/sql';

/** `companyIds` null: every company (HQ); `storeId` set: that store only. */
export interface LocationScope {
  companyIds: string[] | null;
  storeId: string | null;
}

function scopeCondition(s: LocationScope): { sql: string; params: string[] } {
  if (s.storeId !== null) return { sql: 'sl.id = ?', params: [s.storeId] };
  if (s.companyIds === null) return { sql: '1 = 1', params: [] };
  if (s.companyIds.length === 0) return { sql: '1 = 0', params: [] };
  return { sql: `sl.company_id IN (${inList(s.companyIds.length)})`, params: s.companyIds };
}

/** Cents of `v` µ€ (a quantity × unit cost), half away from zero: the SQL twin of `valueCents`. */
const centsSql = (v: string) => `(CASE WHEN ${v} >= 0 THEN (${v} + 5000) / 10000 ELSE -((5000 - (${v})) / 10000) END)`;

export async function visibleLocations(m: Db, scope: LocationScope): Promise<StockLocationItem[]> {
  const where = scopeCondition(scope);
  const rows = await all<{ id: string; kind: 'store' | 'warehouse'; company_id: string; code: string; name: string; company_name: string }>(
    m,
    `SELECT sl.id, sl.kind, sl.company_id, sl.code, sl.name, COALESCE(c.trade_name, c.legal_name) AS company_name
       FROM stock_location sl JOIN company c ON c.id = sl.company_id
      WHERE sl.kind <> 'transit' AND ${where.sql}
      ORDER BY CASE WHEN sl.kind = 'warehouse' THEN 0 ELSE 1 END, sl.code`,
    where.params,
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, companyId: r.company_id, companyName: r.company_name, code: r.code, name: r.name }));
}

export async function locationRow(m: Db, id: string): Promise<{ id: string; kind: LocationKind; companyId: string; code: string; name: string } | null> {
  const r = await one<{ id: string; kind: LocationKind; company_id: string; code: string; name: string }>(
    m,
    'SELECT id, kind, company_id, code, name FROM stock_location WHERE id = ?',
    [id],
  );
  return r ? { id: r.id, kind: r.kind, companyId: r.company_id, code: r.code, name: r.name } : null;
}

export type StockSort = 'sku' | 'name' | 'category' | 'quantity' | 'value';
/** On hand in the list: 0 for a product under its minimum that never moved here (no stock_level row). */
const QTY = 'COALESCE(l.quantity, 0)';
const SORT_SQL: Record<StockSort, string> = {
  sku: 'p.sku',
  name: 'p.name',
  category: 'c.name',
  quantity: QTY,
  value: `${QTY} * COALESCE(sc.avg_cost_micros, 0)`,
};

export interface StockListFilter {
  q?: string | undefined;
  categoryId?: string | undefined;
  nonZero?: boolean | undefined;
  /** Under the restocking minimum (restocking's `restock_rule.min_qty`), including products not held at all. */
  belowMin?: boolean | undefined;
}

export interface StockListRow {
  productId: string;
  sku: string;
  name: string;
  categoryName: string | null;
  weighed: boolean;
  quantity: number;
  avgCostMicros: number | null;
  minQty: number | null;
  updatedAt: string;
}

/**
 * One page of a location's stock (a stock_level row per product held there) with the owner's average and the
 * restocking minimum. Below minimum, the rules are the rows (a product under its minimum may never have moved here).
 */
export async function locationStockPage(
  m: Db,
  locationId: string,
  f: StockListFilter,
  sort: StockSort,
  dir: 'asc' | 'desc',
  limit: number,
  offset: number,
): Promise<{ rows: StockListRow[]; total: number }> {
  const conds = [f.belowMin ? 'r.location_id = ? AND r.min_qty IS NOT NULL AND COALESCE(l.quantity, 0) < r.min_qty' : 'l.location_id = ?'];
  const params: unknown[] = [locationId];
  if (f.q) {
    conds.push('(LOWER(p.sku) LIKE ? OR LOWER(p.name) LIKE ?)');
    params.push(`%${f.q.toLowerCase()}%`, `%${f.q.toLowerCase()}%`);
  }
  if (f.categoryId) {
    conds.push('p.category_id = ?');
    params.push(f.categoryId);
  }
  if (f.nonZero) conds.push(`${QTY} <> 0`);
  const base = f.belowMin
    ? `restock_rule r LEFT JOIN stock_level l ON l.location_id = r.location_id AND l.product_id = r.product_id JOIN product p ON p.id = r.product_id
       LEFT JOIN stock_cost sc ON sc.company_id = r.company_id AND sc.product_id = r.product_id`
    : `stock_level l JOIN product p ON p.id = l.product_id
       LEFT JOIN restock_rule r ON r.location_id = l.location_id AND r.product_id = l.product_id
       LEFT JOIN stock_cost sc ON sc.company_id = l.company_id AND sc.product_id = l.product_id`;
  const from = `FROM ${base}
       LEFT JOIN category c ON c.id = p.category_id
      WHERE ${conds.join(' AND ')}`;
  const order = `${SORT_SQL[sort]} ${dir === 'desc' ? 'DESC' : 'ASC'}${sort === 'sku' ? '' : ', p.sku'}`;
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT p.id AS product_id, p.sku, p.name, c.name AS category_name, p.weighed, ${QTY} AS quantity, sc.avg_cost_micros, r.min_qty,
            COALESCE(l.updated_at, r.updated_at) AS updated_at
       ${from} ORDER BY ${order} LIMIT ? OFFSET ?`,
    [...params, limit, offset],
  );
  const total = await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n ${from}`, params);
  return {
    rows: rows.map((r) => ({
      productId: String(r.product_id),
      sku: String(r.sku),
      name: String(r.name),
      categoryName: (r.category_name as string | null) ?? null,
      weighed: bool(r.weighed),
      quantity: Number(r.quantity),
      avgCostMicros: num(r.avg_cost_micros),
      minQty: num(r.min_qty),
      updatedAt: String(r.updated_at),
    })),
    total: Number(total?.n ?? 0),
  };
}

export interface ValuationFilter {
  companyId?: string | undefined;
  locationId?: string | undefined;
}

function valuationConditions(scope: LocationScope, f: ValuationFilter): { sql: string; params: string[] } {
  const s = scopeCondition(scope);
  const conds = [s.sql];
  const params = [...s.params];
  if (f.companyId) {
    conds.push('sl.company_id = ?');
    params.push(f.companyId);
  }
  if (f.locationId) {
    conds.push('sl.id = ?');
    params.push(f.locationId);
  }
  return { sql: conds.join(' AND '), params };
}

type ValuationRow = { location_id: string; kind: LocationKind; code: string; name: string; company_id: string; products: unknown; without_cost: unknown; value_cents: unknown };
const valuationOf = (r: ValuationRow): LocationValuation => ({
  locationId: r.location_id,
  kind: r.kind,
  code: r.code,
  name: r.name,
  companyId: r.company_id,
  products: Number(r.products),
  productsWithoutCost: Number(r.without_cost),
  valueCents: Number(r.value_cents ?? 0),
});

const aggregate = `sl.id AS location_id, sl.kind, sl.code, sl.name, sl.company_id, COUNT(*) AS products,
       SUM(CASE WHEN cost.avg_cost_micros IS NULL THEN 1 ELSE 0 END) AS without_cost,
       SUM(${centsSql('q.quantity * COALESCE(cost.avg_cost_micros, 0)')}) AS value_cents`;

/** Value per location now: current levels × the owner's current average. */
export async function valuationNow(m: Db, scope: LocationScope, f: ValuationFilter): Promise<LocationValuation[]> {
  const w = valuationConditions(scope, f);
  const rows = await all<ValuationRow>(
    m,
    `SELECT ${aggregate}
       FROM stock_level q JOIN stock_location sl ON sl.id = q.location_id
       LEFT JOIN stock_cost cost ON cost.company_id = q.company_id AND cost.product_id = q.product_id
      WHERE q.quantity <> 0 AND ${w.sql}
      GROUP BY sl.id, sl.kind, sl.code, sl.name, sl.company_id
      ORDER BY sl.company_id, sl.code`,
    w.params,
  );
  return rows.map(valuationOf);
}

/**
 * Value per location at an instant: the quantity then (Σ movements up to and including `at`) × the owner's
 * average then (the last `stock_cost_history` row from at or before `at`; ties broken by the time-ordered id).
 */
export async function valuationAt(m: Db, at: string, scope: LocationScope, f: ValuationFilter): Promise<LocationValuation[]> {
  const w = valuationConditions(scope, f);
  const rows = await all<ValuationRow>(
    m,
    `WITH q AS (
        SELECT mv.location_id, mv.product_id, CAST(SUM(mv.delta) AS bigint) AS quantity
          FROM stock_movement mv JOIN stock_location sl ON sl.id = mv.location_id
         WHERE mv.at <= ? AND ${w.sql}
         GROUP BY mv.location_id, mv.product_id
        HAVING SUM(mv.delta) <> 0),
      cost AS (
        SELECT h.company_id, h.product_id, h.avg_cost_micros
          FROM stock_cost_history h
         WHERE h.from_at <= ? AND NOT EXISTS (
           SELECT 1 FROM stock_cost_history h2
            WHERE h2.company_id = h.company_id AND h2.product_id = h.product_id AND h2.from_at <= ?
              AND (h2.from_at > h.from_at OR (h2.from_at = h.from_at AND h2.id > h.id))))
     SELECT ${aggregate}
       FROM q JOIN stock_location sl ON sl.id = q.location_id
       LEFT JOIN cost ON cost.company_id = sl.company_id AND cost.product_id = q.product_id
      GROUP BY sl.id, sl.kind, sl.code, sl.name, sl.company_id
      ORDER BY sl.company_id, sl.code`,
    [at, ...w.params, at, at],
  );
  return rows.map(valuationOf);
}

export async function companyNames(m: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await all<{ id: string; name: string }>(m, `SELECT id, COALESCE(trade_name, legal_name) AS name FROM company WHERE id IN (${inList(ids.length)})`, ids);
  return new Map(rows.map((r) => [r.id, r.name]));
}

export interface MovementFilter {
  locationId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** A product's movements over the locations in scope, newest first, with the document or ticket each came from. */
export async function productMovementPage(
  m: Db,
  productId: string,
  scope: LocationScope,
  f: MovementFilter,
  dir: 'asc' | 'desc',
  limit: number,
  offset: number,
): Promise<{ rows: ProductMovementItem[]; total: number }> {
  const s = scopeCondition(scope);
  const conds = ['mv.product_id = ?', s.sql];
  const params: unknown[] = [productId, ...s.params];
  if (f.locationId) {
    conds.push('mv.location_id = ?');
    params.push(f.locationId);
  }
  if (f.from) {
    conds.push('mv.at >= ?');
    params.push(f.from);
  }
  if (f.to) {
    conds.push('mv.at <= ?');
    params.push(f.to);
  }
  const from = `FROM stock_movement mv JOIN stock_location sl ON sl.id = mv.location_id WHERE ${conds.join(' AND ')}`;
  const d = dir === 'asc' ? 'ASC' : 'DESC';
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT mv.id, mv.location_id, sl.kind, sl.code, sl.name, mv.delta, mv.reason, mv.cause, mv.document_type, mv.document_id, mv.document_number,
            mv.ticket_id, t.fiscal_number, mv.unit_cost_micros, mv.lot, mv.best_before, mv.at
       FROM (SELECT mv.* ${from} ORDER BY mv.at ${d}, mv.id ${d} LIMIT ? OFFSET ?) mv
       JOIN stock_location sl ON sl.id = mv.location_id
       LEFT JOIN sale_ticket t ON t.id = mv.ticket_id
      ORDER BY mv.at ${d}, mv.id ${d}`,
    [...params, limit, offset],
  );
  const total = await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n ${from}`, params);
  return {
    rows: rows.map((r) => ({
      id: String(r.id),
      locationId: String(r.location_id),
      locationKind: r.kind as LocationKind,
      locationCode: String(r.code),
      locationName: String(r.name),
      delta: Number(r.delta),
      reason: String(r.reason),
      cause: (r.cause as string | null) ?? null,
      documentType: (r.document_type as string | null) ?? null,
      documentId: (r.document_id as string | null) ?? null,
      documentNumber: (r.document_number as string | null) ?? null,
      ticketId: (r.ticket_id as string | null) ?? null,
      fiscalNumber: (r.fiscal_number as string | null) ?? null,
      unitCostMicros: num(r.unit_cost_micros),
      lot: (r.lot as string | null) ?? null,
      bestBefore: (r.best_before as string | null) ?? null,
      at: String(r.at),
    })),
    total: Number(total?.n ?? 0),
  };
}
