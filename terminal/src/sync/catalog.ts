/**
 * Applying the master-data change feed to the terminal's SQLite copy (invariant 5).
 *
 * Each page is applied in one SQLite transaction together with `master_data_state.version = toVersion`, so
 * the local version always names exactly what the tables hold: a crash mid-page leaves the previous page's
 * version and the page is fetched again. Prepared statements on the raw better-sqlite3 handle; foreign keys
 * are switched off for the page (a barcode may arrive before its product) and the cascades they would have
 * done are done explicitly.
 *
 * Scheduled prices: a store-scoped `price_schedule` change (id = productId) replaces the product's rows in
 * `price_schedule`; lookups (persistence/repositories.ts, catalog/catalog.ts) sell at the newest entry
 * effective at the till's clock, falling back to `product.price_cents`.
 *
 * Prices: `product.priceCents` in the feed is the franchise base price; a store-scoped `price` change
 * (id = productId) overrides it in this store. Both are kept in `sync_product_price`; the till's
 * `product.price_cents` is always COALESCE(store price, base price), whatever order the changes arrive in.
 *
 * Bulk loads (the first load of a fresh terminal, or any big backlog): `beginBulk` suspends the product
 * search triggers (their SQL is saved in terminal_config in the same transaction) and `endBulk` rebuilds
 * the FTS index in one pass and restores them — 4× cheaper than maintaining the index row by row. If the
 * process dies in between, `createCatalogStore` finishes the job at the next start. Page transactions run
 * with `synchronous = NORMAL` (a page lost to a power cut is fetched again; WAL keeps the file consistent),
 * switched back to FULL before any other statement can run, so sales keep their durability.
 *
 * Uniques: if an upsert's SKU (product) or code (staff) is held by another row, that row's value gets a
 * `~<id>` suffix rather than failing the page — a feed that can never be applied would stop the terminal's
 * catalogue for good. Entities the terminal does not keep (tax, promotion, store, terminal, settings) are
 * skipped; their versions still count as applied. Delivery notes shipped to this store (`delivery_note`) are
 * kept in their own table for receiving by scanning offline (terminal/src/stock/).
 */
import { foldName } from '@tpv/shared/crm/customer';
import type { z } from 'zod';
import { MASTER_DATA_ENTITIES, MAX_CHANGES_PER_PAGE, type ChangePage, type MasterDataChange } from '@tpv/shared/wire/sync';
import type { SqliteHandle } from '../persistence/data-source';
import {
  BarcodeDataSchema, CategoryDataSchema, CustomerDataSchema, NoticeDataSchema, PriceDataSchema, PriceScheduleDataSchema, ProductDataSchema, StaffDataSchema,
} from '@tpv/shared/wire/sync-protocol';
import { DeliveryNoteDataSchema } from '@tpv/shared/wire/upward';
import { PromotionSchema } from '@tpv/shared/promotions/definition';
import { forgetCustomerLocally } from '../privacy/privacy';
import { LoyaltyProgrammeDataSchema } from '@tpv/shared/loyalty/rules';
import { ProductBlockDataSchema } from '@tpv/shared/blocks/rules';
import { ReceiptDesignDataSchema } from '@tpv/shared/receipts/design';
import { TaskDataSchema } from '@tpv/shared/office/tasks';

export interface ApplyResult {
  /** Version held after the page (unchanged when the page was stale). */
  version: number;
  applied: number;
  skipped: number;
  /** True when the page did not start at the local version (nothing applied). */
  stale: boolean;
}

export class ChangeApplyError extends Error {
  constructor(
    message: string,
    readonly change?: MasterDataChange,
  ) {
    super(message);
    this.name = 'ChangeApplyError';
  }
}

export interface CatalogStore {
  version(): number;
  /** Suspends the product search triggers for a big load (idempotent). */
  beginBulk(): void;
  /** Rebuilds the product search index and restores its triggers (idempotent). */
  endBulk(): void;
  readonly bulk: boolean;
  /** Validates and applies one ChangePage atomically. Throws ChangeApplyError on a page it cannot apply. */
  applyPage(page: unknown, nowIso: string): ApplyResult;
  /** Consecutive pages in one transaction (bulk loads: fewer, bigger commits). */
  applyPages(pages: unknown[], nowIso: string): ApplyResult;
  counts(): { products: number; barcodes: number; categories: number; staff: number; customers: number; notices: number };
}

