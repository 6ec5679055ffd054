/** Restocking's SQL: rules, the weekly sales rollup (read and rebuilt), proposals and alerts. */
import type { DataSource } from 'typeorm';
import { engineOfDs, pgPool, sqliteDb } from '../persistence/raw';
import { all, bool, exec, inList, isPostgres, num, one, type Db } from '../persistence/sql';
import type { RestockMethod, RestockSource, SalesFigures, SupplierTerms } from './formulas';

export interface RuleRow {
  storeId: string;
  productId: string;
  companyId: string;
  method: RestockMethod;
  minQty: number | null;
  maxQty: number | null;
  coverDays: number | null;
  packMultiple: number;
  leadTimeDays: number | null;
  source: RestockSource;
  supplierId: string | null;
  updatedAt: string;
}

export type RawRule = {
  location_id: string; product_id: string; company_id: string; method: RestockMethod; min_qty: unknown; max_qty: unknown;
  cover_days: unknown; pack_multiple: unknown; lead_time_days: unknown; source: RestockSource; supplier_id: string | null; updated_at: string;
};
export const ruleOf = (r: RawRule): RuleRow => ({
  storeId: r.location_id,
  productId: r.product_id,
  companyId: r.company_id,
  method: r.method,
  minQty: num(r.min_qty),
  maxQty: num(r.max_qty),
  coverDays: num(r.cover_days),
  packMultiple: Number(r.pack_multiple),
  leadTimeDays: num(r.lead_time_days),
  source: r.source,
  supplierId: r.supplier_id,
  updatedAt: r.updated_at,
});
export const RULE_COLUMNS = 'location_id, product_id, company_id, method, min_qty, max_qty, cover_days, pack_multiple, lead_time_days, source, supplier_id, updated_at';

/** Chunks of an id list small enough for one statement's parameters. */
function* chunks<T>(xs: readonly T[], n: number): Generator<T[]> {
  for (let i = 0; i < xs.length; i += n) yield xs.slice(i, i + n);
}

// ---- stores and master data ----

export async function storeCompany(m: Db, storeId: string): Promise<{ id: string; companyId: string } | undefined> {
  const r = await one<{ id: string; company_id: string }>(m, 'SELECT id, company_id FROM store WHERE id = ?', [storeId]);
  return r ? { id: r.id, companyId: r.company_id } : undefined;
}

/** Open stores (not archived), all or those listed, in id order. */
export async function openStores(m: Db, storeIds: readonly string[] | null): Promise<Array<{ id: string; companyId: string }>> {
  const where = storeIds === null ? '' : ` AND id IN (${inList(storeIds.length)})`;
  if (storeIds !== null && storeIds.length === 0) return [];
  const rows = await all<{ id: string; company_id: string }>(m, `SELECT id, company_id FROM store WHERE archived_at IS NULL${where} ORDER BY id`, storeIds ?? []);
  return rows.map((r) => ({ id: r.id, companyId: r.company_id }));
}

export async function productExists(m: Db, productId: string): Promise<boolean> {
  return (await one(m, 'SELECT 1 AS x FROM product WHERE id = ?', [productId])) !== undefined;
}
export async function supplierExists(m: Db, supplierId: string): Promise<boolean> {
  return (await one(m, 'SELECT 1 AS x FROM supplier WHERE id = ?', [supplierId])) !== undefined;
}

/** Purchasing's supplier terms per product: each supplier's, and which one is preferred. */
export async function supplierTermsOf(m: Db): Promise<Map<string, { preferred: string | null; bySupplier: Map<string, SupplierTerms> }>> {
  const out = new Map<string, { preferred: string | null; bySupplier: Map<string, SupplierTerms> }>();
  const rows = await all<{ product_id: string; supplier_id: string; pack_size: unknown; min_order_qty: unknown; lead_time_days: unknown; preferred: unknown }>(
    m,
    'SELECT product_id, supplier_id, pack_size, min_order_qty, lead_time_days, preferred FROM product_supplier',
  );
  for (const r of rows) {
    const acc = out.get(r.product_id) ?? { preferred: null, bySupplier: new Map<string, SupplierTerms>() };
    acc.bySupplier.set(r.supplier_id, { packSize: Number(r.pack_size), minOrderQty: Number(r.min_order_qty), leadTimeDays: num(r.lead_time_days) });
    if (bool(r.preferred)) acc.preferred = r.supplier_id;
    out.set(r.product_id, acc);
  }
  return out;
}

