/**
 * Writes the demo franchise into the back-office database and into each demo terminal's database, each only
 * if it is still empty, so restarting the demo keeps every sale made before.
 */
import { hashSecret } from '@tpv/backoffice/auth/secret-hash';
import type { DataSource, EntitySchema } from 'typeorm';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import * as bo from '@tpv/backoffice/persistence/entities';
import * as org from '@tpv/backoffice/organisation/entities';
import { latestChangeVersion, type ChangeInput } from '@tpv/backoffice/persistence/change-log';
import { appendChanges } from '@tpv/backoffice/catalog/changes';
import { barcodePayload, categoryPayload, customerPayload, pricePayload, productPayload, staffPayload } from '@tpv/backoffice/catalog/payloads';
import { openTerminalDatabase, sqliteHandle } from '@tpv/terminal/persistence/data-source';
import { readIdentity, writeIdentity } from '@tpv/terminal/identity';
import { feedSchedules, seedCatalogDetails, seedTillSchedules } from './demo-catalog-write';
import { seedPurchaseOrders } from './demo-purchasing';
import type { DemoFranchise, DemoTerminal } from './demo-franchise';
import type { PriceScheduleData } from '@tpv/shared/wire/sync-protocol';
import { seedDemoHistory } from './history';
import { seedDemoStock } from './stock';
import { seedStockDocuments } from './stock-documents';
import { seedDemoReplenishment } from './demo-replenishment';
import { seedDemoPromotions } from './demo-promotions';
import { seedDemoVouchers } from './demo-vouchers';
import { seedDemoPrivacy } from './demo-privacy';
import { seedDemoLoyalty } from './demo-loyalty';
import { seedDemoBlocks } from './demo-blocks';
import { seedDemoCrm } from './demo-crm';
import { foldName } from '@tpv/shared/crm/customer';

export interface SeedTargets {
  franchise: DemoFranchise;
  backoffice: { databaseUrl?: string | undefined; file: string };
  terminals: Array<{ terminal: DemoTerminal; file: string }>;
  /** ~90 days of sales history (the demo); tests that need an empty ledger leave it off. */
  history?: boolean;
}

/** Seeds what is empty; returns true if anything was written. */
export async function seedDemoDatabases(targets: SeedTargets): Promise<boolean> {
  const hashes = await hashSecrets(targets.franchise);
  let seeded = false;
  let catalogVersion = 1;
  let schedules = new Map<string, PriceScheduleData[]>();
  const ds = await openBackofficeDatabase(targets.backoffice);
  try {
    seeded = (await seedBackoffice(ds, targets.franchise, hashes)) || seeded;
    // ~90 days of sales in every store (once: skipped when its marker is there).
    const history = targets.history ? await seedDemoHistory(ds, targets.franchise) : { seeded: false, tickets: 0, ms: 0 };
    if (history.seeded) console.log(`[demo] sales history: ${history.tickets} tickets in ${(history.ms / 1000).toFixed(1)} s`);
    seeded = history.seeded || seeded;
    // Opening stock with costs: the stores' history openings costed, the central warehouse's opening receipt.
    const stock = await seedDemoStock(ds, targets.franchise);
    if (stock.seeded) console.log(`[demo] opening stock: ${stock.storeLines} store lines costed, ${stock.warehouseLines} warehouse lines`);
    seeded = stock.seeded || seeded;
    // An open count and a draft transfer (after the history: the count's expected quantities are its stock).
    seeded = (await seedStockDocuments(ds, targets.franchise)) || seeded;
    seeded = (await seedDemoVouchers(ds, targets.franchise)) || seeded; // gift vouchers (issue 15)
    catalogVersion = Math.max(1, await latestChangeVersion(ds.manager));
    schedules = await feedSchedules(ds);
    // After the tills' starting version: the delivery note it ships reaches them through the feed.
    seeded = (await seedDemoReplenishment(ds, targets.franchise)) || seeded;
    seeded = (await seedDemoPromotions(ds, targets.franchise)) || seeded;
    seeded = (await seedDemoPrivacy(ds, targets.franchise)) || seeded;
    seeded = (await seedDemoLoyalty(ds, targets.franchise)) || seeded;
    seeded = (await seedDemoBlocks(ds, targets.franchise)) || seeded; // issue 17: a closed recall and an open block (down the feed)
    // CRM: demo customers, a couple of duplicates, two segments (after the tills' version: they pull them).
    seeded = (await seedDemoCrm(ds, targets.franchise.stores)) || seeded;
  } finally {
    await ds.destroy();
  }
  for (const t of targets.terminals) {
    const tds = await openTerminalDatabase(t.file);
    try {
      const fresh = seedTerminal(tds, targets.franchise, t.terminal, hashes, catalogVersion);
      if (fresh) seedTillSchedules(tds, schedules.get(t.terminal.storeId) ?? []);
      seeded = fresh || seeded;
    } finally {
      await tds.destroy();
    }
  }
  return seeded;
}

