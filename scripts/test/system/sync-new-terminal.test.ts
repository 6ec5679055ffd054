/**
 * Issue criterion 2: a new terminal pairs with the real back-office process, receives a 200,000-product
 * catalogue through the change feed, sells while the back office is stopped, reconnects and drains — and
 * HQ ends up with every ticket exactly once (contiguous seqs, unique ids, verified chain, stock moved for
 * every line). The big catalogue is written straight into HQ's SQLite file (bulk products, barcodes and
 * change_log rows) before the back office starts.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openBackofficeDatabase } from '@tpv/backoffice/persistence/data-source';
import { freePort } from '@tpv/runtime/testing/ports';
import { createTerminalRepositories } from '@tpv/terminal/persistence/repositories';
import { readIdentity } from '@tpv/terminal/identity';
import { localProducts, ticketWriter, until } from '@tpv/terminal/test/support/tickets';
import { bulkProduct, seedBulkCatalog } from '../../src/loadgen/catalog';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { backofficeFolder, hqTickets, pairingCodeFromHq, pairingTerminal } from './support/paired-terminal';

const BULK = 200_000;
const OFFLINE_SALES = 400;
const folder = backofficeFolder('tpv-sync-new-');
const dataDir = folder.dataDir;
afterAll(() => folder.cleanup());

describe('a new terminal with a 200,000-product catalogue', () => {
  it('pairs, loads the whole catalogue, sells offline, drains on reconnect: every ticket at HQ exactly once', async () => {
    const franchise = buildDemoFranchise();
    const boFile = path.join(dataDir, 'backoffice.sqlite');
    await seedDemoDatabases({ franchise, backoffice: { file: boFile }, terminals: [] });
    const hqDs = await openBackofficeDatabase({ file: boFile });
    const targetVersion = await seedBulkCatalog(hqDs, { products: BULK });
    await hqDs.destroy();

    const port = await freePort();
    let bo = await folder.start(port);
    const url = `http://127.0.0.1:${port}`;
    const terminal = franchise.terminals[0]!;
    const code = await pairingCodeFromHq(url, franchise, terminal.id);
    const { ds, db, client, logs } = await pairingTerminal(path.join(dataDir, 'terminal.sqlite'), url, code, 10_000);
    try {
      // Pairing and the first catalogue load (a bulk load: > 20,000 changes).
      await client.start();
      expect(readIdentity(db)).toMatchObject({ terminalId: terminal.id, installation: terminal.installation });
      let sawBulk = false;
      await until(() => {
        const c = client.status().catalog;
        if (c.fullLoad) sawBulk = true;
        return client.status().online && !c.loading && c.version >= targetVersion;
      }, 120_000, `catalogue load (${logs.slice(-5).join(' | ')})`);
      expect(sawBulk).toBe(true);
      expect(client.catalog.counts().products).toBe(franchise.products.length + BULK);
      const repos = createTerminalRepositories(db);
      for (const n of [1, 99_999, BULK]) {
        const p = bulkProduct(n);
        expect(repos.findProductByBarcode(p.barcode)).toMatchObject({ id: p.id, priceCents: p.priceCents });
      }

      // The back office stops; the till keeps selling (products of the big catalogue among them).
      await bo.stop();
      await until(() => !client.status().online, 10_000, 'offline');
      const products = localProducts(db, 300);
      expect(products.some((p) => p.id === bulkProduct(1).id)).toBe(true);
      const sold = ticketWriter(db, readIdentity(db)!, { now: () => Date.now() }, products).sales(OFFLINE_SALES);
      expect(client.status().pendingCount).toBe(OFFLINE_SALES);

      // Back on the same port: the client reconnects by itself and drains the outbox.
      bo = await folder.start(port);
      await until(() => client.status().online && client.status().pendingCount === 0 && client.status().ackedSeq === OFFLINE_SALES, 60_000, `drain (${logs.slice(-5).join(' | ')})`);
      expect(client.status()).toMatchObject({ pendingCount: 0, rejectedCount: 0 });

      const hqDb = new Database(boFile, { readonly: true });
      try {
        const { rows, chainVerifies } = hqTickets(boFile, terminal.id);
        expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: OFFLINE_SALES }, (_, i) => i + 1));
        expect(rows.map((r) => r.id)).toEqual(sold.map((t) => t.id));
        expect(rows.every((r) => r.chain_ok === 1)).toBe(true);
        expect(chainVerifies).toBe(true);
        // Every line moved stock once (HQ knows every product the till sold), nothing waits or needs review.
        const lines = sold.reduce((a, t) => a + t.lines.length, 0);
        const one = (sql: string) => (hqDb.prepare<[string], { n: number }>(sql).get(terminal.id)?.n ?? -1);
        expect(one('SELECT COUNT(*) AS n FROM sale_line l JOIN sale_ticket t ON t.id = l.ticket_id WHERE t.terminal_id = ?')).toBe(lines);
        expect(one('SELECT COUNT(*) AS n FROM stock_movement m JOIN sale_ticket t ON t.id = m.ticket_id WHERE t.terminal_id = ?')).toBe(lines);
        expect(one('SELECT COUNT(*) AS n FROM ingest_review WHERE terminal_id = ?')).toBe(0);
        expect(one('SELECT COUNT(*) AS n FROM ingest_hold WHERE terminal_id = ?')).toBe(0);
        expect(one('SELECT last_acked_seq AS n FROM terminal WHERE id = ?')).toBe(OFFLINE_SALES);
      } finally {
        hqDb.close();
      }
    } finally {
      await client.stop();
      await ds.destroy();
    }
  });
});
