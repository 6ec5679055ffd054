/**
 * Master-data apply: the change feed from FakeHq into a real terminal database — full load in pages with
 * progress, increments on nudge, deletions, store prices vs base prices, order independence, atomic pages.
 */
import { describe, expect, it } from 'vitest';
import { SyncClient, createCatalogStore, type CatalogProgress } from '../../src/sync';
import { FakeHq, type NewChange } from '../support/fake-hq';
import { createTerminalRepositories } from '../../src/persistence/repositories';
import type { SqliteHandle } from '../../src/persistence/data-source';
import { identityFor, scratchPerFile, openTerminal, until } from './sync-fixtures';

const { tmp, cleanups } = scratchPerFile();
const clock = { now: () => Date.now() };

const pid = (n: number) => `00000000-0000-7000-8005-${String(n).padStart(12, '0')}`;
const product = (n: number, extra: Record<string, unknown> = {}): NewChange => ({
  entity: 'product', id: pid(n), op: 'upsert',
  data: { id: pid(n), sku: `MV${String(n).padStart(6, '0')}`, name: `Producto ${n}`, categoryId: 'cat-1', taxRateBp: 2100, exemption: null, weighed: false, priceCents: 100 + n, active: true, ...extra },
});
const barcode = (code: string, n: number): NewChange => ({ entity: 'barcode', id: code, op: 'upsert', data: { barcode: code, productId: pid(n) } });
const price = (n: number, cents: number): NewChange => ({ entity: 'price', id: pid(n), op: 'upsert', data: { productId: pid(n), priceCents: cents } });
const del = (entity: NewChange['entity'], id: string): NewChange => ({ entity, id, op: 'delete', data: null });

async function setup(n: number) {
  const h = new FakeHq({ validatePages: true });
  await h.listen(0);
  cleanups.push(() => h.close());
  const t = await openTerminal(tmp.file(), identityFor(n));
  cleanups.push(async () => {
    if (t.ds.isInitialized) await t.ds.destroy();
  });
  h.addTerminal(identityFor(n));
  const token = h.issueToken(identityFor(n).terminalId);
  t.db.prepare(`INSERT INTO terminal_config (key, value) VALUES ('sync', ?)`).run(
    JSON.stringify({ terminalId: identityFor(n).terminalId, token, pairedAt: new Date().toISOString() }),
  );
  const progress: CatalogProgress[] = [];
  const c = new SyncClient({ db: t.db, backofficeUrl: h.url, clock, appVersion: '0.1.0', log: () => undefined, pollMs: 20, backoff: { baseMs: 20, maxMs: 200 } });
  c.on('progress', (p) => progress.push(p));
  cleanups.push(() => c.stop());
  return { h, db: t.db, c, progress };
}

const priceOf = (db: SqliteHandle, n: number) =>
  db.prepare<[string], { price_cents: number }>('SELECT price_cents FROM product WHERE id = ?').get(pid(n))?.price_cents;
const version = (db: SqliteHandle) => db.prepare<[], { version: number }>('SELECT version FROM master_data_state').get()!.version;