interface Hashes { pins: Map<string, string>; passwords: Map<string, string> }

/** argon2id for staff PINs and back-office passwords; hashed once, the same hash goes to HQ and the tills. */
export async function hashSecrets(f: DemoFranchise): Promise<Hashes> {
  const pins = new Map<string, string>();
  const passwords = new Map<string, string>();
  await Promise.all([
    ...f.staff.map(async (s) => pins.set(s.id, await hashSecret(s.pin))),
    ...f.users.map(async (u) => passwords.set(u.id, await hashSecret(u.password))),
  ]);
  return { pins, passwords };
}


export async function seedBackoffice(ds: DataSource, f: DemoFranchise, hashes: Hashes): Promise<boolean> {
  if ((await ds.getRepository(bo.CompanyEntity).count()) > 0) return false;
  await ds.transaction(async (m) => {
    await m.insert(bo.CompanyEntity, f.companies.map((c) => ({ id: c.id, kind: c.kind, nif: c.nif, legalName: c.legalName, tradeName: c.tradeName, address: c.address, ...c.addr, iban: c.iban })));
    let contact = 0;
    await m.insert(
      org.CompanyContactEntity,
      f.companies.flatMap((c) => c.contacts.map((k, position) => ({ id: `00000000-0000-7000-800b-${String(++contact).padStart(12, '0')}`, companyId: c.id, position, ...k }))),
    );
    await m.insert(
      bo.StoreEntity,
      f.stores.map((s) => ({ id: s.id, code: s.code, companyId: s.companyId, name: s.name, address: s.address, timezone: s.timezone, ...s.addr, openingHours: JSON.stringify(s.openingHours), salesAreaM2: s.salesAreaM2 })),
    );
    await m.insert(org.WarehouseEntity, f.warehouses.map((w) => ({ id: w.id, code: w.code, companyId: w.companyId, name: w.name, address: w.address, ...w.addr, archivedAt: null })));
    const seededAt = '2026-01-01T00:00:00.000Z';
    await m.insert(org.FranchiseContractEntity, f.contracts.map((k) => ({ ...k, createdAt: seededAt, updatedAt: seededAt })));
    await m.insert(
      bo.TerminalEntity,
      f.terminals.map((t) => ({
        id: t.id, storeId: t.storeId, code: t.code, name: t.name, installation: t.installation, tokenHash: null, pairingCodeHash: null,
        pairingExpiresAt: null, revokedAt: null, lastSeenAt: null, lastAckedSeq: 0, lastFiscalHash: null, catalogVersion: 0, appVersion: null,
      })),
    );
    await m.insert(bo.AppUserEntity, f.users.map((u) => ({ id: u.id, email: u.email, name: u.name, passwordHash: hashes.passwords.get(u.id)!, role: u.role, companyId: u.companyId, storeId: u.storeId ?? null })));
    await m.insert(bo.StaffEntity, f.staff.map((s) => ({ id: s.id, companyId: s.companyId, storeId: s.storeId, code: s.code, name: s.name, role: s.role, pinHash: hashes.pins.get(s.id)!, active: true, version: 1 })));
    await m.insert(bo.CategoryEntity, f.categories.map((c) => ({ id: c.id, name: c.name, parentId: null, active: true, version: 1 })));
    await m.insert(bo.CustomerEntity, f.customers.map((c) => ({ id: c.id, nif: c.nif, name: c.name, email: c.email, reRegime: c.reRegime, creditLimitCents: c.creditLimitCents, active: true, version: 1 })));
    for (const [entity, rows] of [
      [bo.ProductEntity, f.products.map((p) => ({ id: p.id, sku: p.sku, name: p.name, categoryId: p.categoryId, taxRateBp: p.taxRateBp, exemption: p.exemption, weighed: p.weighed, basePriceCents: p.basePriceCents, nameEn: p.nameEn ?? null, costCents: p.costCents ?? null, active: true, version: 1 }))],
      [bo.ProductBarcodeEntity, f.products.flatMap((p) => p.barcodes.map((barcode) => ({ barcode, productId: p.id })))],
      [bo.StorePriceEntity, f.storePrices],
    ] as const) {
      for (let i = 0; i < rows.length; i += 300) await m.insert(entity as EntitySchema<object>, rows.slice(i, i + 300) as never);
    }
    for (const c of f.categories) await m.query(`UPDATE category SET sort = ${c.sort} WHERE id = '${c.id}'`);
    // Everything seeded is also in the change feed, so a freshly paired till pulls the whole catalog.
    await appendChanges(m, seedChanges(f, hashes, new Date().toISOString()));
    await seedCatalogDetails(m, f, new Map(f.categories.map((c) => [c.id, c.name])), Date.now());
    await seedPurchaseOrders(m, f, Date.now());
  });
  return true;
}

