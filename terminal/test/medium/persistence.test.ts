import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import {
  createTerminalDataSource, openTerminalDatabase, revertAllTerminalMigrations, sqliteHandle, type SqliteHandle,
} from '../../src/persistence/data-source';
import { ProductEntity, TicketEntity, terminalEntities, type Product } from '../../src/persistence/entities';
import { INITIAL_TABLES } from '../../src/persistence/migrations/1732300000000-InitialSchema';
import { SYNC_TABLES } from '../../src/persistence/migrations/1732300005000-SyncMasterPrices';
import { FOREIGN_RETURN_TABLES } from '../../src/persistence/migrations/1732300060001-ForeignReturns';
import { PRICE_SCHEDULE_TABLES } from '../../src/persistence/migrations/1732300200001-PriceSchedule';
import { STOCK_DOCUMENT_TABLES } from '../../src/persistence/migrations/1732300070001-StockDocuments';
import { TICKET_SUBSTITUTION_TABLES } from '../../src/persistence/migrations/1732300080001-TicketSubstitution';
import { CUSTOMER_SEARCH_TABLES } from '../../src/persistence/migrations/1732300510001-CustomerSearch';

/** Issue 15's till tables: promotions, loyalty, gift vouchers (their migrations 17323005x0001). */
const CRM_TABLES = ['promotion', 'promotion_state', 'loyalty_programme', 'loyalty_offline_redemption', 'voucher_sale', 'voucher_authorization'];
/** Issue 17's till tables: HQ's product blocks (migration 1732300640001). */
const BLOCK_TABLES = ['product_block'];
/** Issue 16's till tables: the notices read here, HQ's tasks and the items ticked here (migrations 1732300720001, 1732300790001). */
const OFFICE_TABLES = ['notice_read', 'office_task', 'office_task_check'];
/** Issue 16's working-time record kept at the till until HQ has it (migration 1732300710001). */
const TIME_CLOCK_TABLES = ['time_clock_event'];
/** Issue 19's till tables: HQ's receipt design and the logo each printer holds (migration 1732300730001). */
const RECEIPT_TABLES = ['receipt_design', 'printer_logo'];
import { terminalMigrations } from '../../src/persistence/migrations';
import { COUNTER_TICKET_SEQ, createTerminalRepositories, toPrefixQuery } from '../../src/persistence/repositories';

const dir = mkdtempSync(join(tmpdir(), 'tpv-terminal-persistence-'));
let fileNo = 0;
const freshFile = () => join(dir, `terminal-${++fileNo}.sqlite`);
const open: DataSource[] = [];

async function openDb(file = freshFile()): Promise<{ ds: DataSource; db: SqliteHandle }> {
  const ds = await openTerminalDatabase(file);
  open.push(ds);
  return { ds, db: sqliteHandle(ds) };
}

