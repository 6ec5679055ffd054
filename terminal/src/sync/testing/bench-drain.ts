/**
 * `npx tsx terminal/src/sync/testing/bench-drain.ts [tickets]`: how fast a terminal's outbox drains to a
 * back office over loopback socket.io — N real tickets (default 20,000; 1–3 lines) queued offline, then the
 * SyncClient connects to the in-memory protocol back office (full TicketBatchSchema validation on) and
 * sends them in batches of 200, one in flight. Prints figures; asserts nothing.
 */
import { SyncClient } from '../client';
import { FakeHq } from './fake-hq';
import { TempDir, identityFor, openTerminal, ticketWriter } from './tickets';

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
