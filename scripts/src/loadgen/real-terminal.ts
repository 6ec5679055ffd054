/**
 * A real terminal database (the terminal's own migrations, its SyncClient) against the real back-office
 * process on a fresh SQLite database holding a large catalogue: the first catalogue load of a new terminal,
 * then an outbox of N tickets sold while the back office was down, drained after it comes back.
 * Timings use `bench-{catalog,drain}.ts` beside this file; figures only, no assertions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { freePort } from '@tpv/runtime/testing/ports';
import { openTerminalDatabase, sqliteHandle } from '@tpv/terminal/persistence/data-source';
import { writeIdentity, type TerminalIdentity } from '@tpv/terminal/identity';
import { timeCatalogLoad } from './bench-catalog';
import { timeDrain } from './bench-drain';
import { localProducts, ticketWriter } from '@tpv/terminal/test/support/tickets';
import { startProcess, waitForHealth, type Child } from '../processes';
import { seedBulkCatalog } from './catalog';
import { provisionLoadFranchise } from './provision';

export interface RealTerminalResult {
  products: number;
  catalogVersion: number;
  catalogSeconds: number;
  catalogClientCpuSeconds: number;
  tickets: number;
  /** Writing the offline tickets on the terminal (untimed in the drain figure). */
  sellSeconds: number;
  drainSeconds: number;
  /** What HQ holds afterwards for the terminal. */
  hq: { tickets: number; distinctSeqs: number; maxSeq: number; brokenChain: number };
}

const repoRoot = path.resolve(import.meta.dirname, '../../..');

export async function runRealTerminal(o: { products: number; tickets: number }): Promise<RealTerminalResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tpv-real-terminal-'));
  const boFile = path.join(dir, 'backoffice.sqlite');
  const ds = await openBackofficeDatabase({ file: boFile });
  const franchise = await provisionLoadFranchise(ds, { stores: 1, terminalsPerStore: 1, products: 1 });
  const catalogVersion = await seedBulkCatalog(ds, { products: o.products });
  await ds.destroy();
  const t = franchise.terminals[0]!;
  const identity: TerminalIdentity = {
    terminalId: t.terminalId, terminalCode: t.terminalCode, terminalName: 'Caja 1', storeId: t.storeId, storeCode: t.storeCode,
    storeName: `Tienda ${t.storeCode}`, storeAddress: '-', timezone: 'Europe/Madrid', companyId: '00000000-0000-7000-9001-000000000001',
    companyNif: t.companyNif, companyLegalName: 'Carga S.L.', companyTradeName: 'Carga', installation: t.installation,
  };
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env, TPV_DATA_DIR: dir, TPV_BACKOFFICE_DB: boFile, TPV_BACKOFFICE_PORT: String(port), TPV_HOST: '127.0.0.1', DATABASE_URL: '', REDIS_URL: '' };
  const start = async () => {
    const c = startProcess('backoffice', path.join(repoRoot, 'backoffice/src/main.ts'), env);
    await waitForHealth(`${url}/health`, 60_000);
    return c;
  };
  let bo: Child | undefined = await start();
  const tds = await openTerminalDatabase(path.join(dir, 'terminal.sqlite'));
  try {
    const db = sqliteHandle(tds);
    writeIdentity(db, identity);
    // Paired as `POST /api/pairing` would leave it (the token's hash is what provisioning wrote at HQ).
    db.prepare(`INSERT INTO terminal_config (key, value) VALUES ('sync', ?)`).run(JSON.stringify({ terminalId: t.terminalId, token: t.token, pairedAt: new Date().toISOString() }));
    const catalog = await timeCatalogLoad({ db, backofficeUrl: url, targetVersion: catalogVersion });

    // The back office goes away; the till keeps selling into its outbox.
    await bo.stop();
    bo = undefined;
    const sold0 = performance.now();
    ticketWriter(db, identity, { now: () => Date.now() }, localProducts(db)).sales(o.tickets);
    const sellSeconds = (performance.now() - sold0) / 1000;
    bo = await start();
    const drain = await timeDrain({ db, backofficeUrl: url, untilSeq: o.tickets });
    await bo.stop();
    bo = undefined;

    const hqDb = new Database(boFile, { readonly: true });
    let hq: RealTerminalResult['hq'];
    try {
      hq = hqDb
        .prepare<[string], RealTerminalResult['hq']>(
          `SELECT COUNT(*) AS tickets, COUNT(DISTINCT seq) AS distinctSeqs, COALESCE(MAX(seq), 0) AS maxSeq,
                  SUM(CASE WHEN chain_ok = 0 THEN 1 ELSE 0 END) AS brokenChain FROM sale_ticket WHERE terminal_id = ?`,
        )
        .get(t.terminalId)!;
    } finally {
      hqDb.close();
    }
    return {
      products: o.products, catalogVersion, catalogSeconds: catalog.seconds, catalogClientCpuSeconds: catalog.cpuSeconds,
      tickets: o.tickets, sellSeconds, drainSeconds: drain.seconds, hq,
    };
  } finally {
    await bo?.stop();
    await tds.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runRealTerminal({ products: Number(process.argv[2] ?? 200_000), tickets: Number(process.argv[3] ?? 50_000) });
  console.log(JSON.stringify(r, null, 2));
}
