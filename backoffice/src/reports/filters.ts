/**
 * The WHERE fragments of the reports' rollup reads (queries.ts) and of the raw cashier events (cashier-events.ts):
 * period, stores in scope, product or category, cashier — one builder, so a filter means the same everywhere.
 */
import { inList } from '../persistence/sql';

/** What the filters read: the period, the stores in scope (null: all) and the optional narrowing filters. */
export interface FilterScope {
  from: string;
  to: string;
  /** Stores in scope after the company/store filters (null: all stores). */
  stores: string[] | null;
  category?: string | undefined;
  product?: string | undefined;
  cashier?: string | undefined;
}

/** The filters every rollup table shares, added to `parts`/`params`: the stores in scope, product or category, cashier. */
export function addFilters(ctx: FilterScope, a: string, opts: { store: boolean; product?: boolean | undefined; cashier?: boolean | undefined }, parts: string[], params: unknown[]) {
  if (opts.store && ctx.stores !== null) {
    if (ctx.stores.length === 0) parts.push('1 = 0');
    else {
      parts.push(`${a}store_id IN (${inList(ctx.stores.length)})`);
      params.push(...ctx.stores);
    }
  }
  if (opts.product && ctx.product) {
    parts.push(`${a}product_id = ?`);
    params.push(ctx.product);
  }
  if (opts.product && ctx.category) {
    parts.push(`${a}product_id IN (SELECT id FROM product WHERE category_id = ?)`);
    params.push(ctx.category);
  }
  if (opts.cashier && ctx.cashier) {
    parts.push(`${a}cashier_id = ?`);
    params.push(ctx.cashier);
  }
}

/** WHERE fragments shared by every rollup query over business dates. */
export function where(ctx: FilterScope, opts: { product?: boolean; cashier?: boolean; from?: string; to?: string; alias?: string } = {}) {
  const a = opts.alias ? `${opts.alias}.` : '';
  const parts = [`${a}business_date >= ?`, `${a}business_date <= ?`];
  const params: unknown[] = [opts.from ?? ctx.from, opts.to ?? ctx.to];
  addFilters(ctx, a, { store: true, product: opts.product, cashier: opts.cashier }, parts, params);
  return { sql: parts.join(' AND '), params };
}

