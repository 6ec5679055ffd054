/**
 * A large catalogue written straight into a back-office database, the way the master-data API would leave
 * it: `product` and `product_barcode` rows plus one `change_log` upsert per row (product first, then its
 * barcode), payloads in the shape terminals receive. Bulk multi-row INSERTs in one transaction per 10,000
 * products (SQLite: about 2–3 s for 200,000 products). For benchmarks and system tests; the back office
 * must not be running against a SQLite file while this writes.
 */
import type { DataSource } from 'typeorm';
import { engineOfDs, placeholders, sqliteDb } from '@tpv/backoffice/persistence/raw';

export interface BulkCatalogOptions {
  products: number;
  /** First product number (ids and SKUs are derived from it; default 1). */
  from?: number;
  createdAt?: string;
}

export interface BulkProduct {
  id: string;
  sku: string;
  name: string;
  barcode: string;
  taxRateBp: 2100 | 1000 | 400;
  priceCents: number;
}

export const bulkProductId = (n: number) => `00000000-0000-7000-9b00-${n.toString(16).padStart(12, '0')}`;

export function bulkProduct(n: number): BulkProduct {
  return {
    id: bulkProductId(n),
    sku: `BULK${String(n).padStart(7, '0')}`,
    name: `Producto de catálogo ${n} marca ${n % 97}`,
    barcode: `29${String(n).padStart(11, '0')}`,
    taxRateBp: ([2100, 1000, 400] as const)[n % 3]!,
    priceCents: 100 + (n % 5000),
  };
}

const CHUNK = 500;

/** Writes the catalogue and its change-feed rows; returns the latest change version. */
export async function seedBulkCatalog(ds: DataSource, o: BulkCatalogOptions): Promise<number> {
  const engine = engineOfDs(ds);
  const from = o.from ?? 1;
  const at = o.createdAt ?? new Date().toISOString();
  const bool = (v: boolean) => (engine === 'postgres' ? v : v ? 1 : 0);
  const insert = async (q: { query(sql: string, params: unknown[]): Promise<unknown> }, head: string, columns: number, rows: unknown[][]) => {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      const values = part.map((_, k) => `(${placeholders(engine, columns, k * columns + 1)})`).join(', ');
      await q.query(`${head} VALUES ${values}`, part.flat());
    }
  };
  for (let start = from; start < from + o.products; start += 10_000) {
    const end = Math.min(from + o.products, start + 10_000);
    const products: unknown[][] = [];
    const barcodes: unknown[][] = [];
    const changes: unknown[][] = [];
    for (let n = start; n < end; n++) {
      const p = bulkProduct(n);
      products.push([p.id, p.sku, p.name, null, p.taxRateBp, null, bool(false), p.priceCents, bool(true), 1]);
      barcodes.push([p.barcode, p.id]);
      const product = { id: p.id, sku: p.sku, name: p.name, categoryId: null, taxRateBp: p.taxRateBp, exemption: null, weighed: false, priceCents: p.priceCents, active: true };
      changes.push(['product', p.id, 'upsert', null, JSON.stringify(product), at]);
      changes.push(['barcode', p.barcode, 'upsert', null, JSON.stringify({ barcode: p.barcode, productId: p.id }), at]);
    }
    if (engine === 'sqlite') {
      // The better-sqlite3 handle: prepared multi-row statements, no TypeORM per-query overhead.
      const db = sqliteDb(ds);
      const stmts = new Map<string, ReturnType<typeof db.prepare>>();
      const run = (head: string, columns: number, rows: unknown[][]) => {
        for (let i = 0; i < rows.length; i += CHUNK) {
          const part = rows.slice(i, i + CHUNK);
          const sql = `${head} VALUES ${part.map(() => `(${placeholders('sqlite', columns)})`).join(', ')}`;
          let st = stmts.get(sql);
          if (!st) stmts.set(sql, (st = db.prepare(sql)));
          st.run(part.flat());
        }
      };
      db.transaction(() => {
        run('INSERT INTO product (id, sku, name, category_id, tax_rate_bp, exemption, weighed, base_price_cents, active, version)', 10, products);
        run('INSERT INTO product_barcode (barcode, product_id)', 2, barcodes);
        run('INSERT INTO change_log (entity, entity_id, op, store_id, payload, created_at)', 6, changes);
      })();
      continue;
    }
    await ds.transaction(async (m) => {
      await insert(m, 'INSERT INTO product (id, sku, name, category_id, tax_rate_bp, exemption, weighed, base_price_cents, active, version)', 10, products);
      await insert(m, 'INSERT INTO product_barcode (barcode, product_id)', 2, barcodes);
      await insert(m, 'INSERT INTO change_log (entity, entity_id, op, store_id, payload, created_at)', 6, changes);
    });
  }
  const rows = (await ds.query('SELECT MAX(version) AS v FROM change_log')) as Array<{ v: number | string | null }>;
  return Number(rows[0]?.v ?? 0);
}
