/**
 * The terminal sync client against the real back-office process (loopback): pairing with a code made by
 * HQ, first catalogue load from the change feed, tickets streamed and acked, a SIGKILL of the back office
 * mid-stream, and nothing lost or doubled afterwards (read straight from the back office's SQLite file).
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@tpv/runtime/testing/ports';
import { readIdentity } from '@tpv/terminal/identity';
import { SyncClient } from '@tpv/terminal/sync/client';
import { localProducts, ticketWriter, until } from '@tpv/terminal/test/support/tickets';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { backofficeFolder, hqTickets, pairingCodeFromHq, pairingTerminal } from './support/paired-terminal';

const folder = backofficeFolder('tpv-sync-bo-');
const dataDir = folder.dataDir;
afterAll(() => folder.cleanup());

describe('sync client ↔ real back office', () => {
  it('pairs, loads the catalogue, streams tickets through a back-office SIGKILL, exactly once', async () => {
    const franchise = buildDemoFranchise();
    const boFile = path.join(dataDir, 'backoffice.sqlite');
    await seedDemoDatabases({ franchise, backoffice: { file: boFile }, terminals: [] });
    const port = await freePort();
    let bo = await folder.start(port);
    const url = `http://127.0.0.1:${port}`;
    const terminal = franchise.terminals[0]!;
    const code = await pairingCodeFromHq(url, franchise, terminal.id);
    const { ds, db, client, logs } = await pairingTerminal(path.join(dataDir, 'terminal.sqlite'), url, code, 5000);
    try {
      await client.start();
      const identity = readIdentity(db);
      expect(identity).toMatchObject({ terminalId: terminal.id, terminalCode: terminal.code, installation: terminal.installation });
      await until(() => client.status().online && !client.status().catalog.loading && client.status().catalog.version > 0 && client.status().catalog.version >= client.status().catalog.targetVersion, 60_000, `catalogue load (${logs.join(' | ')})`);
      expect(client.catalog.counts().products).toBe(franchise.products.length);
      // This store's own prices won over the base prices.
      const store = terminal.storeId;
      const own = franchise.storePrices.find((p) => p.storeId === store && p.priceCents !== franchise.products.find((x) => x.id === p.productId)!.basePriceCents)!;
      expect(db.prepare<[string], { price_cents: number }>('SELECT price_cents FROM product WHERE id = ?').get(own.productId)?.price_cents).toBe(own.priceCents);

      const writer = ticketWriter(db, identity!, { now: () => Date.now() }, localProducts(db));
      writer.sales(300);
      client.notify();
      await until(() => client.status().ackedSeq >= 100, 30_000, `first acks (${logs.join(' | ')})`);
      // Back office killed mid-stream; the till keeps selling; then it comes back on the same port.
      bo.process.kill('SIGKILL');
      await until(() => !client.status().online, 10_000, 'offline');
      writer.sales(150);
      bo = await folder.start(port);
      await until(() => client.status().pendingCount === 0 && client.status().ackedSeq === 450, 60_000, `drain (${logs.slice(-5).join(' | ')})`);

      const hq = hqTickets(boFile, terminal.id);
      expect(hq.rows.map((r) => r.seq)).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));
      expect(new Set(hq.rows.map((r) => r.id)).size).toBe(450);
      expect(hq.chainVerifies).toBe(true);
      expect(client.status()).toMatchObject({ online: true, pendingCount: 0, rejectedCount: 0 });

      // Drain rate (printed, never asserted): 1,000 tickets queued while offline-ish, then streamed.
      await client.stop();
      writer.sales(1000);
      const started = performance.now();
      const c2 = new SyncClient({ db, backofficeUrl: url, clock: { now: () => Date.now() }, appVersion: '0.1.0', log: () => undefined, pollMs: 10 });
      await c2.start();
      await until(() => c2.status().ackedSeq === 1450, 120_000, 'drain 1000');
      const s = (performance.now() - started) / 1000;
      console.log(`[sync-backoffice] drained 1000 tickets to the real back office in ${s.toFixed(2)} s (${Math.round(1000 / s)} tickets/s, incl. connect)`);
      await c2.stop();
    } finally {
      await client.stop();
      await ds.destroy();
    }
  });
});
