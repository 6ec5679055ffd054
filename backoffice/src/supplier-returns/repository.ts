/**
 * The only SQL of supplier returns: store returns (DT) and supplier returns (DV) with their lines, the
 * purchase cost a return is valued at, and the per-supplier figures the supplier rating reads
 * (`supplierReturnFigures`, quality figures).
 */
import { valueCents } from '@tpv/shared/inventory/cost';
import { all, exec, inList, one, updated, type Db } from '../persistence/sql';

export interface ReturnLine { lineNo: number; productId: string; sku: string; name: string; units: number; unitCostMicros: number | null; valueCents: number }

const n = (v: unknown) => Number(v);
const nn = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function namesOf(m: Db, table: 'store' | 'warehouse' | 'supplier', id: string): Promise<{ id: string; name: string; companyId: string | null } | undefined> {
  const cols = table === 'supplier' ? 'id, name, NULL AS company_id' : 'id, name, company_id';
  const r = await one<{ id: string; name: string; company_id: string | null }>(m, `SELECT ${cols} FROM ${table} WHERE id = ?`, [id]);
  return r ? { id: r.id, name: r.name, companyId: r.company_id } : undefined;
}

/** The supplier's last goods-receipt price of each product (µ€ per unit), for valuing a return. */
export async function lastPurchaseCosts(m: Db, supplierId: string, productIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (productIds.length === 0) return out;
  const rows = await all<{ product_id: string; unit_cost_micros: unknown; posted_at: string }>(
    m,
    `SELECT l.product_id, l.unit_cost_micros, r.posted_at FROM goods_receipt_line l
       JOIN goods_receipt r ON r.id = l.receipt_id JOIN purchase_order o ON o.id = r.order_id
      WHERE o.supplier_id = ? AND l.product_id IN (${inList(productIds.length)})
      ORDER BY r.posted_at, l.line_no`,
    [supplierId, ...productIds],
  );
  for (const r of rows) out.set(r.product_id, n(r.unit_cost_micros)); // later receipts overwrite earlier ones
  return out;
}

// ---- store returns ----

