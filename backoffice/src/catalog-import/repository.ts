/**
 * The catalog import's SQL: the catalog read in three queries (products, barcodes, categories) and the import
 * written in multi-row statements — upserts of 1,000 products, inserts of 2,000 feed rows — inside the
 * caller's transaction. The change feed's order is kept as appendChange keeps it: on PostgreSQL the feed's
 * advisory lock is taken first, so this transaction's versions become visible after every earlier one.
 */
import type { EntityManager } from 'typeorm';
import { CHANGE_LOG_LOCK_KEY } from '../persistence/change-log';
import { engineOfManager, sqliteDb } from '../persistence/raw';
import { barcodePayload, categoryPayload, productPayload } from '../catalog/payloads';
import type { CatalogSnapshot, ImportPlan, ProductState } from './plan';

interface ProductRaw {
  id: string;
  sku: string;
  name: string;
  name_en: string | null;
  category_id: string | null;
  tax_rate_bp: number;
  exemption: string | null;
  weighed: boolean | number;
  base_price_cents: number | string;
  cost_cents: number | string | null;
  active: boolean | number;
  version: number | string;
}

export async function loadCatalogSnapshot(m: EntityManager): Promise<CatalogSnapshot> {
  const products = new Map<string, ProductState>();
  const rows = (await m.query(
    'SELECT id, sku, name, name_en, category_id, tax_rate_bp, exemption, weighed, base_price_cents, cost_cents, active, version FROM product',
  )) as ProductRaw[];
  for (const r of rows) {
    products.set(r.sku, {
      id: r.id, sku: r.sku, name: r.name, nameEn: r.name_en, categoryId: r.category_id, taxRateBp: Number(r.tax_rate_bp), exemption: r.exemption,
      weighed: r.weighed === true || r.weighed === 1, basePriceCents: Number(r.base_price_cents), costCents: r.cost_cents === null ? null : Number(r.cost_cents),
      active: r.active === true || r.active === 1, version: Number(r.version),
    });
  }
  const barcodes = new Map<string, string>();
  for (const b of (await m.query('SELECT barcode, product_id FROM product_barcode')) as Array<{ barcode: string; product_id: string }>) barcodes.set(b.barcode, b.product_id);
  const categories = ((await m.query('SELECT id, name, parent_id FROM category')) as Array<{ id: string; name: string; parent_id: string | null }>).map((c) => ({
    id: c.id, name: c.name, parentId: c.parent_id,
  }));
  return { products, barcodes, categories };
}

/** Runs a multi-row statement per chunk: `head` + `(…), (…)` + `tail`. */
async function chunked<T>(m: EntityManager, rows: readonly T[], width: number, per: number, head: string, tail: string, values: (r: T) => unknown[], after?: (n: number) => Promise<void> | void): Promise<void> {
  const pg = engineOfManager(m) === 'postgres';
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const params: unknown[] = [];
    const tuples = chunk.map((r) => {
      const base = params.length;
      params.push(...values(r));
      return `(${Array.from({ length: width }, (_, k) => (pg ? `$${base + k + 1}` : '?')).join(', ')})`;
    });
    await m.query(`${head} ${tuples.join(', ')} ${tail}`, params);
    await after?.(Math.min(i + per, rows.length));
  }
}

/**
 * Writes a valid plan and its change-feed rows; returns the highest feed version written (0: nothing).
 * `progress(n)` is told how many products are written so far.
 */
export async function writeImport(m: EntityManager, plan: ImportPlan, at: string, progress: (productsWritten: number) => Promise<void> | void): Promise<number> {
  const pg = engineOfManager(m) === 'postgres';
  if (!pg) return writeImportSqlite(m, plan, at, progress);
  const bool = (b: boolean) => (pg ? b : b ? 1 : 0);
  if (pg) await m.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [CHANGE_LOG_LOCK_KEY]);
  const versionBefore = Number(((await m.query('SELECT COALESCE(MAX(version), 0) AS v FROM change_log')) as Array<{ v: number | string }>)[0]?.v ?? 0);

  // Parents are created before their children (plan order).
  await chunked(m, plan.categories, 6, 1000, 'INSERT INTO category (id, name, parent_id, active, version, sort) VALUES', '', (c) => [c.id, c.name, c.parentId, bool(true), 1, 0]);
  for (let i = 0; i < plan.barcodeDeletes.length; i += 1000) {
    const chunk = plan.barcodeDeletes.slice(i, i + 1000);
    await m.query(`DELETE FROM product_barcode WHERE barcode IN (${chunk.map((_, k) => (pg ? `$${k + 1}` : '?')).join(', ')})`, chunk);
  }
  await chunked(
    m,
    plan.upserts,
    12,
    1000,
    'INSERT INTO product (id, sku, name, name_en, category_id, tax_rate_bp, exemption, weighed, base_price_cents, cost_cents, active, version) VALUES',
    `ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, name = excluded.name, name_en = excluded.name_en, category_id = excluded.category_id,
       tax_rate_bp = excluded.tax_rate_bp, exemption = excluded.exemption, weighed = excluded.weighed, base_price_cents = excluded.base_price_cents,
       cost_cents = excluded.cost_cents, active = excluded.active, version = excluded.version`,
    (p) => [p.id, p.sku, p.name, p.nameEn, p.categoryId, p.taxRateBp, p.exemption, bool(p.weighed), p.basePriceCents, p.costCents, bool(p.active), p.version],
    progress,
  );
  await chunked(m, plan.barcodeInserts, 2, 5000, 'INSERT INTO product_barcode (barcode, product_id) VALUES', '', (b) => [b.barcode, b.productId]);

  // The feed: categories first (products refer to them), then barcode deletes, products, barcode upserts.
  type Feed = [entity: string, entityId: string, op: 'upsert' | 'delete', payload: string | null];
  const feed: Feed[] = [
    ...plan.categories.map((c): Feed => ['category', c.id, 'upsert', JSON.stringify(categoryPayload({ ...c, sort: 0 }))]),
    ...plan.barcodeDeletes.map((b): Feed => ['barcode', b, 'delete', null]),
    ...plan.upserts.map((p): Feed => ['product', p.id, 'upsert', JSON.stringify(productPayload(p))]),
    ...plan.barcodeInserts.map((b): Feed => ['barcode', b.barcode, 'upsert', JSON.stringify(barcodePayload(b))]),
  ];
  await chunked(m, feed, 6, 2000, 'INSERT INTO change_log (entity, entity_id, op, store_id, payload, created_at) VALUES', '', (f) => [f[0], f[1], f[2], null, f[3], at]);
  if (feed.length === 0) return 0;
  const after = Number(((await m.query('SELECT MAX(version) AS v FROM change_log')) as Array<{ v: number | string }>)[0]?.v ?? 0);
  return after > versionBefore ? after : 0;
}

