/**
 * Issue #9, "must be true" 1 and 2, against the real back-office process (SQLite file) and real terminal
 * databases with their SyncClient:
 *  1. a till HQ holds 500 tickets of gets a new database and is re-paired through "replace this till":
 *     it sells 3 tickets offline, then online — HQ has all 503 exactly once, no number reused, every chain
 *     verifies (and the wiped till could not take the old id with a plain pairing code);
 *  2. HQ's database file is put back to an older copy (a power cut that undid acked work): the tills resend
 *     what it lost, a price change made after the restore reaches every till, no till stays revoked.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@tpv/runtime/testing/ports';
import { readIdentity } from '@tpv/terminal/identity';
import { SyncClient } from '@tpv/terminal/sync/client';
import type { SqliteHandle } from '@tpv/terminal/persistence/data-source';
import { localProducts, ticketWriter, until } from '@tpv/terminal/test/support/tickets';
import { buildDemoFranchise } from '../../src/seed/demo-franchise';
import { seedDemoDatabases } from '../../src/seed/write';
import { backofficeFolder, hqTickets, pairingCodeFromHq, pairingTerminal, replaceFromHq, setStorePrice, type PairingTerminal } from './support/paired-terminal';

const clock = { now: () => Date.now() };
const folder = backofficeFolder('tpv-till-identity-');
const opened: PairingTerminal[] = [];
afterAll(async () => {
  for (const t of opened) {
    await t.client.stop();
    if (t.ds.isInitialized) await t.ds.destroy();
  }
  await folder.cleanup();
});

async function till(file: string, url: string, code: string): Promise<PairingTerminal> {
  const t = await pairingTerminal(file, url, code, 10_000);
  opened.push(t);
  return t;
}

const loaded = (t: PairingTerminal) => () => {
  const s = t.client.status();
  return s.online && !s.catalog.loading && s.catalog.version > 0 && s.catalog.version >= s.catalog.targetVersion;
};
const why = (t: PairingTerminal) => t.logs.slice(-5).join(' | ');

async function seeded(name: string) {
  const franchise = buildDemoFranchise();
  const boFile = path.join(folder.dataDir, 'backoffice.sqlite');
  rmSync(boFile, { force: true });
  await seedDemoDatabases({ franchise, backoffice: { file: boFile }, terminals: [] });
  const port = await freePort();
  return { franchise, boFile, port, url: `http://127.0.0.1:${port}`, file: (n: string) => path.join(folder.dataDir, `${name}-${n}.sqlite`) };
}

function one<T>(boFile: string, sql: string, ...params: unknown[]): T {
  const db = new Database(boFile, { readonly: true });
  try {
    return db.prepare(sql).get(...params) as T;
  } finally {
    db.close();
  }
}

describe('till identity against the real back office', () => {
  it('a till replaced after 500 tickets: 3 more sold offline on the new one reach HQ — 503 sales once, no number reused, chains verify', async () => {
    const { franchise, boFile, port, url, file } = await seeded('replace');
    let bo = await folder.start(port);
    const old = franchise.terminals[0]!;

    // The till HQ will hold 500 tickets of.
    const a = await till(file('old'), url, await pairingCodeFromHq(url, franchise, old.id));
    await a.client.start();
    await until(loaded(a), 60_000, `old till loaded (${why(a)})`);
    ticketWriter(a.db, readIdentity(a.db)!, clock, localProducts(a.db, 60)).sales(500);
    a.client.notify();
    await until(() => a.client.status().ackedSeq === 500, 60_000, `500 acked (${why(a)})`);
    await a.client.stop();
    await a.ds.destroy();

    // Its disk is replaced. Paired again to the same id with a plain code, the new database is refused.
    const wiped = await till(file('wiped'), url, await pairingCodeFromHq(url, franchise, old.id));
    await wiped.client.start();
    expect(wiped.client.status().state).toBe('unpaired');
    expect(wiped.client.status().lastError?.message).toMatch(/already holds 500 tickets/);
    await wiped.client.stop();

    // HQ replaces the till: a new installation; the new database pairs with the code it gives.
    const r = await replaceFromHq(url, franchise, old.id);
    expect(r.terminal.code).not.toBe(old.code);
    const b = await till(file('new'), url, r.code);
    await b.client.start();
    await until(loaded(b), 60_000, `new till loaded (${why(b)})`);
    expect(readIdentity(b.db)).toMatchObject({ terminalId: r.terminal.id, terminalCode: r.terminal.code, installation: r.terminal.installation });

    // Offline: three sales, then the back office comes back and they go up.
    await bo.stop();
    await until(() => !b.client.status().online, 10_000, 'offline');
    const sold = ticketWriter(b.db, readIdentity(b.db)!, clock, localProducts(b.db, 60)).sales(3);
    expect(b.client.status()).toMatchObject({ pendingCount: 3, lastSeq: 3, ackedSeq: 0 });
    bo = await folder.start(port);
    await until(() => b.client.status().online && b.client.status().ackedSeq === 3 && b.client.status().pendingCount === 0, 60_000, `new till drained (${why(b)})`);

    const before = hqTickets(boFile, old.id);
    expect(before.rows.map((t) => t.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(before.chainVerifies).toBe(true);
    expect(before.rows.every((t) => t.chain_ok === 1)).toBe(true);
    const after = hqTickets(boFile, r.terminal.id);
    expect(after.rows.map((t) => t.id)).toEqual(sold.map((t) => t.id));
    expect(after.rows.map((t) => t.seq)).toEqual([1, 2, 3]);
    expect(after.chainVerifies).toBe(true);
    expect(after.rows.every((t) => t.chain_ok === 1)).toBe(true);
    const totals = one<{ n: number; ids: number; numbers: number }>(
      boFile,
      `SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids, COUNT(DISTINCT series || '/' || number) AS numbers FROM sale_ticket WHERE terminal_id IN (?, ?)`,
      old.id, r.terminal.id,
    );
    expect(totals).toEqual({ n: 503, ids: 503, numbers: 503 });
    expect(one<{ n: number }>(boFile, 'SELECT COUNT(*) AS n FROM ingest_review').n).toBe(0);
    expect(one<{ n: number }>(boFile, 'SELECT COUNT(*) AS n FROM ingest_hold').n).toBe(0);
    await bo.stop();
  });

  it('HQ put back to an older copy of its database: tills resend what it lost, a later price change reaches every till, none stays revoked', async () => {
    const { franchise, boFile, port, url, file } = await seeded('restore');
    let bo = await folder.start(port);
    const [ta, tb] = [franchise.terminals[0]!, franchise.terminals[1]!];
    expect(ta.storeId).toBe(tb.storeId);
    const product = franchise.products.find((p) => !p.weighed)!;
    const priceAt = (db: SqliteHandle) => db.prepare<[string], { price_cents: number }>('SELECT price_cents FROM product WHERE id = ?').get(product.id)?.price_cents;

    // Till A paired and 20 tickets acked; then the copy is taken (with HQ stopped, as a backup would be).
    const a = await till(file('a'), url, await pairingCodeFromHq(url, franchise, ta.id));
    await a.client.start();
    await until(loaded(a), 60_000, `A loaded (${why(a)})`);
    const sellA = ticketWriter(a.db, readIdentity(a.db)!, clock, localProducts(a.db, 60));
    sellA.sales(20);
    a.client.notify();
    await until(() => a.client.status().ackedSeq === 20, 30_000, `A 20 acked (${why(a)})`);
    await bo.stop();
    const copy = path.join(folder.dataDir, 'backoffice-copy.sqlite');
    copyFileSync(boFile, copy);
    for (const ext of ['-wal', '-shm']) if (existsSync(boFile + ext)) copyFileSync(boFile + ext, copy + ext);

    // After the copy: B pairs, both sell, HQ acks, and a price change reaches both.
    bo = await folder.start(port);
    const b = await till(file('b'), url, await pairingCodeFromHq(url, franchise, tb.id));
    await b.client.start();
    await until(loaded(b), 60_000, `B loaded (${why(b)})`);
    sellA.sales(30);
    ticketWriter(b.db, readIdentity(b.db)!, clock, localProducts(b.db, 60)).sales(10);
    a.client.notify();
    b.client.notify();
    await until(() => a.client.status().ackedSeq === 50 && b.client.status().ackedSeq === 10, 30_000, `acks (${why(a)} / ${why(b)})`);
    await setStorePrice(url, franchise, ta.storeId, product.id, 1234);
    await until(() => priceAt(a.db) === 1234 && priceAt(b.db) === 1234 && loaded(a)() && loaded(b)(), 30_000, 'price 1234 on both tills');
    const versionBefore = a.client.status().catalog.version;

    // The power cut: HQ comes back on the older copy. Before any till reconnects, HQ changes the price again
    // (its feed numbers that change with a version the tills already hold).
    await a.client.stop();
    await b.client.stop();
    await bo.stop();
    for (const ext of ['', '-wal', '-shm']) rmSync(boFile + ext, { force: true });
    copyFileSync(copy, boFile);
    for (const ext of ['-wal', '-shm']) if (existsSync(copy + ext)) copyFileSync(copy + ext, boFile + ext);
    bo = await folder.start(port);
    expect(one<{ n: number }>(boFile, 'SELECT COUNT(*) AS n FROM sale_ticket').n).toBe(20);
    await setStorePrice(url, franchise, ta.storeId, product.id, 4321);
    expect(one<{ v: number }>(boFile, 'SELECT MAX(version) AS v FROM change_log').v).toBeLessThanOrEqual(versionBefore);

    const again = (t: PairingTerminal, name: string) => {
      const client = new SyncClient({
        db: t.db, backofficeUrl: url, clock, appVersion: '0.1.0', log: (m) => t.logs.push(`${name}: ${m}`), pollMs: 20, backoff: { baseMs: 100, maxMs: 1000 }, ackTimeoutMs: 10_000,
      });
      opened.push({ ...t, client });
      return client;
    };
    const a2 = again(a, 'A');
    const b2 = again(b, 'B');
    await a2.start();
    await b2.start();
    await until(
      () => [a2, b2].every((c) => c.status().online && c.status().pendingCount === 0 && !c.status().catalog.loading) && a2.status().ackedSeq === 50 && b2.status().ackedSeq === 10,
      60_000,
      `resent (${why(a)} / ${why(b)})`,
    );
    await until(() => priceAt(a.db) === 4321 && priceAt(b.db) === 4321, 30_000, `price 4321 on both tills (A ${priceAt(a.db)}, B ${priceAt(b.db)}; ${why(a)} / ${why(b)})`);
    expect([a2.status().state, b2.status().state]).toEqual(['online', 'online']);

    // Nothing lost: every ticket of both tills at HQ once, chains whole; both paired, none revoked.
    for (const [t, n] of [[ta, 50], [tb, 10]] as const) {
      const hq = hqTickets(boFile, t.id);
      expect(hq.rows.map((r) => r.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(hq.chainVerifies).toBe(true);
      expect(hq.rows.every((r) => r.chain_ok === 1)).toBe(true);
      expect(one<{ revoked: string | null; token: string | null }>(boFile, 'SELECT revoked_at AS revoked, token_hash AS token FROM terminal WHERE id = ?', t.id)).toMatchObject({ revoked: null, token: expect.any(String) });
    }
    await bo.stop();
  });
});
