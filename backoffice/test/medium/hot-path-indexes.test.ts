/**
 * Migration 1795400000006 (hot-path indexes) on SQLite and PostgreSQL: the four unneeded indexes are gone after
 * `up`, come back with `down`, and `up` again works; the ingest's multi-row writes still hit every unique key.
 */
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backofficeMigrations } from '../../src/persistence/migrations';
import { HotPathIndexes1795400000006 } from '../../src/persistence/migrations/1795400000006-HotPathIndexes';
import { engines } from '../support/engines';

const DROPPED = ['IDX_sale_line_product', 'IDX_fiscal_record_ticket', 'IDX_stock_level_product', 'IDX_change_log_store_version'];
const KEPT = ['IDX_sale_ticket_store_date', 'IDX_stock_movement_location_product_at', 'UQ_stock_movement_ticket_line'];

async function indexNames(ds: DataSource): Promise<string[]> {
  const rows = (await ds.query(
    ds.options.type === 'postgres'
      ? `SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()`
      : `SELECT name FROM sqlite_master WHERE type = 'index'`,
  )) as Array<{ name: string }>;
  return rows.map((r) => r.name).sort();
}

describe.each(engines)('ingest index migration on $name', (engine) => {
  let ds: DataSource;
  let open: () => Promise<DataSource>;
  let teardown: () => Promise<void>;
  beforeAll(async () => {
    ({ open, teardown } = await engine.setup());
    ds = await open();
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await teardown?.();
  });

  it('drops the unread indexes, keeps the ones queries use, and reverts cleanly', async () => {
    const after = await indexNames(ds);
    for (const name of DROPPED) expect(after).not.toContain(name);
    for (const name of KEPT) expect(after).toContain(name);
    expect(await ds.showMigrations()).toBe(false);

    // Later migrations are reverted first, then this one.
    for (let i = backofficeMigrations.indexOf(HotPathIndexes1795400000006); i < backofficeMigrations.length; i++) await ds.undoLastMigration();
    const reverted = await indexNames(ds);
    for (const name of DROPPED) expect(reverted).toContain(name);
    expect(await ds.showMigrations()).toBe(true);

    await ds.runMigrations();
    expect(await indexNames(ds)).toEqual(after);
  });

  it('opens an existing database without pending migrations', async () => {
    const again = await open();
    try {
      expect(await again.showMigrations()).toBe(false);
    } finally {
      await again.destroy();
    }
  });
});

// SQLite's planner is the one that sorted the whole remaining feed; PostgreSQL plans by table statistics.
describe('catalog:pull on SQLite', () => {
  const sqlite = engines.find((e) => e.name === 'sqlite')!;
  let ds: DataSource;
  let teardown: () => Promise<void>;
  beforeAll(async () => {
    const setup = await sqlite.setup();
    teardown = setup.teardown;
    ds = await setup.open();
  });
  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await teardown?.();
  });

  it('serves a catalog:pull page by a primary-key range, never sorting the rest of the feed', async () => {
    const plan = (await ds.query(
      `EXPLAIN QUERY PLAN SELECT version, entity, entity_id, op, payload FROM change_log
        WHERE version > ? AND version <= ? AND (store_id IS NULL OR store_id = ?) ORDER BY version LIMIT ?`,
      [0, 1000, 'store', 1001],
    )) as Array<{ detail: string }>;
    const text = plan.map((p) => p.detail).join(' | ');
    expect(text).toContain('PRIMARY KEY');
    expect(text).not.toContain('TEMP B-TREE');
  });
});
