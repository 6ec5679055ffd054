/**
 * Series ownership, the ingest review queue and answers to every socket request, over real socket.io on a
 * SQLite file and on PostgreSQL: a till issuing in another till's series is refused and never blocks the
 * owner; a malformed or absurdly nested ticket is rejected for good without breaking the chain after it; a
 * batch that can never be applied is refused for good (once in the queue) instead of being retried; HQ lists,
 * reads, re-applies and accepts review items, each decision audited.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import type { TicketAck } from '@tpv/shared/wire/sync';
import { openLedger } from '../../src/persistence/ledger';
import type { LedgerEngine, LedgerWrites } from '../../src/sales-ingest/ledger';
import { createIngest } from '../../src/sales-ingest/service';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness, type TerminalClient } from '../support/harness';

async function count(ds: DataSource, table: string, where = '1 = 1'): Promise<number> {
  const rows = (await ds.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)) as Array<{ n: number | string }>;
  return Number(rows[0]!.n);
}

/** A till of its own for each scenario (the harness seeds three). */
const extra = {
  t4: { id: '00000000-0000-7000-8003-000000000014', code: '01', installation: 'M002-01' },
  t5: { id: '00000000-0000-7000-8003-000000000015', code: '02', installation: 'M002-02' },
  t6: { id: '00000000-0000-7000-8003-000000000016', code: '03', installation: 'M002-03' },
  t7: { id: '00000000-0000-7000-8003-000000000017', code: '04', installation: 'M002-04' },
};

async function addTerminal(ds: DataSource, t: { id: string; code: string; installation: string }, storeId: string, pg: boolean): Promise<void> {
  const p = (i: number) => (pg ? `$${i}` : '?');
  await ds.query(
    `INSERT INTO terminal (id, store_id, code, name, installation, last_acked_seq, catalog_version) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, 0, 0)`,
    [t.id, storeId, t.code, `Caja ${t.code}`, t.installation],
  );
}

