/**
 * The sync client through the chaos TCP proxy (drops, refusals, black holes, delay) while a terminal keeps
 * selling, against the in-memory protocol back office. Every ticket arrives exactly once, in order, with
 * its fiscal chain intact. (The full-process chaos run against the real back office is sync-chaos.test.ts.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChain, type FiscalRecord } from '@tpv/shared/fiscal/record';
import { SyncClient } from '@tpv/terminal/sync/client';
import { FakeHq } from '@tpv/terminal/test/support/fake-hq';
import { TempDir, identityFor, openTerminal, ticketWriter, until } from '@tpv/terminal/test/support/tickets';
import { startTcpProxy } from '../../src/chaos/tcp-proxy';

const tmp = new TempDir();
afterAll(() => tmp.remove());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sync through a hostile link', () => {
  it('drops, refusals, black holes and delay lose nothing and double nothing', async () => {
    const hq = new FakeHq();
    await hq.listen(0);
    const proxy = await startTcpProxy({ targetPort: hq.port });
    const { ds, db } = await openTerminal(tmp.file(), identityFor(31));
    hq.addTerminal(identityFor(31));
    const token = hq.issueToken(identityFor(31).terminalId);
    db.prepare(`INSERT INTO terminal_config (key, value) VALUES ('sync', ?)`).run(
      JSON.stringify({ terminalId: identityFor(31).terminalId, token, pairedAt: new Date().toISOString() }),
    );
    const client = new SyncClient({
      db, backofficeUrl: proxy.url, clock: { now: () => Date.now() }, appVersion: 'chaos', log: () => undefined,
      pollMs: 20, backoff: { baseMs: 50, maxMs: 400 }, ackTimeoutMs: 800, connectTimeoutMs: 1000, batchSize: 50,
    });
    const writer = ticketWriter(db, identityFor(31), { now: () => Date.now() });
    try {
      await client.start();
      let sold = 0;
      let selling = true;
      const till = (async () => {
        while (selling) {
          writer.sale();
          sold++;
          client.notify();
          await sleep(3);
        }
      })();
      const chaos: Array<[string, () => Promise<void> | void, number]> = [
        ['delay', () => proxy.delay(40), 600],
        ['drop', () => void proxy.dropAll(), 300],
        ['refuse', () => proxy.refuse(true), 700],
        ['accept', () => proxy.refuse(false), 400],
        ['blackhole', () => proxy.blackhole(true), 1200],
        ['heal', () => proxy.blackhole(false), 300],
        ['drop', () => void proxy.dropAll(), 200],
        ['no delay', () => proxy.delay(0), 300],
        ['drop', () => void proxy.dropAll(), 300],
      ];
      for (const [, act, wait] of chaos) {
        await act();
        await sleep(wait);
      }
      selling = false;
      await till;
      await until(() => client.status().pendingCount === 0 && client.status().ackedSeq === sold, 30_000, 'drain after chaos');
      const t = hq.terminals.get(identityFor(31).terminalId)!;
      expect(sold).toBeGreaterThan(300);
      expect(t.appliedSeq).toBe(sold);
      expect([...t.tickets.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: sold }, (_, i) => i + 1));
      expect(new Set([...t.tickets.values()].map((d) => d.id)).size).toBe(sold);
      expect(verifyChain([...t.tickets.values()].sort((a, b) => a.seq - b.seq).map((d) => d.fiscal as FiscalRecord)).ok).toBe(true);
      expect(proxy.stats.connections).toBeGreaterThan(3);
      expect(proxy.stats.dropped).toBeGreaterThan(0);
      const rows = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NOT NULL').get()!.n;
      expect(rows).toBe(sold);
    } finally {
      await client.stop();
      await proxy.close();
      await hq.close();
      await ds.destroy();
    }
  });
});
