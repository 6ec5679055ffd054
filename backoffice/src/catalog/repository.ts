/**
 * The catalog's SQL (products, categories, suppliers, prices and scheduled changes): the only place in the
 * context that knows the engine. Statements are written with `?` and numbered for PostgreSQL here;
 * booleans are bound as 0/1 on SQLite.
 */
import type { DeepPartial } from 'typeorm';
import { engineOfManager, placeholders } from '../persistence/raw';
import type { Clock } from '@tpv/shared/clock';
import {
  CategoryEntity,
  CustomerEntity,
  NoticeEntity,
  ProductBarcodeEntity,
  ProductEntity,
  StaffEntity,
  StoreEntity,
  StorePriceEntity,
  type CategoryRow,
  type CustomerRow,
  type NoticeRow,
  type ProductBarcodeRow,
  type ProductRow,
  type StaffRow,
} from '../persistence/entities';
import { newRowId } from '../persistence/row-id';
import type { PriceLevel } from './pricing';
import type { z } from 'zod';
import type { SupplierAddress as SupplierAddressSchema, SupplierContact as SupplierContactSchema } from '@tpv/shared/wire/http/catalog';

import { all, bool, exec, inList, num, one, type Db } from '../persistence/sql';

export { all, exec, inList, isPostgres, one, type Db } from '../persistence/sql';

// ── stores ───────────────────────────────────────────────────────────────────────────────────────
export interface StoreRef {
  id: string;
  companyId: string;
  timezone: string;
}
export async function allStores(m: Db): Promise<StoreRef[]> {
  return all<StoreRef>(m, 'SELECT id, company_id AS "companyId", timezone FROM store ORDER BY id');
}
export async function storeRef(m: Db, id: string): Promise<StoreRef | undefined> {
  return one<StoreRef>(m, 'SELECT id, company_id AS "companyId", timezone FROM store WHERE id = ?', [id]);
}
export async function companyExists(m: Db, id: string): Promise<boolean> {
  return (await one(m, 'SELECT 1 AS x FROM company WHERE id = ?', [id])) !== undefined;
}

// ── fixed prices ─────────────────────────────────────────────────────────────────────────────────
export interface FixedPriceRows {
  base: number;
  companies: Map<string, number>;
  stores: Map<string, number>;
}
export async function fixedPricesOf(m: Db, productId: string): Promise<FixedPriceRows | undefined> {
  const p = await one<{ base: unknown }>(m, 'SELECT base_price_cents AS base FROM product WHERE id = ?', [productId]);
  if (!p) return undefined;
  const companies = await all<{ id: string; price: unknown }>(m, 'SELECT company_id AS id, price_cents AS price FROM company_price WHERE product_id = ?', [productId]);
  const stores = await all<{ id: string; price: unknown }>(m, 'SELECT store_id AS id, price_cents AS price FROM store_price WHERE product_id = ?', [productId]);
  return {
    base: Number(p.base),
    companies: new Map(companies.map((r) => [r.id, Number(r.price)])),
    stores: new Map(stores.map((r) => [r.id, Number(r.price)])),
  };
}
export async function companyPrice(m: Db, companyId: string, productId: string): Promise<number | null> {
  return num((await one<{ p: unknown }>(m, 'SELECT price_cents AS p FROM company_price WHERE company_id = ? AND product_id = ?', [companyId, productId]))?.p);
}
export async function storePrice(m: Db, storeId: string, productId: string): Promise<number | null> {
  return num((await one<{ p: unknown }>(m, 'SELECT price_cents AS p FROM store_price WHERE store_id = ? AND product_id = ?', [storeId, productId]))?.p);
}
export async function upsertCompanyPrice(m: Db, companyId: string, productId: string, priceCents: number): Promise<void> {
  await exec(m, 'INSERT INTO company_price (company_id, product_id, price_cents) VALUES (?, ?, ?) ON CONFLICT (company_id, product_id) DO UPDATE SET price_cents = excluded.price_cents', [
    companyId, productId, priceCents,
  ]);
}
export async function deleteCompanyPrice(m: Db, companyId: string, productId: string): Promise<void> {
  await exec(m, 'DELETE FROM company_price WHERE company_id = ? AND product_id = ?', [companyId, productId]);
}
export async function storesWithOwnPrice(m: Db, productId: string): Promise<Set<string>> {
  return new Set((await all<{ id: string }>(m, 'SELECT store_id AS id FROM store_price WHERE product_id = ?', [productId])).map((r) => r.id));
}

