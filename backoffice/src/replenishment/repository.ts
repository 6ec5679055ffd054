/**
 * All SQL of the replenishment module: wholesale prices, replenishment orders (PR) with their lines and
 * changes, delivery notes (AL) with their lines. Scope arrives as the store ids a caller may see (null:
 * franchise-wide) and is applied in SQL.
 */
import { all, exec, inList, isPostgres, num, bool, one, bind, type Db } from '../persistence/sql';

export type Scope = readonly string[] | null;

/** `AND <col> IN (…)` for a store scope (nothing for franchise-wide; no rows for an empty scope). */
function scoped(col: string, scope: Scope): { sql: string; params: string[] } {
  if (scope === null) return { sql: '', params: [] };
  if (scope.length === 0) return { sql: ' AND 1 = 0', params: [] };
  return { sql: ` AND ${col} IN (${inList(scope.length)})`, params: [...scope] };
}

/** Rows an `UPDATE … RETURNING` changed (TypeORM's pg driver answers `[rows, count]` for UPDATE). */
export async function updateReturning(m: Db, sql: string, params: readonly unknown[]): Promise<number> {
  const [text, values] = bind(m, `${sql} RETURNING 1 AS x`, params);
  const res = (await m.query(text, values)) as unknown;
  if (isPostgres(m) && Array.isArray(res) && res.length === 2 && Array.isArray(res[0])) return (res[0] as unknown[]).length;
  return Array.isArray(res) ? res.length : 0;
}

const like = (q: string) => `%${q.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;

// ─── products and places ───

export interface ProductRef {
  id: string;
  sku: string;
  name: string;
  weighed: boolean;
  taxRateBp: number;
  active: boolean;
}

export async function productsByIds(m: Db, ids: readonly string[]): Promise<Map<string, ProductRef>> {
  const out = new Map<string, ProductRef>();
  const uniq = [...new Set(ids)];
  for (let i = 0; i < uniq.length; i += 400) {
    const c = uniq.slice(i, i + 400);
    const rows = await all<{ id: string; sku: string; name: string; weighed: unknown; tax_rate_bp: unknown; active: unknown }>(
      m,
      `SELECT id, sku, name, weighed, tax_rate_bp, active FROM product WHERE id IN (${inList(c.length)})`,
      c,
    );
    for (const r of rows) out.set(r.id, { id: r.id, sku: r.sku, name: r.name, weighed: bool(r.weighed), taxRateBp: Number(r.tax_rate_bp), active: bool(r.active) });
  }
  return out;
}

export interface StoreRef {
  id: string;
  code: string;
  name: string;
  companyId: string;
}
export const storeRef = (m: Db, id: string) =>
  one<StoreRef>(m, 'SELECT id, code, name, company_id AS "companyId" FROM store WHERE id = ?', [id]);

/** The franchisor's first active warehouse (by code): where replenishment orders are served from. */
export const defaultWarehouseId = async (m: Db) =>
  (
    await one<{ id: string }>(
      m,
      `SELECT w.id FROM warehouse w JOIN company c ON c.id = w.company_id WHERE c.kind = 'franchisor' AND w.archived_at IS NULL ORDER BY w.code LIMIT 1`,
    )
  )?.id ?? null;

export const warehouseRef = (m: Db, id: string) =>
  one<{ id: string; code: string; name: string; companyId: string }>(m, 'SELECT id, code, name, company_id AS "companyId" FROM warehouse WHERE id = ?', [id]);

export const companyName = async (m: Db, id: string) => (await one<{ n: string }>(m, 'SELECT legal_name AS n FROM company WHERE id = ?', [id]))?.n ?? id;

// ─── wholesale prices ───

export interface WholesaleFilter {
  q?: string | undefined;
  missing?: boolean | undefined;
}
const WHOLESALE_SORT = { sku: 'p.sku', name: 'p.name', priceCents: 'w.price_cents' } as const;
export type WholesaleSort = keyof typeof WHOLESALE_SORT;

export async function listWholesalePrices(m: Db, f: WholesaleFilter, sort: WholesaleSort, dir: 'asc' | 'desc', limit: number, offset: number) {
  const where: string[] = ['p.active = ?'];
  const params: unknown[] = [true];
  if (f.q) {
    where.push(`(LOWER(p.sku) LIKE ? ESCAPE '\\' OR LOWER(p.name) LIKE ? ESCAPE '\\')`);
    params.push(like(f.q), like(f.q));
  }
  if (f.missing === true) where.push('w.product_id IS NULL');
  if (f.missing === false) where.push('w.product_id IS NOT NULL');
  const from = `FROM product p LEFT JOIN wholesale_price w ON w.product_id = p.id WHERE ${where.join(' AND ')}`;
  const total = Number((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n ${from}`, params))!.n);
  const rows = await all<{ id: string; sku: string; name: string; weighed: unknown; tax_rate_bp: unknown; cost_cents: unknown; price_cents: unknown; updated_at: string | null }>(
    m,
    `SELECT p.id, p.sku, p.name, p.weighed, p.tax_rate_bp, p.cost_cents, w.price_cents, w.updated_at ${from}
     ORDER BY ${WHOLESALE_SORT[sort]} ${dir === 'desc' ? 'DESC' : 'ASC'}, p.id LIMIT ? OFFSET ?`,
    [...params, limit, offset],
  );
  return {
    total,
    rows: rows.map((r) => ({
      productId: r.id, sku: r.sku, name: r.name, weighed: bool(r.weighed), taxRateBp: Number(r.tax_rate_bp),
      costCents: num(r.cost_cents), priceCents: num(r.price_cents), updatedAt: r.updated_at,
    })),
  };
}

