/**
 * The only SQL of product blocks and recalls: blocks, the stores each concerns and their withdrawals; the
 * units sold per store since the block's reference date (sale tickets HQ holds: sale_line × sale_ticket),
 * and on-hand per store (the stock ledger's levels). Every read takes the caller's stores (null: all).
 */
import { all, exec, inList, num, one, type Db } from '../persistence/sql';
import type { BlockScope } from '@tpv/shared/blocks/rules';

export interface BlockRow {
  id: string; number: string; productId: string; productSku: string; productName: string; scope: BlockScope; lot: string | null;
  bestBeforeFrom: string | null; bestBeforeTo: string | null; reason: string; referenceDate: string; network: boolean;
  status: 'open' | 'closed' | 'lifted'; stores: number; storesWithdrawn: number; createdAt: string; closedAt: string | null; liftedAt: string | null; liftNote: string | null;
}

interface RawBlock {
  id: string; number: string; product_id: string; sku: string; name: string; scope: BlockScope; lot: string | null; best_before_from: string | null; best_before_to: string | null;
  reason: string; reference_date: string; network: unknown; status: BlockRow['status']; stores: unknown; stores_withdrawn: unknown; created_at: string;
  closed_at: string | null; lifted_at: string | null; lift_note: string | null;
}
const toBlock = (r: RawBlock): BlockRow => ({
  id: r.id, number: r.number, productId: r.product_id, productSku: r.sku, productName: r.name, scope: r.scope, lot: r.lot, bestBeforeFrom: r.best_before_from,
  bestBeforeTo: r.best_before_to, reason: r.reason, referenceDate: r.reference_date, network: Number(r.network) === 1, status: r.status,
  stores: Number(r.stores), storesWithdrawn: Number(r.stores_withdrawn), createdAt: r.created_at, closedAt: r.closed_at, liftedAt: r.lifted_at, liftNote: r.lift_note,
});

const BLOCK_SELECT = `SELECT b.id, b.number, b.product_id, p.sku, p.name, b.scope, b.lot, b.best_before_from, b.best_before_to, b.reason, b.reference_date, b.network,
    b.status, b.created_at, b.closed_at, b.lifted_at, b.lift_note,
    (SELECT COUNT(*) FROM product_block_store s WHERE s.block_id = b.id) AS stores,
    (SELECT COUNT(*) FROM product_block_store s WHERE s.block_id = b.id AND s.withdrawn_at IS NOT NULL) AS stores_withdrawn
  FROM product_block b JOIN product p ON p.id = b.product_id`;

/** Blocks concerning at least one of the stores (null: every block), newest first. */
export async function listBlocks(m: Db, stores: readonly string[] | null, q: { status?: string | undefined; productId?: string | undefined; limit: number }): Promise<BlockRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (stores !== null) {
    if (stores.length === 0) return [];
    where.push(`EXISTS (SELECT 1 FROM product_block_store s WHERE s.block_id = b.id AND s.store_id IN (${inList(stores.length)}))`);
    params.push(...stores);
  }
  if (q.status) {
    where.push('b.status = ?');
    params.push(q.status);
  }
  if (q.productId) {
    where.push('b.product_id = ?');
    params.push(q.productId);
  }
  const rows = await all<RawBlock>(m, `${BLOCK_SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY b.created_at DESC, b.id DESC LIMIT ${q.limit}`, params);
  return rows.map(toBlock);
}

export async function blockById(m: Db, id: string): Promise<BlockRow | undefined> {
  const r = await one<RawBlock>(m, `${BLOCK_SELECT} WHERE b.id = ?`, [id]);
  return r ? toBlock(r) : undefined;
}

export async function productOf(m: Db, id: string): Promise<{ id: string; sku: string; name: string; weighed: boolean } | undefined> {
  const r = await one<{ id: string; sku: string; name: string; weighed: unknown }>(m, 'SELECT id, sku, name, weighed FROM product WHERE id = ?', [id]);
  return r ? { id: r.id, sku: r.sku, name: r.name, weighed: r.weighed === true || Number(r.weighed) === 1 } : undefined;
}