/** A company's prices of products its store has no own price for (what that store's tills sell at). */
export async function companyPricesForStore(m: Db, storeId: string, companyId: string): Promise<Array<{ productId: string; priceCents: number }>> {
  const rows = await all<{ productId: string; priceCents: unknown }>(
    m,
    `SELECT cp.product_id AS "productId", cp.price_cents AS "priceCents" FROM company_price cp
      WHERE cp.company_id = ? AND NOT EXISTS (SELECT 1 FROM store_price sp WHERE sp.store_id = ? AND sp.product_id = cp.product_id)`,
    [companyId, storeId],
  );
  return rows.map((r) => ({ productId: r.productId, priceCents: Number(r.priceCents) }));
}
export async function productsWithPriceChanges(m: Db): Promise<string[]> {
  return (await all<{ id: string }>(m, `SELECT DISTINCT product_id AS id FROM price_change WHERE status = 'scheduled'`)).map((r) => r.id);
}

// ── scheduled changes ────────────────────────────────────────────────────────────────────────────
export type PriceChangeStatus = 'scheduled' | 'cancelled' | 'superseded';
export interface PriceChangeRow {
  id: string;
  productId: string;
  level: PriceLevel;
  companyId: string | null;
  storeId: string | null;
  priceCents: number;
  effectiveAt: string;
  localTime: string;
  timezone: string;
  status: PriceChangeStatus;
  createdAt: string;
  createdBy: string | null;
  cancelledAt: string | null;
}
const CHANGE_COLS = `c.id, c.product_id AS "productId", c.level, c.company_id AS "companyId", c.store_id AS "storeId", c.price_cents AS "priceCents",
  c.effective_at AS "effectiveAt", c.local_time AS "localTime", c.timezone, c.status, c.created_at AS "createdAt", c.created_by AS "createdBy", c.cancelled_at AS "cancelledAt"`;
const toChange = (r: PriceChangeRow): PriceChangeRow => ({ ...r, priceCents: Number(r.priceCents) });

export async function insertPriceChange(m: Db, r: PriceChangeRow): Promise<void> {
  await exec(
    m,
    `INSERT INTO price_change (id, product_id, level, company_id, store_id, price_cents, effective_at, local_time, timezone, status, created_at, created_by, cancelled_at)
     VALUES (${inList(13)})`,
    [r.id, r.productId, r.level, r.companyId, r.storeId, r.priceCents, r.effectiveAt, r.localTime, r.timezone, r.status, r.createdAt, r.createdBy, r.cancelledAt],
  );
}
export async function priceChangeById(m: Db, id: string): Promise<PriceChangeRow | undefined> {
  const r = await one<PriceChangeRow>(m, `SELECT ${CHANGE_COLS} FROM price_change c WHERE c.id = ?`, [id]);
  return r && toChange(r);
}
export async function cancelPriceChange(m: Db, id: string, at: string): Promise<void> {
  await exec(m, `UPDATE price_change SET status = 'cancelled', cancelled_at = ? WHERE id = ?`, [at, id]);
}
/** Every change (any status) of these products: a store whose tills hold a schedule must get it updated. */
export async function priceChangesOf(m: Db, productIds: readonly string[]): Promise<PriceChangeRow[]> {
  const out: PriceChangeRow[] = [];
  for (let i = 0; i < productIds.length; i += 500) {
    const ids = productIds.slice(i, i + 500);
    out.push(...(await all<PriceChangeRow>(m, `SELECT ${CHANGE_COLS} FROM price_change c WHERE c.product_id IN (${inList(ids.length)}) ORDER BY c.effective_at, c.id`, ids)));
  }
  return out.map(toChange);
}
/** A fixed price written at a level supersedes that level's changes already in force (newest wins). */
export async function supersedeTakenEffect(m: Db, level: PriceLevel, productId: string, scopeId: string | null, nowIso: string): Promise<void> {
  const scope = level === 'company' ? ' AND company_id = ?' : level === 'store' ? ' AND store_id = ?' : '';
  await exec(
    m,
    `UPDATE price_change SET status = 'superseded' WHERE status = 'scheduled' AND level = ? AND product_id = ? AND effective_at <= ?${scope}`,
    [level, productId, nowIso, ...(scopeId === null ? [] : [scopeId])],
  );
}