export async function wholesalePrices(m: Db, productIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const uniq = [...new Set(productIds)];
  for (let i = 0; i < uniq.length; i += 400) {
    const c = uniq.slice(i, i + 400);
    for (const r of await all<{ product_id: string; price_cents: unknown }>(m, `SELECT product_id, price_cents FROM wholesale_price WHERE product_id IN (${inList(c.length)})`, c)) {
      out.set(r.product_id, Number(r.price_cents));
    }
  }
  return out;
}

export const setWholesalePrice = (m: Db, productId: string, priceCents: number, at: string, by: string | null) =>
  exec(
    m,
    `INSERT INTO wholesale_price (product_id, price_cents, updated_at, updated_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (product_id) DO UPDATE SET price_cents = excluded.price_cents, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    [productId, priceCents, at, by],
  );
export const deleteWholesalePrice = (m: Db, productId: string) => exec(m, 'DELETE FROM wholesale_price WHERE product_id = ?', [productId]);

// ─── replenishment orders ───

export interface OrderRow {
  id: string;
  number: string;
  status: string;
  source: string;
  companyId: string;
  storeId: string;
  storeCode: string;
  storeName: string;
  warehouseId: string;
  note: string | null;
  createdAt: string;
  createdBy: string | null;
  approvedAt: string | null;
  approvedBy: string | null;
  shippedAt: string | null;
  deliveryNoteId: string | null;
  lines: number;
}

const ORDER_COLUMNS = `o.id, o.number, o.status, o.source, o.company_id AS "companyId", o.store_id AS "storeId", s.code AS "storeCode", s.name AS "storeName",
  o.warehouse_id AS "warehouseId", o.note, o.created_at AS "createdAt", o.created_by AS "createdBy", o.approved_at AS "approvedAt", o.approved_by AS "approvedBy",
  o.shipped_at AS "shippedAt", o.delivery_note_id AS "deliveryNoteId", (SELECT COUNT(*) FROM replenishment_order_line l WHERE l.order_id = o.id) AS lines`;
const orderOf = (r: OrderRow): OrderRow => ({ ...r, lines: Number(r.lines) });

export async function insertOrder(
  m: Db,
  o: { id: string; number: string; companyId: string; storeId: string; warehouseId: string; source: string; note: string | null; proposalId: string | null; at: string; by: string | null },
  lines: ReadonlyArray<{ productId: string; quantity: number }>,
): Promise<void> {
  await exec(
    m,
    `INSERT INTO replenishment_order (id, number, company_id, store_id, warehouse_id, status, source, note, proposal_id, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, 'registered', ?, ?, ?, ?, ?)`,
    [o.id, o.number, o.companyId, o.storeId, o.warehouseId, o.source, o.note, o.proposalId, o.at, o.by],
  );
  for (let i = 0; i < lines.length; i += 200) {
    const c = lines.slice(i, i + 200);
    await exec(
      m,
      `INSERT INTO replenishment_order_line (order_id, line_no, product_id, requested, approved, picked) VALUES ${c.map(() => '(?, ?, ?, ?, ?, NULL)').join(', ')}`,
      c.flatMap((l, j) => [o.id, i + j + 1, l.productId, l.quantity, l.quantity]),
    );
  }
}

export async function orderById(m: Db, id: string): Promise<OrderRow | undefined> {
  const r = await one<OrderRow>(m, `SELECT ${ORDER_COLUMNS} FROM replenishment_order o JOIN store s ON s.id = o.store_id WHERE o.id = ?`, [id]);
  return r && orderOf(r);
}

export interface OrderFilter {
  q?: string | undefined;
  status?: string | undefined;
  storeId?: string | undefined;
}
const ORDER_SORT = { number: 'o.number', createdAt: 'o.created_at', status: 'o.status', store: 's.code' } as const;
export type OrderSort = keyof typeof ORDER_SORT;

export async function listOrders(m: Db, scope: Scope, f: OrderFilter, sort: OrderSort, dir: 'asc' | 'desc', limit: number, offset: number) {
  const s = scoped('o.store_id', scope);
  let where = `WHERE 1 = 1${s.sql}`;
  const params: unknown[] = [...s.params];
  if (f.status) {
    where += ' AND o.status = ?';
    params.push(f.status);
  }
  if (f.storeId) {
    where += ' AND o.store_id = ?';
    params.push(f.storeId);
  }
  if (f.q) {
    where += ` AND (LOWER(o.number) LIKE ? ESCAPE '\\' OR LOWER(s.name) LIKE ? ESCAPE '\\')`;
    params.push(like(f.q), like(f.q));
  }
  const from = `FROM replenishment_order o JOIN store s ON s.id = o.store_id ${where}`;
  const total = Number((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n ${from}`, params))!.n);
  const rows = await all<OrderRow>(m, `SELECT ${ORDER_COLUMNS} ${from} ORDER BY ${ORDER_SORT[sort]} ${dir === 'desc' ? 'DESC' : 'ASC'}, o.id LIMIT ? OFFSET ?`, [...params, limit, offset]);
  return { total, rows: rows.map(orderOf) };
}