/** JSON text of a value nested `depth` levels deep (no client library can even encode it: built as text). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`;

const ask = (t: TerminalClient, event: string, ...args: unknown[]) => t.socket.timeout(10_000).emitWithAck(event, ...args) as Promise<unknown>;

let rawId = 900_000;
/** Emits `event` with an argument given as JSON text, straight onto the connection, and awaits its ack. */
function askRaw(t: TerminalClient, event: string, argJson: string): Promise<unknown> {
  const id = rawId++;
  const engine = t.socket.io.engine;
  const prefix = `3/terminal,${id}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (engine.off('message', onMessage), reject(new Error(`no answer to ${event}`))), 10_000);
    function onMessage(data: unknown) {
      if (typeof data !== 'string' || !data.startsWith(prefix)) return;
      clearTimeout(timer);
      engine.off('message', onMessage);
      resolve((JSON.parse(data.slice(prefix.length)) as unknown[])[0]);
    }
    engine.on('message', onMessage);
    engine.write(`2/terminal,${id}[${JSON.stringify(event)},${argJson}]`);
  });
}

describe.each(engines)('review queue on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  const pg = engine.name === 'postgres';
  const open: TerminalClient[] = [];
  const connect = async (terminalId: string) => {
    const t = await connectTerminal(h.url, terminalId, await h.pair(terminalId));
    open.push(t);
    return t;
  };

  beforeAll(async () => {
    h = await startHarness(engine);
    for (const t of Object.values(extra)) await addTerminal(h.ds, t, F.storeM2.id, pg);
    hq = await h.login(F.hq);
  });
  afterAll(async () => {
    for (const t of open) t.close();
    await h?.teardown();
  });

  it("refuses tickets in another till's series for good, and the owner's genuine tickets still apply", async () => {
    const owner = await connect(F.t1.id);
    const stray = await connect(F.t2.id);
    // Till 02 misconfigured: it numbers in till 01's series (M00101-…).
    const wrong = factoryFor({ id: F.t2.id, code: F.t1.code, installation: F.t2.installation }, F.storeM1, F.ruiz.nif, 1);
    const right = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 2);
    const strayTickets = [wrong.next(), wrong.next()];
    const ack = await stray.send(strayTickets);
    expect(ack.ackedSeq).toBe(2);
    expect(ack.rejected?.map((r) => r.seq)).toEqual([1, 2]);
    expect(ack.rejected?.[0]?.reason).toMatch(/^SERIES_NOT_OWNED: series M00101-\d\dT belongs to till M001 · 01/);
    expect(await count(h.ds, 'sale_ticket', `terminal_id = '${F.t2.id}'`)).toBe(0);
    // The owner's own numbers 1 and 2 are not "duplicates".
    const genuine = [right.next(), right.next()];
    expect(genuine.map((t) => t.fiscalNumber)).toEqual(strayTickets.map((t) => t.fiscalNumber));
    expect(await owner.send(genuine)).toEqual({ terminalId: F.t1.id, ackedSeq: 2 });
    expect(await count(h.ds, 'sale_ticket', `terminal_id = '${F.t1.id}'`)).toBe(2);
    // Both refusals wait in the review queue with their reason and the document as sent.
    const list = await h.api('GET', `/api/review?terminalId=${F.t2.id}&kind=rejected`, { token: hq });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);
    expect(list.body.items.map((i: { seq: number; code: string; status: string }) => [i.seq, i.code, i.status])).toEqual([
      [2, 'SERIES_NOT_OWNED', 'open'],
      [1, 'SERIES_NOT_OWNED', 'open'],
    ]);
    const detail = await h.api('GET', `/api/review/${list.body.items[1].id}`, { token: hq });
    expect(JSON.parse(detail.body.payload)).toEqual(strayTickets[0]);
    expect(detail.body).toMatchObject({ terminalId: F.t2.id, storeCode: 'M001', terminalCode: '02', decisions: [] });
  });

  it('rejects a malformed ticket and one nested 50,000 deep for good, without flagging the next good ticket as a break', async () => {
    const t = await connect(F.t3.id);
    const f = factoryFor(F.t3, F.storeV1, F.levante.nif, 3);
    const [a, b, c, d, e] = [f.next(), f.next(), f.next(), f.next(), f.next()];
    const deep = JSON.stringify({ ...b, cashier: { ...b.cashier, name: '<deep>' } }).replace('"<deep>"', nested(50_000));
    const malformed = { ...c, lines: 'nope' }; // its fiscal record is intact: it keeps its place in the chain
    const unreadable = { ...d, fiscal: 'garbled' }; // no record to chain: the next one is taken as it comes
    const batch = (tickets: string) => `{"terminalId":"${F.t3.id}","batchId":"${randomUUID()}","tickets":[${tickets}]}`;
    const ack = (await askRaw(t, 'tickets', batch([JSON.stringify(a), deep, JSON.stringify(malformed), JSON.stringify(unreadable), JSON.stringify(e)].join(',')))) as TicketAck;
    expect(ack.ackedSeq).toBe(5);
    expect(ack.rejected?.map((r) => [r.seq, r.reason.split(':')[0]])).toEqual([
      [2, 'TICKET_TOO_DEEP'],
      [3, 'TICKET_MALFORMED'],
      [4, 'TICKET_MALFORMED'],
    ]);
    expect(t.errors).toEqual([]);
    const chain = (await h.ds.query(
      `SELECT chain_position, verified FROM fiscal_record WHERE terminal_id = '${F.t3.id}' ORDER BY chain_position`,
    )) as Array<{ chain_position: number; verified: unknown }>;
    expect(chain.map((r) => [Number(r.chain_position), Boolean(r.verified)])).toEqual([[1, true], [2, true], [3, true], [5, true]]);
    const stored = (await h.ds.query(`SELECT chain_ok FROM sale_ticket WHERE id = '${e.id}'`)) as Array<{ chain_ok: unknown }>;
    expect(Boolean(stored[0]!.chain_ok)).toBe(true);
    const breaks = await h.api('GET', `/api/review?terminalId=${F.t3.id}&kind=break`, { token: hq });
    expect(breaks.body.total).toBe(0);
    // The deep one is kept for review, cut at a readable depth.
    const items = await h.api('GET', `/api/review?terminalId=${F.t3.id}&kind=rejected`, { token: hq });
    const deepItem = items.body.items.find((i: { seq: number }) => i.seq === 2);
    expect(deepItem.reason).toMatch(/nested deeper than \d+/);
    const deepDetail = await h.api('GET', `/api/review/${deepItem.id}`, { token: hq });
    expect(JSON.parse(deepDetail.body.payload).id).toBe(b.id);
    // The till goes on.
    expect(await t.send([f.next()])).toEqual({ terminalId: F.t3.id, ackedSeq: 6 });
  });

  it('rejects for good a ticket that makes a rule throw (fiscal number beyond 999,999,999) instead of answering "retry" forever', async () => {
    const t = await connect(extra.t6.id);
    const f = factoryFor(extra.t6, F.storeM2, F.ruiz.nif, 6);
    const [a, b] = [f.next(), f.next()];
    const ack = await ask(t, 'tickets', { terminalId: extra.t6.id, batchId: randomUUID(), tickets: [{ ...a, number: 1e12 }, b] });
    expect(ack).toMatchObject({ terminalId: extra.t6.id, ackedSeq: 2, rejected: [{ seq: 1, reason: expect.stringMatching(/^TICKET_MALFORMED: number/) }] });
    t.close();
  });

  it('refuses for good a batch the database refuses on its own data, keeps it once for review, and goes on', async () => {
    await h.pair(extra.t7.id);
    // The ledger as it is, except that the database refuses one ticket's rows (as a column too short would).
    let poison: string | null = null;
    const base = openLedger(h.ds);
    const ledger: LedgerEngine = {
      ...base,
      transaction: (fn) =>
        base.transaction((tx) =>
          fn(
            new Proxy(tx, {
              get(target, prop) {
                if (prop === 'write') {
                  return async (w: LedgerWrites) => {
                    if (w.tickets.some((t) => t.id === poison)) throw Object.assign(new Error('value too long for type character varying(36)'), { code: '22001' });
                    return target.write(w);
                  };
                }
                const v = Reflect.get(target, prop) as unknown;
                return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
              },
            }),
          ),
        ),
    };
    const ingest = createIngest(ledger, { now: () => Date.now() });
    try {
      const ctx = { terminalId: extra.t7.id, storeId: F.storeM2.id, installation: extra.t7.installation, companyNif: F.ruiz.nif };
      const f = factoryFor(extra.t7, F.storeM2, F.ruiz.nif, 9);
      const [a, b] = [f.next(), f.next()];
      poison = a.id;
      for (let i = 0; i < 2; i++) {
        const r = await ingest.submit(ctx, { terminalId: ctx.terminalId, batchId: randomUUID(), tickets: [a, b] });
        expect(r).toMatchObject({ ok: false, error: { code: 'BATCH_UNSTORABLE', message: expect.stringMatching(/value too long/) } });
      }
      const items = await h.api('GET', `/api/review?terminalId=${extra.t7.id}&kind=batch`, { token: hq });
      expect(items.body.items.map((x: { code: string; seq: number }) => [x.code, x.seq])).toEqual([['BATCH_UNSTORABLE', 1]]);
      expect(await count(h.ds, 'sale_ticket', `terminal_id = '${extra.t7.id}'`)).toBe(0);
      poison = null; // fixed (e.g. the column widened): the same batch goes through
      expect(await ingest.submit(ctx, { terminalId: ctx.terminalId, batchId: randomUUID(), tickets: [a, b] })).toEqual({ ok: true, value: { terminalId: extra.t7.id, ackedSeq: 2 } });
    } finally {
      await ledger.close();
    }
  });

  it('answers every socket request, malformed ones with an error code', async () => {
    const t = await connect(extra.t6.id);
    expect(await ask(t, 'catalog:pull', { sinceVersion: -1 })).toMatchObject({ error: { code: 'PULL_MALFORMED' } });
    expect(await ask(t, 'catalog:pull', 'garbage')).toMatchObject({ error: { code: 'PULL_MALFORMED' } });
    expect(await askRaw(t, 'catalog:pull', nested(50_000))).toMatchObject({ error: { code: 'PULL_MALFORMED' } });
    expect(await ask(t, 'no-such-event', {})).toMatchObject({ error: { code: 'UNKNOWN_EVENT' } });
    const garbage = await ask(t, 'tickets', 'garbage');
    expect(garbage).toMatchObject({ terminalId: extra.t6.id, ackedSeq: 2, refused: { code: 'BATCH_MALFORMED' } });
    const deepBatch = await askRaw(t, 'tickets', `{"terminalId":"${extra.t6.id}","batchId":"${randomUUID()}","tickets":[${nested(50_000)}]}`);
    expect(deepBatch).toMatchObject({ terminalId: extra.t6.id, ackedSeq: 2, refused: { code: 'FORGED_SEQ', permanent: true } });
    expect(await askRaw(t, 'tickets', nested(50_000))).toMatchObject({ terminalId: extra.t6.id, ackedSeq: 2, refused: { code: 'BATCH_MALFORMED' } });
    // Still a healthy connection.
    const page = (await ask(t, 'catalog:pull', { sinceVersion: 0 })) as { fromVersion: number };
    expect(page.fromVersion).toBe(0);
  });

  it('refuses for good a batch that can never be applied: one review item, an answer that says so, later batches flow', async () => {
    const t = await connect(extra.t5.id);
    const f = factoryFor(extra.t5, F.storeM2, F.ruiz.nif, 5);
    const [a, b] = [f.next(), f.next()];
    for (let i = 0; i < 3; i++) {
      const ack = await ask(t, 'tickets', { terminalId: extra.t5.id, batchId: randomUUID(), tickets: [b, a] });
      expect(ack).toMatchObject({ terminalId: extra.t5.id, ackedSeq: 0, refused: { code: 'FORGED_SEQ', permanent: true } });
    }
    const items = await h.api('GET', `/api/review?terminalId=${extra.t5.id}&kind=batch`, { token: hq });
    expect(items.body.total).toBe(1);
    expect(items.body.items[0]).toMatchObject({ code: 'FORGED_SEQ', status: 'open' });
    expect(items.body.items[0].reason).toMatch(/does not increase/);
    // HQ accepts it: the till's connection is dropped, so that it tries again on a new one.
    const dropped = new Promise((resolve) => t.socket.once('disconnect', resolve));
    const accepted = await h.api('POST', `/api/review/${items.body.items[0].id}/accept`, { token: hq, body: {} });
    expect(accepted.body).toMatchObject({ status: 'accepted', resolution: null });
    await dropped;
    const again = await connectTerminal(h.url, extra.t5.id, await h.pair(extra.t5.id));
    open.push(again);
    expect(await again.send([a, b])).toEqual({ terminalId: extra.t5.id, ackedSeq: 2 });
  });

  it('lets only HQ read the queue, validates the query, and pages through it', async () => {
    const manager = await h.login(F.managerRuiz);
    expect((await h.api('GET', '/api/review', { token: manager })).status).toBe(403);
    expect((await h.api('GET', '/api/review')).status).toBe(401);
    const bad = await h.api('GET', '/api/review?kind=bogus&limit=1.5', { token: hq });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['kind', 'limit']);
    expect((await h.api('GET', `/api/review/${randomUUID()}`, { token: hq })).status).toBe(404);
    const all = await h.api('GET', '/api/review?status=open', { token: hq });
    expect(all.body.total).toBeGreaterThanOrEqual(6);
    const first = await h.api('GET', '/api/review?status=open&limit=2', { token: hq });
    const second = await h.api('GET', '/api/review?status=open&limit=2&offset=2', { token: hq });
    expect(first.body.items).toHaveLength(2);
    expect([...first.body.items, ...second.body.items].map((i: { id: string }) => i.id)).toEqual(all.body.items.slice(0, 4).map((i: { id: string }) => i.id));
    expect(first.body.total).toBe(all.body.total);
  });

  it('re-applies a rejected ticket after the fix, and accepts a chain break, each decision audited', async () => {
    // HQ had till M002 · 01 configured with the wrong code: its genuine tickets are refused as foreign.
    await h.ds.query(`UPDATE terminal SET code = '09' WHERE id = '${extra.t4.id}'`);
    const t = await connect(extra.t4.id);
    const f = factoryFor(extra.t4, F.storeM2, F.ruiz.nif, 4);
    const sale = f.sale({ lines: [{ product: F.products[0]!, units: 4 }] });
    const ack = await t.send([sale]);
    expect(ack.rejected?.[0]?.reason).toMatch(/^SERIES_NOT_OWNED/);
    const items = await h.api('GET', `/api/review?terminalId=${extra.t4.id}`, { token: hq });
    const item = items.body.items[0];
    // Before the fix the re-apply fails, says why, and is audited.
    const early = await h.api('POST', `/api/review/${item.id}/reapply`, { token: hq });
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('REVIEW_REAPPLY_FAILED');
    expect(early.body.detail).toMatch(/SERIES_NOT_OWNED/);
    await h.ds.query(`UPDATE terminal SET code = '01' WHERE id = '${extra.t4.id}'`);
    const manager = await h.login(F.managerRuiz);
    expect((await h.api('POST', `/api/review/${item.id}/reapply`, { token: manager })).status).toBe(403);
    const done = await h.api('POST', `/api/review/${item.id}/reapply`, { token: hq });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'reapplied', resolvedBy: F.hq.email });
    expect(done.body.decisions.map((d: { action: string; outcome: string; userEmail: string }) => [d.action, d.outcome, d.userEmail])).toEqual([
      ['reapply', 'failed', F.hq.email],
      ['reapply', 'reapplied', F.hq.email],
    ]);
    const stored = (await h.ds.query(`SELECT chain_ok, seq FROM sale_ticket WHERE id = '${sale.id}'`)) as Array<{ chain_ok: unknown; seq: number }>;
    expect(stored.map((r) => [Number(r.seq), Boolean(r.chain_ok)])).toEqual([[1, true]]);
    expect(await count(h.ds, 'stock_movement', `ticket_id = '${sale.id}'`)).toBe(1);
    expect((await h.api('POST', `/api/review/${item.id}/reapply`, { token: hq })).body.code).toBe('REVIEW_ALREADY_DECIDED');
    // The terminals page no longer counts it as rejected.
    const terminals = await h.api('GET', '/api/terminals', { token: hq });
    expect(terminals.body.find((x: { id: string }) => x.id === extra.t4.id)).toMatchObject({ rejected: 0, lastAckedSeq: 1 });
    // The till resending it now is a plain duplicate: no rejection reported, nothing written twice.
    expect(await t.send([sale])).toEqual({ terminalId: extra.t4.id, ackedSeq: 1 });
    expect(await count(h.ds, 'sale_ticket', `id = '${sale.id}'`)).toBe(1);

    // A record chained to one HQ never saw: a chain break in the queue; HQ accepts it with a note.
    Object.assign(f.state, { lastHash: 'A'.repeat(64) });
    const broken = f.next();
    expect(await t.send([broken])).toEqual({ terminalId: extra.t4.id, ackedSeq: 2 });
    const breaks = await h.api('GET', `/api/review?terminalId=${extra.t4.id}&kind=break`, { token: hq });
    expect(breaks.body.items).toHaveLength(1);
    const br = breaks.body.items[0];
    expect(br).toMatchObject({ seq: 2, ticketId: broken.id, code: 'PREVIOUS_HASH_MISMATCH', status: 'open' });
    expect(br.reason).toMatch(/^PREVIOUS_HASH_MISMATCH: expected /);
    const recheck = await h.api('POST', `/api/review/${br.id}/reapply`, { token: hq });
    expect(recheck.status).toBe(409); // re-verified: still broken
    const accepted = await h.api('POST', `/api/review/${br.id}/accept`, { token: hq, body: { note: 'till restored from a backup' } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', resolution: 'till restored from a backup', resolvedBy: F.hq.email });
    expect(accepted.body.decisions.at(-1)).toMatchObject({ action: 'accept', outcome: 'accepted', userEmail: F.hq.email, detail: 'till restored from a backup' });
    expect((await h.api('POST', `/api/review/${br.id}/accept`, { token: hq, body: { note: 5 } })).status).toBe(400);
  });

  it('shows a held gap while seqs are missing and resolves it when they arrive', async () => {
    const t = open.findLast((x) => (x.socket.auth as { terminalId: string }).terminalId === extra.t5.id)!;
    const f = factoryFor(extra.t5, F.storeM2, F.ruiz.nif, 5);
    const tickets = Array.from({ length: 5 }, () => f.next()); // seqs 1..5; 1..2 are acked already
    expect((await t.send(tickets.slice(4))).ackedSeq).toBe(2);
    expect((await t.send(tickets.slice(3, 4))).ackedSeq).toBe(2);
    const gaps = await h.api('GET', `/api/review?terminalId=${extra.t5.id}&kind=gap&status=open`, { token: hq });
    expect(gaps.body.items).toHaveLength(1);
    expect(gaps.body.items[0]).toMatchObject({ seq: 3, code: 'SEQ_GAP' });
    expect(gaps.body.items[0].reason).toMatch(/^seqs 3–4 missing/);
    expect((await t.send(tickets.slice(2, 3))).ackedSeq).toBe(5);
    const after = await h.api('GET', `/api/review?terminalId=${extra.t5.id}&kind=gap`, { token: hq });
    expect(after.body.items[0]).toMatchObject({ status: 'resolved', resolvedBy: 'system' });
  });
});

