/**
 * Catalog look-ups at the till: a scanned code → the product and quantity to ring up (plain EAN/UPC/Code 128,
 * or a GS1 variable-measure label carrying the weight), search, quick keys, customers.
 */
import { createCustomerSearch } from '../crm/customers';
import { parseScan, type VariableMeasureTemplate } from '@tpv/shared/barcode';
import { parseGs1, type UnitTraits } from '@tpv/shared/blocks/rules';
import { ok, type Result } from '@tpv/shared/result';
import type { Quantity } from '@tpv/shared/ticket';
import type { Clock } from '@tpv/shared/clock';
import type { SqliteHandle } from '../persistence/data-source';
import { PRICE_NOW_SQL } from '../persistence/repositories';
import type { Product } from '../persistence/entities';
import type { TerminalRepositories } from '../persistence/repositories';
import { failure, type Failure } from '../app/errors';

export interface ScannedItem {
  product: Product;
  /** From the label for weighed articles; undefined means "one unit" for unit articles. */
  quantity: Quantity | undefined;
  barcode: string;
  /** A GS1 element string's lot / best-before (product blocks, issue 17). */
  unit?: UnitTraits;
}

const yymmdd = (day: string) => `${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}`;

export function resolveScan(
  repos: Pick<TerminalRepositories, 'findProductByBarcode'> & Partial<Pick<TerminalRepositories, 'barcodeUnits'>>,
  templates: readonly VariableMeasureTemplate[],
  code: string,
): Result<ScannedItem, Failure> {
  // A GS1-128 / DataMatrix element string (AI 01 + lot 10 / best before 15 / expiry 17): the product by its
  // GTIN (or the EAN-13 inside it); the line keeps the element string so payment can re-read the lot.
  const gs1 = parseGs1(code);
  if (gs1) {
    const product = repos.findProductByBarcode(gs1.gtin) ?? (gs1.gtin.startsWith('0') ? repos.findProductByBarcode(gs1.gtin.slice(1)) : undefined);
    if (!product) return failure('BARCODE_UNKNOWN', `no product with GTIN ${gs1.gtin}`, { barcode: gs1.gtin });
    if (!product.active) return failure('PRODUCT_INACTIVE', `${product.name} is no longer sold`, { productId: product.id });
    if (product.weighed) return failure('WEIGHT_REQUIRED', `${product.name} is sold by weight: scan its scale label or key the weight`, { productId: product.id });
    const barcode = `(01)${gs1.gtin}${gs1.bestBefore ? `(15)${yymmdd(gs1.bestBefore)}` : ''}${gs1.lot ? `(10)${gs1.lot}` : ''}`;
    return ok({ product, quantity: undefined, barcode, unit: { lot: gs1.lot, bestBefore: gs1.bestBefore } });
  }
  const parsed = parseScan(code, templates);
  if (!parsed.ok) return parsed;
  const s = parsed.value;
  if (s.kind === 'plain') {
    const product = repos.findProductByBarcode(s.code);
    if (!product) return failure('BARCODE_UNKNOWN', `no product with barcode ${s.code}`, { barcode: s.code });
    if (!product.active) return failure('PRODUCT_INACTIVE', `${product.name} is no longer sold`, { productId: product.id });
    if (product.weighed) return failure('WEIGHT_REQUIRED', `${product.name} is sold by weight: scan its scale label or key the weight`, { productId: product.id });
    // A pack's own barcode (box of 12) rings up its units.
    const units = repos.barcodeUnits?.(s.code);
    return ok({ product, quantity: units ? { kind: 'units', units } : undefined, barcode: s.code });
  }
  const key = s.prefix + s.itemCode;
  const product = repos.findProductByBarcode(key);
  if (!product) return failure('BARCODE_UNKNOWN', `no weighed article with item code ${s.itemCode}`, { barcode: s.barcode, itemCode: s.itemCode });
  if (!product.active) return failure('PRODUCT_INACTIVE', `${product.name} is no longer sold`, { productId: product.id });
  if (s.kind === 'price') return failure('BARCODE_MALFORMED', 'price-embedded labels are not supported at this till', { barcode: s.barcode });
  if (!product.weighed) return failure('QUANTITY_KIND_MISMATCH', `${product.name} is sold by units, not by weight`, { productId: product.id });
  if (s.grams <= 0) return failure('QUANTITY_NOT_POSITIVE', 'the label carries no weight', { barcode: s.barcode });
  return ok({ product, quantity: { kind: 'weight', grams: s.grams }, barcode: s.barcode });
}