/** The feed rows of a plan, in the order tills must apply them: categories, barcode deletes, products, barcode upserts. */
function* feedOf(plan: ImportPlan): Generator<[entity: string, entityId: string, op: 'upsert' | 'delete', payload: string | null]> {
  for (const c of plan.categories) yield ['category', c.id, 'upsert', JSON.stringify(categoryPayload({ ...c, sort: 0 }))];
  for (const b of plan.barcodeDeletes) yield ['barcode', b, 'delete', null];
  for (const p of plan.upserts) yield ['product', p.id, 'upsert', JSON.stringify(productPayload(p))];
  for (const b of plan.barcodeInserts) yield ['barcode', b.barcode, 'upsert', JSON.stringify(barcodePayload(b))];
}

/**
 * SQLite: the same writes through prepared statements on the connection the transaction is open on
 * (better-sqlite3 runs each in a few microseconds; a TypeORM call per multi-row chunk costs more in building
 * and preparing the SQL than SQLite spends writing). SQLite serializes writers, so the feed needs no lock.
 */
async function writeImportSqlite(m: EntityManager, plan: ImportPlan, at: string, progress: (productsWritten: number) => Promise<void> | void): Promise<number> {
  const db = sqliteDb(m.connection);
  if (!db.inTransaction) throw new Error('writeImport must run inside the import transaction');
  const maxVersion = () => Number((db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM change_log').get() as { v: number }).v);
  const before = maxVersion();
  const b = (x: boolean) => (x ? 1 : 0);
  const insCategory = db.prepare('INSERT INTO category (id, name, parent_id, active, version, sort) VALUES (?, ?, ?, 1, 1, 0)');
  for (const c of plan.categories) insCategory.run(c.id, c.name, c.parentId);
  const delBarcode = db.prepare('DELETE FROM product_barcode WHERE barcode = ?');
  for (const code of plan.barcodeDeletes) delBarcode.run(code);
  const upsert = db.prepare(
    `INSERT INTO product (id, sku, name, name_en, category_id, tax_rate_bp, exemption, weighed, base_price_cents, cost_cents, active, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, name = excluded.name, name_en = excluded.name_en, category_id = excluded.category_id,
       tax_rate_bp = excluded.tax_rate_bp, exemption = excluded.exemption, weighed = excluded.weighed, base_price_cents = excluded.base_price_cents,
       cost_cents = excluded.cost_cents, active = excluded.active, version = excluded.version`,
  );
  const STEP = 5_000;
  // A turn of the event loop between batches: the server keeps answering (tills, the progress poll).
  const breathe = () => new Promise<void>((r) => setImmediate(r));
  for (let i = 0; i < plan.upserts.length; i += STEP) {
    const end = Math.min(i + STEP, plan.upserts.length);
    for (let k = i; k < end; k++) {
      const p = plan.upserts[k]!;
      upsert.run(p.id, p.sku, p.name, p.nameEn, p.categoryId, p.taxRateBp, p.exemption, b(p.weighed), p.basePriceCents, p.costCents, b(p.active), p.version);
    }
    await progress(end);
    await breathe();
  }
  const insBarcode = db.prepare('INSERT INTO product_barcode (barcode, product_id) VALUES (?, ?)');
  let n = 0;
  for (const x of plan.barcodeInserts) {
    insBarcode.run(x.barcode, x.productId);
    if (++n % STEP === 0) await breathe();
  }
  const insFeed = db.prepare('INSERT INTO change_log (entity, entity_id, op, store_id, payload, created_at) VALUES (?, ?, ?, NULL, ?, ?)');
  let any = false;
  for (const [entity, id, op, payload] of feedOf(plan)) {
    insFeed.run(entity, id, op, payload, at);
    any = true;
    if (++n % STEP === 0) await breathe();
  }
  if (!any) return 0;
  const after = maxVersion();
  return after > before ? after : 0;
}