export async function insertStoreReturn(
  m: Db,
  r: { id: string; number: string; companyId: string; storeId: string; warehouseId: string; supplierId: string; transitId: string; blockId: string | null; reason: string; valueCents: number; shippedAt: string; shippedBy: string | null },
  lines: ReadonlyArray<{ productId: string; units: number; unitCostMicros: number | null }>,
): Promise<void> {
  await exec(
    m,
    `INSERT INTO store_return (id, number, company_id, store_id, warehouse_id, supplier_id, transit_id, block_id, status, reason, value_cents, shipped_at, shipped_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'shipped', ?, ?, ?, ?)`,
    [r.id, r.number, r.companyId, r.storeId, r.warehouseId, r.supplierId, r.transitId, r.blockId, r.reason, r.valueCents, r.shippedAt, r.shippedBy],
  );
  await exec(m, `INSERT INTO store_return_line (return_id, line_no, product_id, units, unit_cost_micros) VALUES ${lines.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
    lines.flatMap((l, i) => [r.id, i + 1, l.productId, l.units, l.unitCostMicros]));
}

interface StoreReturnRaw {
  id: string; number: string; company_id: string; store_id: string; store_name: string; warehouse_id: string; warehouse_name: string; supplier_id: string; supplier_name: string;
  transit_id: string; block_id: string | null; status: 'shipped' | 'received'; reason: string; value_cents: unknown; shipped_at: string; received_at: string | null;
}
const STORE_RETURN_SELECT = `SELECT r.id, r.number, r.company_id, r.store_id, s.name AS store_name, r.warehouse_id, w.name AS warehouse_name, r.supplier_id, sp.name AS supplier_name,
    r.transit_id, r.block_id, r.status, r.reason, r.value_cents, r.shipped_at, r.received_at
  FROM store_return r JOIN store s ON s.id = r.store_id JOIN warehouse w ON w.id = r.warehouse_id JOIN supplier sp ON sp.id = r.supplier_id`;
const toStoreReturn = (r: StoreReturnRaw) => ({
  id: r.id, number: r.number, companyId: r.company_id, storeId: r.store_id, storeName: r.store_name, warehouseId: r.warehouse_id, warehouseName: r.warehouse_name,
  supplierId: r.supplier_id, supplierName: r.supplier_name, transitId: r.transit_id, blockId: r.block_id, status: r.status, reason: r.reason, valueCents: n(r.value_cents),
  shippedAt: r.shipped_at, receivedAt: r.received_at,
});
export type StoreReturnRow = ReturnType<typeof toStoreReturn>;

export async function storeReturnById(m: Db, id: string): Promise<StoreReturnRow | undefined> {
  const r = await one<StoreReturnRaw>(m, `${STORE_RETURN_SELECT} WHERE r.id = ?`, [id]);
  return r ? toStoreReturn(r) : undefined;
}
export async function listStoreReturns(m: Db, stores: readonly string[] | null, q: { supplierId?: string | undefined; status?: string | undefined; limit: number }): Promise<StoreReturnRow[]> {
  const where: string[] = [];
  const p: unknown[] = [];
  if (stores !== null) {
    if (stores.length === 0) return [];
    where.push(`r.store_id IN (${inList(stores.length)})`);
    p.push(...stores);
  }
  if (q.supplierId) {
    where.push('r.supplier_id = ?');
    p.push(q.supplierId);
  }
  if (q.status) {
    where.push('r.status = ?');
    p.push(q.status);
  }
  return (await all<StoreReturnRaw>(m, `${STORE_RETURN_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY r.shipped_at DESC, r.id DESC LIMIT ${q.limit}`, p)).map(toStoreReturn);
}
export async function storeReturnLines(m: Db, id: string): Promise<Array<ReturnLine & { returnedUnits: number }>> {
  const rows = await all<{ line_no: unknown; product_id: string; sku: string; name: string; units: unknown; unit_cost_micros: unknown; returned_units: unknown }>(
    m, `SELECT l.line_no, l.product_id, p.sku, p.name, l.units, l.unit_cost_micros, l.returned_units FROM store_return_line l JOIN product p ON p.id = l.product_id WHERE l.return_id = ? ORDER BY l.line_no`, [id],
  );
  return rows.map((r) => ({
    lineNo: n(r.line_no), productId: r.product_id, sku: r.sku, name: r.name, units: n(r.units), unitCostMicros: nn(r.unit_cost_micros),
    valueCents: valueCents(n(r.units), nn(r.unit_cost_micros) ?? 0), returnedUnits: n(r.returned_units),
  }));
}
export async function markStoreReturnReceived(m: Db, id: string, at: string, by: string | null): Promise<boolean> {
  const r = await updated<{ id: string }>(m, `UPDATE store_return SET status = 'received', received_at = ?, received_by = ? WHERE id = ? AND status = 'shipped' RETURNING id`, [at, by, id]);
  return r.length === 1;
}
export async function addReturnedUnits(m: Db, storeReturnId: string, productId: string, units: number): Promise<void> {
  await exec(m, 'UPDATE store_return_line SET returned_units = returned_units + ? WHERE return_id = ? AND product_id = ?', [units, storeReturnId, productId]);
}

// ---- supplier returns ----

export async function insertSupplierReturn(
  m: Db,
  r: { id: string; number: string; companyId: string; warehouseId: string; supplierId: string; reason: string; expectedCreditCents: number; postedAt: string; postedBy: string | null },
  lines: ReadonlyArray<{ productId: string; units: number; unitCostMicros: number; expectedCents: number; storeReturnId: string | null }>,
): Promise<void> {
  await exec(
    m,
    `INSERT INTO supplier_return (id, number, company_id, warehouse_id, supplier_id, status, reason, expected_credit_cents, posted_at, posted_by) VALUES (?, ?, ?, ?, ?, 'posted', ?, ?, ?, ?)`,
    [r.id, r.number, r.companyId, r.warehouseId, r.supplierId, r.reason, r.expectedCreditCents, r.postedAt, r.postedBy],
  );
  await exec(m, `INSERT INTO supplier_return_line (return_id, line_no, product_id, units, unit_cost_micros, expected_cents, store_return_id) VALUES ${lines.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    lines.flatMap((l, i) => [r.id, i + 1, l.productId, l.units, l.unitCostMicros, l.expectedCents, l.storeReturnId]));
}

interface SupplierReturnRaw {
  id: string; number: string; company_id: string; warehouse_id: string; warehouse_name: string; supplier_id: string; supplier_name: string; status: 'posted' | 'credited'; reason: string;
  expected_credit_cents: unknown; posted_at: string; credit_number: string | null; credit_date: string | null; credit_cents: unknown; difference_cents: unknown; credit_note: string | null; credited_at: string | null;
}
const SUPPLIER_RETURN_SELECT = `SELECT r.id, r.number, r.company_id, r.warehouse_id, w.name AS warehouse_name, r.supplier_id, sp.name AS supplier_name, r.status, r.reason,
    r.expected_credit_cents, r.posted_at, r.credit_number, r.credit_date, r.credit_cents, r.difference_cents, r.credit_note, r.credited_at
  FROM supplier_return r JOIN warehouse w ON w.id = r.warehouse_id JOIN supplier sp ON sp.id = r.supplier_id`;
const toSupplierReturn = (r: SupplierReturnRaw) => ({
  id: r.id, number: r.number, companyId: r.company_id, warehouseId: r.warehouse_id, warehouseName: r.warehouse_name, supplierId: r.supplier_id, supplierName: r.supplier_name,
  status: r.status, reason: r.reason, expectedCreditCents: n(r.expected_credit_cents), postedAt: r.posted_at,
  credit: r.credit_number === null ? null : {
    number: r.credit_number, date: r.credit_date ?? '', amountCents: n(r.credit_cents), differenceCents: n(r.difference_cents), matched: n(r.difference_cents) === 0, note: r.credit_note, at: r.credited_at ?? '',
  },
});
export type SupplierReturnRow = ReturnType<typeof toSupplierReturn>;

export async function supplierReturnById(m: Db, id: string): Promise<SupplierReturnRow | undefined> {
  const r = await one<SupplierReturnRaw>(m, `${SUPPLIER_RETURN_SELECT} WHERE r.id = ?`, [id]);
  return r ? toSupplierReturn(r) : undefined;
}
export async function listSupplierReturns(m: Db, companies: readonly string[] | null, q: { supplierId?: string | undefined; status?: string | undefined; limit: number }): Promise<SupplierReturnRow[]> {
  const where: string[] = [];
  const p: unknown[] = [];
  if (companies !== null) {
    if (companies.length === 0) return [];
    where.push(`r.company_id IN (${inList(companies.length)})`);
    p.push(...companies);
  }
  if (q.supplierId) {
    where.push('r.supplier_id = ?');
    p.push(q.supplierId);
  }
  if (q.status) {
    where.push('r.status = ?');
    p.push(q.status);
  }
  return (await all<SupplierReturnRaw>(m, `${SUPPLIER_RETURN_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY r.posted_at DESC, r.id DESC LIMIT ${q.limit}`, p)).map(toSupplierReturn);
}
export async function supplierReturnLines(m: Db, id: string): Promise<Array<ReturnLine & { storeReturnId: string | null }>> {
  const rows = await all<{ line_no: unknown; product_id: string; sku: string; name: string; units: unknown; unit_cost_micros: unknown; expected_cents: unknown; store_return_id: string | null }>(
    m, `SELECT l.line_no, l.product_id, p.sku, p.name, l.units, l.unit_cost_micros, l.expected_cents, l.store_return_id FROM supplier_return_line l JOIN product p ON p.id = l.product_id WHERE l.return_id = ? ORDER BY l.line_no`, [id],
  );
  return rows.map((r) => ({ lineNo: n(r.line_no), productId: r.product_id, sku: r.sku, name: r.name, units: n(r.units), unitCostMicros: nn(r.unit_cost_micros), valueCents: n(r.expected_cents), storeReturnId: r.store_return_id }));
}
export async function creditByNumber(m: Db, supplierId: string, creditNumber: string): Promise<string | undefined> {
  return (await one<{ id: string }>(m, 'SELECT id FROM supplier_return WHERE supplier_id = ? AND credit_number = ?', [supplierId, creditNumber]))?.id;
}
export async function recordCredit(m: Db, id: string, c: { number: string; date: string; amountCents: number; differenceCents: number; note: string | null; at: string; by: string | null }): Promise<boolean> {
  const r = await updated<{ id: string }>(
    m,
    `UPDATE supplier_return SET status = 'credited', credit_number = ?, credit_date = ?, credit_cents = ?, difference_cents = ?, credit_note = ?, credited_at = ?, credited_by = ?
      WHERE id = ? AND status = 'posted' RETURNING id`,
    [c.number, c.date, c.amountCents, c.differenceCents, c.note, c.at, c.by, id],
  );
  return r.length === 1;
}

/**
 * Per supplier, the returns posted to it in [from, to] (posting day, inclusive; either open): how many,
 * units, the credit expected, what the credit notes brought, how many still await their credit note, and
 * Σ (credited − expected) over the credited ones. The supplier rating of the quality figures reads it.
 */
export async function supplierReturnFigures(m: Db, q: { from?: string | undefined; to?: string | undefined; supplierIds?: readonly string[] } = {}) {
  const where: string[] = [];
  const p: unknown[] = [];
  if (q.from) {
    where.push('r.posted_at >= ?');
    p.push(q.from);
  }
  if (q.to) {
    where.push('r.posted_at < ?');
    p.push(`${q.to}T99`);
  }
  if (q.supplierIds) {
    if (q.supplierIds.length === 0) return [];
    where.push(`r.supplier_id IN (${inList(q.supplierIds.length)})`);
    p.push(...q.supplierIds);
  }
  const rows = await all<{ supplier_id: string; name: string; returns: unknown; units: unknown; expected: unknown; credited: unknown; awaiting: unknown; diff: unknown }>(
    m,
    `SELECT r.supplier_id, sp.name, COUNT(*) AS returns,
        SUM((SELECT SUM(l.units) FROM supplier_return_line l WHERE l.return_id = r.id)) AS units,
        SUM(r.expected_credit_cents) AS expected,
        COALESCE(SUM(r.credit_cents), 0) AS credited,
        SUM(CASE WHEN r.status = 'posted' THEN 1 ELSE 0 END) AS awaiting,
        COALESCE(SUM(r.difference_cents), 0) AS diff
       FROM supplier_return r JOIN supplier sp ON sp.id = r.supplier_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      GROUP BY r.supplier_id, sp.name ORDER BY sp.name`,
    p,
  );
  return rows.map((r) => ({
    supplierId: r.supplier_id, supplierName: r.name, returns: n(r.returns), units: n(r.units), expectedCents: n(r.expected), creditedCents: n(r.credited), awaitingCredit: n(r.awaiting), differenceCents: n(r.diff),
  }));
}