export async function preferredSupplierOf(m: Db, productId: string): Promise<string | undefined> {
  const r = await one<{ supplier_id: string }>(m, 'SELECT supplier_id FROM product_supplier WHERE product_id = ? AND preferred = ?', [productId, true]);
  return r?.supplier_id;
}

// ---- rules ----

export async function rulesOfStore(m: Db, storeId: string): Promise<Array<RuleRow & { sku: string; name: string }>> {
  const rows = await all<RawRule & { sku: string; name: string }>(
    m,
    `SELECT r.location_id, r.product_id, r.company_id, r.method, r.min_qty, r.max_qty, r.cover_days, r.pack_multiple, r.lead_time_days, r.source,
            r.supplier_id, r.updated_at, p.sku, p.name
       FROM restock_rule r JOIN product p ON p.id = r.product_id WHERE r.location_id = ? ORDER BY p.sku`,
    [storeId],
  );
  return rows.map((r) => ({ ...ruleOf(r), sku: r.sku, name: r.name }));
}

export async function ruleOfPair(m: Db, storeId: string, productId: string): Promise<RuleRow | undefined> {
  const r = await one<RawRule>(m, `SELECT ${RULE_COLUMNS} FROM restock_rule WHERE location_id = ? AND product_id = ?`, [storeId, productId]);
  return r ? ruleOf(r) : undefined;
}

export async function upsertRule(m: Db, r: RuleRow): Promise<void> {
  await exec(
    m,
    `INSERT INTO restock_rule (${RULE_COLUMNS}) VALUES (${inList(12)})
     ON CONFLICT (location_id, product_id) DO UPDATE SET method = excluded.method, min_qty = excluded.min_qty, max_qty = excluded.max_qty,
       cover_days = excluded.cover_days, pack_multiple = excluded.pack_multiple, lead_time_days = excluded.lead_time_days,
       source = excluded.source, supplier_id = excluded.supplier_id, updated_at = excluded.updated_at`,
    [r.storeId, r.productId, r.companyId, r.method, r.minQty, r.maxQty, r.coverDays, r.packMultiple, r.leadTimeDays, r.source, r.supplierId, r.updatedAt],
  );
}

export async function deleteRule(m: Db, storeId: string, productId: string): Promise<void> {
  await exec(m, 'DELETE FROM restock_rule WHERE location_id = ? AND product_id = ?', [storeId, productId]);
}

/** The weeks a proposal reads: the recent ones, last year's same ones and the ones that followed (Mondays, [from, to)). */
export interface SalesWindows {
  recentFrom: string;
  recentTo: string;
  lastYearFrom: string;
  lastYearMid: string;
  lastYearTo: string;
}

/** What a proposal reads of one store, keyed by product id. */
export interface StoreInputs {
  onHand: Map<string, number>;
  rules: Map<string, RuleRow>;
  sales: Map<string, SalesFigures>;
  /**
   * Pairs the proposal counts, when the maps hold only the pairs that may order (the demand statistics' fast
   * path, demand.ts); absent: every pair of the maps is computed and counted.
   */
  pairs?: number;
}

/**
 * Σ q, Σ q² over the recent weeks and last year's two windows, per product of ONE store, aggregated in SQL from
 * `sales_week` (two index ranges: the rollup's key starts with (location, week)); only the sums cross into JS.
 */
export const SALES_OF_STORE = `SELECT product_id,
        SUM(CASE WHEN week >= ? THEN quantity ELSE 0 END) AS s,
        SUM(CASE WHEN week >= ? THEN quantity * quantity ELSE 0 END) AS sq,
        SUM(CASE WHEN week < ? THEN quantity ELSE 0 END) AS ly,
        SUM(CASE WHEN week >= ? AND week < ? THEN quantity ELSE 0 END) AS la
   FROM sales_week
  WHERE location_id = ? AND ((week >= ? AND week < ?) OR (week >= ? AND week < ?))
  GROUP BY product_id`;