export interface PriceChangeFilter {
  productId?: string | undefined;
  storeId?: string | undefined;
  companyId?: string | undefined;
  status?: PriceChangeStatus | undefined;
  /** Only changes effective after this instant. */
  after?: string | undefined;
  /** Restrict to these companies' rows (and base rows): the caller's scope. null = all. */
  companies: string[] | null;
}
export interface PriceChangeListRow extends PriceChangeRow {
  sku: string;
  productName: string;
  storeName: string | null;
  companyName: string | null;
}
export async function listPriceChanges(m: Db, f: PriceChangeFilter, sort: string, dir: 'asc' | 'desc', limit: number, offset: number): Promise<{ rows: PriceChangeListRow[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...p: unknown[]) => {
    where.push(sql);
    params.push(...p);
  };
  if (f.productId) add('c.product_id = ?', f.productId);
  if (f.storeId) add('c.store_id = ?', f.storeId);
  if (f.companyId) add('c.company_id = ?', f.companyId);
  if (f.status) add('c.status = ?', f.status);
  if (f.after) add('c.effective_at > ?', f.after);
  if (f.companies) {
    if (f.companies.length === 0) where.push(`c.level = 'base'`);
    else add(`(c.level = 'base' OR c.company_id IN (${inList(f.companies.length)}) OR c.store_id IN (SELECT id FROM store WHERE company_id IN (${inList(f.companies.length)})))`, ...f.companies, ...f.companies);
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const col = ({ effectiveAt: 'c.effective_at', createdAt: 'c.created_at', sku: 'p.sku', priceCents: 'c.price_cents' } as Record<string, string>)[sort] ?? 'c.effective_at';
  const total = Number((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM price_change c ${w}`, params))?.n ?? 0);
  const rows = await all<PriceChangeListRow>(
    m,
    `SELECT ${CHANGE_COLS}, p.sku, p.name AS "productName", s.name AS "storeName", co.legal_name AS "companyName"
       FROM price_change c JOIN product p ON p.id = c.product_id LEFT JOIN store s ON s.id = c.store_id LEFT JOIN company co ON co.id = c.company_id
       ${w} ORDER BY ${col} ${dir === 'desc' ? 'DESC' : 'ASC'}, c.id LIMIT ? OFFSET ?`,
    [...params, limit, offset],
  );
  return { rows: rows.map((r) => ({ ...r, priceCents: Number(r.priceCents) })), total };
}

// ── packs and suppliers of a product ─────────────────────────────────────────────────────────────
export async function packBarcodeOwner(m: Db, codes: readonly string[], exceptProduct: string): Promise<{ barcode: string; productId: string } | undefined> {
  if (codes.length === 0) return undefined;
  return one(m, `SELECT barcode, product_id AS "productId" FROM product_pack WHERE barcode IN (${inList(codes.length)}) AND product_id <> ?`, [...codes, exceptProduct]);
}
/** A unit barcode of another product, or a pack barcode of another product. */
export async function barcodeOwner(m: Db, codes: readonly string[], exceptProduct: string): Promise<{ barcode: string; productId: string } | undefined> {
  if (codes.length === 0) return undefined;
  return (
    (await one<{ barcode: string; productId: string }>(m, `SELECT barcode, product_id AS "productId" FROM product_barcode WHERE barcode IN (${inList(codes.length)})`, codes)) ??
    packBarcodeOwner(m, codes, exceptProduct)
  );
}
export async function existingSuppliers(m: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  return new Set((await all<{ id: string }>(m, `SELECT id FROM supplier WHERE id IN (${inList(ids.length)})`, ids)).map((r) => r.id));
}
/** Replaces a product's packs; returns the barcodes the old ones had. */
export async function replacePacks(m: Db, clock: Clock, productId: string, packs: ReadonlyArray<{ name: string; units: number; barcode: string | null }>): Promise<string[]> {
  const old = await packBarcodesOf(m, productId);
  await exec(m, 'DELETE FROM product_pack WHERE product_id = ?', [productId]);
  for (const p of packs) await exec(m, 'INSERT INTO product_pack (id, product_id, name, units, barcode) VALUES (?, ?, ?, ?, ?)', [newRowId(clock), productId, p.name, p.units, p.barcode]);
  return old;
}
export async function packBarcodesOf(m: Db, productId: string): Promise<string[]> {
  return (await all<{ barcode: string }>(m, 'SELECT barcode FROM product_pack WHERE product_id = ? AND barcode IS NOT NULL', [productId])).map((r) => r.barcode);
}
export async function replaceProductSuppliers(m: Db, productId: string, rows: ReadonlyArray<{ supplierId: string; reference: string | null; costCents: number | null }>): Promise<void> {
  // Upsert, not delete-and-insert: the purchasing terms of a supplier product (pack, minimum, lead time, preferred) stay.
  const keep = rows.map((r) => r.supplierId);
  await exec(m, `DELETE FROM product_supplier WHERE product_id = ?${keep.length ? ` AND supplier_id NOT IN (${inList(keep.length)})` : ''}`, [productId, ...keep]);
  for (const r of rows) {
    await exec(
      m,
      `INSERT INTO product_supplier (product_id, supplier_id, reference, cost_cents) VALUES (?, ?, ?, ?)
       ON CONFLICT (product_id, supplier_id) DO UPDATE SET reference = excluded.reference, cost_cents = excluded.cost_cents`,
      [productId, r.supplierId, r.reference, r.costCents],
    );
  }
}

export async function insertProductSuppliers(m: Db, rows: ReadonlyArray<{ productId: string; supplierId: string; reference: string | null; costCents: number | null }>): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    await exec(m, `INSERT INTO product_supplier (product_id, supplier_id, reference, cost_cents) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`, chunk.flatMap((r) => [r.productId, r.supplierId, r.reference, r.costCents]));
  }
}

// ── product list and detail ──────────────────────────────────────────────────────────────────────
export interface ProductFilter {
  q?: string | undefined;
  /** Category and all its descendants. */
  categoryIds?: string[] | undefined;
  taxRateBp?: number | undefined;
  active?: boolean | undefined;
  supplierId?: string | undefined;
  /** An explicit selection (bulk edit). */
  ids?: string[] | undefined;
}
export interface ProductListRow {
  id: string;
  sku: string;
  name: string;
  nameEn: string | null;
  categoryId: string | null;
  categoryName: string | null;
  taxRateBp: number;
  exemption: string | null;
  weighed: boolean;
  priceCents: number;
  costCents: number | null;
  active: boolean;
}
export const PRODUCT_SORTS = { sku: 'p.sku', name: 'p.name', priceCents: 'p.base_price_cents', taxRateBp: 'p.tax_rate_bp', category: 'p.category_id' } as const;

function productWhere(f: ProductFilter): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...p: unknown[]) => {
    where.push(sql);
    params.push(...p);
  };
  if (f.q) {
    // The matching ids first (SKU prefix and barcode by index, names es/en by substring in one pass), then
    // the page: ordering by name while filtering would walk the whole name index for a rare match.
    const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    add(
      `p.id IN (SELECT s.id FROM product s WHERE s.sku >= ? AND s.sku < ?
                UNION SELECT b.product_id FROM product_barcode b WHERE b.barcode = ?
                UNION SELECT n.id FROM product n WHERE lower(n.name) LIKE ? ESCAPE '\\' OR lower(n.name_en) LIKE ? ESCAPE '\\')`,
      f.q, `${f.q}\uffff`, f.q, like, like,
    );
  }
  if (f.categoryIds) {
    if (f.categoryIds.length === 0) where.push('1 = 0');
    else add(`p.category_id IN (${inList(f.categoryIds.length)})`, ...f.categoryIds);
  }
  if (f.taxRateBp !== undefined) add('p.tax_rate_bp = ?', f.taxRateBp);
  if (f.active !== undefined) add('p.active = ?', f.active);
  if (f.supplierId) add('p.id IN (SELECT ps.product_id FROM product_supplier ps WHERE ps.supplier_id = ?)', f.supplierId);
  if (f.ids) {
    if (f.ids.length === 0) where.push('1 = 0');
    else add(`p.id IN (${inList(f.ids.length)})`, ...f.ids);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

const PRODUCT_COLS = `p.id, p.sku, p.name, p.name_en AS "nameEn", p.category_id AS "categoryId", c.name AS "categoryName", p.tax_rate_bp AS "taxRateBp",
  p.exemption, p.weighed, p.base_price_cents AS "priceCents", p.cost_cents AS "costCents", p.active`;
const toProduct = (r: ProductListRow): ProductListRow => ({
  ...r, taxRateBp: Number(r.taxRateBp), weighed: bool(r.weighed), active: bool(r.active), priceCents: Number(r.priceCents), costCents: num(r.costCents),
});

export async function listProducts(m: Db, f: ProductFilter, sort: keyof typeof PRODUCT_SORTS, dir: 'asc' | 'desc', limit: number, offset: number, withTotal = true): Promise<{ rows: ProductListRow[]; total: number }> {
  const w = productWhere(f);
  const d = dir === 'desc' ? 'DESC' : 'ASC';
  const rows = await all<ProductListRow>(
    m,
    `SELECT ${PRODUCT_COLS} FROM product p LEFT JOIN category c ON c.id = p.category_id ${w.sql} ORDER BY ${PRODUCT_SORTS[sort]} ${d}, p.id ${d} LIMIT ? OFFSET ?`,
    [...w.params, limit, offset],
  );
  const total = withTotal ? Number((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM product p ${w.sql}`, w.params))?.n ?? 0) : rows.length;
  return { rows: rows.map(toProduct), total };
}
export async function productIdsMatching(m: Db, f: ProductFilter): Promise<string[]> {
  const w = productWhere(f);
  return (await all<{ id: string }>(m, `SELECT p.id FROM product p ${w.sql} ORDER BY p.id`, w.params)).map((r) => r.id);
}
export async function productsByIds(m: Db, ids: readonly string[]): Promise<ProductListRow[]> {
  const out: ProductListRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    out.push(...(await all<ProductListRow>(m, `SELECT ${PRODUCT_COLS} FROM product p LEFT JOIN category c ON c.id = p.category_id WHERE p.id IN (${inList(chunk.length)})`, chunk)));
  }
  return out.map(toProduct);
}
export async function productDetail(m: Db, id: string) {
  const p = (await productsByIds(m, [id]))[0];
  if (!p) return undefined;
  const barcodes = (await all<{ barcode: string }>(m, 'SELECT barcode FROM product_barcode WHERE product_id = ? ORDER BY barcode', [id])).map((r) => r.barcode);
  const packs = (await all<{ id: string; name: string; units: unknown; barcode: string | null }>(m, 'SELECT id, name, units, barcode FROM product_pack WHERE product_id = ? ORDER BY units', [id])).map((r) => ({ ...r, units: Number(r.units) }));
  const suppliers = (
    await all<{ supplierId: string; supplierName: string; reference: string | null; costCents: unknown }>(
      m,
      'SELECT ps.supplier_id AS "supplierId", s.name AS "supplierName", ps.reference, ps.cost_cents AS "costCents" FROM product_supplier ps JOIN supplier s ON s.id = ps.supplier_id WHERE ps.product_id = ? ORDER BY s.name',
      [id],
    )
  ).map((r) => ({ ...r, costCents: num(r.costCents) }));
  return { ...p, barcodes, packs, suppliers };
}
/** Sales or stock rows refer to the product: it can only be deactivated. */
export async function bulkUpdateProducts(m: Db, ids: readonly string[], set: { categoryId?: string | null; taxRateBp?: number; exemption?: string | null; active?: boolean }, prices: Map<string, number>): Promise<void> {
  const cols: string[] = [];
  const vals: unknown[] = [];
  const set_ = (sql: string | string[], ...v: unknown[]) => {
    cols.push(...(Array.isArray(sql) ? sql : [sql]));
    vals.push(...v);
  };
  if (set.categoryId !== undefined) set_('category_id = ?', set.categoryId);
  if (set.taxRateBp !== undefined) set_(['tax_rate_bp = ?', 'exemption = ?'], set.taxRateBp, set.exemption ?? null);
  if (set.active !== undefined) set_('active = ?', set.active);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await exec(m, `UPDATE product SET ${[...cols, 'version = version + 1'].join(', ')} WHERE id IN (${inList(chunk.length)})`, [...vals, ...chunk]);
  }
  for (const [id, price] of prices) await exec(m, 'UPDATE product SET base_price_cents = ? WHERE id = ?', [price, id]);
}
export async function barcodesOf(m: Db, ids: readonly string[]): Promise<Array<{ barcode: string; productId: string }>> {
  const out: Array<{ barcode: string; productId: string }> = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    out.push(...(await all<{ barcode: string; productId: string }>(m, `SELECT barcode, product_id AS "productId" FROM product_barcode WHERE product_id IN (${inList(chunk.length)})`, chunk)));
  }
  return out;
}

