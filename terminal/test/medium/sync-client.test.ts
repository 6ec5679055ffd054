/**
 * The sync client against a small real socket.io back office (FakeHq) that speaks the protocol: outbox
 * drain, acks, lost acks, refusals, restarts of either side, revocation, pairing, status endpoint.
 */
import { describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { verifyChain, type FiscalRecord } from '@tpv/shared/fiscal/record';
import { createHttpService } from '@tpv/runtime';
import { SyncClient, syncRoutes, readCredentials, type SyncClientOptions } from '../../src/sync';
import { FakeHq } from '../support/fake-hq';
import { readIdentity } from '../../src/identity';
import type { SqliteHandle } from '../../src/persistence/data-source';
import { identityFor, scratchPerFile, openTerminal, ticketWriter, until } from './sync-fixtures';

const { tmp, cleanups } = scratchPerFile();

const clock = { now: () => Date.now() };
const quiet = () => undefined;

async function hq(opts?: ConstructorParameters<typeof FakeHq>[0], port = 0): Promise<FakeHq> {
  const h = new FakeHq(opts);
  await h.listen(port);
  cleanups.push(() => h.close());
  return h;
}

async function terminal(n: number, file = tmp.file()): Promise<{ ds: DataSource; db: SqliteHandle; file: string }> {
  const t = await openTerminal(file, identityFor(n));
  cleanups.push(async () => {
    if (t.ds.isInitialized) await t.ds.destroy();
  });
  return { ...t, file };
}

function client(db: SqliteHandle, url: string, extra: Partial<SyncClientOptions> = {}): SyncClient {
  const c = new SyncClient({
    db, backofficeUrl: url, clock, appVersion: '0.1.0', log: quiet, pollMs: 20,
    backoff: { baseMs: 20, maxMs: 200 }, ackTimeoutMs: 2000, ...extra,
  });
  cleanups.push(() => c.stop());
  return c;
}

/** Pairs `n` on `h` without HTTP: registers it and writes its token the way pairing would. */
function enrol(h: FakeHq, db: SqliteHandle, n: number): void {
  h.addTerminal(identityFor(n));
  const token = h.issueToken(identityFor(n).terminalId);
  db.prepare(`INSERT INTO terminal_config (key, value) VALUES ('sync', ?)`).run(
    JSON.stringify({ terminalId: identityFor(n).terminalId, token, pairedAt: new Date().toISOString() }),
  );
}

const outboxRows = (db: SqliteHandle) =>
  db.prepare<[], { seq: number; sent_at: string | null; attempts: number; last_error: string | null }>(
    'SELECT seq, sent_at, attempts, last_error FROM outbox ORDER BY seq',
  ).all();

function expectExactlyOnce(h: FakeHq, n: number, count: number) {
  const t = h.terminals.get(identityFor(n).terminalId)!;
  expect(t.appliedSeq).toBe(count);
  expect([...t.tickets.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  expect(new Set([...t.tickets.values()].map((d) => d.id)).size).toBe(count);
  const chain = [...t.tickets.values()].sort((a, b) => a.seq - b.seq).map((d) => d.fiscal as FiscalRecord);
  expect(verifyChain(chain).ok).toBe(true);
}

describe('sync client: outbox → back office', () => {
  it('drains a long queue in seq order, ≤ 200 per batch, a window of two batches in flight, and marks every row sent', async () => {
    const h = await hq();
    const t = await terminal(1);
    enrol(h, t.db, 1);
    ticketWriter(t.db, identityFor(1), clock).sales(450);
    let inFlight = 0;
    let maxInFlight = 0;
    const sizes: number[] = [];
    h.io.of('/terminal').on('connection', (s) => {
      // In flight = received and not answered yet: the ack is wrapped before the handler sees it, and
      // answers 20 ms late, as a back office busy committing would.
      s.use((packet, next) => {
        const ack = packet[2];
        if (packet[0] === 'tickets' && typeof ack === 'function') {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          sizes.push((packet[1] as { tickets: unknown[] }).tickets.length);
          packet[2] = (...a: unknown[]) =>
            setTimeout(() => {
              inFlight--;
              (ack as (...x: unknown[]) => void)(...a);
            }, 20);
        }
        next();
      });
    });
    const c = client(t.db, h.url);
    await c.start();
    await until(() => c.status().pendingCount === 0 && c.status().state === 'online', 15_000, 'drain');
    expectExactlyOnce(h, 1, 450);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(200);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(450);
    // The next batch is on the wire while HQ applies one (pipelining), never more than the window.
    expect(maxInFlight).toBe(2);
    expect(outboxRows(t.db).every((r) => r.sent_at !== null && r.attempts >= 1)).toBe(true);
    const s = c.status();
    expect(s).toMatchObject({ online: true, pendingCount: 0, ackedSeq: 450, lastSeq: 450, oldestPendingAt: null, rejectedCount: 0 });

    // New sales while online go up without a restart; notify() sends at once.
    const w = ticketWriter(t.db, identityFor(1), clock);
    w.sales(3);
    c.notify();
    await until(() => c.status().ackedSeq === 453, 5000, 'new sales');
    expectExactlyOnce(h, 1, 453);
  });

  it('sells offline: pending count and age grow; everything goes up once the back office is there', async () => {
    const h0 = new FakeHq();
    const t = await terminal(2);
    enrol(h0, t.db, 2);
    // Back office not listening yet: pick a port and leave it closed.
    await h0.listen(0);
    const port = h0.port;
    await h0.close();
    const w = ticketWriter(t.db, identityFor(2), clock);
    w.sales(120);
    const c = client(t.db, `http://127.0.0.1:${port}`);
    await c.start();
    await until(() => c.status().lastError !== null, 5000, 'first failure');
    let s = c.status();
    expect(s.online).toBe(false);
    expect(s.pendingCount).toBe(120);
    expect(s.oldestPendingAt).not.toBeNull();
    expect(s.lastError?.message).toMatch(/cannot reach|disconnected/);
    w.sales(30);
    expect(c.status().pendingCount).toBe(150);

    const h = (await hq(undefined, port)).adopt(h0);
    await until(() => c.status().pendingCount === 0, 15_000, 'drain after back office came up');
    s = c.status();
    expect(s.online).toBe(true);
    expectExactlyOnce(h, 2, 150);
  });

  it('resumes after the terminal restarts (same file) and after the back office restarts, with nothing lost or doubled', async () => {
    const h1 = await hq();
    const file = tmp.file();
    let t = await terminal(3, file);
    enrol(h1, t.db, 3);
    ticketWriter(t.db, identityFor(3), clock).sales(250);
    let c = client(t.db, h1.url);
    await c.start();
    await until(() => h1.terminals.get(identityFor(3).terminalId)!.appliedSeq >= 1, 5000, 'first batch');
    // Terminal process "dies": client and database closed mid-drain.
    await c.stop();
    await t.ds.destroy();
    t = await terminal(3, file);
    ticketWriter(t.db, identityFor(3), clock).sales(50);
    c = client(t.db, h1.url);
    await c.start();
    await until(() => c.status().pendingCount === 0, 10_000, 'drain after terminal restart');
    expectExactlyOnce(h1, 3, 300);

    // Back office restarts on the same port with its durable state; the terminal reconnects by itself.
    const port = h1.port;
    await h1.close();
    await until(() => !c.status().online, 5000, 'offline');
    ticketWriter(t.db, identityFor(3), clock).sales(40);
    const h2 = (await hq(undefined, port)).adopt(h1);
    await until(() => c.status().pendingCount === 0 && c.status().online, 15_000, 'drain after back-office restart');
    expectExactlyOnce(h2, 3, 340);
  });

  it('lost acks: the connection is recycled, hello:ack says what was applied; replays are applied once', async () => {
    const h = await hq();
    const t = await terminal(4);
    enrol(h, t.db, 4);
    ticketWriter(t.db, identityFor(4), clock).sales(60);
    h.swallowAcks = true; // applied at HQ, answer lost
    const c = client(t.db, h.url, { ackTimeoutMs: 300 });
    await c.start();
    await until(() => h.connections >= 2 && c.status().pendingCount === 0, 10_000, 'recovered through hello:ack');
    expect(c.status().lastError?.message).toMatch(/batch 1\.\.60/);
    h.swallowAcks = false;
    expectExactlyOnce(h, 4, 60);
    // Replay of batches already acked (the terminal believes they are unsent): HQ applies nothing twice.
    t.db.prepare('UPDATE outbox SET sent_at = NULL').run();
    c.notify();
    await until(() => c.status().pendingCount === 0, 10_000, 'replay acked');
    const ft = h.terminals.get(identityFor(4).terminalId)!;
    expect(ft.duplicates).toBe(60);
    expectExactlyOnce(h, 4, 60);
    expect(outboxRows(t.db)[0]!.attempts).toBe(2);
  });

  it('refused tickets stay in the outbox with their reason; rows are never deleted', async () => {
    const h = await hq();
    const t = await terminal(5);
    enrol(h, t.db, 5);
    h.rejectSeqs.set(identityFor(5).terminalId, new Map([[7, 'TICKET_ARITHMETIC_MISMATCH: totals.total']]));
    ticketWriter(t.db, identityFor(5), clock).sales(10);
    const c = client(t.db, h.url);
    await c.start();
    await until(() => c.status().pendingCount === 0, 10_000, 'drain');
    const rows = outboxRows(t.db);
    expect(rows).toHaveLength(10);
    expect(rows[6]!.last_error).toBe('rejected: TICKET_ARITHMETIC_MISMATCH: totals.total');
    expect(rows.filter((r) => r.last_error !== null)).toHaveLength(1);
    expect(c.status().rejectedCount).toBe(1);
    expect(() => t.db.prepare('DELETE FROM outbox WHERE seq = 7').run()).toThrow(/never dropped/);
  });

  it('a batch refused whole stays queued with the reason, on the same connection, and goes once accepted', async () => {
    const h = await hq();
    const t = await terminal(11);
    enrol(h, t.db, 11);
    h.refuseBatches = { code: 'BATCH_MALFORMED', message: 'tickets.0.lines: too small' };
    ticketWriter(t.db, identityFor(11), clock).sales(4);
    const c = client(t.db, h.url);
    await c.start();
    await until(() => outboxRows(t.db)[0]!.last_error !== null, 5000, 'refusal noted');
    expect(outboxRows(t.db)[0]!.last_error).toBe('refused: BATCH_MALFORMED: tickets.0.lines: too small');
    expect(c.status()).toMatchObject({ online: true, pendingCount: 4 });
    expect(c.status().lastError?.message).toMatch(/BATCH_MALFORMED: tickets.0.lines: too small/);
    h.refuseBatches = undefined;
    await until(() => c.status().pendingCount === 0, 10_000, 'accepted');
    expect(h.connections).toBe(1);
    expectExactlyOnce(h, 11, 4);
  });

  it('a batch refused for good is not resent on that connection; the next connection tries again', async () => {
    const h = await hq();
    const t = await terminal(12);
    enrol(h, t.db, 12);
    h.refuseBatches = { code: 'FORGED_SEQ', message: 'tickets.1.seq 1 does not increase', permanent: true };
    ticketWriter(t.db, identityFor(12), clock).sales(3);
    const c = client(t.db, h.url);
    await c.start();
    await until(() => c.status().lastError?.message.includes('refused for good') === true, 5000, 'refused for good');
    expect(outboxRows(t.db).map((r) => r.last_error)).toEqual(Array(3).fill('refused for good: FORGED_SEQ: tickets.1.seq 1 does not increase'));
    expect(c.status()).toMatchObject({ online: true, pendingCount: 3 });
    // The backoff here is 20–200 ms: a till still retrying would have sent several more batches by now.
    const sent = h.batchesReceived;
    await new Promise((r) => setTimeout(r, 600));
    expect(h.batchesReceived).toBe(sent);
    // HQ sorts it out and the till reconnects: the rows go, once.
    h.refuseBatches = undefined;
    h.dropConnections();
    await until(() => c.status().pendingCount === 0, 10_000, 'accepted after reconnect');
    expectExactlyOnce(h, 12, 3);
  });

  it('a back office that lost tickets (restored backup) gets them again from the outbox', async () => {
    const h = await hq();
    const t = await terminal(6);
    enrol(h, t.db, 6);
    ticketWriter(t.db, identityFor(6), clock).sales(30);
    const c = client(t.db, h.url);
    await c.start();
    await until(() => c.status().ackedSeq === 30, 10_000, 'drain');
    // HQ restored from a backup holding only seq ≤ 12.
    const port = h.port;
    await h.close();
    const ft = h.terminals.get(identityFor(6).terminalId)!;
    for (const seq of [...ft.tickets.keys()]) if (seq > 12) ft.tickets.delete(seq);
    ft.appliedSeq = 12;
    const h2 = (await hq(undefined, port)).adopt(h);
    await until(() => h2.terminals.get(identityFor(6).terminalId)!.appliedSeq === 30 && c.status().pendingCount === 0, 15_000, 'refill');
    expectExactlyOnce(h2, 6, 30);
  });

  it('a revoked terminal stops retrying, says so, and keeps its queue', async () => {
    const h = await hq();
    const t = await terminal(7);
    enrol(h, t.db, 7);
    const c = client(t.db, h.url);
    await c.start();
    await until(() => c.status().online, 5000, 'online');
    h.revoke(identityFor(7).terminalId);
    ticketWriter(t.db, identityFor(7), clock).sales(5);
    await until(() => c.status().state === 'revoked', 5000, 'revoked');
    const connections = h.connections;
    await new Promise((r) => setTimeout(r, 400));
    expect(h.connections).toBe(connections);
    expect(c.status()).toMatchObject({ state: 'revoked', online: false, pendingCount: 5 });
    expect(c.status().lastError?.message).toMatch(/revoked or unpaired/);
    expect(readCredentials(t.db)?.revokedAt).toBeTruthy();
  });
});

describe('sync client: pairing', () => {
  it('trades TPV_PAIRING_CODE for a token and identity, stored in terminal_config, then streams', async () => {
    const h = await hq();
    h.addTerminal(identityFor(8));
    const code = h.pairingCode(identityFor(8).terminalId);
    const t = await terminal(8);
    t.db.prepare(`DELETE FROM terminal_config`).run(); // a fresh till knows nothing
    const c = client(t.db, h.url, { pairingCode: code });
    await c.start();
    expect(readIdentity(t.db)).toEqual(identityFor(8));
    const creds = readCredentials(t.db)!;
    expect(creds.terminalId).toBe(identityFor(8).terminalId);
    expect(creds.token).toBe(h.terminals.get(identityFor(8).terminalId)!.token);
    await until(() => c.status().online, 5000, 'online');
    ticketWriter(t.db, identityFor(8), clock).sales(3);
    await until(() => c.status().ackedSeq === 3, 5000, 'sent');
  });

  it('keeps trying to pair while the back office is unreachable, then streams', async () => {
    const h0 = new FakeHq();
    await h0.listen(0);
    const port = h0.port;
    h0.addTerminal(identityFor(12));
    const code = h0.pairingCode(identityFor(12).terminalId);
    await h0.close();
    const t = await terminal(12);
    t.db.prepare(`DELETE FROM terminal_config`).run();
    const c = client(t.db, `http://127.0.0.1:${port}`, { pairingCode: code });
    await c.start();
    expect(c.status().state).toBe('pairing');
    expect(c.status().lastError?.message).toMatch(/not reachable/);
    await (await hq(undefined, port)).adopt(h0);
    await until(() => c.status().online, 10_000, 'paired and online');
    expect(readIdentity(t.db)?.terminalId).toBe(identityFor(12).terminalId);
  });

  it('keeps trying to pair while HQ answers 429 (too many attempts from this address), then pairs', async () => {
    const h = await hq();
    h.addTerminal(identityFor(13));
    const code = h.pairingCode(identityFor(13).terminalId);
    const t = await terminal(13);
    t.db.prepare(`DELETE FROM terminal_config`).run();
    let throttled = 2;
    const throttling: typeof fetch = async (input, init) =>
      throttled-- > 0
        ? new Response(JSON.stringify({ type: 'https://tpv.dev/problems/too-many-attempts', title: 'Too many attempts', status: 429, code: 'TOO_MANY_ATTEMPTS' }), {
            status: 429,
            headers: { 'content-type': 'application/problem+json', 'retry-after': '1' },
          })
        : fetch(input, init);
    const c = client(t.db, h.url, { pairingCode: code, fetch: throttling });
    await c.start();
    expect(c.status().lastError?.message).toMatch(/429/);
    await until(() => c.status().online, 10_000, 'paired and online');
    expect(readIdentity(t.db)?.terminalId).toBe(identityFor(13).terminalId);
  });

  it('a bad code leaves the terminal unpaired (still selling), with the reason', async () => {
    const h = await hq();
    const t = await terminal(9);
    t.db.prepare(`DELETE FROM terminal_config`).run();
    const c = client(t.db, h.url, { pairingCode: '000000' });
    await c.start();
    expect(c.status().state).toBe('unpaired');
    expect(c.status().lastError?.message).toMatch(/pairing refused \(404\): unknown or expired code/);
    expect(readCredentials(t.db)).toBeUndefined();
  });
});

describe('sync client: status endpoint', () => {
  it('GET /api/sync/status answers the live status', async () => {
    const h = await hq();
    const t = await terminal(10);
    enrol(h, t.db, 10);
    ticketWriter(t.db, identityFor(10), clock).sales(2);
    const c = client(t.db, h.url);
    const svc = createHttpService({ name: 'terminal-test', routes: [syncRoutes(() => c.status())], log: quiet });
    const port = await svc.listen(0);
    cleanups.push(() => svc.close());
    let body = (await (await fetch(`http://127.0.0.1:${port}/api/sync/status`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ state: 'offline', online: false, pendingCount: 2, ackedSeq: 0, lastSeq: 2 });
    await c.start();
    await until(() => c.status().pendingCount === 0, 5000, 'drain');
    body = (await (await fetch(`http://127.0.0.1:${port}/api/sync/status`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ state: 'online', online: true, pendingCount: 0, ackedSeq: 2, oldestPendingAgeSeconds: null });
  });
});
