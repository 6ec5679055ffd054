/**
 * The terminal sync client against the real back-office process (loopback): pairing with a code made by
 * HQ, first catalogue load from the change feed, tickets streamed and acked, a SIGKILL of the back office
 * mid-stream, and nothing lost or doubled afterwards (read straight from the back office's SQLite file).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@tpv/runtime/testing/ports';
import { verifyChain, type FiscalRecord } from '@tpv/shared/fiscal/record';
import { openTerminalDatabase, sqliteHandle } from '@tpv/terminal/persistence/data-source';
import { readIdentity } from '@tpv/terminal/identity';
import { SyncClient } from '@tpv/terminal/sync/client';
import { localProducts, ticketWriter, until } from '@tpv/terminal/sync/testing/tickets';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { startProcess, waitForHealth, type Child } from '../../src/processes';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tpv-sync-bo-'));
const children: Child[] = [];
afterAll(async () => {
  await Promise.all(children.map((c) => c.stop(1000)));
  rmSync(dataDir, { recursive: true, force: true });
});

async function startBackoffice(port: number): Promise<Child> {
  const child = startProcess('backoffice', path.join(repoRoot, 'backoffice/src/main.ts'), {
    ...process.env, TPV_DATA_DIR: dataDir, TPV_BACKOFFICE_PORT: String(port), TPV_HOST: '127.0.0.1',
  });
  children.push(child);
  await waitForHealth(`http://127.0.0.1:${port}/health`, 30_000);
  return child;
}

async function json<T>(res: Response): Promise<T> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text}`);
  return JSON.parse(text) as T;
}

describe('sync client ↔ real back office', () => {
  it('pairs, loads the catalogue, streams tickets through a back-office SIGKILL, exactly once', async () => {
    const franchise = buildDemoFranchise();
    const boFile = path.join(dataDir, 'backoffice.sqlite');
    await seedDemoDatabases({ franchise, backoffice: { file: boFile }, terminals: [] });
    const port = await freePort();
    let bo = await startBackoffice(port);
    const url = `http://127.0.0.1:${port}`;

    const hq = franchise.users.find((u) => u.role === 'hq')!;
    const { token } = await json<{ token: string }>(
      await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: hq.email, password: hq.password }) }),
    );
    const terminal = franchise.terminals[0]!;
    const { code } = await json<{ code: string }>(
      await fetch(`${url}/api/terminals/${terminal.id}/pairing-code`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }),
    );

    const ds = await openTerminalDatabase(path.join(dataDir, 'terminal.sqlite'));
    const db = sqliteHandle(ds);
    const logs: string[] = [];
    const client = new SyncClient({
      db, backofficeUrl: url, clock: { now: () => Date.now() }, appVersion: '0.1.0', pairingCode: code, log: (m) => logs.push(m),
      pollMs: 20, backoff: { baseMs: 100, maxMs: 1000 }, ackTimeoutMs: 5000,
    });
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
      bo = await startBackoffice(port);
      await until(() => client.status().pendingCount === 0 && client.status().ackedSeq === 450, 60_000, `drain (${logs.slice(-5).join(' | ')})`);

      const hqDb = new Database(boFile, { readonly: true });
      try {
        const rows = hqDb
          .prepare<[string], { seq: number; id: string; document: string }>('SELECT seq, id, document FROM sale_ticket WHERE terminal_id = ? ORDER BY seq')
          .all(terminal.id);
        expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 450 }, (_, i) => i + 1));
        expect(new Set(rows.map((r) => r.id)).size).toBe(450);
        const chain = rows.map((r) => (JSON.parse(r.document) as { fiscal: FiscalRecord }).fiscal);
        expect(verifyChain(chain).ok).toBe(true);
      } finally {
        hqDb.close();
      }
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