afterEach(async () => {
  for (const ds of open.splice(0)) if (ds.isInitialized) await ds.destroy();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function appTables(db: SqliteHandle): string[] {
  return db
    .prepare<[], { name: string }>(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name <> 'typeorm_migrations' AND name NOT LIKE 'product_fts_%' AND name NOT LIKE 'customer_fts_%' ORDER BY name`,
    )
    .all()
    .map((r) => r.name);
}
function indexNames(db: SqliteHandle, table: string): string[] {
  return db.prepare<[], { name: string }>(`PRAGMA index_list("${table}")`).all().map((r) => r.name);
}
function plan(db: SqliteHandle, sql: string, ...params: unknown[]): string {
  return db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((r) => (r as { detail: string }).detail).join('\n');
}

const EXPECTED_INDEXES: Record<string, string[]> = {
  category: ['idx_category_parent'],
  product: ['idx_product_category', 'sqlite_autoindex_product_2' /* uq_product_sku */],
  product_barcode: ['idx_product_barcode_product'],
  quick_key: ['idx_quick_key_product'],
  customer: ['idx_customer_nif', 'idx_customer_name', 'idx_customer_phone', 'idx_customer_email'],
  notice: ['idx_notice_valid_until'],
  cash_session: ['uq_cash_session_one_open'],
  ticket: ['idx_ticket_session', 'idx_ticket_issued_at', 'idx_ticket_customer', 'idx_ticket_original'],
  ticket_line: ['idx_ticket_line_return_of'],
  cash_movement: ['idx_cash_movement_session', 'idx_cash_movement_ticket'],
  fiscal_record: ['idx_fiscal_record_ticket'],
  outbox: ['idx_outbox_pending'],
  parked_ticket: ['idx_parked_ticket_created_at'],
  audit_log: ['idx_audit_log_at'],
  print_job: ['idx_print_job_status', 'idx_print_job_ticket'],
};

// ── fixtures ──────────────────────────────────────────────────────────────────────────────────────
const T0 = '2026-11-23T09:00:00+01:00';
function insertProduct(db: SqliteHandle, p: Partial<Product> & { id: string; sku: string; name: string }, barcodes: string[] = []) {
  db.prepare(
    `INSERT INTO product (id, sku, name, category_id, tax_rate_bp, exemption, weighed, price_cents, active, version)
     VALUES (?, ?, ?, NULL, ?, NULL, ?, ?, ?, 1)`,
  ).run(p.id, p.sku, p.name, p.taxRateBp ?? 2100, p.weighed ? 1 : 0, p.priceCents ?? 100, p.active === false ? 0 : 1);
  for (const code of barcodes) db.prepare(`INSERT INTO product_barcode (barcode, product_id) VALUES (?, ?)`).run(code, p.id);
}
function openSession(db: SqliteHandle, id = 'sess-1', number = 1) {
  db.prepare(
    `INSERT INTO cash_session (id, number, status, opened_at, opened_by, float_cents) VALUES (?, ?, 'open', ?, 'staff-1', 10000)`,
  ).run(id, number, T0);
}
interface TicketArgs { id: string; seq: number; series?: string; number: number; fiscal?: string }
function insertTicket(db: SqliteHandle, t: TicketArgs) {
  const series = t.series ?? 'T01-2026';
  db.prepare(
    `INSERT INTO ticket (id, seq, kind, series, number, fiscal_number, issued_at, session_id, cashier_id, total_cents, discount_cents, document)
     VALUES (?, ?, 'sale', ?, ?, ?, ?, 'sess-1', 'staff-1', 250, 0, '{}')`,
  ).run(t.id, t.seq, series, t.number, t.fiscal ?? `${series}/${t.number}`, T0);
}

describe('terminal persistence: migrations', () => {
  it('up on a fresh file creates every table and index, in WAL mode with durable settings', async () => {
    const { ds, db } = await openDb();
    expect(appTables(db)).toEqual([...INITIAL_TABLES, ...SYNC_TABLES, ...FOREIGN_RETURN_TABLES, ...PRICE_SCHEDULE_TABLES, ...STOCK_DOCUMENT_TABLES, ...TICKET_SUBSTITUTION_TABLES, ...CUSTOMER_SEARCH_TABLES, ...CRM_TABLES, ...BLOCK_TABLES, ...OFFICE_TABLES, ...RECEIPT_TABLES, ...TIME_CLOCK_TABLES].sort());
    for (const [table, expected] of Object.entries(EXPECTED_INDEXES)) {
      expect(indexNames(db, table), table).toEqual(expect.arrayContaining(expected));
    }
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(await ds.showMigrations()).toBe(false);
    expect(db.prepare('SELECT version, updated_at FROM master_data_state').all()).toEqual([{ version: 0, updated_at: null }]);
  });

  it('every entity maps onto an existing table and columns', async () => {
    const { ds, db } = await openDb();
    expect(terminalEntities).toHaveLength(INITIAL_TABLES.length - 1); // all but the FTS index
    for (const entity of terminalEntities) {
      const meta = ds.getMetadata(entity);
      const columns = db.prepare<[], { name: string }>(`PRAGMA table_info("${meta.tableName}")`).all().map((c) => c.name);
      expect(columns.sort(), meta.tableName).toEqual(meta.columns.map((c) => c.databaseName).sort());
    }
  });

  it('goes down all the way leaving no app tables, and up again', async () => {
    const file = freshFile();
    const { ds, db } = await openDb(file);
    // with rows in the related tables, so the drop order has to respect the foreign keys
    insertProduct(db, { id: 'p1', sku: 'SKU1', name: 'Leche' }, ['8410000000001']);
    openSession(db);
    insertTicket(db, { id: 't1', seq: 1, number: 1 });
    db.exec(`INSERT INTO ticket_line (ticket_id, line_no, description, units, unit_price_cents, total_cents, tax_rate_bp) VALUES ('t1', 1, 'x', 1, 100, 100, 2100);
      INSERT INTO payment VALUES ('t1', 0, 'cash', 100, NULL);
      INSERT INTO fiscal_record VALUES (1, 't1', 'alta', 'T01-2026/1', 'H1', NULL, '{}');
      INSERT INTO outbox (seq, ticket_id, payload, created_at) VALUES (1, 't1', '{}', '${T0}');`);
    await revertAllTerminalMigrations(ds);
    expect(appTables(db)).toEqual([]);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE type IN ('index', 'trigger') AND name NOT LIKE 'sqlite_%'`).all()).toEqual([]);
    expect(await ds.showMigrations()).toBe(true);
    await ds.runMigrations({ transaction: 'each' });
    expect(appTables(db)).toEqual([...INITIAL_TABLES, ...SYNC_TABLES, ...FOREIGN_RETURN_TABLES, ...PRICE_SCHEDULE_TABLES, ...STOCK_DOCUMENT_TABLES, ...TICKET_SUBSTITUTION_TABLES, ...CUSTOMER_SEARCH_TABLES, ...CRM_TABLES, ...BLOCK_TABLES, ...OFFICE_TABLES, ...RECEIPT_TABLES, ...TIME_CLOCK_TABLES].sort());
  });

  it('reopening the file does not re-run migrations and keeps the data', async () => {
    const file = freshFile();
    const first = await openDb(file);
    insertProduct(first.db, { id: 'p1', sku: 'SKU1', name: 'Leche entera' }, ['8410000000001']);
    await first.ds.destroy();

    const ds = createTerminalDataSource({ file });
    open.push(ds);
    await ds.initialize();
    expect(await ds.showMigrations()).toBe(false);
    const executed = await ds.runMigrations();
    expect(executed).toEqual([]);
    const db = sqliteHandle(ds);
    expect(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM typeorm_migrations').get()?.n).toBe(terminalMigrations.length);
    expect(createTerminalRepositories(db).findProductByBarcode('8410000000001')?.name).toBe('Leche entera');
  });
});

