/**
 * The demo's replenishment data (SQLite and PostgreSQL): wholesale prices for every costed product, four
 * orders through the real use cases (registered, approved, shipped to M002, received at M001 one short), the
 * shipped note on M002's change feed, one incident; seeding again writes nothing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { all } from '@tpv/backoffice/persistence/sql';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoReplenishment } from '../../src/seed/demo-replenishment';
import { seedBackoffice } from '../../src/seed/write';

const PG_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const engines = [
  { name: 'sqlite', url: undefined as string | undefined },
  { name: 'postgres', url: PG_URL },
];

describe.each(engines)('demo replenishment seed on $name', ({ url }) => {
  const f = buildDemoFranchise();
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-seed-rep-'));
  const schema = `tpv_seed_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openBackofficeDatabase(url ? { databaseUrl: url, schema } : { file: path.join(dir, 'bo.sqlite') });
    const hashes = { pins: new Map(f.staff.map((s) => [s.id, `pin:${s.id}`])), passwords: new Map(f.users.map((u) => [u.id, `pw:${u.id}`])) };
    await seedBackoffice(ds, f, hashes);
  });
  afterAll(async () => {
    await ds?.destroy();
    if (url) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds prices, orders in every state the pages show, and the shipped note on the feed, once', async () => {
    expect(await seedDemoReplenishment(ds, f)).toBe(true);
    const prices = await all<{ n: unknown }>(ds.manager, 'SELECT COUNT(*) AS n FROM wholesale_price');
    expect(Number(prices[0]!.n)).toBe(f.products.filter((p) => p.costCents).length);
    const orders = await all<{ status: string }>(ds.manager, 'SELECT status FROM replenishment_order ORDER BY status');
    expect(orders.map((o) => o.status)).toEqual(['approved', 'received', 'registered', 'shipped']);
    const m002 = f.stores.find((s) => s.code === 'M002')!.id;
    const feed = await all<{ op: string; store_id: string }>(ds.manager, `SELECT op, store_id FROM change_log WHERE entity = 'delivery_note' ORDER BY version`);
    expect(feed.filter((x) => x.store_id === m002).map((x) => x.op)).toEqual(['upsert']);
    const incidents = await all<{ kind: string; quantity: unknown }>(ds.manager, 'SELECT kind, quantity FROM incident');
    expect(incidents.map((i) => [i.kind, Number(i.quantity)])).toEqual([['delivery_discrepancy', -1]]);
    expect(await seedDemoReplenishment(ds, f)).toBe(false);
  });
});