export interface OrderLineRow {
  lineNo: number;
  productId: string;
  sku: string;
  name: string;
  weighed: boolean;
  requested: number;
  approved: number;
  picked: number | null;
}
export async function orderLines(m: Db, orderId: string): Promise<OrderLineRow[]> {
  const rows = await all<{ line_no: unknown; product_id: string; sku: string; name: string; weighed: unknown; requested: unknown; approved: unknown; picked: unknown }>(
    m,
    `SELECT l.line_no, l.product_id, p.sku, p.name, p.weighed, l.requested, l.approved, l.picked
     FROM replenishment_order_line l JOIN product p ON p.id = l.product_id WHERE l.order_id = ? ORDER BY l.line_no`,
    [orderId],
  );
  return rows.map((r) => ({
    lineNo: Number(r.line_no), productId: r.product_id, sku: r.sku, name: r.name, weighed: bool(r.weighed),
    requested: Number(r.requested), approved: Number(r.approved), picked: num(r.picked),
  }));
}

export const setLineQuantity = (m: Db, orderId: string, productId: string, field: 'approved' | 'picked', quantity: number) =>
  exec(m, `UPDATE replenishment_order_line SET ${field} = ? WHERE order_id = ? AND product_id = ?`, [quantity, orderId, productId]);

export const insertOrderChange = (m: Db, c: { id: string; orderId: string; productId: string; field: string; from: number | null; to: number; at: string; by: string | null }) =>
  exec(m, 'INSERT INTO replenishment_order_change (id, order_id, product_id, field, from_qty, to_qty, at, by_email) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
    c.id, c.orderId, c.productId, c.field, c.from, c.to, c.at, c.by,
  ]);