const b = (v: boolean) => (v ? 1 : 0);

const ENTITIES = new Set<string>(MASTER_DATA_ENTITIES);
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);

/**
 * The structure of ChangePageSchema (@tpv/shared/wire/sync), checked by hand: the zod parse costs more than
 * applying the rows on a 200k-product load. Each upsert's `data` is then parsed by its entity's schema.
 */
export function checkChangePage(raw: unknown): ChangePage | string {
  if (typeof raw !== 'object' || raw === null) return 'not an object';
  const p = raw as Record<string, unknown>;
  if ('error' in p) return `back office error: ${String(p['error']).slice(0, 200)}`;
  const { fromVersion, toVersion, changes, hasMore } = p;
  if (!isInt(fromVersion) || fromVersion < 0 || !isInt(toVersion) || toVersion < fromVersion) return 'fromVersion/toVersion';
  if (typeof hasMore !== 'boolean') return 'hasMore';
  if (!Array.isArray(changes) || changes.length > MAX_CHANGES_PER_PAGE) return 'changes';
  let prev = fromVersion;
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i] as Record<string, unknown> | null;
    if (typeof c !== 'object' || c === null) return `changes.${i}`;
    const v = c['version'];
    if (!isInt(v) || v <= prev || v > toVersion) return `changes.${i}.version: must increase within (fromVersion, toVersion]`;
    prev = v;
    if (typeof c['entity'] !== 'string' || !ENTITIES.has(c['entity'])) return `changes.${i}.entity`;
    const id = c['id'];
    if (typeof id !== 'string' || id.length === 0 || id.length > 64 || !ID_RE.test(id)) return `changes.${i}.id`;
    if (c['op'] === 'upsert') {
      if (typeof c['data'] !== 'object' || c['data'] === null || Array.isArray(c['data'])) return `changes.${i}.data`;
    } else if (c['op'] === 'delete') {
      if (c['data'] !== null && c['data'] !== undefined) return `changes.${i}.data: must be null on delete`;
    } else return `changes.${i}.op`;
  }
  return raw as ChangePage;
}

const BULK_KEY = 'sync.suspendedTriggers';
const FTS_TRIGGERS = ['trg_product_fts_insert', 'trg_product_fts_delete', 'trg_product_fts_update'];

