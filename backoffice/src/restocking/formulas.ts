/**
 * How much a store should order of a product, and why. Pure: the proposal use case feeds it one
 * store-product pair's rule, its weekly sales from the `sales_week` rollup and its stock position.
 *
 * Demand
 *   base daily sales  r = max(0, Σ q_w) / (7 · W)    over the W = 8 complete weeks before this one
 *                                                      (a week without a rollup row sold 0)
 *   weekly deviation  σ_w = √((Σ q_w² − (Σ q_w)² / W) / (W − 1))      (sample standard deviation)
 *   daily deviation   σ_d = σ_w / √7                  (days taken as independent)
 *   seasonality       s = (LYahead / A) / (LYsame / W), clamped to [0.5, 2]
 *                     LYsame = sold in the same W weeks a year (52 weeks) ago, LYahead = sold in the A = 4 weeks
 *                     that followed them; s = 1 when LYsame ≤ 0 (no history to compare with)
 *   forecast          d = r · s
 *
 * Position            P = on hand + open orders + in transit
 * Lead time           L = the rule's lead time, else (from a supplier) the supplier's lead time for the product
 *                     (`product_supplier.lead_time_days`), else 7 days from a supplier, 2 from the franchisor's warehouse
 * Supplier            a supplier rule without a supplier buys from the product's preferred supplier; the pack is the
 *                     rule's when above 1, else the supplier's pack size; the supplier's minimum order applies
 * Safety stock        SS = z · σ_d · √(L + R), z = 1.65 (≈ 95 % of cycles without a stock-out), R = the
 *                     review period: the rule's days of cover (cover rules), 7 days (min/max rules)
 *
 * Days of cover (default rule: 14 days)
 *   reorder point     ROP = ⌈d · L + SS⌉
 *   order-up-to       T   = ⌈d · (L + C) + SS⌉      (C = days of cover)
 * Min/max
 *   ROP = min, T = max (the rule's own figures: SS is shown, not added)
 *
 * Order               when P < ROP:  q = ⌈max(T − P, minimum order) / pack⌉ · pack,  otherwise 0
 * Cover shown         P / d in days (none when nothing sells)
 */
export const RECENT_WEEKS = 8;
export const SEASON_AHEAD_WEEKS = 4;
export const YEAR_WEEKS = 52;
export const SERVICE_Z = 1.65;
export const DEFAULT_COVER_DAYS = 14;
export const WAREHOUSE_LEAD_DAYS = 2;
export const SUPPLIER_LEAD_DAYS = 7;
export const MINMAX_REVIEW_DAYS = 7;
export const SEASON_MIN = 0.5;
export const SEASON_MAX = 2;

export type RestockMethod = 'minmax' | 'cover';
export type RestockSource = 'warehouse' | 'supplier';

export interface RuleTerms {
  method: RestockMethod;
  minQty: number | null;
  maxQty: number | null;
  coverDays: number | null;
  packMultiple: number;
  /** Null: from where the goods come (supplier or warehouse). */
  leadTimeDays: number | null;
  source: RestockSource;
  /** The supplier's minimum order (0 or absent: none). */
  minOrderQty?: number;
}

/** A supplier's terms for a product (purchasing's `product_supplier`). */
export interface SupplierTerms {
  packSize: number;
  minOrderQty: number;
  leadTimeDays: number | null;
}

/** A supplier rule completed by the supplier's terms where the rule says nothing (lead time, pack of 1). */
export function withSupplierTerms(rule: RuleTerms, t: SupplierTerms | undefined): RuleTerms {
  if (rule.source !== 'supplier' || !t) return rule;
  return { ...rule, leadTimeDays: rule.leadTimeDays ?? t.leadTimeDays, packMultiple: rule.packMultiple > 1 ? rule.packMultiple : Math.max(1, t.packSize), minOrderQty: t.minOrderQty };
}

/** The rule of a pair without one: two weeks of cover from the warehouse, single units. */
export const DEFAULT_RULE: RuleTerms = { method: 'cover', minQty: null, maxQty: null, coverDays: DEFAULT_COVER_DAYS, packMultiple: 1, leadTimeDays: null, source: 'warehouse' };

