/**
 * Back-office persistence: the same suite on a SQLite file and on PostgreSQL (a throw-away schema per run).
 * Needs PostgreSQL at PG_TEST_URL (default postgres://postgres@127.0.0.1:5432/test, trust auth).
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendChange, CHANGE_LOG_LOCK_KEY, changesSince, latestChangeVersion } from '../../src/persistence/change-log';
import {
  createBackofficeDataSource,
  describeEngine,
  openBackofficeDatabase,
  revertAllBackofficeMigrations,
} from '../../src/persistence/data-source';
import {
  backofficeTables,
  ChangeLogEntity,
  CompanyEntity,
  CustomerEntity,
  ProductEntity,
  SaleLineEntity,
  SaleTicketEntity,
  StockLevelEntity,
  StockMovementEntity,
  StoreEntity,
  TerminalEntity,
} from '../../src/persistence/entities';
import type { SaleTicketRow, StockMovementRow } from '../../src/persistence/entities';
import { engines, PG_URL } from '../support/engines';

const now = () => new Date().toISOString();

describe.each(engines)('back-office persistence on $name', (engine) => {
  let ds: DataSource;
  let teardown: () => Promise<void>;
  const companyId = randomUUID();
  const storeId = randomUUID();
  const terminalId = randomUUID();
  const productId = randomUUID();

  beforeAll(async () => {
    const env = await engine.setup();
    teardown = env.teardown;
    ds = await env.open();
    await ds.getRepository(CompanyEntity).insert({
      id: companyId,
      kind: 'franchisee',
      nif: 'B12345678',
      legalName: 'Tiendas Norte SL',
      tradeName: null,
      address: null,
    });
    await ds
      .getRepository(StoreEntity)
      .insert({ id: storeId, code: 'MAD01', companyId, name: 'Madrid Centro', address: null });
    await ds.getRepository(TerminalEntity).insert({
      id: terminalId,
      storeId,
      code: 'T1',
      name: 'Caja 1',
      installation: 'MAD01-T1',
    });
    await ds.getRepository(ProductEntity).insert({
      id: productId,
      sku: 'SKU-1',
      name: 'Pan',
      categoryId: null,
      taxRateBp: 400,
      exemption: null,
      basePriceCents: 120,
    });
  });

  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await teardown?.();
  });

  async function tableExists(table: string): Promise<boolean> {
    const qr = ds.createQueryRunner();
    try {
      return await qr.hasTable(table);
    } finally {
      await qr.release();
    }
  }

  async function existing(): Promise<string[]> {
    const found: string[] = [];
    for (const t of backofficeTables) if (await tableExists(t)) found.push(t);
    return found;
  }

  function ticket(over: Partial<SaleTicketRow> = {}): SaleTicketRow {
    return {
      id: randomUUID(),
      terminalId,
      storeId,
      seq: 1,
      kind: 'sale',
      series: 'T1-2026',
      number: 1,
      fiscalNumber: 'T1-2026/1',
      issuedAt: '2026-11-23T08:48:35+01:00',
      businessDate: '2026-11-23',
      cashierId: null,
      customerId: null,
      sessionId: null,
      totalCents: 240,
      taxCents: 9,
      discountCents: 0,
      originalTicketId: null,
      document: '{"lines":[]}',
      receivedAt: now(),
      chainOk: true,
      ...over,
    };
  }

  it('applies every migration: all app tables exist, nothing pending', async () => {
    expect(await existing()).toEqual(backofficeTables);
    expect(backofficeTables).toHaveLength(24); // 21 + organisation: company_contact, warehouse, franchise_contract
    expect(await ds.showMigrations()).toBe(false);
  });

  it('describes the engine without credentials', () => {
    const d = describeEngine(ds);
    expect(d.engine).toBe(engine.name);
    if (engine.name === 'sqlite') expect(d.location).toMatch(/backoffice\.sqlite$/);
    else expect(d.location).toBe('127.0.0.1:5432/test');
    expect(JSON.stringify(d)).not.toMatch(/password|@/);
  });

  it('applies column defaults and reads booleans and timestamps back as written', async () => {
    const store = await ds.getRepository(StoreEntity).findOneByOrFail({ id: storeId });
    expect(store.timezone).toBe('Europe/Madrid');
    const terminal = await ds.getRepository(TerminalEntity).findOneByOrFail({ id: terminalId });
    expect(terminal.lastAckedSeq).toBe(0);
    expect(terminal.revokedAt).toBeNull();
    const product = await ds.getRepository(ProductEntity).findOneByOrFail({ id: productId });
    expect(product).toMatchObject({ weighed: false, active: true, version: 0, basePriceCents: 120 });

    const t = ticket({ seq: 100, number: 100, fiscalNumber: 'T1-2026/100', chainOk: false });
    await ds.getRepository(SaleTicketEntity).insert(t);
    const back = await ds.getRepository(SaleTicketEntity).findOneByOrFail({ id: t.id });
    expect(back).toEqual(t);
    expect(back.chainOk).toBe(false);
  });

  it('refuses a second ticket with the same (terminal_id, seq) or id', async () => {
    const repo = ds.getRepository(SaleTicketEntity);
    const first = ticket({ seq: 1, number: 1 });
    await repo.insert(first);
    await expect(repo.insert(ticket({ seq: 1, number: 2, fiscalNumber: 'T1-2026/2' }))).rejects.toThrow(/unique|duplicate/i);
    await expect(repo.insert({ ...first, seq: 2, number: 3 })).rejects.toThrow(/unique|duplicate/i);
    await expect(repo.insert(ticket({ seq: 3, number: 1 }))).rejects.toThrow(/unique|duplicate/i); // same series/number
    expect(await repo.countBy({ terminalId })).toBe(2); // `first` + the one from the previous test
  });

  it('moves stock once per (ticket_id, line_no); ticket-less movements are free', async () => {
    const t = ticket({ seq: 2, number: 2, fiscalNumber: 'T1-2026/2' });
    await ds.getRepository(SaleTicketEntity).insert(t);
    await ds.getRepository(SaleLineEntity).insert({
      ticketId: t.id,
      lineNo: 1,
      productId,
      units: 2,
      grams: null,
      totalCents: 240,
      taxRateBp: 400,
    });
    await expect(
      ds.getRepository(SaleLineEntity).insert({
        ticketId: t.id,
        lineNo: 1,
        productId,
        units: 1,
        grams: null,
        totalCents: 120,
        taxRateBp: 400,
      }),
    ).rejects.toThrow(/unique|duplicate/i);

    const moves = ds.getRepository(StockMovementEntity);
    const move = (over: Partial<StockMovementRow>): StockMovementRow => ({
      id: randomUUID(),
      locationId: storeId,
      productId,
      delta: -2,
      reason: 'sale',
      ticketId: t.id,
      lineNo: 1,
      at: now(),
      ...over,
    });
    await moves.insert(move({}));
    await expect(moves.insert(move({ delta: -1 }))).rejects.toThrow(/unique|duplicate/i);
    await moves.insert(move({ lineNo: 2 }));
    await moves.insert(move({ ticketId: null, lineNo: null, reason: 'adjustment', delta: 5 }));
    await moves.insert(move({ ticketId: null, lineNo: null, reason: 'adjustment', delta: 5 }));
    expect(await moves.countBy({ locationId: storeId })).toBe(4);
  });

  it('refuses unknown enum values and dangling references', async () => {
    await expect(
      ds.getRepository(StockMovementEntity).insert({
        id: randomUUID(),
        locationId: storeId,
        productId,
        delta: 1,
        reason: 'magic' as never,
        ticketId: null,
        lineNo: null,
        at: now(),
      }),
    ).rejects.toThrow(/check|constraint/i);
    await expect(
      ds.getRepository(TerminalEntity).insert({
        id: randomUUID(),
        storeId: randomUUID(),
        code: 'TX',
        name: 'ghost',
        installation: 'ghost',
      }),
    ).rejects.toThrow(/foreign key/i);
  });

  it('reads bigint cents and quantities back as exact JS numbers, also from raw aggregates', async () => {
    const big = 2 ** 40 + 7; // 10,995,116,277.83 € — beyond int4, within 2^53
    await ds.getRepository(StockLevelEntity).insert({ locationId: storeId, companyId, productId, quantity: big, updatedAt: now() });
    const customerId = randomUUID();
    await ds
      .getRepository(CustomerEntity)
      .insert({ id: customerId, nif: null, name: 'Bar Pepe', email: null, creditLimitCents: big });
    // Two customers without a NIF: NULLs do not collide in the unique constraint.
    await ds
      .getRepository(CustomerEntity)
      .insert({ id: randomUUID(), nif: null, name: 'Bar Juan', email: null, creditLimitCents: 1 });

    const level = await ds.getRepository(StockLevelEntity).findOneByOrFail({ locationId: storeId, productId });
    expect(level.quantity).toBe(big);
    const customer = await ds.getRepository(CustomerEntity).findOneByOrFail({ id: customerId });
    expect(customer.creditLimitCents).toBe(big);
    expect(customer.reRegime).toBe(false);

    const [sum] = (await ds.query(
      'SELECT SUM(credit_limit_cents) AS total, COUNT(*) AS n, MAX(credit_limit_cents) AS top FROM customer',
    )) as { total: unknown; n: unknown; top: unknown }[];
    expect(sum).toEqual({ total: big + 1, n: 2, top: big });
    const summed = await ds
      .getRepository(StockMovementEntity)
      .createQueryBuilder('m')
      .select('SUM(m.delta)', 'total')
      .where('m.location_id = :storeId', { storeId })
      .getRawOne<{ total: unknown }>();
    expect(summed?.total).toBe(6); // -2 -2 +5 +5 from the stock test
  });

  it('numbers change_log versions strictly increasing, never reusing a deleted one', async () => {
    const repo = ds.getRepository(ChangeLogEntity);
    const versions: number[] = [];
    for (let i = 0; i < 5; i++) {
      const saved = await repo.save({
        entity: 'product',
        entityId: productId,
        op: 'upsert' as const,
        storeId: i % 2 ? storeId : null,
        payload: { price: 100 + i },
        createdAt: now(),
      });
      versions.push(saved.version);
    }
    expect(versions.every((v) => typeof v === 'number')).toBe(true);
    for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1] ?? Infinity);

    const last = versions[versions.length - 1] ?? 0;
    await repo.delete({ version: last });
    const next = await repo.save({
      entity: 'product',
      entityId: productId,
      op: 'delete' as const,
      storeId: null,
      payload: null,
      createdAt: now(),
    });
    expect(next.version).toBeGreaterThan(last);

    const read = await repo.find({ where: { entity: 'product' }, order: { version: 'ASC' } });
    expect(read.map((r) => r.version)).toEqual([...versions.slice(0, -1), next.version]);
    expect(read[0]?.payload).toEqual({ price: 100 });
  });

  it('appends changes in a transaction and serves them per store, oldest first', async () => {
    const otherStore = randomUUID();
    const before = await latestChangeVersion(ds.manager);
    const v1 = await ds.transaction((m) =>
      appendChange(m, { entity: 'product', entityId: 'p1', op: 'upsert', payload: { n: 1 }, createdAt: now() }),
    );
    const v2 = await ds.transaction((m) =>
      appendChange(m, { entity: 'store_price', entityId: 'p1', op: 'upsert', storeId, payload: { c: 5 }, createdAt: now() }),
    );
    const v3 = await ds.transaction((m) =>
      appendChange(m, { entity: 'store_price', entityId: 'p1', op: 'upsert', storeId: otherStore, createdAt: now() }),
    );
    expect(before).toBeLessThan(v1);
    expect(v1).toBeLessThan(v2);
    expect(v2).toBeLessThan(v3);
    expect(await latestChangeVersion(ds.manager)).toBe(v3);

    const forStore = await changesSince(ds.manager, before, storeId);
    expect(forStore.map((r) => r.version)).toEqual([v1, v2]);
    expect(forStore[1]).toMatchObject({ entity: 'store_price', storeId, payload: { c: 5 } });
    expect((await changesSince(ds.manager, before, otherStore)).map((r) => r.version)).toEqual([v1, v3]);
    expect((await changesSince(ds.manager, before, null)).map((r) => r.version)).toEqual([v1]);
    expect(await changesSince(ds.manager, before, storeId, 1)).toHaveLength(1);
    // A rolled-back change is never served.
    await expect(
      ds.transaction(async (m) => {
        await appendChange(m, { entity: 'product', entityId: 'p2', op: 'delete', createdAt: now() });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await latestChangeVersion(ds.manager)).toBe(v3);
  });

  it('reverts every migration, leaving no app table, and migrates up again', async () => {
    await revertAllBackofficeMigrations(ds);
    expect(await existing()).toEqual([]);
    expect(await ds.showMigrations()).toBe(true);
    await ds.runMigrations();
    expect(await existing()).toEqual(backofficeTables);
    expect(await ds.getRepository(SaleTicketEntity).count()).toBe(0);
  });
});

describe('createBackofficeDataSource', () => {
  it('refuses a DATABASE_URL that is not PostgreSQL', () => {
    expect(() => createBackofficeDataSource({ databaseUrl: 'mysql://x/y' })).toThrow(/postgres/);
  });

  it('never reports the password', () => {
    const ds = createBackofficeDataSource({ databaseUrl: 'postgres://u:s3cret@db.example:6543/tpv?schema=hq' });
    expect(describeEngine(ds)).toEqual({ engine: 'postgres', location: 'db.example:6543/tpv', schema: 'hq' });
  });
});

describe('change_log on PostgreSQL: appends commit in version order', () => {
  const schema = `tpv_test_${process.pid}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openBackofficeDatabase({ databaseUrl: PG_URL, schema });
  });
  afterAll(async () => {
    if (ds?.isInitialized) {
      await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await ds.destroy();
    }
  });

  it('refuses to append outside a transaction (the lock would not be held)', async () => {
    await expect(
      appendChange(ds.manager, { entity: 'product', entityId: 'x', op: 'upsert', createdAt: now() }),
    ).rejects.toThrow(/inside a transaction/);
  });

  it('makes a second writer wait until the first commits, so no reader can skip a version', async () => {
    let appended!: () => void;
    let release!: () => void;
    const aAppended = new Promise<void>((r) => (appended = r));
    const gate = new Promise<void>((r) => (release = r));
    let vA = 0;
    const txA = ds.transaction(async (m) => {
      vA = await appendChange(m, { entity: 'product', entityId: 'a', op: 'upsert', createdAt: now() });
      appended();
      await gate;
    });
    await aAppended;
    let vB = 0;
    const txB = ds.transaction(async (m) => {
      vB = await appendChange(m, { entity: 'product', entityId: 'b', op: 'upsert', createdAt: now() });
    });

    // Wait (no timing assertion) until B is queued on the advisory lock A holds.
    const waiting = async () => {
      const rows = (await ds.query(
        `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
           AND classid = $1 AND objid = (hashtext($2)::bigint & 4294967295)::oid`,
        [CHANGE_LOG_LOCK_KEY, schema],
      )) as { n: number }[];
      return rows[0]?.n ?? 0;
    };
    for (let i = 0; i < 500 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await waiting()).toBe(1);
    expect(vB).toBe(0); // B has not inserted: it cannot take a version before A's is visible

    release();
    await Promise.all([txA, txB]);
    expect(vB).toBeGreaterThan(vA);
    const rows = await changesSince(ds.manager, 0, null);
    expect(rows.map((r) => r.version)).toEqual([vA, vB]);
  });
});
