/**
 * Till identity (issue #9, points 1 and 2): a till never marks its own rows as delivered because the back
 * office holds a higher seq than it ever wrote (a wiped or replaced till paired to an id with history), and
 * it notices a back office whose change feed went backwards (restored from an older copy) and re-pulls.
 */
import { describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { SyncClient, readCredentials, type SyncClientOptions } from '../../src/sync';
import { FakeHq } from '../support/fake-hq';
import type { SqliteHandle } from '../../src/persistence/data-source';
import { identityFor, scratchPerFile, openTerminal, ticketWriter, until } from './sync-fixtures';

const { tmp, cleanups } = scratchPerFile();

const clock = { now: () => Date.now() };

async function hq(port = 0): Promise<FakeHq> {
  const h = new FakeHq();
  await h.listen(port);
  cleanups.push(() => h.close());
  return h;
}

async function terminal(n: number): Promise<{ ds: DataSource; db: SqliteHandle }> {
  const t = await openTerminal(tmp.file(), identityFor(n));
  cleanups.push(async () => {
    if (t.ds.isInitialized) await t.ds.destroy();
  });
  return t;
}

function client(db: SqliteHandle, url: string, extra: Partial<SyncClientOptions> = {}): SyncClient {
  const c = new SyncClient({
    db, backofficeUrl: url, clock, appVersion: '0.1.0', log: () => undefined, pollMs: 20,
    backoff: { baseMs: 20, maxMs: 200 }, ackTimeoutMs: 2000, ...extra,
  });
  cleanups.push(() => c.stop());
  return c;
}

function enrol(h: FakeHq, db: SqliteHandle, n: number): void {
  if (!h.terminals.has(identityFor(n).terminalId)) h.addTerminal(identityFor(n));
  const token = h.issueToken(identityFor(n).terminalId);
  db.prepare(`INSERT INTO terminal_config (key, value) VALUES ('sync', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(
    JSON.stringify({ terminalId: identityFor(n).terminalId, token, pairedAt: new Date().toISOString() }),
  );
}

const sentRows = (db: SqliteHandle) => db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NOT NULL').get()!.n;

describe('a till whose database is new, on a terminal id the back office holds 500 tickets of', () => {
  it('does not mark its own new tickets as sent: it stops sending, says "conflict", and keeps all three', async () => {
    const h = await hq();
    h.addTerminal(identityFor(31)).appliedSeq = 500; // HQ holds seqs 1..500 of the old till
    const t = await terminal(31);
    enrol(h, t.db, 31);
    ticketWriter(t.db, identityFor(31), clock).sales(3);
    const c = client(t.db, h.url);
    await c.start();
    await until(() => c.status().state === 'conflict', 5000, 'conflict');
    expect(sentRows(t.db)).toBe(0);
    expect(c.status()).toMatchObject({ state: 'conflict', online: false, pendingCount: 3, lastSeq: 3, ackedSeq: 0 });
    expect(c.status().conflict).toMatchObject({ hqSeq: 500, localSeq: 3 });
    expect(c.status().lastError?.message).toMatch(/holds seq 500.*only 3/);
    expect(h.terminals.get(identityFor(31).terminalId)!.batches).toBe(0);
    // It looks again now and then, and never sends while HQ holds more than it wrote.
    const seen = h.connections;
    await until(() => h.connections > seen, 5000, 'checks again');
    expect(sentRows(t.db)).toBe(0);
    expect(h.terminals.get(identityFor(31).terminalId)!.batches).toBe(0);
  });

  it('an ack above the highest seq it wrote is a conflict too: nothing marked sent', async () => {
    const h = await hq();
    const t = await terminal(32);
    enrol(h, t.db, 32);
    ticketWriter(t.db, identityFor(32), clock).sales(2);
    h.ackOverride = (ft) => ({ terminalId: ft.identity.terminalId, ackedSeq: 40 });
    const c = client(t.db, h.url);
    await c.start();
    await until(() => c.status().state === 'conflict', 5000, 'conflict');
    expect(sentRows(t.db)).toBe(0);
    expect(c.status()).toMatchObject({ pendingCount: 2, conflict: { hqSeq: 40, localSeq: 2 } });
  });

  it('refuses a pairing to a terminal id whose history it does not have, and stays unpaired', async () => {
    const h = await hq();
    h.addTerminal(identityFor(33)).appliedSeq = 500;
    const code = h.pairingCode(identityFor(33).terminalId);
    const t = await terminal(33);
    t.db.prepare(`DELETE FROM terminal_config`).run();
    const c = client(t.db, h.url, { pairingCode: code });
    await c.start();
    expect(c.status().state).toBe('unpaired');
    expect(c.status().lastError?.message).toMatch(/already holds 500 tickets/);
  });
});

describe('a revoked till', () => {
  it('asks again now and then, and is back online (nothing lost) when HQ accepts its token again, e.g. after a restore', async () => {
    const h = await hq();
    const t = await terminal(35);
    enrol(h, t.db, 35);
    const c = client(t.db, h.url, { revokedRecheckMs: 100 });
    await c.start();
    await until(() => c.status().online, 5000, 'online');
    h.revoke(identityFor(35).terminalId);
    ticketWriter(t.db, identityFor(35), clock).sales(4);
    await until(() => c.status().state === 'revoked', 5000, 'revoked');
    const refused = h.connections;
    h.terminals.get(identityFor(35).terminalId)!.revoked = false; // HQ knows the token again
    await until(() => c.status().online && c.status().ackedSeq === 4, 5000, 'back online');
    expect(h.connections).toBeGreaterThan(refused);
    expect(readCredentials(t.db)?.revokedAt).toBeNull();
  });
});

describe('a back office whose change feed went backwards', () => {
  it('is detected (version below the till\'s, or another epoch at the till\'s version) and the catalogue is pulled again from scratch', async () => {
    const h = await hq();
    const t = await terminal(34);
    enrol(h, t.db, 34);
    h.publish([{ entity: 'product', id: '00000000-0000-7000-8000-000000000001', op: 'upsert', data: { id: '00000000-0000-7000-8000-000000000001', sku: 'A', name: 'A', taxRateBp: 2100, weighed: false, priceCents: 100, active: true } }], false);
    h.publish([{ entity: 'product', id: '00000000-0000-7000-8000-000000000002', op: 'upsert', data: { id: '00000000-0000-7000-8000-000000000002', sku: 'B', name: 'B', taxRateBp: 2100, weighed: false, priceCents: 200, active: true } }], false);
    const c = client(t.db, h.url);
    await c.start();
    await until(() => c.status().catalog.version === 2 && !c.status().catalog.loading, 5000, 'loaded');
    // Restored: HQ only has the first change, and then a new one (a price change) takes version 2 again.
    await c.stop();
    h.rewindFeed(1);
    h.publish([{ entity: 'product', id: '00000000-0000-7000-8000-000000000001', op: 'upsert', data: { id: '00000000-0000-7000-8000-000000000001', sku: 'A', name: 'A', taxRateBp: 2100, weighed: false, priceCents: 150, active: true } }], false);
    const pullsBefore = h.pulls;
    const c2 = client(t.db, h.url);
    await c2.start();
    await until(() => h.pulls > pullsBefore && !c2.status().catalog.loading && c2.status().catalog.version === 2, 5000, 're-pulled');
    const price = t.db.prepare<[], { price_cents: number }>(`SELECT price_cents FROM product WHERE id = '00000000-0000-7000-8000-000000000001'`).get();
    expect(price?.price_cents).toBe(150);
  });
});