/** The same sums for a group of stores on PostgreSQL: two index ranges per store (UNION ALL, not OR: each stays an index-only scan of the covering key). */
export const PG_SALES_OF_STORES = `SELECT location_id, product_id,
        SUM(CASE WHEN week >= $1 THEN quantity ELSE 0 END),
        SUM(CASE WHEN week >= $1 THEN quantity * quantity ELSE 0 END),
        SUM(CASE WHEN week < $2 THEN quantity ELSE 0 END),
        SUM(CASE WHEN week >= $2 AND week < $3 THEN quantity ELSE 0 END)
   FROM (SELECT location_id, product_id, week, quantity FROM sales_week WHERE location_id = ANY($4) AND week >= $1 AND week < $5
         UNION ALL
         SELECT location_id, product_id, week, quantity FROM sales_week WHERE location_id = ANY($4) AND week >= $6 AND week < $3) w
  GROUP BY location_id, product_id`;
export const salesParams = (w: SalesWindows, storeId: string) => [w.recentFrom, w.recentFrom, w.lastYearMid, w.lastYearMid, w.lastYearTo, storeId, w.recentFrom, w.recentTo, w.lastYearFrom, w.lastYearTo];
const figures = (s: unknown, sq: unknown, ly: unknown, la: unknown): SalesFigures => ({ sum: Number(s), sumSq: Number(sq), lastYearSame: Number(ly), lastYearAhead: Number(la) });

/**
 * The proposal's inputs of these stores — stock levels, rules, the rollup's sums — read with the engine's own
 * prepared statements (2.5 million pairs in the bench: no TypeORM result objects, no `store|product` strings):
 * better-sqlite3 row arrays one store at a time on SQLite, one array-mode query per input for the whole group on
 * PostgreSQL (the sums grouped by the server).
 */
export async function proposalInputs(ds: DataSource, storeIds: readonly string[], w: SalesWindows): Promise<Map<string, StoreInputs>> {
  const out = new Map<string, StoreInputs>(storeIds.map((id) => [id, { onHand: new Map(), rules: new Map(), sales: new Map() }]));
  if (storeIds.length === 0) return out;
  if (engineOfDs(ds) === 'sqlite') {
    const db = sqliteDb(ds);
    const stock = db.prepare('SELECT product_id, quantity FROM stock_level WHERE location_id = ?').raw();
    const rules = db.prepare(`SELECT ${RULE_COLUMNS} FROM restock_rule WHERE location_id = ?`);
    const sales = db.prepare(SALES_OF_STORE).raw();
    for (const id of storeIds) {
      const into = out.get(id)!;
      for (const [p, q] of stock.all(id) as Array<[string, number]>) into.onHand.set(p, Number(q));
      for (const r of rules.all(id) as RawRule[]) into.rules.set(r.product_id, ruleOf(r));
      for (const [p, s, sq, ly, la] of sales.all(...salesParams(w, id)) as Array<[string, number, number, number, number]>) into.sales.set(p, figures(s, sq, ly, la));
    }
    return out;
  }
  // One session for the group, without JIT: compiling these plans cost ~1.5 s a query, more than running them.
  const client = await pgPool(ds).connect();
  const ids = [...storeIds];
  try {
    await client.query('SET jit = off');
    await client.query("SET work_mem = '64MB'"); // 25 stores' sums hashed in memory, not spilled to disk
    const stock = await client.query<[string, string, string]>({ text: 'SELECT location_id, product_id, quantity FROM stock_level WHERE location_id = ANY($1)', values: [ids], rowMode: 'array' });
    for (const [l, p, q] of stock.rows) out.get(l)!.onHand.set(p, Number(q));
    const rules = await client.query<RawRule>(`SELECT ${RULE_COLUMNS} FROM restock_rule WHERE location_id = ANY($1)`, [ids]);
    for (const r of rules.rows) out.get(r.location_id)!.rules.set(r.product_id, ruleOf(r));
    // Two index ranges per store (UNION ALL, not OR: each stays an index-only scan of the covering key).
    const sales = await client.query<[string, string, string, string, string, string]>({
      text: PG_SALES_OF_STORES,
      values: [w.recentFrom, w.lastYearMid, w.lastYearTo, ids, w.recentTo, w.lastYearFrom],
      rowMode: 'array',
    });
    for (const [l, p, s, sq, ly, la] of sales.rows) out.get(l)!.sales.set(p, figures(s, sq, ly, la));
  } finally {
    await client.query('RESET jit');
    await client.query('RESET work_mem');
    client.release();
  }
  return out;
}

