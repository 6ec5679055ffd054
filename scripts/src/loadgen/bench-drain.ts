/**
 * `npx tsx scripts/src/loadgen/bench-drain.ts [tickets]`: how fast a terminal's outbox drains to a
 * back office over loopback socket.io — N real tickets (default 20,000; 1–3 lines) queued offline, then the
 * SyncClient connects to the in-memory protocol back office (full TicketBatchSchema validation on) and
 * sends them in batches of 200, two in flight. Prints figures; asserts nothing.
 */
import type { SqliteHandle } from '@tpv/terminal/persistence/data-source';
import { SyncClient } from '@tpv/terminal/sync/client';
import { FakeHq } from '@tpv/terminal/test/support/fake-hq';
import { TempDir, identityFor, openTerminal, ticketWriter } from '@tpv/terminal/test/support/tickets';

/**
 * Times the drain of a paired terminal database's outbox to any back office (fake or real): from `start()`
 * (connect, hello) until the back office has acked `untilSeq`.
 */
export async function timeDrain(o: { db: SqliteHandle; backofficeUrl: string; untilSeq: number; timeoutMs?: number }): Promise<{ seconds: number }> {
  const client = new SyncClient({ db: o.db, backofficeUrl: o.backofficeUrl, clock: { now: () => Date.now() }, appVersion: 'bench', log: () => undefined, pollMs: 10 });
  const started = performance.now();
  const deadline = Date.now() + (o.timeoutMs ?? 600_000);
  try {
    await client.start();
    // status() counts the pending rows (a scan of the outbox's pending index): polled every few ms it would
    // cost the client more than the drain itself with 50,000 rows queued. Its throttled 'status' events say
    // when acks move; a slow poll backs them up.
    let acked = 0;
    client.on('status', (st: { ackedSeq: number }) => (acked = Math.max(acked, st.ackedSeq)));
    while (acked < o.untilSeq) {
      if (Date.now() > deadline) throw new Error(`drain: acked ${acked} of ${o.untilSeq} in time`);
      await new Promise((r) => setTimeout(r, 1000));
      if (acked < o.untilSeq) acked = Math.max(acked, client.status().ackedSeq);
    }
    return { seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.stop();
  }
}

export async function benchDrain(tickets = 20_000): Promise<{ tickets: number; seconds: number; perSecond: number; batches: number }> {
  const tmp = new TempDir();
  const hq = new FakeHq({ validate: process.env.BENCH_VALIDATE !== "0" });
  await hq.listen(0);
  const { ds, db } = await openTerminal(tmp.file(), identityFor(77));
  hq.addTerminal(identityFor(77));
  const token = hq.issueToken(identityFor(77).terminalId);
  db.prepare(`INSERT INTO terminal_config (key, value) VALUES ('sync', ?)`).run(
    JSON.stringify({ terminalId: identityFor(77).terminalId, token, pairedAt: new Date().toISOString() }),
  );
  ticketWriter(db, identityFor(77), { now: () => Date.now() }).sales(tickets);
  const client = new SyncClient({ db, backofficeUrl: hq.url, clock: { now: () => Date.now() }, appVersion: 'bench', log: () => undefined, pollMs: 10 });
  const started = performance.now();
  await client.start();
  while (client.status().ackedSeq < tickets) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - started) / 1000;
  const batches = hq.terminals.get(identityFor(77).terminalId)!.batches;
  await client.stop();
  await hq.close();
  await ds.destroy();
  tmp.remove();
  return { tickets, seconds, perSecond: Math.round(tickets / seconds), batches };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchDrain(Number(process.argv[2] ?? 20_000));
  console.log(`outbox drain: ${r.tickets} tickets in ${r.batches} batches, ${r.seconds.toFixed(2)} s — ${r.perSecond} tickets/s`);
}
