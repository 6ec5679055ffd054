/** Writes the demo's catalog details (demo-catalog.ts) into the back-office database, inside the seed's transaction. */
import type { DataSource, EntityManager } from 'typeorm';
import type { PriceScheduleData } from '@tpv/shared/wire/sync-protocol';
import { sqliteHandle } from '@tpv/terminal/persistence/data-source';
import { appendChanges } from '@tpv/backoffice/catalog/changes';
import { scheduleChanges } from '@tpv/backoffice/catalog/prices';
import { localTimeOf, localToUtc } from '@tpv/backoffice/catalog/pricing';
import * as repo from '@tpv/backoffice/catalog/repository';
import { DEMO_SUPPLIERS, SUPPLIER_OF, demoSupplierMaster, sid } from './demo-catalog';
import type { DemoFranchise } from './demo-franchise';

/**
 * Suppliers, who supplies each product (reference and cost), and one store price change scheduled for
 * 08:00 local time three days ahead, with its schedule in the change feed like any HQ write.
 */
export async function seedCatalogDetails(m: EntityManager, f: DemoFranchise, categoryNames: Map<string, string>, nowMs: number): Promise<void> {
  const at = new Date(nowMs).toISOString();
  for (const [i, s] of DEMO_SUPPLIERS.entries()) {
    await repo.saveSupplier(m, { ...s, notes: null, active: true, ...demoSupplierMaster(s, i) }, at, false);
  }
  const rows: Array<{ productId: string; supplierId: string; reference: string; costCents: number }> = [];
  f.products.forEach((p, i) => {
    const si = SUPPLIER_OF[categoryNames.get(p.categoryId) ?? ''] ?? 3;
    rows.push({ productId: p.id, supplierId: DEMO_SUPPLIERS[si]!.id, reference: `${DEMO_SUPPLIERS[si]!.nif.slice(0, 3)}-${p.sku}`, costCents: p.costCents ?? 0 });
    // Every fifth article has a second source, a little dearer.
    if (i % 5 === 0 && si !== 3) rows.push({ productId: p.id, supplierId: DEMO_SUPPLIERS[3]!.id, reference: `DAC-${p.sku}`, costCents: Math.round((p.costCents ?? 0) * 1.06) });
  });
  await repo.insertProductSuppliers(m, rows);
  // Purchasing (issue 11): each product's main source is its preferred supplier; drinks come in packs of 6 with a minimum of 12.
  await repo.exec(m, "UPDATE product_supplier SET preferred = ?, lead_time_days = 2 WHERE reference NOT LIKE 'DAC-%'", [true]);
  await repo.exec(m, 'UPDATE product_supplier SET pack_size = 6, min_order_qty = 12, lead_time_days = 3 WHERE supplier_id = ?', [DEMO_SUPPLIERS[4]!.id]);

  const store = f.stores[0]!;
  const product = f.products.find((p) => !p.weighed && p.name.startsWith('Aceite de oliva')) ?? f.products.find((p) => !p.weighed)!;
  const day = localTimeOf(nowMs + 3 * 86_400_000, store.timezone).slice(0, 10);
  const when = localToUtc(`${day}T08:00`, store.timezone);
  if (!when.ok) return;
  await repo.insertPriceChange(m, {
    id: sid(0x100), productId: product.id, level: 'store', companyId: null, storeId: store.id, priceCents: product.basePriceCents + 50,
    effectiveAt: when.iso, localTime: `${day}T08:00`, timezone: store.timezone, status: 'scheduled', createdAt: at, createdBy: null, cancelledAt: null,
  });
  await appendChanges(m, await scheduleChanges(m, [product.id], at));
}

/** The price schedules the feed holds per store (latest per product): a till seeded directly needs them too. */
export async function feedSchedules(ds: DataSource): Promise<Map<string, PriceScheduleData[]>> {
  const rows = await repo.all<{ store_id: string; entity_id: string; op: string; payload: string | null }>(
    ds.manager, `SELECT store_id, entity_id, op, payload FROM change_log WHERE entity = 'price_schedule' ORDER BY version`,
  );
  const last = new Map<string, PriceScheduleData | null>();
  for (const r of rows) last.set(`${r.store_id}|${r.entity_id}`, r.op === 'upsert' && r.payload ? (JSON.parse(r.payload) as PriceScheduleData) : null);
  const out = new Map<string, PriceScheduleData[]>();
  for (const [key, data] of last) {
    if (!data) continue;
    const storeId = key.split('|')[0]!;
    out.set(storeId, [...(out.get(storeId) ?? []), data]);
  }
  return out;
}

/** Writes a store's schedules into a freshly seeded till (what applying the feed would have written). */
export function seedTillSchedules(tds: DataSource, schedules: readonly PriceScheduleData[]): void {
  const db = sqliteHandle(tds);
  const insert = db.prepare('INSERT OR REPLACE INTO price_schedule (product_id, at, price_cents, version) VALUES (?, ?, ?, 1)');
  db.transaction(() => {
    for (const s of schedules) for (const e of s.entries) insert.run(s.productId, e.at, e.priceCents);
  })();
}