// ---- proposals ----

export interface ProposalRow {
  id: string;
  storeId: string;
  companyId: string;
  status: 'draft' | 'confirmed' | 'discarded';
  asOf: string;
  lineCount: number;
  createdAt: string;
  createdBy: string | null;
  confirmedAt: string | null;
  confirmedBy: string | null;
  orders: string | null;
}
export interface ProposalLineRow {
  productId: string;
  source: RestockSource;
  supplierId: string | null;
  suggestedQty: number;
  quantity: number;
  onHand: number;
  openOrders: number;
  inTransit: number;
  dailyMilli: number;
  coverTenths: number | null;
  safetyQty: number;
  reorderPoint: number;
  targetQty: number;
  leadTimeDays: number;
  seasonPct: number;
  method: RestockMethod;
}
const LINE_COLUMNS = [
  'proposal_id', 'product_id', 'source', 'supplier_id', 'suggested_qty', 'quantity', 'on_hand', 'open_orders', 'in_transit',
  'daily_milli', 'cover_tenths', 'safety_qty', 'reorder_point', 'target_qty', 'lead_time_days', 'season_pct', 'method',
];

/** The store's drafts give way to a new proposal (kept, marked discarded). */
export async function discardDrafts(m: Db, storeIds: readonly string[]): Promise<void> {
  for (const ids of chunks(storeIds, 500)) await exec(m, `UPDATE restock_proposal SET status = 'discarded' WHERE status = 'draft' AND store_id IN (${inList(ids.length)})`, ids);
}

export async function insertProposals(m: Db, rows: readonly ProposalRow[]): Promise<void> {
  for (const part of chunks(rows, 200)) {
    await exec(
      m,
      `INSERT INTO restock_proposal (id, store_id, company_id, status, as_of, line_count, created_at, created_by, confirmed_at, confirmed_by, orders)
       VALUES ${part.map(() => `(${inList(11)})`).join(', ')}`,
      part.flatMap((p) => [p.id, p.storeId, p.companyId, p.status, p.asOf, p.lineCount, p.createdAt, p.createdBy, p.confirmedAt, p.confirmedBy, p.orders]),
    );
  }
}

/** Lines of many proposals: multi-row VALUES on SQLite, one unnest per 20,000 rows on PostgreSQL. */
export async function insertProposalLines(m: Db, lines: ReadonlyArray<ProposalLineRow & { proposalId: string }>): Promise<void> {
  const values = (l: ProposalLineRow & { proposalId: string }) => [
    l.proposalId, l.productId, l.source, l.supplierId, l.suggestedQty, l.quantity, l.onHand, l.openOrders, l.inTransit,
    l.dailyMilli, l.coverTenths, l.safetyQty, l.reorderPoint, l.targetQty, l.leadTimeDays, l.seasonPct, l.method,
  ];
  if (isPostgres(m)) {
    const types = ['varchar', 'varchar', 'varchar', 'varchar', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'int', 'int', 'varchar'];
    for (const part of chunks(lines, 20_000)) {
      const cols = LINE_COLUMNS.map(() => [] as unknown[]);
      for (const l of part) values(l).forEach((v, i) => cols[i]!.push(v));
      await m.query(
        `INSERT INTO restock_proposal_line (${LINE_COLUMNS.join(', ')}) SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`,
        cols,
      );
    }
    return;
  }
  // 17 columns × 500 rows = 8,500 parameters (SQLite allows 32,766).
  for (const part of chunks(lines, 500)) {
    await m.query(`INSERT INTO restock_proposal_line (${LINE_COLUMNS.join(', ')}) VALUES ${part.map(() => `(${inList(17)})`).join(', ')}`, part.flatMap(values));
  }
}

type RawProposal = {
  id: string; store_id: string; company_id: string; status: ProposalRow['status']; as_of: string; line_count: unknown; created_at: string;
  created_by: string | null; confirmed_at: string | null; confirmed_by: string | null; orders: string | null;
};
const proposalOf = (r: RawProposal): ProposalRow => ({
  id: r.id, storeId: r.store_id, companyId: r.company_id, status: r.status, asOf: r.as_of, lineCount: Number(r.line_count), createdAt: r.created_at,
  createdBy: r.created_by, confirmedAt: r.confirmed_at, confirmedBy: r.confirmed_by, orders: r.orders,
});

