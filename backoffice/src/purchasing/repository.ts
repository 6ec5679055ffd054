/**
 * The purchasing module's SQL (supplier products, purchase orders and their lines, goods receipts): the only
 * place in the module that reads or writes its tables.
 */
import { all, bool, exec, forUpdate, inList, num, one, updated, type Db } from '../persistence/sql';
import type { PurchaseOrderStatus } from '@tpv/shared/wire/http/purchasing';

// ── supplier products ─────────────────────────────────────────────────────────────────────────────
export interface SupplierProductRow {
  supplierId: string;
  productId: string;
  sku: string;
  name: string;
  weighed: boolean;
  tracksLots: boolean;
  reference: string | null;
  costCents: number | null;
  packSize: number;
  minOrderQty: number;
  leadTimeDays: number | null;
  preferred: boolean;
}
const SP_COLS = `ps.supplier_id AS "supplierId", ps.product_id AS "productId", p.sku, p.name, p.weighed, p.tracks_lots AS "tracksLots", ps.reference,
  ps.cost_cents AS "costCents", ps.pack_size AS "packSize", ps.min_order_qty AS "minOrderQty", ps.lead_time_days AS "leadTimeDays", ps.preferred`;
const toSp = (r: SupplierProductRow): SupplierProductRow => ({
  ...r, weighed: bool(r.weighed), tracksLots: bool(r.tracksLots), costCents: num(r.costCents), packSize: Number(r.packSize),
  minOrderQty: Number(r.minOrderQty), leadTimeDays: num(r.leadTimeDays), preferred: bool(r.preferred),
});

export async function supplierProducts(m: Db, supplierId: string): Promise<SupplierProductRow[]> {
  return (await all<SupplierProductRow>(m, `SELECT ${SP_COLS} FROM product_supplier ps JOIN product p ON p.id = ps.product_id WHERE ps.supplier_id = ? ORDER BY p.sku`, [supplierId])).map(toSp);
}

export async function supplierProductsOf(m: Db, supplierId: string, productIds: readonly string[]): Promise<Map<string, SupplierProductRow>> {
  if (productIds.length === 0) return new Map();
  const rows = await all<SupplierProductRow>(
    m,
    `SELECT ${SP_COLS} FROM product_supplier ps JOIN product p ON p.id = ps.product_id WHERE ps.supplier_id = ? AND ps.product_id IN (${inList(productIds.length)})`,
    [supplierId, ...productIds],
  );
  return new Map(rows.map((r) => [r.productId, toSp(r)]));
}

export async function upsertSupplierProduct(
  m: Db,
  r: Pick<SupplierProductRow, 'supplierId' | 'productId' | 'reference' | 'costCents' | 'packSize' | 'minOrderQty' | 'leadTimeDays' | 'preferred'>,
): Promise<void> {
  // One preferred supplier per product: choosing this one un-prefers the others first (the unique index holds).
  if (r.preferred) await exec(m, 'UPDATE product_supplier SET preferred = ? WHERE product_id = ? AND supplier_id <> ?', [false, r.productId, r.supplierId]);
  await exec(
    m,
    `INSERT INTO product_supplier (product_id, supplier_id, reference, cost_cents, pack_size, min_order_qty, lead_time_days, preferred) VALUES (${inList(8)})
     ON CONFLICT (product_id, supplier_id) DO UPDATE SET reference = excluded.reference, cost_cents = excluded.cost_cents, pack_size = excluded.pack_size,
       min_order_qty = excluded.min_order_qty, lead_time_days = excluded.lead_time_days, preferred = excluded.preferred`,
    [r.productId, r.supplierId, r.reference, r.costCents, r.packSize, r.minOrderQty, r.leadTimeDays, r.preferred],
  );
}

export async function deleteSupplierProduct(m: Db, supplierId: string, productId: string): Promise<void> {
  await exec(m, 'DELETE FROM product_supplier WHERE supplier_id = ? AND product_id = ?', [supplierId, productId]);
}

export async function setLotTracking(m: Db, productId: string, tracksLots: boolean): Promise<boolean> {
  return (await updated(m, 'UPDATE product SET tracks_lots = ? WHERE id = ? RETURNING id', [tracksLots, productId])).length > 0;
}

// ── reference data ────────────────────────────────────────────────────────────────────────────────
export interface SupplierRef {
  id: string;
  name: string;
  nif: string | null;
  active: boolean;
  toleranceBp: number;
}
export async function supplierRef(m: Db, id: string): Promise<SupplierRef | undefined> {
  const r = await one<SupplierRef>(m, 'SELECT id, name, nif, active, over_receipt_tolerance_bp AS "toleranceBp" FROM supplier WHERE id = ?', [id]);
  return r && { ...r, active: bool(r.active), toleranceBp: Number(r.toleranceBp) };
}

