/**
 * Scheduled prices at the till (catalog, issue 10): a `price_schedule` change applied from the feed into a
 * real terminal database, then the till's own lookups (barcode scan, product by id, search, the cart) with
 * an injected clock: the old price before the effective instant, the new one from that very millisecond on,
 * with nothing but the local database; a replaced schedule (a cancelled change) and a deleted one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCatalogStore } from '../../src/sync/catalog';
import { openTerminalDatabase, sqliteHandle } from '../../src/persistence/data-source';
import { createTerminalRepositories } from '../../src/persistence/repositories';
import { createCatalogQueries } from '../../src/catalog/catalog';
import { createTerminalApp } from '../../src/app/terminal-app';
import type { StaffMember } from '../../src/people/pins';
import { makeEan13 } from '@tpv/shared/barcode';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tpv-sched-price-'));
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
  rmSync(dir, { recursive: true, force: true });
});

const P = '00000000-0000-7000-8005-000000000001';
const T1 = '2027-03-28T00:59:00.000Z';
const T2 = '2027-03-28T01:00:00.000Z'; // 03:00 in Madrid, the first minute of summer time
const at = (iso: string, deltaMs = 0) => ({ now: () => Date.parse(iso) + deltaMs });

async function till(name: string) {
  const ds = await openTerminalDatabase(path.join(dir, `${name}.sqlite`));
  closers.push(async () => {
    if (ds.isInitialized) await ds.destroy();
  });
  const db = sqliteHandle(ds);
  const store = createCatalogStore(db);
  let v = 0;
  const apply = (changes: Array<Record<string, unknown>>) => {
    const page = { fromVersion: v, toVersion: v + changes.length, hasMore: false, changes: changes.map((c, i) => ({ version: v + i + 1, ...c })) };
    store.applyPage(page, new Date().toISOString());
    v += changes.length;
  };
  apply([
    { entity: 'product', id: P, op: 'upsert', data: { id: P, sku: 'ACEITE-1L', name: 'Aceite de oliva 1 l', categoryId: null, taxRateBp: 1000, exemption: null, weighed: false, priceCents: 899, active: true } },
    { entity: 'barcode', id: '8410000000016', op: 'upsert', data: { barcode: '8410000000016', productId: P } },
  ]);
  return { db, apply };
}

describe('till price lookup with scheduled changes', () => {
  it('sells at the old price until the effective instant and at the new one from it on, from the local database only', async () => {
    const { db, apply } = await till('switch');
    apply([{ entity: 'price_schedule', id: P, op: 'upsert', data: { productId: P, entries: [{ at: T1, priceCents: 949 }, { at: T2, priceCents: 999 }] } }]);
    const scan = (iso: string, d = 0) => createTerminalRepositories(db, at(iso, d)).findProductByBarcode('8410000000016')!.priceCents;
    const byId = (iso: string, d = 0) => createCatalogQueries(db, at(iso, d)).productById(P)!.priceCents;
    const search = (iso: string) => createTerminalRepositories(db, at(iso)).searchProducts('aceite')[0]!.priceCents;

    expect(scan(T1, -1)).toBe(899);
    expect(scan(T1)).toBe(949);
    expect(scan(T2, -1)).toBe(949);
    expect(scan(T2)).toBe(999);
    expect(byId(T1, -1)).toBe(899);
    expect(byId(T2)).toBe(999);
    expect(search(T1)).toBe(949);

    // The cart of a till whose clock is just past T2 rings up the new price.
    let now = Date.parse(T2) - 1000;
    const app = createTerminalApp({ db, clock: { now: () => now }, startPrinting: false });
    closers.push(() => app.stop());
    const cashier = { id: 'st-1', code: '1', name: 'Lucía', role: 'cashier' } as unknown as StaffMember;
    const before = app.cart.scan(cashier, '8410000000016');
    if (!before.ok) throw new Error(JSON.stringify(before.error));
    expect(before.value.lines.at(-1)!.unitPrice).toBe(949);
    now = Date.parse(T2) + 1000;
    const after = app.cart.scan(cashier, '8410000000016');
    expect(after.ok && after.value.lines.map((l) => l.unitPrice)).toEqual([949, 999]);

    // The box of 12's own barcode rings up 12 units at the price in force.
    const box = makeEan13('841000000012');
    apply([{ entity: 'barcode', id: box, op: 'upsert', data: { barcode: box, productId: P, units: 12 } }]);
    const boxed = app.cart.scan(cashier, box);
    expect(boxed.ok && boxed.value.lines.at(-1)).toMatchObject({ unitPrice: 999, quantity: { kind: 'units', units: 13 } }); // merged with the unit above
  });

  it('a replaced schedule (change cancelled at HQ) and a deleted one fall back to the product price', async () => {
    const { db, apply } = await till('cancel');
    apply([{ entity: 'price_schedule', id: P, op: 'upsert', data: { productId: P, entries: [{ at: T1, priceCents: 949 }, { at: T2, priceCents: 999 }] } }]);
    apply([{ entity: 'price_schedule', id: P, op: 'upsert', data: { productId: P, entries: [{ at: T1, priceCents: 949 }] } }]);
    const scan = (iso: string) => createTerminalRepositories(db, at(iso)).findProductByBarcode('8410000000016')!.priceCents;
    expect(scan(T2)).toBe(949);
    apply([{ entity: 'price_schedule', id: P, op: 'delete', data: null }]);
    expect(scan(T2)).toBe(899);
    // A store price still applies as before.
    apply([{ entity: 'price', id: P, op: 'upsert', data: { productId: P, priceCents: 850 } }]);
    expect(scan(T2)).toBe(850);
  });
});