function parse<S extends z.ZodType>(schema: S, change: MasterDataChange): z.infer<S> {
  const r = schema.safeParse(change.data);
  if (!r.success) {
    throw new ChangeApplyError(`${change.entity} ${change.id} v${change.version}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, change);
  }
  return r.data;
}

export function createCatalogStore(db: SqliteHandle): CatalogStore {
  const getVersion = db.prepare<[], { version: number }>('SELECT version FROM master_data_state WHERE id = 1');
  const setVersion = db.prepare<[number, string]>('UPDATE master_data_state SET version = ?, updated_at = ? WHERE id = 1');

  // product
  const freeSku = db.prepare<[string, string]>(`UPDATE product SET sku = sku || '~' || id WHERE sku = ? AND id <> ?`);
  const upsertProduct = db.prepare<[string, string, string, string | null, number, string | null, number, string, number, number, number]>(
    `INSERT INTO product (id, sku, name, category_id, tax_rate_bp, exemption, weighed, price_cents, active, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT store_price_cents FROM sync_product_price WHERE product_id = ?), ?), ?, ?)
     ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, name = excluded.name, category_id = excluded.category_id,
       tax_rate_bp = excluded.tax_rate_bp, exemption = excluded.exemption, weighed = excluded.weighed,
       price_cents = excluded.price_cents, active = excluded.active, version = excluded.version`,
  );
  // The base price is kept aside only for products that have (or had) a store price: one index probe per
  // product instead of a second row for each of 200k products.
  const updateBase = db.prepare<[number, number, string]>(
    'UPDATE sync_product_price SET base_price_cents = ?, version = ? WHERE product_id = ?',
  );
  const clearBase = db.prepare<[number, string]>('UPDATE sync_product_price SET base_price_cents = NULL, version = ? WHERE product_id = ?');
  const deleteProductBarcodes = db.prepare<[string]>('DELETE FROM product_barcode WHERE product_id = ?');
  const deleteProductQuickKeys = db.prepare<[string]>('DELETE FROM quick_key WHERE product_id = ?');
  const deleteProduct = db.prepare<[string]>('DELETE FROM product WHERE id = ?');

  // price (store)
  const upsertStore = db.prepare<[string, string, number, number]>(
    `INSERT INTO sync_product_price (product_id, base_price_cents, store_price_cents, version)
       VALUES (?, (SELECT price_cents FROM product WHERE id = ?), ?, ?)
     ON CONFLICT (product_id) DO UPDATE SET store_price_cents = excluded.store_price_cents, version = excluded.version`,
  );
  const setProductPrice = db.prepare<[number, number, string]>('UPDATE product SET price_cents = ?, version = MAX(version, ?) WHERE id = ?');
  const clearStore = db.prepare<[number, string]>('UPDATE sync_product_price SET store_price_cents = NULL, version = ? WHERE product_id = ?');
  const revertToBase = db.prepare<[number, string]>(
    `UPDATE product SET price_cents = s.base_price_cents, version = MAX(product.version, ?)
       FROM sync_product_price s WHERE s.product_id = product.id AND product.id = ? AND s.base_price_cents IS NOT NULL`,
  );

  // price_schedule (id = productId): the whole schedule of the product in this store, replaced
  const clearSchedule = db.prepare<[string]>('DELETE FROM price_schedule WHERE product_id = ?');
  const addScheduled = db.prepare<[string, string, number, number]>('INSERT OR REPLACE INTO price_schedule (product_id, at, price_cents, version) VALUES (?, ?, ?, ?)');

  // barcode
  const upsertBarcode = db.prepare<[string, string, number | null, number]>(
    `INSERT INTO product_barcode (barcode, product_id, units, version) VALUES (?, ?, ?, ?)
     ON CONFLICT (barcode) DO UPDATE SET product_id = excluded.product_id, units = excluded.units, version = excluded.version`,
  );
  const deleteBarcode = db.prepare<[string]>('DELETE FROM product_barcode WHERE barcode = ?');

  // category
  const upsertCategory = db.prepare<[string, string, string | null, number, number]>(
    `INSERT INTO category (id, name, parent_id, sort, version) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id, sort = excluded.sort, version = excluded.version`,
  );
  const deleteCategory = db.prepare<[string]>('DELETE FROM category WHERE id = ?');

  // staff
  const freeStaffCode = db.prepare<[string, string]>(`UPDATE staff SET code = code || '~' || id WHERE code = ? AND id <> ?`);
  const upsertStaff = db.prepare<[string, string, string, string, string, number, number]>(
    `INSERT INTO staff (id, code, name, role, pin_hash, active, version) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, role = excluded.role,
       pin_hash = excluded.pin_hash, active = excluded.active, version = excluded.version`,
  );
  const deleteStaff = db.prepare<[string]>('DELETE FROM staff WHERE id = ?');

  // customer (balance_cents is the till's own running figure: kept on update)
  // on_account_blocked: dunning / credit control in the back office (collections)
  // name_key: the folded name of the till's ordered-prefix search (shared/src/crm/customer.ts foldName).
  const upsertCustomer = db.prepare<[string, string | null, string, number, number, number, number, string | null, string | null, string | null, string, number, string]>(
    `INSERT INTO customer (id, nif, name, re_regime, credit_limit_cents, balance_cents, active, on_account_blocked, phone, email, loyalty_card, segment_ids, version, name_key)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET nif = excluded.nif, name = excluded.name, name_key = excluded.name_key, re_regime = excluded.re_regime,
       credit_limit_cents = excluded.credit_limit_cents, active = excluded.active, on_account_blocked = excluded.on_account_blocked,
       phone = excluded.phone, email = excluded.email, loyalty_card = excluded.loyalty_card, segment_ids = excluded.segment_ids, version = excluded.version`,
  );
  const deleteCustomer = db.prepare<[string]>('DELETE FROM customer WHERE id = ?');

  // notice
  // Office notices (issue 16) add the English text, priority, start and roles; a catalog notice has none of them.
  const upsertNotice = db.prepare<[string, string, string, string | null, number, string | null, string | null, string, string | null, string]>(
    `INSERT INTO notice (id, title, body, valid_until, version, title_en, body_en, priority, starts_at, roles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body, valid_until = excluded.valid_until, version = excluded.version,
       title_en = excluded.title_en, body_en = excluded.body_en, priority = excluded.priority, starts_at = excluded.starts_at, roles = excluded.roles`,
  );
  const deleteNotice = db.prepare<[string]>('DELETE FROM notice WHERE id = ?');
  // office_task (issue 16): HQ deletes a store's task from the feed once the store has done it (or withdraws it);
  // the ticks go with it — their outbox documents are apart and still reach HQ.
  const upsertTask = db.prepare<[string, string, string, string | null, string, string, number]>(
    `INSERT INTO office_task (id, title, kind, description, due_at, items, version) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET title = excluded.title, kind = excluded.kind, description = excluded.description, due_at = excluded.due_at,
       items = excluded.items, version = excluded.version`,
  );
  const deleteTask = db.prepare<[string]>('DELETE FROM office_task WHERE id = ?');
  const deleteTaskChecks = db.prepare<[string]>('DELETE FROM office_task_check WHERE task_id = ?');
  // A note received here keeps its local receipt when HQ sends it again (e.g. a catalogue pulled from 0).
  const upsertDeliveryNote = db.prepare<[string, string, string, string, string, number]>(
    `INSERT INTO delivery_note (id, number, from_name, shipped_at, lines, version) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET number = excluded.number, from_name = excluded.from_name, shipped_at = excluded.shipped_at,
       lines = excluded.lines, version = excluded.version`,
  );
  const deleteDeliveryNote = db.prepare<[string]>('DELETE FROM delivery_note WHERE id = ?');
  // loyalty (issue 15): the programme, kept whole as JSON (terminal/src/loyalty reads it)
  const upsertLoyalty = db.prepare<[string, string, number]>(
    `INSERT INTO loyalty_programme (id, rules, version) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET rules = excluded.rules, version = excluded.version`,
  );
  const deleteLoyalty = db.prepare<[string]>('DELETE FROM loyalty_programme WHERE id = ?');
  // product blocks (issue 17): kept whole as JSON; terminal/src/blocks reads them before a line and at payment
  const upsertBlock = db.prepare<[string, string, string, number]>(
    `INSERT INTO product_block (id, product_id, data, version) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET product_id = excluded.product_id, data = excluded.data, version = excluded.version`,
  );
  const deleteBlock = db.prepare<[string]>('DELETE FROM product_block WHERE id = ?');
  // receipt design (issue 19): this store's, kept whole as JSON (terminal/src/printing/receipts.ts reads it)
  const upsertDesign = db.prepare<[string, string, number]>(
    `INSERT INTO receipt_design (id, data, version) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, version = excluded.version`,
  );
  const deleteDesign = db.prepare<[string]>('DELETE FROM receipt_design WHERE id = ?');

  // promotion (the definition whole; promotion_state moves so the cart reloads its index)
  const upsertPromotion = db.prepare<[string, string, string, string | null, number]>(
    `INSERT INTO promotion (id, name, definition, valid_to, version) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, definition = excluded.definition, valid_to = excluded.valid_to, version = excluded.version`,
  );
  const deletePromotion = db.prepare<[string]>('DELETE FROM promotion WHERE id = ?');
  const bumpPromotions = db.prepare<[number]>('UPDATE promotion_state SET version = MAX(version + 1, ?) WHERE id = 1');

  const count = (table: string) => db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
  const counters = {
    products: count('product'), barcodes: count('product_barcode'), categories: count('category'),
    staff: count('staff'), customers: count('customer'), notices: count('notice'),
  };

  /** Returns false for an entity the terminal does not keep. */
  function applyOne(c: MasterDataChange): boolean {
    const v = c.version;
    const del = c.op === 'delete';
    switch (c.entity) {
      case 'product': {
        if (del) {
          deleteProductBarcodes.run(c.id);
          deleteProductQuickKeys.run(c.id);
          deleteProduct.run(c.id);
          clearBase.run(v, c.id);
          return true;
        }
        const p = parse(ProductDataSchema, c);
        const args = [p.id, p.sku, p.name, p.categoryId ?? null, p.taxRateBp, p.exemption ?? null, b(p.weighed), p.id, p.priceCents, b(p.active), v] as const;
        try {
          upsertProduct.run(...args);
        } catch (e) {
          if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw e;
          freeSku.run(p.sku, p.id); // the SKU moved here from another product
          upsertProduct.run(...args);
        }
        updateBase.run(p.priceCents, v, p.id);
        return true;
      }
      case 'price': {
        if (del) {
          clearStore.run(v, c.id);
          revertToBase.run(v, c.id);
          return true;
        }
        const p = parse(PriceDataSchema, c);
        upsertStore.run(p.productId, p.productId, p.priceCents, v);
        setProductPrice.run(p.priceCents, v, p.productId);
        return true;
      }
      case 'price_schedule': {
        clearSchedule.run(c.id);
        if (del) return true;
        const x = parse(PriceScheduleDataSchema, c);
        for (const e of x.entries) addScheduled.run(c.id, new Date(e.at).toISOString(), e.priceCents, v);
        return true;
      }
      case 'barcode': {
        if (del) {
          deleteBarcode.run(c.id);
          return true;
        }
        const x = parse(BarcodeDataSchema, c);
        upsertBarcode.run(x.barcode, x.productId, x.units ?? null, v);
        return true;
      }
      case 'category': {
        if (del) {
          deleteCategory.run(c.id);
          return true;
        }
        const x = parse(CategoryDataSchema, c);
        upsertCategory.run(x.id, x.name, x.parentId ?? null, x.sort ?? 0, v);
        return true;
      }
      case 'staff': {
        if (del) {
          deleteStaff.run(c.id);
          return true;
        }
        const x = parse(StaffDataSchema, c);
        freeStaffCode.run(x.code, x.id);
        upsertStaff.run(x.id, x.code, x.name, x.role, x.pinHash, b(x.active), v);
        return true;
      }
      case 'customer': {
        if (del) {
          deleteCustomer.run(c.id);
          forgetCustomerLocally(db, c.id);
          return true;
        }
        const x = parse(CustomerDataSchema, c);
        upsertCustomer.run(x.id, x.nif ?? null, x.name, b(x.reRegime), x.creditLimitCents, b(x.active), b(x.onAccountBlocked === true), x.phone ?? null, x.email ?? null, x.loyaltyCard ?? null, JSON.stringify(x.segmentIds ?? []), v, foldName(x.name));
        return true;
      }
      case 'notice': {
        if (del) {
          deleteNotice.run(c.id);
          return true;
        }
        const x = parse(NoticeDataSchema, c);
        upsertNotice.run(x.id, x.title, x.body, x.validUntil ?? null, v, x.titleEn ?? null, x.bodyEn ?? null, x.priority ?? 'normal', x.startsAt ?? null, JSON.stringify(x.roles ?? []));
        return true;
      }
      case 'promotion': {
        bumpPromotions.run(v);
        if (del) {
          deletePromotion.run(c.id);
          return true;
        }
        const x = parse(PromotionSchema, c);
        upsertPromotion.run(c.id, x.name, JSON.stringify(x), x.conditions.validTo ?? null, v);
        return true;
      }
      case 'delivery_note': {
        if (del) {
          deleteDeliveryNote.run(c.id);
          return true;
        }
        const x = parse(DeliveryNoteDataSchema, c);
        upsertDeliveryNote.run(c.id, x.number, x.from, x.shippedAt, JSON.stringify(x.lines), v);
        return true;
      }
      case 'loyalty_programme': {
        if (del) deleteLoyalty.run(c.id);
        else upsertLoyalty.run(c.id, JSON.stringify(parse(LoyaltyProgrammeDataSchema, c)), v);
        return true;
      }
      case 'product_block': {
        if (del) deleteBlock.run(c.id);
        else {
          const x = parse(ProductBlockDataSchema, c);
          upsertBlock.run(c.id, x.productId, JSON.stringify(x), v);
        }
        return true;
      }
      case 'office_task': {
        if (del) {
          deleteTask.run(c.id);
          deleteTaskChecks.run(c.id);
          return true;
        }
        const x = parse(TaskDataSchema, c);
        upsertTask.run(x.id, x.title, x.kind, x.description, x.dueAt, JSON.stringify(x.items), v);
        return true;
      }
      case 'receipt_design': {
        if (del) deleteDesign.run(c.id);
        else upsertDesign.run(c.id, JSON.stringify(parse(ReceiptDesignDataSchema, c)), v);
        return true;
      }
      default:
        return false;
    }
  }

  const applyTx = db.transaction((pages: ChangePage[], nowIso: string) => {
    let applied = 0;
    let skipped = 0;
    for (const page of pages) {
      for (const c of page.changes) {
        if (applyOne(c)) applied++;
        else skipped++;
      }
    }
    setVersion.run(pages[pages.length - 1]!.toVersion, nowIso);
    return { applied, skipped };
  });

  const version = () => getVersion.get()?.version ?? 0;

  const readSuspended = db.prepare<[string], { value: string }>('SELECT value FROM terminal_config WHERE key = ?');
  const saveSuspended = db.prepare<[string, string]>('INSERT INTO terminal_config (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const dropSuspended = db.prepare<[string]>('DELETE FROM terminal_config WHERE key = ?');
  const triggerSql = db.prepare<[string], { sql: string }>(`SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?`);
  const isBulk = () => readSuspended.get(BULK_KEY) !== undefined;

  const beginBulk = db.transaction(() => {
    if (isBulk()) return;
    const saved = FTS_TRIGGERS.map((name) => ({ name, sql: triggerSql.get(name)?.sql })).filter((t): t is { name: string; sql: string } => !!t.sql);
    saveSuspended.run(BULK_KEY, JSON.stringify(saved));
    for (const t of saved) db.exec(`DROP TRIGGER "${t.name}"`);
  });
  const endBulk = db.transaction(() => {
    const row = readSuspended.get(BULK_KEY);
    if (!row) return;
    db.exec(`INSERT INTO product_fts (product_fts) VALUES ('rebuild')`);
    for (const t of JSON.parse(row.value) as Array<{ name: string; sql: string }>) db.exec(t.sql);
    dropSuspended.run(BULK_KEY);
  });
  // A bulk load interrupted by a crash: put the search index right before anything else.
  if (isBulk() && !db.inTransaction) endBulk.immediate();

  function applyPages(raws: unknown[], nowIso: string): ApplyResult {
    const pages: ChangePage[] = [];
    for (const raw of raws) {
      const page = checkChangePage(raw);
      if (typeof page === 'string') throw new ChangeApplyError(`malformed change page: ${page}`);
      pages.push(page);
    }
    const current = version();
    if (pages.length === 0) return { version: current, applied: 0, skipped: 0, stale: false };
    let from = current;
    for (const page of pages) {
      if (page.fromVersion !== from) return { version: current, applied: 0, skipped: 0, stale: true };
      from = page.toVersion;
    }
    if (db.inTransaction) throw new ChangeApplyError('another transaction is open on the terminal database; retrying later');
    const sync = db.pragma('synchronous', { simple: true }) as number;
    const fk = db.pragma('foreign_keys', { simple: true }) as number;
    const bulkNow = isBulk();
    // Connection-wide settings, restored synchronously before any sale can run (see the header).
    db.pragma('foreign_keys = OFF');
    db.pragma('synchronous = NORMAL');
    // In a bulk load, checkpoint the WAL every ~40 MB rather than every 4 MB (checkpoints dominate otherwise).
    if (bulkNow) db.pragma('wal_autocheckpoint = 10000');
    try {
      const r = applyTx.immediate(pages, nowIso);
      return { version: from, ...r, stale: false };
    } finally {
      if (bulkNow) db.pragma('wal_autocheckpoint = 1000');
      db.pragma(`synchronous = ${sync}`);
      db.pragma(`foreign_keys = ${fk}`);
    }
  }

  return {
    version,
    get bulk() {
      return isBulk();
    },
    beginBulk() {
      if (db.inTransaction) throw new ChangeApplyError('another transaction is open on the terminal database; retrying later');
      beginBulk.immediate();
    },
    endBulk() {
      if (db.inTransaction) throw new ChangeApplyError('another transaction is open on the terminal database; retrying later');
      endBulk.immediate();
    },
    applyPage: (raw, nowIso) => applyPages([raw], nowIso),
    applyPages,
    counts() {
      return {
        products: counters.products.get()!.n, barcodes: counters.barcodes.get()!.n, categories: counters.categories.get()!.n,
        staff: counters.staff.get()!.n, customers: counters.customers.get()!.n, notices: counters.notices.get()!.n,
      };
    },
  };
}
