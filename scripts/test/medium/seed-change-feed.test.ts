/** The demo seed records every seeded master-data row in the back office's change feed (SQLite and PostgreSQL). */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { changePage } from '@tpv/backoffice/catalog/feed';
import type { MasterDataChange } from '@tpv/shared/wire/sync';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { hashSecrets, seedBackoffice } from '../../src/seed/write';

const PG_URL = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const engines = [
  { name: 'sqlite', url: undefined as string | undefined },
  { name: 'postgres', url: PG_URL },
];

describe.each(engines)('demo seed → change feed on $name', ({ url }) => {
  const f = buildDemoFranchise();
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-seed-'));
  const schema = `tpv_seed_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let ds: DataSource;

  beforeAll(async () => {
    ds = await openBackofficeDatabase(url ? { databaseUrl: url, schema } : { file: path.join(dir, 'bo.sqlite') });
    // Cheap stand-in hashes: the test is about the feed, not argon2.
    const hashes = { pins: new Map(f.staff.map((s) => [s.id, `pin:${s.id}`])), passwords: new Map(f.users.map((u) => [u.id, `pw:${u.id}`])) };
    void hashSecrets;
    expect(await seedBackoffice(ds, f, hashes)).toBe(true);
  });
  afterAll(async () => {
    await ds?.destroy();
    rmSync(dir, { recursive: true, force: true });
    if (url) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => admin.end());
    }
  });

  it('writes one change per seeded row, store-scoped where the row is', async () => {
    const rows = (await ds.query('SELECT entity, COUNT(*) AS n FROM change_log GROUP BY entity ORDER BY entity')) as Array<{ entity: string; n: number }>;
    const barcodes = f.products.reduce((a, p) => a + p.barcodes.length, 0);
    // The demo schedules one store price change (demo-catalog-write.ts): one schedule row for that store's tills.
    const [scheduled] = (await ds.query('SELECT COUNT(*) AS n FROM price_change')) as Array<{ n: number }>;
    expect(Number(scheduled!.n)).toBe(1);
    expect(Object.fromEntries(rows.map((r) => [r.entity, Number(r.n)]))).toEqual({
      barcode: barcodes,
      category: f.categories.length,
      customer: f.customers.length,
      price: f.storePrices.length,
      product: f.products.length,
      staff: f.staff.length,
      price_schedule: 1,
    });
  });

  it('gives a store its catalog, its own prices and staff, nothing of other stores', async () => {
    const store = f.stores[0]!;
    const all: MasterDataChange[] = [];
    for (let since = 0, more = true; more; ) {
      const page = await changePage(ds, store.id, since, 1000);
      all.push(...page.changes);
      since = page.toVersion;
      more = page.hasMore;
    }
    const count = (e: string) => all.filter((c) => c.entity === e).length;
    expect(count('product')).toBe(f.products.length);
    expect(count('price')).toBe(f.storePrices.filter((p) => p.storeId === store.id).length);
    expect(all.filter((c) => c.entity === 'staff').map((c) => c.id).sort()).toEqual(f.staff.filter((s) => s.storeId === store.id).map((s) => s.id).sort());
    const product = all.find((c) => c.entity === 'product')!;
    const p = f.products.find((x) => x.id === product.id)!;
    expect(product.data).toEqual({ id: p.id, sku: p.sku, name: p.name, categoryId: p.categoryId, taxRateBp: p.taxRateBp, exemption: p.exemption, weighed: p.weighed, priceCents: p.basePriceCents, active: true });
  });
});