/** The master-data change_log rows describing the seeded franchise (same payloads as the HQ API writes). */
export function seedChanges(f: DemoFranchise, hashes: Hashes, createdAt: string): ChangeInput[] {
  const out: ChangeInput[] = [];
  const up = (entity: string, entityId: string, payload: unknown, storeId: string | null = null) =>
    out.push({ entity, entityId, op: 'upsert', storeId, payload, createdAt });
  for (const c of f.categories) up('category', c.id, categoryPayload({ id: c.id, name: c.name, parentId: null, sort: c.sort }));
  for (const p of f.products) {
    up('product', p.id, productPayload({ ...p, active: true }));
    for (const barcode of p.barcodes) up('barcode', barcode, barcodePayload({ barcode, productId: p.id }));
  }
  for (const sp of f.storePrices) up('price', sp.productId, pricePayload(sp), sp.storeId);
  for (const c of f.customers) up('customer', c.id, customerPayload({ ...c, active: true }));
  for (const s of f.staff) {
    // Company-wide staff reach every store of their company, and no other franchisee's tills.
    const stores = s.storeId !== null ? [s.storeId] : f.stores.filter((x) => x.companyId === s.companyId).map((x) => x.id);
    for (const storeId of stores) up('staff', s.id, staffPayload({ ...s, pinHash: hashes.pins.get(s.id)!, active: true }), storeId);
  }
  return out;
}

/** The terminal's local copy for its store: identity, catalog with this store's prices, staff, customers. */
export function seedTerminal(ds: DataSource, f: DemoFranchise, terminal: DemoTerminal, hashes: Hashes, catalogVersion = 1): boolean {
  const db = sqliteHandle(ds);
  if (readIdentity(db)) return false;
  const store = f.stores.find((s) => s.id === terminal.storeId)!;
  const company = f.companies.find((c) => c.id === store.companyId)!;
  const prices = new Map(f.storePrices.filter((p) => p.storeId === store.id).map((p) => [p.productId, p.priceCents]));
  const insertCategory = db.prepare('INSERT INTO category (id, name, parent_id, sort, version) VALUES (?, ?, NULL, ?, 1)');
  const insertProduct = db.prepare(
    'INSERT INTO product (id, sku, name, category_id, tax_rate_bp, exemption, weighed, price_cents, active, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1)',
  );
  const insertBarcode = db.prepare('INSERT INTO product_barcode (barcode, product_id, version) VALUES (?, ?, 1)');
  const insertStaff = db.prepare('INSERT INTO staff (id, code, name, role, pin_hash, active, version) VALUES (?, ?, ?, ?, ?, 1, 1)');
  const insertCustomer = db.prepare(
    'INSERT INTO customer (id, nif, name, re_regime, credit_limit_cents, balance_cents, active, version, name_key) VALUES (?, ?, ?, ?, ?, 0, 1, 1, ?)',
  );
  const insertQuickKey = db.prepare('INSERT INTO quick_key (page, position, product_id, label, color, version) VALUES (?, ?, ?, ?, ?, 1)');
  db.transaction(() => {
    for (const c of f.categories) insertCategory.run(c.id, c.name, c.sort);
    for (const p of f.products) {
      insertProduct.run(p.id, p.sku, p.name, p.categoryId, p.taxRateBp, p.exemption, p.weighed ? 1 : 0, prices.get(p.id) ?? p.basePriceCents);
      for (const b of p.barcodes) insertBarcode.run(b, p.id);
    }
    for (const s of f.staff.filter((s) => s.companyId === company.id && (s.storeId === null || s.storeId === store.id))) {
      insertStaff.run(s.id, s.code, s.name, s.role, hashes.pins.get(s.id)!);
    }
    for (const c of f.customers) insertCustomer.run(c.id, c.nif, c.name, c.reRegime ? 1 : 0, c.creditLimitCents, foldName(c.name));
    // First page of quick keys: the weighed counter articles and bread, what a cashier keys most.
    const quick = f.products.filter((p) => p.weighed).slice(0, 20).concat(f.products.filter((p) => p.name.startsWith('Pan de barra')).slice(0, 4));
    quick.forEach((p, i) => insertQuickKey.run(1, i + 1, p.id, p.name.slice(0, 24), p.weighed ? '#2e7d32' : '#8d6e63'));
    // The local copy equals the back office's feed up to this version.
    db.prepare('UPDATE master_data_state SET version = ?, updated_at = ? WHERE id = 1').run(catalogVersion, new Date().toISOString());
    writeIdentity(db, {
      terminalId: terminal.id, terminalCode: terminal.code, terminalName: terminal.name, storeId: store.id, storeCode: store.code,
      storeName: store.name, storeAddress: store.address, timezone: store.timezone, companyId: company.id, companyNif: company.nif,
      companyLegalName: company.legalName, companyTradeName: company.tradeName, installation: terminal.installation,
    });
  })();
  return true;
}