export interface ProductRef {
  id: string;
  sku: string;
  name: string;
  weighed: boolean;
  tracksLots: boolean;
  taxRateBp: number;
  costCents: number | null;
}
export async function productRefs(m: Db, ids: readonly string[]): Promise<Map<string, ProductRef>> {
  if (ids.length === 0) return new Map();
  const rows = await all<ProductRef>(
    m,
    `SELECT id, sku, name, weighed, tracks_lots AS "tracksLots", tax_rate_bp AS "taxRateBp", cost_cents AS "costCents" FROM product WHERE id IN (${inList(ids.length)})`,
    [...new Set(ids)],
  );
  return new Map(rows.map((r) => [r.id, { ...r, weighed: bool(r.weighed), tracksLots: bool(r.tracksLots), taxRateBp: Number(r.taxRateBp), costCents: num(r.costCents) }]));
}

export async function barcodesOf(m: Db, productIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (productIds.length === 0) return out;
  const rows = await all<{ barcode: string; productId: string }>(m, `SELECT barcode, product_id AS "productId" FROM product_barcode WHERE product_id IN (${inList(productIds.length)}) ORDER BY barcode`, [...new Set(productIds)]);
  for (const r of rows) out.set(r.productId, [...(out.get(r.productId) ?? []), r.barcode]);
  return out;
}

/** Warehouses and stores (not transit): where an order can be delivered. `companyIds` null = every company. */
export async function deliveryLocations(m: Db, companyIds: readonly string[] | null): Promise<Array<{ id: string; kind: string; companyId: string; code: string; name: string }>> {
  const where = companyIds === null ? '' : companyIds.length === 0 ? 'AND 1 = 0' : `AND company_id IN (${inList(companyIds.length)})`;
  return all(m, `SELECT id, kind, company_id AS "companyId", code, name FROM stock_location WHERE kind <> 'transit' ${where} ORDER BY kind DESC, code`, companyIds ?? []);
}

// ── purchase orders ───────────────────────────────────────────────────────────────────────────────
export interface OrderRow {
  id: string;
  number: string | null;
  status: PurchaseOrderStatus;
  companyId: string;
  supplierId: string;
  supplierName: string;
  supplierNif: string | null;
  locationId: string;
  locationName: string;
  locationKind: string;
  expectedDate: string | null;
  toleranceBp: number;
  note: string | null;
  baseCents: number;
  taxCents: number;
  totalCents: number;
  pdfFileId: string | null;
  createdAt: string;
  sentAt: string | null;
}
const ORDER_COLS = `o.id, o.number, o.status, o.company_id AS "companyId", o.supplier_id AS "supplierId", s.name AS "supplierName", s.nif AS "supplierNif",
  o.location_id AS "locationId", l.name AS "locationName", l.kind AS "locationKind", o.expected_date AS "expectedDate", o.tolerance_bp AS "toleranceBp",
  o.note, o.base_cents AS "baseCents", o.tax_cents AS "taxCents", o.total_cents AS "totalCents", o.pdf_file_id AS "pdfFileId", o.created_at AS "createdAt", o.sent_at AS "sentAt"`;
const ORDER_FROM = 'purchase_order o JOIN supplier s ON s.id = o.supplier_id JOIN stock_location l ON l.id = o.location_id';
const toOrder = (r: OrderRow): OrderRow => ({
  ...r, toleranceBp: Number(r.toleranceBp), baseCents: Number(r.baseCents), taxCents: Number(r.taxCents), totalCents: Number(r.totalCents),
});

export interface OrderFilter {
  q?: string | undefined;
  status?: PurchaseOrderStatus | undefined;
  supplierId?: string | undefined;
  locationId?: string | undefined;
  /** null: every company. */
  companyIds: readonly string[] | null;
}
export const ORDER_SORTS = { createdAt: 'o.created_at', number: 'o.number', expectedDate: 'o.expected_date', totalCents: 'o.total_cents', supplier: 's.name' } as const;