/** What the rollup says of a pair: sums over the recent weeks, and last year's windows. */
export interface SalesFigures {
  /** Σ q_w over the RECENT_WEEKS weeks. */
  sum: number;
  /** Σ q_w² over the same weeks. */
  sumSq: number;
  /** Sold in the same weeks a year ago. */
  lastYearSame: number;
  /** Sold in the SEASON_AHEAD_WEEKS weeks that followed them. */
  lastYearAhead: number;
}

export interface Position {
  onHand: number;
  openOrders: number;
  inTransit: number;
}

export interface Suggestion {
  /** Forecast daily sales d (units or grams a day). */
  dailySales: number;
  baseDailySales: number;
  dailyDeviation: number;
  season: number;
  leadTimeDays: number;
  safetyStock: number;
  reorderPoint: number;
  target: number;
  position: number;
  /** P / d; null when nothing sells. */
  coverDays: number | null;
  /** What to order (a multiple of the pack), 0 when nothing. */
  quantity: number;
}

/** Weekly quantities (missing weeks as 0) → the sums the rollup query returns. */
export function salesFromWeeks(recent: readonly number[], lastYearSame = 0, lastYearAhead = 0): SalesFigures {
  return { sum: recent.reduce((a, q) => a + q, 0), sumSq: recent.reduce((a, q) => a + q * q, 0), lastYearSame, lastYearAhead };
}

export function leadTimeOf(rule: RuleTerms): number {
  return rule.leadTimeDays ?? (rule.source === 'supplier' ? SUPPLIER_LEAD_DAYS : WAREHOUSE_LEAD_DAYS);
}

export function seasonality(s: SalesFigures): number {
  if (s.lastYearSame <= 0) return 1;
  const ratio = s.lastYearAhead / SEASON_AHEAD_WEEKS / (s.lastYearSame / RECENT_WEEKS);
  return Math.min(SEASON_MAX, Math.max(SEASON_MIN, ratio));
}

/** Rounded up to a multiple of the pack (0 stays 0). */
export const roundUpToPack = (q: number, pack: number) => (q <= 0 ? 0 : Math.ceil(q / pack) * pack);

export function suggest(rule: RuleTerms, sales: SalesFigures, pos: Position): Suggestion {
  const W = RECENT_WEEKS;
  const baseDailySales = Math.max(0, sales.sum) / (7 * W);
  const variance = Math.max(0, (sales.sumSq - (sales.sum * sales.sum) / W) / (W - 1));
  const dailyDeviation = Math.sqrt(variance) / Math.sqrt(7);
  const season = seasonality(sales);
  const dailySales = baseDailySales * season;
  const L = leadTimeOf(rule);
  const review = rule.method === 'cover' ? (rule.coverDays ?? DEFAULT_COVER_DAYS) : MINMAX_REVIEW_DAYS;
  const safetyStock = SERVICE_Z * dailyDeviation * Math.sqrt(L + review);
  let reorderPoint: number;
  let target: number;
  if (rule.method === 'minmax') {
    reorderPoint = rule.minQty ?? 0;
    target = Math.max(rule.maxQty ?? reorderPoint, reorderPoint);
  } else {
    // A hair below the integer before rounding up: 2.0000000001 from floating point stays 2.
    reorderPoint = Math.max(0, Math.ceil(dailySales * L + safetyStock - 1e-9));
    target = Math.max(0, Math.ceil(dailySales * (L + review) + safetyStock - 1e-9));
  }
  const position = pos.onHand + pos.openOrders + pos.inTransit;
  const quantity = position < reorderPoint ? roundUpToPack(Math.max(target - position, rule.minOrderQty ?? 0), rule.packMultiple) : 0;
  return {
    dailySales,
    baseDailySales,
    dailyDeviation,
    season,
    leadTimeDays: L,
    safetyStock,
    reorderPoint,
    target,
    position,
    coverDays: dailySales > 0 ? position / dailySales : null,
    quantity,
  };
}