describe('terminal persistence: constraints', () => {
  it('refuses a duplicate ticket seq and a duplicate fiscal number', async () => {
    const { db } = await openDb();
    openSession(db);
    insertTicket(db, { id: 't1', seq: 1, number: 1 });
    expect(() => insertTicket(db, { id: 't2', seq: 1, number: 2 })).toThrow(/TPV_GAP|UNIQUE/);
    expect(() => insertTicket(db, { id: 't2', seq: 2, series: 'X', number: 1, fiscal: 'T01-2026/1' })).toThrow(
      /UNIQUE constraint failed: ticket\.fiscal_number/,
    );
    expect(() => insertTicket(db, { id: 't1', seq: 2, number: 2 })).toThrow(/UNIQUE constraint failed: ticket\.id/);
    insertTicket(db, { id: 't2', seq: 2, number: 2 });
    expect(db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM ticket').get()?.n).toBe(2);
  });

  it('the unique keys hold on their own (gap triggers dropped)', async () => {
    const { db } = await openDb();
    db.exec('DROP TRIGGER trg_ticket_seq_gapless; DROP TRIGGER trg_ticket_number_gapless');
    openSession(db);
    insertTicket(db, { id: 't1', seq: 1, number: 1 });
    expect(() => insertTicket(db, { id: 't2', seq: 1, number: 2 })).toThrow(/UNIQUE constraint failed: ticket\.seq/);
    expect(() => insertTicket(db, { id: 't2', seq: 2, number: 1, fiscal: 'other' })).toThrow(
      /UNIQUE constraint failed: ticket\.series, ticket\.number/,
    );
  });

  it('refuses gaps in ticket seq, series number, Z number and fiscal chain; tickets are immutable', async () => {
    const { db } = await openDb();
    expect(() => openSession(db, 's0', 2)).toThrow(/TPV_GAP/);
    openSession(db);
    expect(() => insertTicket(db, { id: 't1', seq: 2, number: 1 })).toThrow(/TPV_GAP: ticket\.seq/);
    expect(() => insertTicket(db, { id: 't1', seq: 1, number: 2 })).toThrow(/TPV_GAP: ticket\.number/);
    insertTicket(db, { id: 't1', seq: 1, number: 1 });
    insertTicket(db, { id: 't2', seq: 2, series: 'R01-2026', number: 1 }); // another series starts at 1
    expect(() => db.prepare(`UPDATE ticket SET total_cents = 0 WHERE id = 't1'`).run()).toThrow(/TPV_IMMUTABLE/);
    expect(() => db.prepare(`DELETE FROM ticket WHERE id = 't1'`).run()).toThrow(/TPV_IMMUTABLE/);

    const fiscal = db.prepare(
      `INSERT INTO fiscal_record (chain_index, ticket_id, kind, invoice_number, hash, previous_hash, record) VALUES (?, 't1', 'alta', 'T01-2026/1', ?, ?, '{}')`,
    );
    expect(() => fiscal.run(1, 'H1', 'X')).toThrow(/TPV_CHAIN/); // first record has no previous hash
    fiscal.run(1, 'H1', null);
    expect(() => fiscal.run(3, 'H3', 'H1')).toThrow(/TPV_CHAIN/);
    expect(() => fiscal.run(2, 'H2', 'WRONG')).toThrow(/TPV_CHAIN/);
    fiscal.run(2, 'H2', 'H1');
    expect(() => db.prepare(`DELETE FROM fiscal_record`).run()).toThrow(/TPV_IMMUTABLE/);
  });

  it('allows one open cash session only, and a line quantity is units xor grams', async () => {
    const { db } = await openDb();
    openSession(db);
    expect(() => openSession(db, 's2', 2)).toThrow(/UNIQUE constraint failed: cash_session\.status/);
    insertTicket(db, { id: 't1', seq: 1, number: 1 });
    const line = db.prepare(
      `INSERT INTO ticket_line (ticket_id, line_no, description, units, grams, unit_price_cents, total_cents, tax_rate_bp) VALUES ('t1', ?, 'x', ?, ?, 100, 100, 2100)`,
    );
    expect(() => line.run(1, 1, 250)).toThrow(/CHECK constraint failed: chk_ticket_line_quantity/);
    expect(() => line.run(1, null, null)).toThrow(/CHECK constraint failed/);
    line.run(1, 1, null);
    line.run(2, null, 250);
  });
});

describe('terminal persistence: hot paths', () => {
  it('barcode lookup is one index probe, no table scan', async () => {
    const { db } = await openDb();
    const detail = plan(
      db,
      'SELECT p.* FROM product_barcode b JOIN product p ON p.id = b.product_id WHERE b.barcode = ?',
      '8410000000001',
    );
    expect(detail).toMatch(/SEARCH b USING INDEX sqlite_autoindex_product_barcode_1 \(barcode=\?\)/);
    expect(detail).toMatch(/SEARCH p USING INDEX sqlite_autoindex_product_1 \(id=\?\)/);
    expect(detail).not.toMatch(/\bSCAN\b/);
  });

  it('other lookup paths use indexes too', async () => {
    const { db } = await openDb();
    const paths: Array<[string, ...unknown[]]> = [
      ['SELECT * FROM product WHERE sku = ?', 'SKU'],
      ['SELECT * FROM customer WHERE nif = ?', 'B12345678'],
      [`SELECT * FROM customer WHERE name LIKE ? LIMIT 20`, 'garc%'],
      ['SELECT * FROM staff WHERE code = ?', '1234'],
      ['SELECT * FROM ticket WHERE fiscal_number = ?', 'T01-2026/1'],
      ['SELECT * FROM ticket WHERE seq = ?', 1],
      ['SELECT * FROM ticket WHERE session_id = ?', 's'],
      ['SELECT SUM(units) FROM ticket_line WHERE return_of_ticket_id = ? AND return_of_line_no = ?', 't', 1],
      ['SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT 100'],
      ['SELECT * FROM print_job WHERE status = ? ORDER BY created_at LIMIT 10', 'pending'],
      ['SELECT * FROM audit_log WHERE at >= ? ORDER BY at', T0],
      ['SELECT * FROM cash_movement WHERE session_id = ?', 's'],
      ['SELECT * FROM quick_key WHERE page = ? ORDER BY position', 1],
      ['SELECT hash FROM fiscal_record WHERE chain_index = (SELECT MAX(chain_index) FROM fiscal_record)'],
      ['SELECT * FROM fiscal_record WHERE ticket_id = ?', 't'],
    ];
    for (const [sql, ...params] of paths) expect(plan(db, sql, ...params), sql).not.toMatch(/\bSCAN (?!.*USING (COVERING )?INDEX)/);
  });

  it('finds products by barcode and by accent-folded word prefixes', async () => {
    const { db } = await openDb();
    const repo = createTerminalRepositories(db);
    insertProduct(db, { id: 'p1', sku: 'CAF-250', name: 'Café molido natural 250 g', priceCents: 349 }, ['8410000000001', '2000001']);
    insertProduct(db, { id: 'p2', sku: 'LEC-1L', name: 'Leche entera 1 L', priceCents: 95 }, ['8410000000002']);
    insertProduct(db, { id: 'p3', sku: 'CAF-OLD', name: 'Café antiguo', active: false });

    expect(repo.findProductByBarcode('8410000000001')).toEqual({
      id: 'p1', sku: 'CAF-250', name: 'Café molido natural 250 g', categoryId: null, taxRateBp: 2100, exemption: null,
      weighed: false, priceCents: 349, active: true, version: 1,
    });
    expect(repo.findProductByBarcode('2000001')?.id).toBe('p1');
    expect(repo.findProductByBarcode('0000000000000')).toBeUndefined();

    expect(repo.searchProducts('cafe').map((p) => p.id)).toEqual(['p1']); // accent folded, inactive p3 left out
    expect(repo.searchProducts('caf mol').map((p) => p.id)).toEqual(['p1']);
    expect(repo.searchProducts('LECHE').map((p) => p.id)).toEqual(['p2']);
    expect(repo.searchProducts('lec-1').map((p) => p.id)).toEqual(['p2']); // by SKU
    expect(repo.searchProducts('"* OR ')).toEqual([]); // FTS syntax in the input is inert
    expect(repo.searchProducts('   ')).toEqual([]);
    expect(toPrefixQuery(' Café  "con" leche* ')).toBe('"Café"* "con"* "leche"*');

    // the search index follows updates and deletes
    db.prepare(`UPDATE product SET name = 'Cacao puro' WHERE id = 'p1'`).run();
    expect(repo.searchProducts('cafe')).toEqual([]);
    expect(repo.searchProducts('cacao').map((p) => p.id)).toEqual(['p1']);
    db.prepare(`DELETE FROM product WHERE id = 'p2'`).run();
    expect(repo.searchProducts('leche')).toEqual([]);
    expect(repo.findProductByBarcode('8410000000002')).toBeUndefined(); // barcode cascaded
    repo.rebuildProductSearch();
    expect(repo.searchProducts('cacao').map((p) => p.id)).toEqual(['p1']);
  });

  it('counters are gapless and roll back with their transaction', async () => {
    const { db } = await openDb();
    const repo = createTerminalRepositories(db);
    expect(repo.nextValue(COUNTER_TICKET_SEQ)).toBe(1);
    expect(repo.nextValue(COUNTER_TICKET_SEQ)).toBe(2);
    expect(repo.nextSeriesNumber('T01-2026')).toBe(1);
    expect(() =>
      repo.transaction(() => {
        repo.nextValue(COUNTER_TICKET_SEQ);
        repo.nextSeriesNumber('T01-2026');
        throw new Error('sale failed');
      }),
    ).toThrow('sale failed');
    expect(repo.transaction(() => [repo.nextValue(COUNTER_TICKET_SEQ), repo.nextSeriesNumber('T01-2026')])).toEqual([3, 2]);
  });

  it('counts what was already returned of a sold line', async () => {
    const { db } = await openDb();
    const repo = createTerminalRepositories(db);
    openSession(db);
    insertTicket(db, { id: 't1', seq: 1, number: 1 });
    insertTicket(db, { id: 't2', seq: 2, number: 2 });
    insertTicket(db, { id: 't3', seq: 3, number: 3 });
    const line = db.prepare(
      `INSERT INTO ticket_line (ticket_id, line_no, description, units, grams, unit_price_cents, total_cents, tax_rate_bp, return_of_ticket_id, return_of_line_no)
       VALUES (?, ?, 'x', ?, ?, 100, 100, 2100, ?, ?)`,
    );
    line.run('t1', 1, 5, null, null, null);
    line.run('t2', 1, -2, null, 't1', 1);
    line.run('t3', 1, -1, null, 't1', 1);
    expect(repo.returnedQuantity('t1', 1)).toEqual({ units: 3, grams: 0 });
    expect(repo.returnedQuantity('t1', 2)).toEqual({ units: 0, grams: 0 });
  });

  it('TypeORM repositories read and write through the entity schemas', async () => {
    const { ds, db } = await openDb();
    await ds.getRepository(ProductEntity).save({
      id: 'p9', sku: 'PAN', name: 'Pan de pueblo', categoryId: null, taxRateBp: 400, exemption: null, weighed: true,
      priceCents: 320, active: true, version: 7,
    });
    expect(createTerminalRepositories(db).searchProducts('pan')[0]?.weighed).toBe(true);
    openSession(db);
    insertTicket(db, { id: 't1', seq: 1, number: 1 });
    const ticket = await ds.getRepository(TicketEntity).findOneByOrFail({ fiscalNumber: 'T01-2026/1' });
    expect(ticket).toMatchObject({ id: 't1', seq: 1, kind: 'sale', document: {}, customerId: null });
  });
});