export async function listOrders(m: Db, f: OrderFilter, sort: keyof typeof ORDER_SORTS, dir: 'asc' | 'desc', limit: number, offset: number): Promise<{ rows: OrderRow[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...p: unknown[]) => (where.push(sql), params.push(...p));
  if (f.companyIds !== null) add(f.companyIds.length ? `o.company_id IN (${inList(f.companyIds.length)})` : '1 = 0', ...f.companyIds);
  if (f.status) add('o.status = ?', f.status);
  if (f.supplierId) add('o.supplier_id = ?', f.supplierId);
  if (f.locationId) add('o.location_id = ?', f.locationId);
  if (f.q) add('(o.number LIKE ? OR lower(s.name) LIKE ?)', `%${f.q.toUpperCase()}%`, `%${f.q.toLowerCase()}%`);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = Number((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM ${ORDER_FROM} ${w}`, params))?.n ?? 0);
  const rows = await all<OrderRow>(m, `SELECT ${ORDER_COLS} FROM ${ORDER_FROM} ${w} ORDER BY ${ORDER_SORTS[sort]} ${dir === 'desc' ? 'DESC' : 'ASC'}, o.id LIMIT ? OFFSET ?`, [...params, limit, offset]);
  return { rows: rows.map(toOrder), total };
}

export async function orderById(m: Db, id: string, lock = false): Promise<OrderRow | undefined> {
  // FOR UPDATE cannot apply to the view's UNION: lock the order row first, then read it joined.
  if (lock) await one(m, `SELECT id FROM purchase_order WHERE id = ?${forUpdate(m)}`, [id]);
  const r = await one<OrderRow>(m, `SELECT ${ORDER_COLS} FROM ${ORDER_FROM} WHERE o.id = ?`, [id]);
  return r && toOrder(r);
}

export interface OrderLineRow {
  lineNo: number;
  productId: string;
  sku: string;
  name: string;
  weighed: boolean;
  tracksLots: boolean;
  supplierRef: string | null;
  quantity: number;
  unitCostCents: number;
  discountBp: number;
  taxRateBp: number;
  baseCents: number;
  receivedQuantity: number;
}
export async function orderLines(m: Db, orderId: string): Promise<OrderLineRow[]> {
  const rows = await all<OrderLineRow>(
    m,
    `SELECT l.line_no AS "lineNo", l.product_id AS "productId", p.sku, p.name, p.weighed, p.tracks_lots AS "tracksLots", l.supplier_ref AS "supplierRef",
       l.quantity, l.unit_cost_cents AS "unitCostCents", l.discount_bp AS "discountBp", l.tax_rate_bp AS "taxRateBp", l.base_cents AS "baseCents",
       l.received_quantity AS "receivedQuantity"
     FROM purchase_order_line l JOIN product p ON p.id = l.product_id WHERE l.order_id = ? ORDER BY l.line_no`,
    [orderId],
  );
  return rows.map((r) => ({
    ...r, lineNo: Number(r.lineNo), weighed: bool(r.weighed), tracksLots: bool(r.tracksLots), quantity: Number(r.quantity), unitCostCents: Number(r.unitCostCents),
    discountBp: Number(r.discountBp), taxRateBp: Number(r.taxRateBp), baseCents: Number(r.baseCents), receivedQuantity: Number(r.receivedQuantity),
  }));
}

export interface NewOrder {
  id: string;
  companyId: string;
  supplierId: string;
  locationId: string;
  expectedDate: string | null;
  toleranceBp: number;
  note: string | null;
  proposalId: string | null;
  baseCents: number;
  taxCents: number;
  totalCents: number;
  createdBy: string | null;
}
export interface NewOrderLine {
  productId: string;
  supplierRef: string | null;
  quantity: number;
  unitCostCents: number;
  discountBp: number;
  taxRateBp: number;
  baseCents: number;
}

export async function insertOrder(m: Db, o: NewOrder, at: string): Promise<void> {
  await exec(
    m,
    `INSERT INTO purchase_order (id, company_id, supplier_id, location_id, status, expected_date, tolerance_bp, note, proposal_id, base_cents, tax_cents, total_cents,
       created_at, created_by, updated_at) VALUES (?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [o.id, o.companyId, o.supplierId, o.locationId, o.expectedDate, o.toleranceBp, o.note, o.proposalId, o.baseCents, o.taxCents, o.totalCents, at, o.createdBy, at],
  );
}

/** Replaces a draft's header and lines; false when the order is no longer a draft (nothing written). */
export async function replaceDraft(m: Db, o: NewOrder, at: string): Promise<boolean> {
  const done = await updated(
    m,
    `UPDATE purchase_order SET company_id = ?, supplier_id = ?, location_id = ?, expected_date = ?, tolerance_bp = ?, note = ?, base_cents = ?, tax_cents = ?,
       total_cents = ?, updated_at = ? WHERE id = ? AND status = 'draft' RETURNING id`,
    [o.companyId, o.supplierId, o.locationId, o.expectedDate, o.toleranceBp, o.note, o.baseCents, o.taxCents, o.totalCents, at, o.id],
  );
  if (done.length === 0) return false;
  await exec(m, 'DELETE FROM purchase_order_line WHERE order_id = ?', [o.id]);
  return true;
}

export async function insertOrderLines(m: Db, orderId: string, lines: readonly NewOrderLine[]): Promise<void> {
  for (let i = 0; i < lines.length; i += 200) {
    const c = lines.slice(i, i + 200);
    await exec(
      m,
      `INSERT INTO purchase_order_line (order_id, line_no, product_id, supplier_ref, quantity, unit_cost_cents, discount_bp, tax_rate_bp, base_cents, received_quantity)
       VALUES ${c.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, 0)').join(', ')}`,
      c.flatMap((l, j) => [orderId, i + j + 1, l.productId, l.supplierRef, l.quantity, l.unitCostCents, l.discountBp, l.taxRateBp, l.baseCents]),
    );
  }
}

/**
 * Moves an order from one of `from` to `to` (the guard of every state change: 0 rows = someone else moved it
 * first, nothing written). `extra` sets more columns alongside.
 */
export async function transition(m: Db, id: string, from: readonly PurchaseOrderStatus[], to: PurchaseOrderStatus, at: string, extra: Record<string, unknown> = {}): Promise<boolean> {
  const cols = Object.keys(extra);
  const done = await updated(
    m,
    `UPDATE purchase_order SET status = ?, updated_at = ?${cols.map((c) => `, ${c} = ?`).join('')} WHERE id = ? AND status IN (${inList(from.length)}) RETURNING id`,
    [to, at, ...cols.map((c) => extra[c]), id, ...from],
  );
  return done.length > 0;
}

export async function setOrderPdf(m: Db, id: string, fileId: string): Promise<void> {
  await exec(m, 'UPDATE purchase_order SET pdf_file_id = ? WHERE id = ?', [fileId, id]);
}

export async function addReceived(m: Db, orderId: string, lineNo: number, quantity: number): Promise<void> {
  await exec(m, 'UPDATE purchase_order_line SET received_quantity = received_quantity + ? WHERE order_id = ? AND line_no = ?', [quantity, orderId, lineNo]);
}

// ── goods receipts ────────────────────────────────────────────────────────────────────────────────
export async function receiptExists(m: Db, id: string): Promise<{ orderId: string; number: string } | undefined> {
  return one(m, 'SELECT order_id AS "orderId", number FROM goods_receipt WHERE id = ?', [id]);
}

export interface ReceiptLineRow {
  lineNo: number;
  orderLineNo: number;
  productId: string;
  quantity: number;
  unitCostMicros: number;
  lot: string | null;
  bestBefore: string | null;
  overReason: string | null;
}
export async function insertReceipt(
  m: Db,
  r: { id: string; companyId: string; orderId: string; locationId: string; number: string; note: string | null; postedAt: string; postedBy: string | null },
  lines: readonly ReceiptLineRow[],
): Promise<void> {
  await exec(m, `INSERT INTO goods_receipt (id, company_id, order_id, location_id, number, status, note, posted_at, posted_by) VALUES (?, ?, ?, ?, ?, 'posted', ?, ?, ?)`, [
    r.id, r.companyId, r.orderId, r.locationId, r.number, r.note, r.postedAt, r.postedBy,
  ]);
  for (let i = 0; i < lines.length; i += 200) {
    const c = lines.slice(i, i + 200);
    await exec(
      m,
      `INSERT INTO goods_receipt_line (receipt_id, line_no, order_line_no, product_id, quantity, unit_cost_micros, lot, best_before, over_reason)
       VALUES ${c.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      c.flatMap((l) => [r.id, l.lineNo, l.orderLineNo, l.productId, l.quantity, l.unitCostMicros, l.lot, l.bestBefore, l.overReason]),
    );
  }
}

export async function receiptsOf(m: Db, orderId: string): Promise<Array<{ id: string; number: string; orderId: string; locationId: string; note: string | null; postedAt: string; lines: ReceiptLineRow[] }>> {
  const heads = await all<{ id: string; number: string; orderId: string; locationId: string; note: string | null; postedAt: string }>(
    m,
    'SELECT id, number, order_id AS "orderId", location_id AS "locationId", note, posted_at AS "postedAt" FROM goods_receipt WHERE order_id = ? ORDER BY posted_at, number',
    [orderId],
  );
  if (heads.length === 0) return [];
  const lines = await all<ReceiptLineRow & { receiptId: string }>(
    m,
    `SELECT receipt_id AS "receiptId", line_no AS "lineNo", order_line_no AS "orderLineNo", product_id AS "productId", quantity, unit_cost_micros AS "unitCostMicros",
       lot, best_before AS "bestBefore", over_reason AS "overReason" FROM goods_receipt_line WHERE receipt_id IN (${inList(heads.length)}) ORDER BY line_no`,
    heads.map((h) => h.id),
  );
  return heads.map((h) => ({
    ...h,
    lines: lines
      .filter((l) => l.receiptId === h.id)
      .map(({ receiptId: _r, ...l }) => ({ ...l, lineNo: Number(l.lineNo), orderLineNo: Number(l.orderLineNo), quantity: Number(l.quantity), unitCostMicros: Number(l.unitCostMicros) })),
  }));
}