export async function orderChanges(m: Db, orderId: string) {
  const rows = await all<{ product_id: string; field: string; from_qty: unknown; to_qty: unknown; at: string; by_email: string | null }>(
    m,
    'SELECT product_id, field, from_qty, to_qty, at, by_email FROM replenishment_order_change WHERE order_id = ? ORDER BY at, id',
    [orderId],
  );
  return rows.map((r) => ({ productId: r.product_id, field: r.field, from: num(r.from_qty), to: Number(r.to_qty), at: r.at, by: r.by_email }));
}

/** Moves an order between states; 0 when it was not in one of `from` (another request got there first). */
export function transitionOrder(m: Db, id: string, from: readonly string[], to: string, set: Record<string, string | null> = {}): Promise<number> {
  const cols = Object.keys(set);
  return updateReturning(
    m,
    `UPDATE replenishment_order SET status = ?${cols.map((c) => `, ${c} = ?`).join('')} WHERE id = ? AND status IN (${inList(from.length)})`,
    [to, ...cols.map((c) => set[c]), id, ...from],
  );
}

// ─── delivery notes ───

export interface NoteRow {
  id: string;
  number: string;
  status: string;
  orderId: string;
  orderNumber: string;
  storeId: string;
  storeCode: string;
  storeName: string;
  fromCompanyId: string;
  toCompanyId: string;
  warehouseId: string;
  transitLocationId: string;
  shippedAt: string;
  receivedAt: string | null;
  closedAt: string | null;
}
const NOTE_COLUMNS = `n.id, n.number, n.status, n.order_id AS "orderId", o.number AS "orderNumber", n.store_id AS "storeId", s.code AS "storeCode", s.name AS "storeName",
  n.from_company_id AS "fromCompanyId", n.to_company_id AS "toCompanyId", n.warehouse_id AS "warehouseId", n.transit_location_id AS "transitLocationId",
  n.shipped_at AS "shippedAt", n.received_at AS "receivedAt", n.closed_at AS "closedAt"`;
const NOTE_FROM = 'FROM delivery_note n JOIN replenishment_order o ON o.id = n.order_id JOIN store s ON s.id = n.store_id';

export const insertNote = (
  m: Db,
  n: { id: string; number: string; orderId: string; fromCompanyId: string; toCompanyId: string; storeId: string; warehouseId: string; transitLocationId: string; at: string; by: string | null },
) =>
  exec(
    m,
    `INSERT INTO delivery_note (id, number, order_id, from_company_id, to_company_id, store_id, warehouse_id, transit_location_id, status, shipped_at, shipped_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'shipped', ?, ?)`,
    [n.id, n.number, n.orderId, n.fromCompanyId, n.toCompanyId, n.storeId, n.warehouseId, n.transitLocationId, n.at, n.by],
  );