export interface QuickKeyView {
  page: number; position: number; productId: string; label: string; color: string | null; priceCents: number; weighed: boolean;
}

export interface CustomerView {
  id: string; nif: string | null; name: string; reRegime: boolean; creditLimitCents: number; balanceCents: number; active: boolean;
  /** Blocked for sales on account by the back office (dunning / credit control) until paid or released. */
  onAccountBlocked: boolean;
  phone: string | null;
  email: string | null;
  /** Loyalty card number: present = a loyalty member. */
  loyaltyCard: string | null;
  segmentIds: string[];
}

export interface CatalogQueries {
  productById(id: string): Product | undefined;
  quickKeys(): QuickKeyView[];
  customerById(id: string): CustomerView | undefined;
  searchCustomers(q: string, limit?: number): CustomerView[];
}

interface CustomerRow {
  id: string; nif: string | null; name: string; re_regime: number; credit_limit_cents: number; balance_cents: number; active: number; on_account_blocked: number;
  phone: string | null; email: string | null; loyalty_card: string | null; segment_ids: string;
}
const CUSTOMER_COLUMNS = 'id, nif, name, re_regime, credit_limit_cents, balance_cents, active, on_account_blocked, phone, email, loyalty_card, segment_ids';
const toCustomer = (r: CustomerRow): CustomerView => ({
  id: r.id, nif: r.nif, name: r.name, reRegime: r.re_regime === 1, creditLimitCents: r.credit_limit_cents, balanceCents: r.balance_cents, active: r.active === 1, onAccountBlocked: r.on_account_blocked === 1,
  phone: r.phone, email: r.email, loyaltyCard: r.loyalty_card, segmentIds: JSON.parse(r.segment_ids) as string[],
});

/** `clock`: the till's; prices follow the scheduled changes effective at its time (even offline). */
export function createCatalogQueries(db: SqliteHandle, clock: Clock = { now: () => Date.now() }): CatalogQueries {
  const nowIso = () => new Date(clock.now()).toISOString();
  const byId = db.prepare<[string, string], { id: string; sku: string; name: string; category_id: string | null; tax_rate_bp: number; exemption: string | null; weighed: number; price_cents: number; active: number; version: number }>(
    `SELECT p.id, p.sku, p.name, p.category_id, p.tax_rate_bp, p.exemption, p.weighed, ${PRICE_NOW_SQL} AS price_cents, p.active, p.version FROM product p WHERE p.id = ?`,
  );
  const quick = db.prepare<[string], { page: number; position: number; product_id: string; label: string; color: string | null; price_cents: number; weighed: number }>(
    `SELECT q.page, q.position, q.product_id, q.label, q.color, ${PRICE_NOW_SQL} AS price_cents, p.weighed
       FROM quick_key q JOIN product p ON p.id = q.product_id WHERE p.active = 1 ORDER BY q.page, q.position`,
  );
  const customer = db.prepare<[string], CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customer WHERE id = ?`);
  // Name words, phone, email, NIF, loyalty card: terminal/src/crm/customers.ts (indexes of migration 1732300510001).
  const searchCustomers = createCustomerSearch(db);
  return {
    productById(id) {
      const r = byId.get(nowIso(), id);
      return r
        ? { id: r.id, sku: r.sku, name: r.name, categoryId: r.category_id, taxRateBp: r.tax_rate_bp, exemption: r.exemption, weighed: r.weighed === 1, priceCents: r.price_cents, active: r.active === 1, version: r.version }
        : undefined;
    },
    quickKeys: () =>
      quick.all(nowIso()).map((r) => ({ page: r.page, position: r.position, productId: r.product_id, label: r.label, color: r.color, priceCents: r.price_cents, weighed: r.weighed === 1 })),
    customerById(id) {
      const r = customer.get(id);
      return r ? toCustomer(r) : undefined;
    },
    searchCustomers: (q, limit = 20) => searchCustomers(q, limit),
  };
}
