/**
 * `npx tsx scripts/src/loadgen/bench-catalog.ts [products]`: end-to-end first catalogue load of a
 * fresh terminal from an in-memory back office over loopback socket.io — N products (default 200,000), one
 * barcode each, a store price for 1 in 10 — through the real SyncClient into a real SQLite file. Prints
 * figures; asserts nothing (timings never go into `npm test`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openTerminalDatabase, sqliteHandle, type SqliteHandle } from '@tpv/terminal/persistence/data-source';
import { writeIdentity } from '@tpv/terminal/identity';
import { createTerminalRepositories } from '@tpv/terminal/persistence/repositories';
import { SyncClient } from '@tpv/terminal/sync/client';
import { FakeHq, type NewChange } from '@tpv/terminal/test/support/fake-hq';

export interface CatalogBenchResult {
  products: number;
  changes: number;
  pages: number;
  seconds: number;
  /** CPU time of this process (client and the in-process fake back office together). */
  cpuSeconds: number;
  changesPerSecond: number;
}

/**
 * Times a first catalogue load of an already paired terminal database (`terminal_config` key `sync` set)
 * from any back office — the fake one below or the real process (`scripts/src/bench/sync.ts`): from
 * `start()` until the client has applied `targetVersion` and left bulk-load mode.
 */
export async function timeCatalogLoad(o: { db: SqliteHandle; backofficeUrl: string; targetVersion: number }): Promise<{ seconds: number; cpuSeconds: number }> {
  const client = new SyncClient({ db: o.db, backofficeUrl: o.backofficeUrl, clock: { now: () => Date.now() }, appVersion: 'bench', log: () => undefined });
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const done = new Promise<void>((resolve) => {
    client.on('progress', (p) => {
      if (!p.loading && p.version >= o.targetVersion) resolve();
    });
  });
  try {
    await client.start();
    await done;
    const cpu = process.cpuUsage(cpu0);
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    await client.stop();
  }
}

export async function benchCatalogLoad(products = 200_000): Promise<CatalogBenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-bench-catalog-'));
  const hq = new FakeHq();
  await hq.listen(0);
  const identity = {
    terminalId: '00000000-0000-7000-8003-0000000000b1', terminalCode: '01', terminalName: 'Caja 1', storeId: '00000000-0000-7000-8002-000000000001',
    storeCode: 'M001', storeName: 'Bench', storeAddress: '-', timezone: 'Europe/Madrid', companyId: '00000000-0000-7000-8001-000000000002',
    companyNif: 'B12345674', companyLegalName: 'Bench S.L.', companyTradeName: 'Bench', installation: 'M001-01',
  };
  hq.addTerminal(identity);
  const token = hq.issueToken(identity.terminalId);
  const changes: NewChange[] = [];
  for (let n = 1; n <= products; n++) {
    const id = `00000000-0000-7000-8005-${String(n).padStart(12, '0')}`;
    changes.push({
      entity: 'product', id, op: 'upsert',
      data: { id, sku: `MV${String(n).padStart(7, '0')}`, name: `Producto de prueba ${n} marca ${n % 97}`, categoryId: `cat-${n % 40}`, taxRateBp: [2100, 1000, 400][n % 3]!, exemption: null, weighed: false, priceCents: 100 + (n % 5000), active: true },
    });
    const code = `84${String(n).padStart(11, '0')}`;
    changes.push({ entity: 'barcode', id: code, op: 'upsert', data: { barcode: code, productId: id } });
    if (n % 10 === 0) changes.push({ entity: 'price', id, op: 'upsert', data: { productId: id, priceCents: 99 + (n % 5000) } });
  }
  hq.publish(changes, false);
  const ds = await openTerminalDatabase(path.join(dir, 'terminal.sqlite'));
  const db = sqliteHandle(ds);
  writeIdentity(db, identity);
  db.prepare(`INSERT INTO terminal_config (key, value) VALUES ('sync', ?)`).run(JSON.stringify({ terminalId: identity.terminalId, token, pairedAt: new Date().toISOString() }));
  const client = new SyncClient({ db, backofficeUrl: hq.url, clock: { now: () => Date.now() }, appVersion: 'bench', log: () => undefined });
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const done = new Promise<void>((resolve) => {
    client.on('progress', (p) => {
      if (!p.loading && p.version === hq.catalogVersion) resolve();
    });
  });
  await client.start();
  await done;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // Sanity: the last product is findable by its barcode after the load.
  if (!createTerminalRepositories(db).findProductByBarcode(`84${String(products).padStart(11, '0')}`)) throw new Error('last product missing');
  await client.stop();
  await hq.close();
  await ds.destroy();
  rmSync(dir, { recursive: true, force: true });
  return { products, changes: changes.length, pages: hq.pulls, seconds, cpuSeconds, changesPerSecond: Math.round(changes.length / seconds) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 200_000);
  const r = await benchCatalogLoad(n);
  console.log(
    `catalogue first load: ${r.products} products (${r.changes} changes, ${r.pages} pages) in ${r.seconds.toFixed(2)} s wall, ${r.cpuSeconds.toFixed(2)} s CPU (client + in-process fake HQ) — ${r.changesPerSecond} changes/s`,
  );
}