// ── categories ───────────────────────────────────────────────────────────────────────────────────
export interface CategoryListRow {
  id: string;
  name: string;
  parentId: string | null;
  sort: number;
  products: number;
}
export async function listCategories(m: Db): Promise<CategoryListRow[]> {
  const rows = await all<CategoryListRow>(
    m,
    `SELECT c.id, c.name, c.parent_id AS "parentId", c.sort, (SELECT COUNT(*) FROM product p WHERE p.category_id = c.id) AS products FROM category c ORDER BY c.sort, c.name`,
  );
  return rows.map((r) => ({ ...r, sort: Number(r.sort ?? 0), products: Number(r.products) }));
}
/** Ids and parents only (the list filter's subtree), without the product counts. */
export async function categoryParents(m: Db): Promise<Array<{ id: string; parentId: string | null }>> {
  return all(m, 'SELECT id, parent_id AS "parentId" FROM category');
}
export async function categoryUsage(m: Db, id: string): Promise<{ products: number; children: number } | undefined> {
  if (!(await one(m, 'SELECT 1 AS x FROM category WHERE id = ?', [id]))) return undefined;
  const products = Number((await one<{ n: unknown }>(m, 'SELECT COUNT(*) AS n FROM product WHERE category_id = ?', [id]))?.n ?? 0);
  const children = Number((await one<{ n: unknown }>(m, 'SELECT COUNT(*) AS n FROM category WHERE parent_id = ?', [id]))?.n ?? 0);
  return { products, children };
}
export async function deleteCategory(m: Db, id: string): Promise<void> {
  await exec(m, 'DELETE FROM category WHERE id = ?', [id]);
}

