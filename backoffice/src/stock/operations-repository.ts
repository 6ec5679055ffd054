/**
 * All SQL of the stock documents (transfers, counts, adjustments): their headers and lines, the products a
 * count covers, what a scanned code is, and the movements a location had since a moment. Use cases pass
 * their transaction's manager; nothing here checks scope.
 */
import { all, bool, exec, inList, num, one, type Db } from '../persistence/sql';

export interface ProductInfo {
  id: string;
  sku: string;
  name: string;
  weighed: boolean;
}

const CHUNK = 400;

/** How many rows an `UPDATE … RETURNING id` changed (TypeORM's pg driver answers `[rows, count]` for UPDATE). */
async function updatedRows(m: Db, sql: string, params: readonly unknown[]): Promise<number> {
  const res: unknown = await all<unknown>(m, sql, params);
  if (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number') return res[0].length;
  return Array.isArray(res) ? res.length : 0;
}
async function chunked<T>(ids: readonly string[], fn: (c: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  const uniq = [...new Set(ids)];
  for (let i = 0; i < uniq.length; i += CHUNK) out.push(...(await fn(uniq.slice(i, i + CHUNK))));
  return out;
}

export async function productsById(m: Db, ids: readonly string[]): Promise<Map<string, ProductInfo>> {
  const rows = await chunked(ids, (c) =>
    all<{ id: string; sku: string; name: string; weighed: unknown }>(m, `SELECT id, sku, name, weighed FROM product WHERE id IN (${inList(c.length)})`, c),
  );
  return new Map(rows.map((r) => [r.id, { id: r.id, sku: r.sku, name: r.name, weighed: bool(r.weighed) }]));
}

/** Active products, all of them or those of a category and its sub-categories, by SKU. */
export async function productsInScope(m: Db, categoryId: string | null): Promise<string[]> {
  const rows = categoryId === null
    ? await all<{ id: string }>(m, `SELECT id FROM product WHERE active = ? ORDER BY sku`, [true])
    : await all<{ id: string }>(
        m,
        `WITH RECURSIVE tree (id) AS (SELECT id FROM category WHERE id = ? UNION ALL SELECT c.id FROM category c JOIN tree t ON c.parent_id = t.id)
         SELECT p.id FROM product p WHERE p.active = ? AND p.category_id IN (SELECT id FROM tree) ORDER BY p.sku`,
        [categoryId, true],
      );
  return rows.map((r) => r.id);
}

export async function categoryExists(m: Db, id: string): Promise<boolean> {
  return (await one(m, 'SELECT id FROM category WHERE id = ?', [id])) !== undefined;
}

/** A scanned code: a unit barcode (1), a pack barcode (its units), else a SKU (1). */
export async function productOfCode(m: Db, code: string): Promise<{ productId: string; units: number } | null> {
  const unit = await one<{ product_id: string }>(m, 'SELECT product_id FROM product_barcode WHERE barcode = ?', [code]);
  if (unit) return { productId: unit.product_id, units: 1 };
  const pack = await one<{ product_id: string; units: unknown }>(m, 'SELECT product_id, units FROM product_pack WHERE barcode = ?', [code]);
  if (pack) return { productId: pack.product_id, units: Number(pack.units) };
  const sku = await one<{ id: string }>(m, 'SELECT id FROM product WHERE sku = ?', [code]);
  return sku ? { productId: sku.id, units: 1 } : null;
}

/** Σ delta per product of the movements at a location from `since` on (what happened while it was counted). */
export async function movedSince(m: Db, locationId: string, since: string, productIds: readonly string[], exceptDocumentId: string): Promise<Map<string, number>> {
  const rows = await chunked(productIds, (c) =>
    all<{ product_id: string; d: unknown }>(
      m,
      `SELECT product_id, SUM(delta) AS d FROM stock_movement
        WHERE location_id = ? AND at >= ? AND product_id IN (${inList(c.length)}) AND (document_id IS NULL OR document_id <> ?)
        GROUP BY product_id`,
      [locationId, since, ...c, exceptDocumentId],
    ),
  );
  return new Map(rows.map((r) => [r.product_id, Number(r.d)]));
}

/** The scope filter of a list: every location (null), or these location ids / companies. */
export interface LocationFilter {
  companyIds: string[] | null;
  locationIds: string[] | null;
}
const visibleSql = (col: string, f: LocationFilter | null): { sql: string; params: unknown[] } => {
  if (f === null) return { sql: '1 = 1', params: [] };
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.locationIds?.length) {
    parts.push(`${col} IN (${inList(f.locationIds.length)})`);
    params.push(...f.locationIds);
  }
  if (f.companyIds?.length) {
    parts.push(`${col} IN (SELECT id FROM stock_location WHERE company_id IN (${inList(f.companyIds.length)}))`);
    params.push(...f.companyIds);
  }
  return parts.length ? { sql: `(${parts.join(' OR ')})`, params } : { sql: '1 = 0', params: [] };
};

// ── transfers ──
export interface TransferRow {
  id: string;
  number: string;
  companyId: string;
  fromLocationId: string;
  fromName: string;
  toLocationId: string;
  toName: string;
  transitLocationId: string | null;
  status: 'draft' | 'shipped' | 'received' | 'closed' | 'cancelled';
  note: string | null;
  createdAt: string;
  shippedAt: string | null;
  receivedAt: string | null;
  closedAt: string | null;
  lineCount: number;
}
export interface TransferLineRow {
  lineNo: number;
  productId: string;
  quantity: number;
  received: number | null;
}
const TRANSFER_SELECT = `SELECT t.id, t.number, t.company_id, t.from_location_id, f.name AS from_name, t.to_location_id, d.name AS to_name, t.transit_location_id,
    t.status, t.note, t.created_at, t.shipped_at, t.received_at, t.closed_at,
    (SELECT COUNT(*) FROM stock_transfer_line l WHERE l.transfer_id = t.id) AS line_count
  FROM stock_transfer t JOIN stock_location f ON f.id = t.from_location_id JOIN stock_location d ON d.id = t.to_location_id`;
const transferOf = (r: Record<string, unknown>): TransferRow => ({
  id: String(r.id), number: String(r.number), companyId: String(r.company_id), fromLocationId: String(r.from_location_id), fromName: String(r.from_name),
  toLocationId: String(r.to_location_id), toName: String(r.to_name), transitLocationId: (r.transit_location_id as string | null) ?? null,
  status: r.status as TransferRow['status'], note: (r.note as string | null) ?? null, createdAt: String(r.created_at),
  shippedAt: (r.shipped_at as string | null) ?? null, receivedAt: (r.received_at as string | null) ?? null, closedAt: (r.closed_at as string | null) ?? null,
  lineCount: Number(r.line_count),
});

export async function transferById(m: Db, id: string): Promise<TransferRow | null> {
  const r = await one<Record<string, unknown>>(m, `${TRANSFER_SELECT} WHERE t.id = ?`, [id]);
  return r ? transferOf(r) : null;
}
export async function transferLines(m: Db, id: string): Promise<TransferLineRow[]> {
  const rows = await all<Record<string, unknown>>(m, 'SELECT line_no, product_id, quantity, received FROM stock_transfer_line WHERE transfer_id = ? ORDER BY line_no', [id]);
  return rows.map((r) => ({ lineNo: Number(r.line_no), productId: String(r.product_id), quantity: Number(r.quantity), received: num(r.received) }));
}
export async function listTransfers(m: Db, f: LocationFilter | null, q: { locationId?: string | undefined; status?: string | undefined; limit: number }): Promise<TransferRow[]> {
  const from = visibleSql('t.from_location_id', f);
  const to = visibleSql('t.to_location_id', f);
  const where = [`(${from.sql} OR ${to.sql})`];
  const params: unknown[] = [...from.params, ...to.params];
  if (q.locationId) {
    where.push('(t.from_location_id = ? OR t.to_location_id = ?)');
    params.push(q.locationId, q.locationId);
  }
  if (q.status) {
    where.push('t.status = ?');
    params.push(q.status);
  }
  const rows = await all<Record<string, unknown>>(m, `${TRANSFER_SELECT} WHERE ${where.join(' AND ')} ORDER BY t.created_at DESC, t.id DESC LIMIT ?`, [...params, q.limit]);
  return rows.map(transferOf);
}
export async function insertTransfer(m: Db, t: { id: string; number: string; companyId: string; fromLocationId: string; toLocationId: string; note: string | null; createdBy: string | null; createdAt: string }): Promise<void> {
  await exec(
    m,
    `INSERT INTO stock_transfer (id, number, company_id, from_location_id, to_location_id, transit_location_id, status, note, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, NULL, 'draft', ?, ?, ?)`,
    [t.id, t.number, t.companyId, t.fromLocationId, t.toLocationId, t.note, t.createdBy, t.createdAt],
  );
}
export async function replaceTransferLines(m: Db, id: string, lines: ReadonlyArray<{ productId: string; quantity: number }>): Promise<void> {
  await exec(m, 'DELETE FROM stock_transfer_line WHERE transfer_id = ?', [id]);
  for (let i = 0; i < lines.length; i += CHUNK) {
    const c = lines.slice(i, i + CHUNK);
    await exec(
      m,
      `INSERT INTO stock_transfer_line (transfer_id, line_no, product_id, quantity, received) VALUES ${c.map(() => '(?, ?, ?, ?, NULL)').join(', ')}`,
      c.flatMap((l, j) => [id, i + j + 1, l.productId, l.quantity]),
    );
  }
}
export async function setTransferNote(m: Db, id: string, note: string | null): Promise<void> {
  await exec(m, 'UPDATE stock_transfer SET note = ? WHERE id = ?', [note, id]);
}
/** The status transition that makes a posting happen once: false when another request got there first. */
export async function moveTransfer(m: Db, id: string, from: TransferRow['status'], to: TransferRow['status'], set: { column: 'shipped_at' | 'received_at' | 'closed_at' | null; at: string; transitLocationId?: string }): Promise<boolean> {
  const cols = [`status = ?`, ...(set.column ? [`${set.column} = ?`] : []), ...(set.transitLocationId ? ['transit_location_id = ?'] : [])];
  const params = [to, ...(set.column ? [set.at] : []), ...(set.transitLocationId ? [set.transitLocationId] : [])];
  return (await updatedRows(m, `UPDATE stock_transfer SET ${cols.join(', ')} WHERE id = ? AND status = ? RETURNING id`, [...params, id, from])) === 1;
}
export async function setTransferReceived(m: Db, id: string, received: ReadonlyMap<number, number>): Promise<void> {
  for (const [lineNo, q] of received) await exec(m, 'UPDATE stock_transfer_line SET received = ? WHERE transfer_id = ? AND line_no = ?', [q, id, lineNo]);
}

// ── counts ──
export interface CountRow {
  id: string;
  number: string;
  companyId: string;
  locationId: string;
  locationName: string;
  scope: 'full' | 'category' | 'products';
  categoryId: string | null;
  status: 'counting' | 'recount' | 'submitted' | 'approved' | 'posted' | 'cancelled';
  recountThreshold: number;
  note: string | null;
  startedAt: string;
  submittedAt: string | null;
  approvedAt: string | null;
  postedAt: string | null;
  valueDifferenceCents: number | null;
  lineCount: number;
}
export interface CountLineRow {
  lineNo: number;
  productId: string;
  expected: number;
  counted: number | null;
  firstCounted: number | null;
  recount: boolean;
  postedDelta: number | null;
  unitCostMicros: number | null;
}
const COUNT_SELECT = `SELECT c.id, c.number, c.company_id, c.location_id, l.name AS location_name, c.scope, c.category_id, c.status, c.recount_threshold, c.note,
    c.started_at, c.submitted_at, c.approved_at, c.posted_at, c.value_difference_cents,
    (SELECT COUNT(*) FROM stock_count_line x WHERE x.count_id = c.id) AS line_count
  FROM stock_count c JOIN stock_location l ON l.id = c.location_id`;
const countOf = (r: Record<string, unknown>): CountRow => ({
  id: String(r.id), number: String(r.number), companyId: String(r.company_id), locationId: String(r.location_id), locationName: String(r.location_name),
  scope: r.scope as CountRow['scope'], categoryId: (r.category_id as string | null) ?? null, status: r.status as CountRow['status'],
  recountThreshold: Number(r.recount_threshold), note: (r.note as string | null) ?? null, startedAt: String(r.started_at),
  submittedAt: (r.submitted_at as string | null) ?? null, approvedAt: (r.approved_at as string | null) ?? null, postedAt: (r.posted_at as string | null) ?? null,
  valueDifferenceCents: num(r.value_difference_cents), lineCount: Number(r.line_count),
});
export async function countById(m: Db, id: string): Promise<CountRow | null> {
  const r = await one<Record<string, unknown>>(m, `${COUNT_SELECT} WHERE c.id = ?`, [id]);
  return r ? countOf(r) : null;
}
export async function countLines(m: Db, id: string): Promise<CountLineRow[]> {
  const rows = await all<Record<string, unknown>>(
    m,
    'SELECT line_no, product_id, expected, counted, first_counted, recount, posted_delta, unit_cost_micros FROM stock_count_line WHERE count_id = ? ORDER BY line_no',
    [id],
  );
  return rows.map((r) => ({
    lineNo: Number(r.line_no), productId: String(r.product_id), expected: Number(r.expected), counted: num(r.counted), firstCounted: num(r.first_counted),
    recount: bool(r.recount), postedDelta: num(r.posted_delta), unitCostMicros: num(r.unit_cost_micros),
  }));
}
export async function listCounts(m: Db, f: LocationFilter | null, q: { locationId?: string | undefined; status?: string | undefined; limit: number }): Promise<CountRow[]> {
  const v = visibleSql('c.location_id', f);
  const where = [v.sql];
  const params: unknown[] = [...v.params];
  if (q.locationId) {
    where.push('c.location_id = ?');
    params.push(q.locationId);
  }
  if (q.status) {
    where.push('c.status = ?');
    params.push(q.status);
  }
  const rows = await all<Record<string, unknown>>(m, `${COUNT_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.started_at DESC, c.id DESC LIMIT ?`, [...params, q.limit]);
  return rows.map(countOf);
}
export async function insertCount(
  m: Db,
  c: { id: string; number: string; companyId: string; locationId: string; scope: CountRow['scope']; categoryId: string | null; recountThreshold: number; note: string | null; createdBy: string | null; startedAt: string },
): Promise<void> {
  await exec(
    m,
    `INSERT INTO stock_count (id, number, company_id, location_id, scope, category_id, status, recount_threshold, note, created_by, started_at)
     VALUES (?, ?, ?, ?, ?, ?, 'counting', ?, ?, ?, ?)`,
    [c.id, c.number, c.companyId, c.locationId, c.scope, c.categoryId, c.recountThreshold, c.note, c.createdBy, c.startedAt],
  );
}
/** New lines (expected = on hand now), numbered after the existing ones. */
export async function addCountLines(m: Db, countId: string, firstLineNo: number, lines: ReadonlyArray<{ productId: string; expected: number; counted: number | null }>): Promise<void> {
  for (let i = 0; i < lines.length; i += CHUNK) {
    const c = lines.slice(i, i + CHUNK);
    await exec(
      m,
      `INSERT INTO stock_count_line (count_id, line_no, product_id, expected, counted, first_counted, recount) VALUES ${c.map(() => '(?, ?, ?, ?, ?, NULL, ?)').join(', ')}`,
      c.flatMap((l, j) => [countId, firstLineNo + i + j, l.productId, l.expected, l.counted, false]),
    );
  }
}
export async function setCounted(m: Db, countId: string, lineNo: number, counted: number): Promise<void> {
  await exec(m, 'UPDATE stock_count_line SET counted = ? WHERE count_id = ? AND line_no = ?', [counted, countId, lineNo]);
}
/** Adds scanned units to a line, atomically (two tills scanning the same product both count). */
export async function addCounted(m: Db, countId: string, lineNo: number, units: number): Promise<void> {
  await exec(m, 'UPDATE stock_count_line SET counted = COALESCE(counted, 0) + ? WHERE count_id = ? AND line_no = ?', [units, countId, lineNo]);
}
/** Lines to count again: their first count kept, the counted quantity cleared (the recount is blind too). */
export async function askRecount(m: Db, countId: string, lineNos: readonly number[]): Promise<void> {
  for (const n of lineNos) await exec(m, 'UPDATE stock_count_line SET first_counted = counted, counted = NULL, recount = ? WHERE count_id = ? AND line_no = ?', [true, countId, n]);
}
/** Lines never counted in a submitted count were found empty: 0. */
export async function uncountedToZero(m: Db, countId: string): Promise<void> {
  await exec(m, 'UPDATE stock_count_line SET counted = 0 WHERE count_id = ? AND counted IS NULL', [countId]);
}
export async function moveCount(m: Db, id: string, from: readonly CountRow['status'][], to: CountRow['status'], set: Partial<Record<'submitted_at' | 'approved_at' | 'approved_by' | 'posted_at' | 'value_difference_cents', unknown>> = {}): Promise<boolean> {
  const cols = Object.keys(set);
  const sql = `UPDATE stock_count SET status = ?${cols.map((c) => `, ${c} = ?`).join('')} WHERE id = ? AND status IN (${inList(from.length)}) RETURNING id`;
  return (await updatedRows(m, sql, [to, ...Object.values(set), id, ...from])) === 1;
}
export async function setCountLinePosted(m: Db, countId: string, lineNo: number, delta: number, unitCostMicros: number | null): Promise<void> {
  await exec(m, 'UPDATE stock_count_line SET posted_delta = ?, unit_cost_micros = ? WHERE count_id = ? AND line_no = ?', [delta, unitCostMicros, countId, lineNo]);
}

// ── adjustments ──
export interface AdjustmentRow {
  id: string;
  number: string;
  companyId: string;
  locationId: string;
  locationName: string;
  cause: string;
  note: string | null;
  postedAt: string;
  valueCents: number;
  lineCount: number;
}
const ADJ_SELECT = `SELECT a.id, a.number, a.company_id, a.location_id, l.name AS location_name, a.cause, a.note, a.posted_at, a.value_cents,
    (SELECT COUNT(*) FROM stock_adjustment_line x WHERE x.adjustment_id = a.id) AS line_count
  FROM stock_adjustment a JOIN stock_location l ON l.id = a.location_id`;
const adjOf = (r: Record<string, unknown>): AdjustmentRow => ({
  id: String(r.id), number: String(r.number), companyId: String(r.company_id), locationId: String(r.location_id), locationName: String(r.location_name),
  cause: String(r.cause), note: (r.note as string | null) ?? null, postedAt: String(r.posted_at), valueCents: Number(r.value_cents), lineCount: Number(r.line_count),
});
export async function adjustmentById(m: Db, id: string): Promise<AdjustmentRow | null> {
  const r = await one<Record<string, unknown>>(m, `${ADJ_SELECT} WHERE a.id = ?`, [id]);
  return r ? adjOf(r) : null;
}
export async function adjustmentLines(m: Db, id: string): Promise<Array<{ lineNo: number; productId: string; delta: number; unitCostMicros: number | null }>> {
  const rows = await all<Record<string, unknown>>(m, 'SELECT line_no, product_id, delta, unit_cost_micros FROM stock_adjustment_line WHERE adjustment_id = ? ORDER BY line_no', [id]);
  return rows.map((r) => ({ lineNo: Number(r.line_no), productId: String(r.product_id), delta: Number(r.delta), unitCostMicros: num(r.unit_cost_micros) }));
}
export async function listAdjustments(m: Db, f: LocationFilter | null, q: { locationId?: string | undefined; status?: string | undefined; limit: number }): Promise<AdjustmentRow[]> {
  const v = visibleSql('a.location_id', f);
  const where = [v.sql];
  const params: unknown[] = [...v.params];
  if (q.locationId) {
    where.push('a.location_id = ?');
    params.push(q.locationId);
  }
  const rows = await all<Record<string, unknown>>(m, `${ADJ_SELECT} WHERE ${where.join(' AND ')} ORDER BY a.posted_at DESC, a.number DESC LIMIT ?`, [...params, q.limit]);
  return rows.map(adjOf);
}
export async function insertAdjustment(
  m: Db,
  a: { id: string; number: string; companyId: string; locationId: string; cause: string; note: string | null; createdBy: string | null; postedAt: string; valueCents: number },
  lines: ReadonlyArray<{ productId: string; delta: number; unitCostMicros: number | null }>,
): Promise<void> {
  await exec(
    m,
    'INSERT INTO stock_adjustment (id, number, company_id, location_id, cause, note, created_by, posted_at, value_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [a.id, a.number, a.companyId, a.locationId, a.cause, a.note, a.createdBy, a.postedAt, a.valueCents],
  );
  for (let i = 0; i < lines.length; i += CHUNK) {
    const c = lines.slice(i, i + CHUNK);
    await exec(
      m,
      `INSERT INTO stock_adjustment_line (adjustment_id, line_no, product_id, delta, unit_cost_micros) VALUES ${c.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      c.flatMap((l, j) => [a.id, i + j + 1, l.productId, l.delta, l.unitCostMicros]),
    );
  }
}