describe('sync client: master data', () => {
  it('first load in pages with progress, then increments on nudge; deletions propagate', async () => {
    const { h, db, c, progress } = await setup(21);
    const changes: NewChange[] = [
      { entity: 'category', id: 'cat-1', op: 'upsert', data: { id: 'cat-1', name: 'Despensa', parentId: null, sort: 1 } },
      { entity: 'staff', id: 'st-1', op: 'upsert', data: { id: 'st-1', code: 'M001-1', name: 'Lucía', role: 'cashier', pinHash: '$argon2id$x', active: true } },
      { entity: 'customer', id: 'cu-1', op: 'upsert', data: { id: 'cu-1', nif: 'B12345674', name: 'Bar El Rincón', reRegime: false, creditLimitCents: 150000, active: true } },
      { entity: 'notice', id: 'no-1', op: 'upsert', data: { id: 'no-1', title: 'Inventario', body: 'El lunes', validUntil: null } },
      { entity: 'tax', id: 'tax-21', op: 'upsert', data: { id: 'tax-21', rateBp: 2100 } }, // not kept by the till
    ];
    for (let i = 1; i <= 2500; i++) changes.push(product(i), barcode(`84${String(i).padStart(11, '0')}`, i));
    h.publish(changes, false);
    await c.start();
    await until(() => version(db) === h.catalogVersion && !c.status().catalog.loading, 20_000, 'full load');
    expect(h.pulls).toBeGreaterThanOrEqual(6); // 5005 changes, ≤ 1000 per page
    const counts = c.catalog.counts();
    expect(counts).toEqual({ products: 2500, barcodes: 2500, categories: 1, staff: 1, customers: 1, notices: 1 });
    expect(progress[0]).toMatchObject({ loading: true, fullLoad: true, version: 0, targetVersion: 5005 });
    expect(progress.at(-1)).toMatchObject({ loading: false, version: 5005, fraction: 1 });
    expect(progress.some((p) => p.fraction > 0 && p.fraction < 1)).toBe(true);
    const repos = createTerminalRepositories(db);
    expect(repos.findProductByBarcode('8400000000042')).toMatchObject({ id: pid(42), priceCents: 142, version: 5 + 41 * 2 + 1 });
    expect(repos.searchProducts('producto 1234').map((p) => p.id)).toContain(pid(1234));

    // Increments: a nudge brings an edit, a new product and deletions.
    h.publish([
      product(42, { name: 'Aceite de oliva', priceCents: 999 }),
      product(2501),
      del('product', pid(7)),
      del('barcode', '8400000000010'),
      del('staff', 'st-1'),
      del('notice', 'no-1'),
    ]);
    await until(() => version(db) === h.catalogVersion, 5000, 'increment');
    expect(repos.findProductByBarcode('8400000000042')).toMatchObject({ name: 'Aceite de oliva', priceCents: 999 });
    expect(repos.searchProducts('aceite oliva').map((p) => p.id)).toEqual([pid(42)]);
    expect(repos.findProductByBarcode('8400000000007')).toBeUndefined(); // its barcode went with the product
    expect(repos.findProductByBarcode('8400000000010')).toBeUndefined();
    expect(c.catalog.counts()).toMatchObject({ products: 2500, barcodes: 2498, staff: 0, notices: 0 });
    expect(c.status().catalog).toMatchObject({ version: 5011, targetVersion: 5011, loading: false });
  });

  it('a store price wins over the base price in any order; deleting it falls back to the base', async () => {
    const { h, db, c } = await setup(22);
    h.publish([price(1, 250), product(1, { priceCents: 199 }), product(2, { priceCents: 300 }), price(2, 280), barcode('2100001', 3), product(3)], false);
    await c.start();
    await until(() => version(db) === h.catalogVersion, 5000, 'load');
    expect(priceOf(db, 1)).toBe(250); // price before product: kept
    expect(priceOf(db, 2)).toBe(280); // price after product: applied
    expect(createTerminalRepositories(db).findProductByBarcode('2100001')?.id).toBe(pid(3)); // barcode before product
    h.publish([product(1, { priceCents: 209, name: 'Renamed' }), product(2, { priceCents: 310 })]);
    await until(() => version(db) === h.catalogVersion, 5000, 'base price change');
    expect(priceOf(db, 1)).toBe(250); // a later base-price upsert does not clobber the store price
    expect(priceOf(db, 2)).toBe(280);
    h.publish([del('price', pid(1))]);
    await until(() => version(db) === h.catalogVersion, 5000, 'store price removed');
    expect(priceOf(db, 1)).toBe(209);
    expect(priceOf(db, 2)).toBe(280);
  });

  it('applies each page atomically with its version; a page it cannot apply changes nothing', () => {
    return (async () => {
      const t = await openTerminal(tmp.file(), identityFor(23));
      cleanups.push(() => t.ds.destroy());
      const store = createCatalogStore(t.db);
      const page = (from: number, changes: Array<NewChange & { version: number }>) => ({
        fromVersion: from, toVersion: changes.at(-1)?.version ?? from, changes, hasMore: false,
      });
      expect(store.applyPage(page(0, [{ ...product(1), version: 1 }, { ...product(2), version: 2 }]), new Date().toISOString())).toMatchObject({
        version: 2, applied: 2, stale: false,
      });
      // A bad record in the middle: the whole page is refused, version stays.
      const bad = { entity: 'product' as const, id: pid(4), op: 'upsert' as const, data: { id: pid(4), name: 'no sku' }, version: 4 };
      expect(() => store.applyPage(page(2, [{ ...product(3), version: 3 }, bad]), new Date().toISOString())).toThrow(/sku/);
      expect(store.version()).toBe(2);
      expect(store.counts().products).toBe(2);
      // A page that does not start at the local version is stale: nothing applied.
      expect(store.applyPage(page(5, [{ ...product(9), version: 6 }]), new Date().toISOString())).toMatchObject({ stale: true, version: 2 });
      // SKU moved to another product id: the older holder is renamed rather than the page failing.
      store.applyPage(page(2, [{ ...product(5, { sku: 'MV000001' }), version: 3 }]), new Date().toISOString());
      const skus = t.db.prepare<[], { id: string; sku: string }>('SELECT id, sku FROM product ORDER BY id').all();
      expect(skus).toEqual([
        { id: pid(1), sku: `MV000001~${pid(1)}` },
        { id: pid(2), sku: 'MV000002' },
        { id: pid(5), sku: 'MV000001' },
      ]);
      expect(t.db.pragma('foreign_keys', { simple: true })).toBe(1);
    })();
  });

  it('a bulk load suspends the search triggers crash-safely and restores them with a rebuilt index', async () => {
    const file = tmp.file();
    let t = await openTerminal(file, identityFor(24));
    const triggers = (db: SqliteHandle) =>
      db.prepare<[], { name: string; sql: string }>(`SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'trg_product_fts_%' ORDER BY name`).all();
    const before = triggers(t.db);
    expect(before).toHaveLength(3);
    let store = createCatalogStore(t.db);
    store.beginBulk();
    expect(triggers(t.db)).toEqual([]);
    store.applyPage({ fromVersion: 0, toVersion: 2, hasMore: true, changes: [{ ...product(1), version: 1 }, { ...product(2, { name: 'Queso manchego' }), version: 2 }] }, new Date().toISOString());
    // The process dies here; the next start finishes the job.
    await t.ds.destroy();
    t = await openTerminal(file);
    cleanups.push(() => t.ds.destroy());
    store = createCatalogStore(t.db);
    expect(store.bulk).toBe(false);
    expect(triggers(t.db)).toEqual(before);
    expect(createTerminalRepositories(t.db).searchProducts('manchego').map((p) => p.id)).toEqual([pid(2)]);
    // And the restored triggers work for later changes.
    store.applyPage({ fromVersion: 2, toVersion: 3, hasMore: false, changes: [{ ...product(3, { name: 'Queso azul' }), version: 3 }] }, new Date().toISOString());
    expect(createTerminalRepositories(t.db).searchProducts('queso').map((p) => p.id).sort()).toEqual([pid(2), pid(3)]);
  });
});