export async function insertNoteLines(
  m: Db,
  noteId: string,
  lines: ReadonlyArray<{ lineNo: number; productId: string; shipped: number; received?: number | null; damaged?: number | null; unitPriceCents: number; taxRateBp: number; unitCostMicros: number | null; note?: string | null }>,
) {
  for (let i = 0; i < lines.length; i += 200) {
    const c = lines.slice(i, i + 200);
    await exec(
      m,
      `INSERT INTO delivery_note_line (note_id, line_no, product_id, shipped, received, damaged, unit_price_cents, tax_rate_bp, unit_cost_micros, note)
       VALUES ${c.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      c.flatMap((l) => [noteId, l.lineNo, l.productId, l.shipped, l.received ?? null, l.damaged ?? null, l.unitPriceCents, l.taxRateBp, l.unitCostMicros, l.note ?? null]),
    );
  }
}

export const setNoteLineReceipt = (m: Db, noteId: string, lineNo: number, received: number, damaged: number, note: string | null) =>
  exec(m, 'UPDATE delivery_note_line SET received = ?, damaged = ?, note = ? WHERE note_id = ? AND line_no = ?', [received, damaged, note, noteId, lineNo]);

export async function noteById(m: Db, id: string): Promise<NoteRow | undefined> {
  return one<NoteRow>(m, `SELECT ${NOTE_COLUMNS} ${NOTE_FROM} WHERE n.id = ?`, [id]);
}

export interface NoteLineRow {
  lineNo: number;
  productId: string;
  sku: string;
  name: string;
  weighed: boolean;
  shipped: number;
  received: number | null;
  damaged: number | null;
  unitPriceCents: number;
  taxRateBp: number;
  note: string | null;
}
export async function noteLines(m: Db, noteId: string): Promise<NoteLineRow[]> {
  const rows = await all<{ line_no: unknown; product_id: string; sku: string; name: string; weighed: unknown; shipped: unknown; received: unknown; damaged: unknown; unit_price_cents: unknown; tax_rate_bp: unknown; note: string | null }>(
    m,
    `SELECT l.line_no, l.product_id, p.sku, p.name, p.weighed, l.shipped, l.received, l.damaged, l.unit_price_cents, l.tax_rate_bp, l.note
     FROM delivery_note_line l JOIN product p ON p.id = l.product_id WHERE l.note_id = ? ORDER BY l.line_no`,
    [noteId],
  );
  return rows.map((r) => ({
    lineNo: Number(r.line_no), productId: r.product_id, sku: r.sku, name: r.name, weighed: bool(r.weighed), shipped: Number(r.shipped),
    received: num(r.received), damaged: num(r.damaged), unitPriceCents: Number(r.unit_price_cents), taxRateBp: Number(r.tax_rate_bp), note: r.note,
  }));
}

const NOTE_SORT = { number: 'n.number', shippedAt: 'n.shipped_at', status: 'n.status', store: 's.code' } as const;
export type NoteSort = keyof typeof NOTE_SORT;

export async function listNotes(m: Db, scope: Scope, f: OrderFilter, sort: NoteSort, dir: 'asc' | 'desc', limit: number, offset: number) {
  const s = scoped('n.store_id', scope);
  let where = `WHERE 1 = 1${s.sql}`;
  const params: unknown[] = [...s.params];
  if (f.status) {
    where += ' AND n.status = ?';
    params.push(f.status);
  }
  if (f.storeId) {
    where += ' AND n.store_id = ?';
    params.push(f.storeId);
  }
  if (f.q) {
    where += ` AND (LOWER(n.number) LIKE ? ESCAPE '\\' OR LOWER(s.name) LIKE ? ESCAPE '\\')`;
    params.push(like(f.q), like(f.q));
  }
  const total = Number((await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n ${NOTE_FROM} ${where}`, params))!.n);
  const rows = await all<NoteRow>(m, `SELECT ${NOTE_COLUMNS} ${NOTE_FROM} ${where} ORDER BY ${NOTE_SORT[sort]} ${dir === 'desc' ? 'DESC' : 'ASC'}, n.id LIMIT ? OFFSET ?`, [...params, limit, offset]);
  return { total, rows };
}

export function transitionNote(m: Db, id: string, from: string, to: string, set: Record<string, string | null>): Promise<number> {
  const cols = Object.keys(set);
  return updateReturning(m, `UPDATE delivery_note SET status = ?${cols.map((c) => `, ${c} = ?`).join('')} WHERE id = ? AND status = ?`, [to, ...cols.map((c) => set[c]), id, from]);
}

/** What a transit location still holds, per product. */
export async function transitHolding(m: Db, locationId: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const r of await all<{ product_id: string; quantity: unknown }>(m, 'SELECT product_id, quantity FROM stock_level WHERE location_id = ?', [locationId])) {
    if (Number(r.quantity) !== 0) out.set(r.product_id, Number(r.quantity));
  }
  return out;
}