export async function storesByIds(m: Db, ids: readonly string[]): Promise<Array<{ id: string; companyId: string }>> {
  if (ids.length === 0) return [];
  return (await all<{ id: string; company_id: string }>(m, `SELECT id, company_id FROM store WHERE id IN (${inList(ids.length)})`, ids)).map((r) => ({ id: r.id, companyId: r.company_id }));
}
export async function storesOfCompanies(m: Db, companyIds: readonly string[] | null): Promise<Array<{ id: string; companyId: string }>> {
  if (companyIds !== null && companyIds.length === 0) return [];
  const rows = await all<{ id: string; company_id: string }>(
    m, `SELECT id, company_id FROM store${companyIds === null ? '' : ` WHERE company_id IN (${inList(companyIds.length)})`} ORDER BY id`, companyIds ?? [],
  );
  return rows.map((r) => ({ id: r.id, companyId: r.company_id }));
}
export async function knownCompanies(m: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  return new Set((await all<{ id: string }>(m, `SELECT id FROM company WHERE id IN (${inList(ids.length)})`, ids)).map((r) => r.id));
}

export async function insertBlock(
  m: Db,
  b: { id: string; number: string; productId: string; scope: BlockScope; lot: string | null; bestBeforeFrom: string | null; bestBeforeTo: string | null; reason: string; referenceDate: string; network: boolean; createdAt: string; createdBy: string | null },
  stores: ReadonlyArray<{ id: string; companyId: string }>,
): Promise<void> {
  await exec(
    m,
    `INSERT INTO product_block (id, number, product_id, scope, lot, best_before_from, best_before_to, reason, reference_date, network, status, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
    [b.id, b.number, b.productId, b.scope, b.lot, b.bestBeforeFrom, b.bestBeforeTo, b.reason, b.referenceDate, b.network ? 1 : 0, b.createdAt, b.createdBy],
  );
  for (let i = 0; i < stores.length; i += 300) {
    const c = stores.slice(i, i + 300);
    await exec(m, `INSERT INTO product_block_store (block_id, store_id, company_id) VALUES ${c.map(() => '(?, ?, ?)').join(', ')}`, c.flatMap((s) => [b.id, s.id, s.companyId]));
  }
}

export async function blockStoreIds(m: Db, blockId: string): Promise<Array<{ storeId: string; companyId: string; withdrawnAt: string | null }>> {
  return (await all<{ store_id: string; company_id: string; withdrawn_at: string | null }>(m, 'SELECT store_id, company_id, withdrawn_at FROM product_block_store WHERE block_id = ? ORDER BY store_id', [blockId]))
    .map((r) => ({ storeId: r.store_id, companyId: r.company_id, withdrawnAt: r.withdrawn_at }));
}

export async function setLifted(m: Db, id: string, at: string, by: string | null, note: string): Promise<void> {
  await exec(m, `UPDATE product_block SET status = 'lifted', lifted_at = ?, lifted_by = ?, lift_note = ? WHERE id = ?`, [at, by, note, id]);
}

/** Per store of the block (within `stores`, null: all): units sold since the reference date, on hand now, withdrawn. */
export async function blockStores(m: Db, b: { id: string; productId: string; referenceDate: string }, stores: readonly string[] | null) {
  const filter = stores === null ? '' : stores.length === 0 ? ' AND 1 = 0' : ` AND bs.store_id IN (${inList(stores.length)})`;
  const rows = await all<{ store_id: string; code: string; name: string; company_id: string; withdrawn_at: string | null; units: unknown; grams: unknown; tickets: unknown; on_hand: unknown; withdrawn: unknown }>(
    m,
    `SELECT bs.store_id, st.code, st.name, bs.company_id, bs.withdrawn_at,
        (SELECT COALESCE(SUM(l.units), 0) FROM sale_line l JOIN sale_ticket t ON t.id = l.ticket_id
          WHERE t.store_id = bs.store_id AND l.product_id = ? AND t.business_date >= ?) AS units,
        (SELECT COALESCE(SUM(l.grams), 0) FROM sale_line l JOIN sale_ticket t ON t.id = l.ticket_id
          WHERE t.store_id = bs.store_id AND l.product_id = ? AND t.business_date >= ?) AS grams,
        (SELECT COUNT(DISTINCT t.id) FROM sale_line l JOIN sale_ticket t ON t.id = l.ticket_id
          WHERE t.store_id = bs.store_id AND l.product_id = ? AND t.business_date >= ?) AS tickets,
        (SELECT COALESCE(SUM(sl.quantity), 0) FROM stock_level sl WHERE sl.location_id = bs.store_id AND sl.product_id = ?) AS on_hand,
        (SELECT COALESCE(SUM(w.units), 0) FROM product_block_withdrawal w WHERE w.block_id = bs.block_id AND w.store_id = bs.store_id) AS withdrawn
       FROM product_block_store bs JOIN store st ON st.id = bs.store_id
      WHERE bs.block_id = ?${filter}
      ORDER BY st.code`,
    [b.productId, b.referenceDate, b.productId, b.referenceDate, b.productId, b.referenceDate, b.productId, b.id, ...(stores ?? [])],
  );
  return rows.map((r) => ({
    storeId: r.store_id, storeCode: r.code, storeName: r.name, companyId: r.company_id,
    unitsSold: Number(r.units), gramsSold: Number(r.grams), tickets: Number(r.tickets), onHand: Number(r.on_hand), withdrawnUnits: Number(r.withdrawn), withdrawnAt: r.withdrawn_at,
  }));
}

export async function withdrawals(m: Db, blockId: string, stores: readonly string[] | null) {
  const filter = stores === null ? '' : stores.length === 0 ? ' AND 1 = 0' : ` AND store_id IN (${inList(stores.length)})`;
  const rows = await all<{ id: string; store_id: string; method: 'adjustment' | 'store_return' | 'none'; units: unknown; document_id: string | null; document_number: string | null; note: string | null; created_at: string }>(
    m, `SELECT id, store_id, method, units, document_id, document_number, note, created_at FROM product_block_withdrawal WHERE block_id = ?${filter} ORDER BY created_at, id`, [blockId, ...(stores ?? [])],
  );
  return rows.map((r) => ({ id: r.id, storeId: r.store_id, method: r.method, units: Number(r.units), documentId: r.document_id, documentNumber: r.document_number, note: r.note, createdAt: r.created_at }));
}

export async function withdrawalById(m: Db, id: string): Promise<{ blockId: string } | undefined> {
  const r = await one<{ block_id: string }>(m, 'SELECT block_id FROM product_block_withdrawal WHERE id = ?', [id]);
  return r ? { blockId: r.block_id } : undefined;
}

export async function insertWithdrawal(
  m: Db,
  w: { id: string; blockId: string; storeId: string; method: 'adjustment' | 'store_return' | 'none'; units: number; documentId: string | null; documentNumber: string | null; note: string | null; createdAt: string; createdBy: string | null },
): Promise<void> {
  await exec(
    m,
    `INSERT INTO product_block_withdrawal (id, block_id, store_id, method, units, document_id, document_number, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [w.id, w.blockId, w.storeId, w.method, w.units, w.documentId, w.documentNumber, w.note, w.createdAt, w.createdBy],
  );
}

export async function markStoreWithdrawn(m: Db, blockId: string, storeId: string, at: string): Promise<void> {
  await exec(m, 'UPDATE product_block_store SET withdrawn_at = ? WHERE block_id = ? AND store_id = ? AND withdrawn_at IS NULL', [at, blockId, storeId]);
}

/** Closes an open block once every store of it withdrew; true when it closed now. */
export async function closeIfWithdrawn(m: Db, blockId: string, at: string): Promise<boolean> {
  const left = await one<{ n: unknown }>(m, 'SELECT COUNT(*) AS n FROM product_block_store WHERE block_id = ? AND withdrawn_at IS NULL', [blockId]);
  if (Number(left?.n ?? 0) > 0) return false;
  await exec(m, `UPDATE product_block SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'`, [at, blockId]);
  return true;
}

export async function onHandAtStore(m: Db, storeId: string, productId: string): Promise<number> {
  const r = await one<{ q: unknown }>(m, 'SELECT COALESCE(SUM(quantity), 0) AS q FROM stock_level WHERE location_id = ? AND product_id = ?', [storeId, productId]);
  return num(r?.q) ?? 0;
}

/** Open or closed (not lifted) blocks of a product that concern a store (a store return names its block). */
export async function activeBlocksFor(m: Db, productId: string, storeId: string): Promise<string[]> {
  return (await all<{ id: string }>(m, `SELECT b.id FROM product_block b JOIN product_block_store s ON s.block_id = b.id
     WHERE b.product_id = ? AND s.store_id = ? AND b.status <> 'lifted'`, [productId, storeId])).map((r) => r.id);
}