export async function proposalById(m: Db, id: string): Promise<ProposalRow | undefined> {
  const r = await one<RawProposal>(m, 'SELECT * FROM restock_proposal WHERE id = ?', [id]);
  return r ? proposalOf(r) : undefined;
}

/** Proposals of the stores (null: all), newest first. */
export async function proposalsOf(m: Db, storeIds: readonly string[] | null, filter: { id?: string; storeId?: string | undefined; status?: string | undefined; limit: number }) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (storeIds !== null) {
    if (storeIds.length === 0) return [];
    where.push(`p.store_id IN (${inList(storeIds.length)})`);
    params.push(...storeIds);
  }
  if (filter.id) {
    where.push('p.id = ?');
    params.push(filter.id);
  }
  if (filter.storeId) {
    where.push('p.store_id = ?');
    params.push(filter.storeId);
  }
  if (filter.status) {
    where.push('p.status = ?');
    params.push(filter.status);
  }
  const rows = await all<RawProposal & { store_code: string; store_name: string }>(
    m,
    `SELECT p.*, s.code AS store_code, s.name AS store_name FROM restock_proposal p JOIN store s ON s.id = p.store_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY p.created_at DESC, p.id DESC LIMIT ${Math.trunc(filter.limit)}`,
    params,
  );
  return rows.map((r) => ({ ...proposalOf(r), storeCode: r.store_code, storeName: r.store_name }));
}

type RawLine = {
  product_id: string; source: RestockSource; supplier_id: string | null; suggested_qty: unknown; quantity: unknown; on_hand: unknown; open_orders: unknown;
  in_transit: unknown; daily_milli: unknown; cover_tenths: unknown; safety_qty: unknown; reorder_point: unknown; target_qty: unknown; lead_time_days: unknown;
  season_pct: unknown; method: RestockMethod; sku: string; name: string; weighed: unknown; supplier_name: string | null;
};
export async function linesOfProposal(m: Db, proposalId: string) {
  const rows = await all<RawLine>(
    m,
    `SELECT l.*, p.sku, p.name, p.weighed, s.name AS supplier_name
       FROM restock_proposal_line l JOIN product p ON p.id = l.product_id LEFT JOIN supplier s ON s.id = l.supplier_id
      WHERE l.proposal_id = ? ORDER BY p.sku`,
    [proposalId],
  );
  return rows.map((r) => ({
    productId: r.product_id, sku: r.sku, name: r.name, weighed: r.weighed === true || Number(r.weighed) === 1, source: r.source, supplierId: r.supplier_id,
    supplierName: r.supplier_name, suggestedQty: Number(r.suggested_qty), quantity: Number(r.quantity), onHand: Number(r.on_hand),
    openOrders: Number(r.open_orders), inTransit: Number(r.in_transit), dailyMilli: Number(r.daily_milli), coverTenths: num(r.cover_tenths),
    safetyQty: Number(r.safety_qty), reorderPoint: Number(r.reorder_point), targetQty: Number(r.target_qty), leadTimeDays: Number(r.lead_time_days),
    seasonPct: Number(r.season_pct), method: r.method,
  }));
}

export async function setLineQuantity(m: Db, proposalId: string, productId: string, quantity: number): Promise<boolean> {
  const before = await one(m, 'SELECT 1 AS x FROM restock_proposal_line WHERE proposal_id = ? AND product_id = ?', [proposalId, productId]);
  if (!before) return false;
  await exec(m, 'UPDATE restock_proposal_line SET quantity = ? WHERE proposal_id = ? AND product_id = ?', [quantity, proposalId, productId]);
  return true;
}

/** draft → confirmed, once: false when it was not a draft any more (a retry, or another confirm won). */
export async function markConfirmed(m: Db, id: string, at: string, by: string | null): Promise<boolean> {
  const rows = await all(m, `UPDATE restock_proposal SET status = 'confirmed', confirmed_at = ?, confirmed_by = ? WHERE id = ? AND status = 'draft' RETURNING id`, [at, by, id]);
  return rows.length > 0;
}
export async function setOrders(m: Db, id: string, orders: string): Promise<void> {
  await exec(m, 'UPDATE restock_proposal SET orders = ? WHERE id = ?', [orders, id]);
}