// ── suppliers ────────────────────────────────────────────────────────────────────────────────────
export interface SupplierRow {
  id: string;
  name: string;
  nif: string | null;
  contactName: string | null;
  email: string | null;
  phone: string | null;
  paymentTermsDays: number;
  notes: string | null;
  active: boolean;
  addresses: SupplierAddress[];
  contacts: SupplierContact[];
  iban: string | null;
  overReceiptToleranceBp: number;
  products?: number;
}
type SupplierAddress = z.output<typeof SupplierAddressSchema>;
type SupplierContact = z.output<typeof SupplierContactSchema>;
const SUPPLIER_COLS = `s.id, s.name, s.nif, s.contact_name AS "contactName", s.email, s.phone, s.payment_terms_days AS "paymentTermsDays", s.notes, s.active,
  s.addresses_json AS addresses, s.contacts_json AS contacts, s.iban, s.over_receipt_tolerance_bp AS "overReceiptToleranceBp"`;
const jsonList = <T>(v: unknown): T[] => (typeof v === 'string' && v ? (JSON.parse(v) as T[]) : []);
const toSupplier = (r: SupplierRow): SupplierRow => ({
  ...r, paymentTermsDays: Number(r.paymentTermsDays), active: bool(r.active), addresses: jsonList(r.addresses), contacts: jsonList(r.contacts),
  overReceiptToleranceBp: Number(r.overReceiptToleranceBp), ...(r.products !== undefined ? { products: Number(r.products) } : {}),
});
export async function listSuppliers(m: Db, q: string | undefined, active: boolean | undefined, sort: 'name' | 'nif', dir: 'asc' | 'desc', limit: number, offset: number): Promise<{ rows: SupplierRow[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...p: unknown[]) => {
    where.push(sql);
    params.push(...p);
  };
  if (q) add('(lower(s.name) LIKE ? OR s.nif LIKE ?)', `%${q.toLowerCase()}%`, `${q.toUpperCase()}%`);
  if (active !== undefined) add('s.active = ?', active);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM supplier s ${w}`, params))?.n ?? 0);
  const rows = await all<SupplierRow>(
    m,
    `SELECT ${SUPPLIER_COLS}, (SELECT COUNT(*) FROM product_supplier ps WHERE ps.supplier_id = s.id) AS products FROM supplier s ${w} ORDER BY s.${sort} ${dir === 'desc' ? 'DESC' : 'ASC'}, s.id LIMIT ? OFFSET ?`,
    [...params, limit, offset],
  );
  return { rows: rows.map(toSupplier), total };
}
export async function supplierById(m: Db, id: string): Promise<SupplierRow | undefined> {
  const r = await one<SupplierRow>(m, `SELECT ${SUPPLIER_COLS} FROM supplier s WHERE s.id = ?`, [id]);
  return r && toSupplier(r);
}
export async function supplierByNif(m: Db, nif: string): Promise<{ id: string } | undefined> {
  return one(m, 'SELECT id FROM supplier WHERE nif = ?', [nif]);
}
export async function saveSupplier(m: Db, r: Omit<SupplierRow, 'products'>, createdAt: string, exists: boolean): Promise<void> {
  if (exists) {
    await exec(
      m,
      `UPDATE supplier SET name = ?, nif = ?, contact_name = ?, email = ?, phone = ?, payment_terms_days = ?, notes = ?, active = ?, addresses_json = ?, contacts_json = ?,
         iban = ?, over_receipt_tolerance_bp = ? WHERE id = ?`,
      [r.name, r.nif, r.contactName, r.email, r.phone, r.paymentTermsDays, r.notes, r.active, JSON.stringify(r.addresses), JSON.stringify(r.contacts), r.iban, r.overReceiptToleranceBp, r.id],
    );
  } else {
    await exec(
      m,
      `INSERT INTO supplier (id, name, nif, contact_name, email, phone, payment_terms_days, notes, active, addresses_json, contacts_json, iban, over_receipt_tolerance_bp, created_at)
       VALUES (${inList(14)})`,
      [r.id, r.name, r.nif, r.contactName, r.email, r.phone, r.paymentTermsDays, r.notes, r.active, JSON.stringify(r.addresses), JSON.stringify(r.contacts), r.iban, r.overReceiptToleranceBp, createdAt],
    );
  }
}

// ── master data (service.ts): products, unit barcodes, store prices, categories, customers, notices, staff ──
export async function productById(m: Db, id: string): Promise<ProductRow | null> {
  return m.getRepository(ProductEntity).findOneBy({ id });
}
export async function productExists(m: Db, id: string): Promise<boolean> {
  return m.getRepository(ProductEntity).existsBy({ id });
}
export async function productBySku(m: Db, sku: string): Promise<ProductRow | null> {
  return m.getRepository(ProductEntity).findOneBy({ sku });
}
export async function saveProduct(m: Db, row: DeepPartial<ProductRow>): Promise<void> {
  await m.getRepository(ProductEntity).save(row);
}
/** Products are never erased: deactivated with their version bumped. */
export async function deactivateProduct(m: Db, id: string, version: number): Promise<void> {
  await m.getRepository(ProductEntity).update({ id }, { active: false, version });
}
/** The unit-barcode rows among these codes (any product). */
export async function unitBarcodesAmong(m: Db, codes: readonly string[]): Promise<ProductBarcodeRow[]> {
  return m.getRepository(ProductBarcodeEntity).find({ where: codes.map((barcode) => ({ barcode })) });
}
/** A product's unit barcodes (not its packs'). */
export async function unitBarcodesOf(m: Db, productId: string): Promise<ProductBarcodeRow[]> {
  return m.getRepository(ProductBarcodeEntity).findBy({ productId });
}
export async function deleteUnitBarcode(m: Db, barcode: string): Promise<void> {
  await m.getRepository(ProductBarcodeEntity).delete({ barcode });
}
export async function insertUnitBarcode(m: Db, barcode: string, productId: string): Promise<void> {
  await m.getRepository(ProductBarcodeEntity).insert({ barcode, productId });
}

export async function storeExists(m: Db, id: string): Promise<boolean> {
  return m.getRepository(StoreEntity).existsBy({ id });
}
export async function storePriceExists(m: Db, storeId: string, productId: string): Promise<boolean> {
  return m.getRepository(StorePriceEntity).existsBy({ storeId, productId });
}
export async function saveStorePrice(m: Db, storeId: string, productId: string, priceCents: number): Promise<void> {
  await m.getRepository(StorePriceEntity).save({ storeId, productId, priceCents });
}
export async function deleteStorePrice(m: Db, storeId: string, productId: string): Promise<void> {
  await m.getRepository(StorePriceEntity).delete({ storeId, productId });
}

export async function categoryExists(m: Db, id: string): Promise<boolean> {
  return m.getRepository(CategoryEntity).existsBy({ id });
}
export async function categoryById(m: Db, id: string): Promise<CategoryRow | null> {
  return m.getRepository(CategoryEntity).findOneBy({ id });
}
/** The category's parent (null for a root or an unknown category). */
export async function categoryParentOf(m: Db, id: string): Promise<string | null> {
  return (await m.getRepository(CategoryEntity).findOne({ where: { id }, select: { id: true, parentId: true } }))?.parentId ?? null;
}
/** Saves the category row, then its sort (a column the entity does not map). */
export async function saveCategory(m: Db, row: DeepPartial<CategoryRow>, sort: number): Promise<void> {
  await m.getRepository(CategoryEntity).save(row);
  const e = engineOfManager(m);
  await m.query(`UPDATE category SET sort = ${placeholders(e, 1)} WHERE id = ${placeholders(e, 1, 2)}`, [sort, row.id]);
}

export async function customerById(m: Db, id: string): Promise<CustomerRow | null> {
  return m.getRepository(CustomerEntity).findOneBy({ id });
}
export async function customerIdByNif(m: Db, nif: string): Promise<string | undefined> {
  return (await m.getRepository(CustomerEntity).findOne({ where: { nif }, select: { id: true } }))?.id;
}
export async function saveCustomer(m: Db, row: DeepPartial<CustomerRow>): Promise<void> {
  await m.getRepository(CustomerEntity).save(row);
}

export async function noticeById(m: Db, id: string): Promise<NoticeRow | null> {
  return m.getRepository(NoticeEntity).findOneBy({ id });
}
export async function saveNotice(m: Db, row: DeepPartial<NoticeRow>): Promise<void> {
  await m.getRepository(NoticeEntity).save(row);
}

export async function staffById(m: Db, id: string): Promise<StaffRow | null> {
  return m.getRepository(StaffEntity).findOneBy({ id });
}
export async function staffIdByCode(m: Db, companyId: string, code: string): Promise<string | undefined> {
  return (await m.getRepository(StaffEntity).findOne({ where: { companyId, code }, select: { id: true } }))?.id;
}
export async function saveStaff(m: Db, row: DeepPartial<StaffRow>): Promise<void> {
  await m.getRepository(StaffEntity).save(row);
}

// ── change feed (feed.ts) ────────────────────────────────────────────────────────────────────────
export interface ChangeFeedRow {
  version: number;
  entity: string;
  entity_id: string;
  op: 'upsert' | 'delete';
  payload: string | null;
}
/** Up to `limit` feed rows of a store (global rows + its own) in (since, upTo], in version order. */
export async function changeLogPage(m: Db, storeId: string, sinceVersion: number, upToVersion: number, limit: number): Promise<ChangeFeedRow[]> {
  return all<ChangeFeedRow>(
    m,
    `SELECT version, entity, entity_id, op, payload FROM change_log
      WHERE version > ? AND version <= ? AND (store_id IS NULL OR store_id = ?)
      ORDER BY version LIMIT ?`,
    [sinceVersion, upToVersion, storeId, limit],
  );
}

export { bool as sqlBool, num as sqlNum };