// ---- alerts ----

export async function belowMinimum(m: Db, storeIds: readonly string[] | null, limit: number) {
  const where = storeIds === null ? '' : `AND r.location_id IN (${inList(storeIds.length)})`;
  if (storeIds !== null && storeIds.length === 0) return [];
  const rows = await all<{ location_id: string; store_code: string; product_id: string; sku: string; name: string; quantity: unknown; min_qty: unknown }>(
    m,
    `SELECT r.location_id, s.code AS store_code, r.product_id, p.sku, p.name, COALESCE(l.quantity, 0) AS quantity, r.min_qty
       FROM restock_rule r JOIN product p ON p.id = r.product_id JOIN store s ON s.id = r.location_id
       LEFT JOIN stock_level l ON l.location_id = r.location_id AND l.product_id = r.product_id
      WHERE r.min_qty IS NOT NULL AND COALESCE(l.quantity, 0) < r.min_qty ${where}
      ORDER BY s.code, p.sku LIMIT ${Math.trunc(limit)}`,
    storeIds ?? [],
  );
  return rows.map((r) => ({ storeId: r.location_id, storeCode: r.store_code, productId: r.product_id, sku: r.sku, name: r.name, onHand: Number(r.quantity), minQty: Number(r.min_qty) }));
}

/** Stock on hand and not one unit sold since `sinceWeek` (no rollup row with a sale from that week on). */
export async function withoutSales(m: Db, storeIds: readonly string[] | null, sinceWeek: string, limit: number) {
  const where = storeIds === null ? '' : `AND l.location_id IN (${inList(storeIds.length)})`;
  if (storeIds !== null && storeIds.length === 0) return [];
  const rows = await all<{ location_id: string; store_code: string; product_id: string; sku: string; name: string; quantity: unknown; last_week: string | null }>(
    m,
    `SELECT l.location_id, s.code AS store_code, l.product_id, p.sku, p.name, l.quantity,
            (SELECT MAX(w.week) FROM sales_week w WHERE w.location_id = l.location_id AND w.product_id = l.product_id AND w.quantity > 0) AS last_week
       FROM stock_level l JOIN store s ON s.id = l.location_id JOIN product p ON p.id = l.product_id
      WHERE l.quantity > 0 ${where}
        AND NOT EXISTS (SELECT 1 FROM sales_week w WHERE w.location_id = l.location_id AND w.week >= ? AND w.product_id = l.product_id AND w.quantity > 0)
      ORDER BY s.code, p.sku LIMIT ${Math.trunc(limit)}`,
    [...(storeIds ?? []), sinceWeek],
  );
  return rows.map((r) => ({ storeId: r.location_id, storeCode: r.store_code, productId: r.product_id, sku: r.sku, name: r.name, onHand: Number(r.quantity), lastSaleWeek: r.last_week }));
}

// ---- the rollup's rebuild ----

/**
 * `sales_week` of the stores (null: all) recomputed from the ledger: every till-sale and return movement,
 * by the week of its ticket's business date — the same rows the ingest adds to as it applies tickets.
 */
export async function rebuildSalesWeeks(m: Db, storeIds: readonly string[] | null): Promise<number> {
  const pg = isPostgres(m);
  const week = pg ? `to_char(date_trunc('week', t.business_date::date), 'YYYY-MM-DD')` : `date(t.business_date, 'weekday 0', '-6 days')`;
  const only = (col: string) => (storeIds === null ? '' : ` AND ${col} IN (${inList(storeIds.length)})`);
  await exec(m, `DELETE FROM sales_week WHERE 1 = 1${only('location_id')}`, storeIds ?? []);
  await exec(
    m,
    `INSERT INTO sales_week (location_id, week, product_id, quantity)
     SELECT mv.location_id, ${week}, mv.product_id, SUM(-mv.delta)
       FROM stock_movement mv JOIN sale_ticket t ON t.id = mv.ticket_id
      WHERE mv.ticket_id IS NOT NULL AND mv.reason IN ('sale', 'return')${only('mv.location_id')}
      GROUP BY mv.location_id, ${week}, mv.product_id`,
    storeIds ?? [],
  );
  const r = await one<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM sales_week WHERE 1 = 1${only('location_id')}`, storeIds ?? []);
  return Number(r?.n ?? 0);
}
