/**
 * Ticket ingest over real socket.io on loopback, on a SQLite file and on PostgreSQL: exactly-once effect on
 * replay, out-of-order batches held then applied, refusals that write nothing, tickets rejected for good,
 * stock = start − sold + returned, fiscal chain breaks flagged.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness, type TerminalClient } from '../support/harness';

async function count(ds: DataSource, table: string, where = '1 = 1'): Promise<number> {
  const rows = (await ds.query(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)) as Array<{ n: number | string }>;
  return Number(rows[0]!.n);
}

async function ledgerCounts(ds: DataSource) {
  const out = {} as Record<"sale_ticket" | "sale_line" | "ingest_review" | string, number> & { sale_ticket: number; sale_line: number; ingest_review: number };
  for (const t of ['sale_ticket', 'sale_line', 'sale_payment', 'fiscal_record', 'stock_movement', 'stock_level', 'receivable', 'ingest_hold', 'ingest_review', 'cash_session_summary']) {
    out[t] = await count(ds, t);
  }
  return out;
}

async function stockOf(ds: DataSource, storeId: string): Promise<Map<string, number>> {
  const rows = (await ds.query(`SELECT product_id, quantity FROM stock_level WHERE location_id = '${storeId}'`)) as Array<{ product_id: string; quantity: number }>;
  return new Map(rows.map((r) => [r.product_id, Number(r.quantity)]));
}

/** Σ movements per product: stock_level must always equal it. */
async function movementSums(ds: DataSource, storeId: string): Promise<Map<string, number>> {
  const rows = (await ds.query(`SELECT product_id, SUM(delta) AS q FROM stock_movement WHERE location_id = '${storeId}' GROUP BY product_id`)) as Array<{ product_id: string; q: number }>;
  return new Map(rows.map((r) => [r.product_id, Number(r.q)]));
}

describe.each(engines)('ticket ingest on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let term: TerminalClient;
  let token: string;

  beforeAll(async () => {
    h = await startHarness(engine);
    token = await h.pair(F.t1.id);
    term = await connectTerminal(h.url, F.t1.id, token);
  });
  afterAll(async () => {
    term?.close();
    await h?.teardown();
  });

  it('applies each ticket exactly once when acked batches are replayed', async () => {
    const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 11);
    const batch1 = Array.from({ length: 5 }, () => f.next());
    const batch2 = Array.from({ length: 3 }, () => f.next());
    const ack1 = await term.send(batch1);
    expect(ack1).toEqual({ terminalId: F.t1.id, ackedSeq: 5 });
    const before = await ledgerCounts(h.ds);
    expect(before.sale_ticket).toBe(5);
    // Replay of an acked batch (lost ack), same and new batch id: acked without effect.
    expect(await term.send(batch1)).toEqual({ terminalId: F.t1.id, ackedSeq: 5 });
    expect(await term.send(batch1, randomUUID())).toEqual({ terminalId: F.t1.id, ackedSeq: 5 });
    expect(await ledgerCounts(h.ds)).toEqual(before);
    // A batch overlapping the acked part applies only the new tickets.
    expect(await term.send([...batch1.slice(3), ...batch2])).toEqual({ terminalId: F.t1.id, ackedSeq: 8 });
    expect(await count(h.ds, 'sale_ticket')).toBe(8);
    expect(await count(h.ds, 'sale_line')).toBe([...batch1, ...batch2].reduce((a, t) => a + t.lines.length, 0));
    // The same tickets on a new connection: hello:ack tells where HQ is.
    const again = await connectTerminal(h.url, F.t1.id, token, 3);
    expect(again.helloAck.ackedSeq).toBe(8);
    expect(await again.send([...batch1, ...batch2])).toEqual({ terminalId: F.t1.id, ackedSeq: 8 });
    again.close();
    expect(await count(h.ds, 'sale_ticket')).toBe(8);
    // Every ticket stored verbatim, with its fiscal record verified.
    const doc = (await h.ds.query(`SELECT document, chain_ok FROM sale_ticket WHERE id = '${batch2[2]!.id}'`)) as Array<{ document: string; chain_ok: unknown }>;
    expect(JSON.parse(doc[0]!.document)).toEqual(batch2[2]);
    // Stored as the text that came (PostgreSQL passes it through a json array): not re-encoded, not reordered.
    expect(doc[0]!.document).toBe(JSON.stringify(batch2[2]));
    expect(await count(h.ds, 'fiscal_record', `verified = ${engine.name === 'postgres' ? 'true' : '1'}`)).toBe(8);
    expect(await stockOf(h.ds, F.storeM1.id)).toEqual(await movementSums(h.ds, F.storeM1.id));
  });

  it('holds batches that arrive beyond a gap and applies them in seq order when the gap fills', async () => {
    const f = factoryFor(F.t2, F.storeM1, F.ruiz.nif, 22);
    const t2token = await h.pair(F.t2.id);
    const t2 = await connectTerminal(h.url, F.t2.id, t2token);
    const tickets = Array.from({ length: 9 }, () => f.next());
    expect(await t2.send(tickets.slice(6, 9))).toEqual({ terminalId: F.t2.id, ackedSeq: 0 });
    expect(await t2.send(tickets.slice(3, 5))).toEqual({ terminalId: F.t2.id, ackedSeq: 0 });
    expect(await count(h.ds, 'ingest_hold', `terminal_id = '${F.t2.id}'`)).toBe(5);
    expect(await count(h.ds, 'sale_ticket', `terminal_id = '${F.t2.id}'`)).toBe(0);
    // 1–3 arrive: 1–5 applied (4–5 from the hold); 6 still missing, 7–9 wait.
    expect(await t2.send(tickets.slice(0, 3))).toEqual({ terminalId: F.t2.id, ackedSeq: 5 });
    expect(await count(h.ds, 'ingest_hold', `terminal_id = '${F.t2.id}'`)).toBe(3);
    expect(await t2.send(tickets.slice(5, 6))).toEqual({ terminalId: F.t2.id, ackedSeq: 9 });
    expect(await count(h.ds, 'ingest_hold', `terminal_id = '${F.t2.id}'`)).toBe(0);
    const seqs = (await h.ds.query(`SELECT seq FROM sale_ticket WHERE terminal_id = '${F.t2.id}' ORDER BY seq`)) as Array<{ seq: number }>;
    expect(seqs.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Held and applied in order: the chain verifies all the way.
    expect(await count(h.ds, 'fiscal_record', `terminal_id = '${F.t2.id}' AND verified = ${engine.name === 'postgres' ? 'true' : '1'}`)).toBe(9);
    t2.close();
  });

  it('refuses forged terminal, store and seq: nothing written, an error to the sender, later batches flow', async () => {
    const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 33);
    // Continue t1's numbering after the first test (seq 8).
    const state = (await h.ds.query(`SELECT last_acked_seq, last_fiscal_hash FROM terminal WHERE id = '${F.t1.id}'`)) as Array<{ last_acked_seq: number; last_fiscal_hash: string }>;
    Object.assign(f.state, { seq: Number(state[0]!.last_acked_seq), saleNumber: 100, lastHash: state[0]!.last_fiscal_hash });
    const good = [f.next(), f.next()];
    const before = await ledgerCounts(h.ds);
    // Nothing reaches the ledger; each refusal waits once in the review queue (kind 'batch').
    const ledgerOnly = async () => ({ ...(await ledgerCounts(h.ds)), ingest_review: 0 });
    const expected = { ...before, ingest_review: 0 };
    const expectRefused = async (tickets: unknown[], code: string) => {
      const batchId = randomUUID();
      const ack = await term.send(tickets, batchId);
      // Refused for good: the answer says so, so the till stops resending it.
      expect(ack).toEqual({ terminalId: F.t1.id, ackedSeq: 8, refused: { code, reason: expect.any(String), permanent: true } });
      await new Promise((r) => setTimeout(r, 20));
      expect(term.errors.at(-1)).toMatchObject({ batchId, code });
      expect(await ledgerOnly()).toEqual(expected);
    };
    await expectRefused([{ ...good[0]!, storeId: F.storeV1.id }, good[1]], 'FORGED_STORE');
    await expectRefused([good[0], { ...good[1]!, terminalId: F.t2.id }], 'FORGED_TERMINAL');
    await expectRefused([good[1], good[0]], 'FORGED_SEQ');
    await expectRefused([good[0], { ...good[1]!, seq: 0 }], 'FORGED_SEQ');
    await expectRefused([{ ...good[0]!, seq: 8 + 2_000_000 }], 'FORGED_SEQ');
    // A replayed seq carrying another ticket id is a forgery of an acked ticket.
    const acked = (await h.ds.query(`SELECT document FROM sale_ticket WHERE terminal_id = '${F.t1.id}' AND seq = 8`)) as Array<{ document: string }>;
    await expectRefused([{ ...(JSON.parse(acked[0]!.document) as TicketDocument), id: good[0]!.id }], 'FORGED_SEQ');
    // An envelope naming another terminal.
    const batchId = randomUUID();
    const ack = (await term.socket.timeout(10_000).emitWithAck('tickets', { terminalId: F.t2.id, batchId, tickets: good })) as unknown;
    expect(ack).toMatchObject({ terminalId: F.t1.id, ackedSeq: 8, refused: { code: 'FORGED_TERMINAL', permanent: true } });
    expect(await ledgerOnly()).toEqual(expected);
    expect((await ledgerCounts(h.ds)).ingest_review - before.ingest_review).toBe(7);
    // The honest batch still goes through.
    expect(await term.send(good)).toEqual({ terminalId: F.t1.id, ackedSeq: 10 });
  });

  it('rejects malformed tickets and totals that do not add up for good: kept for review, nothing partial, the stream goes on', async () => {
    const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 44);
    const state = (await h.ds.query(`SELECT last_acked_seq, last_fiscal_hash FROM terminal WHERE id = '${F.t1.id}'`)) as Array<{ last_acked_seq: number; last_fiscal_hash: string }>;
    Object.assign(f.state, { seq: Number(state[0]!.last_acked_seq), saleNumber: 200, lastHash: state[0]!.last_fiscal_hash });
    const [a, b, c, d] = [f.next(), f.next(), f.next(), f.next()];
    const badTotals = { ...b, totals: { ...b.totals, total: b.totals.total + 1 } };
    const malformed: Record<string, unknown> = { ...c, lines: 'nope' };
    const before = await ledgerCounts(h.ds);
    const ack = await term.send([a, badTotals, malformed, d]);
    expect(ack.ackedSeq).toBe(14);
    expect(ack.rejected?.map((r) => r.seq)).toEqual([12, 13]);
    expect(ack.rejected?.[0]?.reason).toMatch(/^TICKET_ARITHMETIC_MISMATCH/);
    expect(ack.rejected?.[1]?.reason).toMatch(/^TICKET_MALFORMED/);
    const after = await ledgerCounts(h.ds);
    expect(after.sale_ticket - before.sale_ticket).toBe(2);
    expect(after.sale_line - before.sale_line).toBe(a.lines.length + d.lines.length);
    expect(after.ingest_review - before.ingest_review).toBe(2);
    expect(await count(h.ds, 'sale_ticket', `id IN ('${b.id}', '${c.id}')`)).toBe(0);
    expect(await count(h.ds, 'stock_movement', `ticket_id IN ('${b.id}', '${c.id}')`)).toBe(0);
    const review = (await h.ds.query(`SELECT seq, code, payload FROM ingest_review WHERE terminal_id = '${F.t1.id}' AND kind = 'rejected' ORDER BY seq`)) as Array<{ seq: number; code: string; payload: string }>;
    expect(review.map((r) => [Number(r.seq), r.code])).toEqual([[12, 'TICKET_ARITHMETIC_MISMATCH'], [13, 'TICKET_MALFORMED']]);
    expect(JSON.parse(review[0]!.payload)).toEqual(badTotals);
    // Both rejected tickets were issued and chained at the till: their fiscal records (readable even inside the
    // malformed document) keep their place in the chain, so the next good ticket is not flagged as a break.
    const chain = (await h.ds.query(`SELECT chain_position, verified, break_reason FROM fiscal_record WHERE terminal_id = '${F.t1.id}' AND chain_position > 10 ORDER BY chain_position`)) as Array<{ chain_position: number; verified: unknown; break_reason: string | null }>;
    expect(chain.map((r) => [Number(r.chain_position), Boolean(r.verified)])).toEqual([[11, true], [12, true], [13, true], [14, true]]);
    // A ticket reusing a fiscal number of its series (and one reusing a ticket id) is refused for good too.
    const reused = f.next();
    const sameNumber = { ...reused, number: a.number, fiscalNumber: a.fiscalNumber, fiscal: { ...reused.fiscal, invoiceNumber: a.fiscalNumber } };
    const r2 = await term.send([a, badTotals, malformed, d, sameNumber]);
    expect(r2.ackedSeq).toBe(15);
    expect(r2.rejected?.find((r) => r.seq === 15)?.reason).toMatch(/^DUPLICATE_FISCAL_NUMBER/);
    expect(await count(h.ds, 'sale_ticket', `id = '${sameNumber.id}'`)).toBe(0);
    const afterDup = await ledgerCounts(h.ds);
    // Replaying the batch reports the rejections again and changes nothing.
    const replay = await term.send([a, badTotals, malformed, d]);
    expect(replay.ackedSeq).toBe(15);
    expect(replay.rejected?.map((r) => r.seq)).toEqual([12, 13]);
    expect(await ledgerCounts(h.ds)).toEqual(afterDup);
    expect(after.sale_ticket).toBe(afterDup.sale_ticket);
    // Later valid tickets flow.
    const e = f.next();
    expect(await term.send([e])).toEqual({ terminalId: F.t1.id, ackedSeq: 16 });
  });

  it('keeps stock per product = start − sold + returned, and stock_level = Σ movements', async () => {
    const t3token = await h.pair(F.t3.id);
    const t3 = await connectTerminal(h.url, F.t3.id, t3token);
    const f = factoryFor(F.t3, F.storeV1, F.levante.nif, 55);
    const [p0, p1, , p3] = F.products; // p3 is weighed
    // Start: a receipt of 100 units of p0 (a movement written by someone else, e.g. a delivery).
    const mark = engine.name === 'postgres' ? '$' : '?';
    const ph = (i: number) => (mark === '$' ? `$${i}` : '?');
    await h.ds.query(`INSERT INTO stock_movement (id, location_id, product_id, delta, reason, ticket_id, line_no, at) VALUES (${ph(1)}, ${ph(2)}, ${ph(3)}, 100, 'receipt', NULL, NULL, '2026-11-23T06:00:00.000Z')`, [randomUUID(), F.storeV1.id, p0!.id]);
    await h.ds.query(`INSERT INTO stock_level (location_id, company_id, product_id, quantity, updated_at) VALUES (${ph(1)}, ${ph(2)}, ${ph(3)}, 100, '2026-11-23T06:00:00.000Z')`, [F.storeV1.id, F.levante.id, p0!.id]);
    const s1 = f.sale({ lines: [{ product: p0!, units: 3 }, { product: p1!, units: 2 }, { product: p3!, grams: 750 }] });
    const s2 = f.sale({ lines: [{ product: p0!, units: 5 }], payment: 'card' });
    const s3 = f.sale({ lines: [{ product: p1!, units: 1 }], payment: { onAccount: F.customer } });
    const r1 = f.returnOf(s1, 0, 2); // 2 of the 3 units of p0 back
    const r2 = f.returnOf(s1, 2, 250); // 250 g of p3 back
    const ack = await t3.send([s1, s2, s3, r1, r2]);
    expect(ack).toEqual({ terminalId: F.t3.id, ackedSeq: 5 });
    const stock = await stockOf(h.ds, F.storeV1.id);
    expect(stock.get(p0!.id)).toBe(100 - 3 - 5 + 2);
    expect(stock.get(p1!.id)).toBe(-2 - 1);
    expect(stock.get(p3!.id)).toBe(-750 + 250);
    expect(stock).toEqual(await movementSums(h.ds, F.storeV1.id));
    const reasons = (await h.ds.query(`SELECT reason, COUNT(*) AS n FROM stock_movement WHERE location_id = '${F.storeV1.id}' GROUP BY reason ORDER BY reason`)) as Array<{ reason: string; n: number }>;
    expect(reasons.map((r) => [r.reason, Number(r.n)])).toEqual([['receipt', 1], ['return', 2], ['sale', 5]]);
    // The on-account sale is a receivable; cash by session adds up.
    const rec = (await h.ds.query(`SELECT customer_id, amount_cents, status, due_date FROM receivable WHERE ticket_id = '${s3.id}'`)) as Array<{ customer_id: string; amount_cents: number; status: string; due_date: string }>;
    expect(rec.map((r) => ({ ...r, amount_cents: Number(r.amount_cents) }))).toEqual([{ customer_id: F.customer.id, amount_cents: s3.totals.total, status: 'open', due_date: '2026-12-23' }]);
    const cash = (await h.ds.query(`SELECT totals FROM cash_session_summary WHERE terminal_id = '${F.t3.id}'`)) as Array<{ totals: string }>;
    const totals = JSON.parse(cash[0]!.totals) as { tickets: number; salesCents: number; returnsCents: number; byMethod: Record<string, number>; cashNetCents: number };
    expect(totals.tickets).toBe(5);
    expect(totals.salesCents).toBe(s1.totals.total + s2.totals.total + s3.totals.total);
    expect(totals.returnsCents).toBe(r1.totals.total + r2.totals.total);
    expect(totals.byMethod.on_account).toBe(s3.totals.total);
    expect(totals.cashNetCents).toBe(s1.payments[0]!.amount - s1.change + r1.totals.total + r2.totals.total);
    // And the stock API shows it, with movements.
    const hq = await h.login(F.hq);
    const api = await h.api('GET', `/api/stores/${F.storeV1.id}/stock`, { token: hq });
    expect(api.body.find((r: { productId: string }) => r.productId === p0!.id)?.quantity).toBe(94);
    const mv = await h.api('GET', `/api/stores/${F.storeV1.id}/stock/${p0!.id}/movements`, { token: hq });
    expect(mv.body.quantity).toBe(94);
    expect(mv.body.movements.map((m: { delta: number }) => m.delta).sort((x: number, y: number) => x - y)).toEqual([-5, -3, 2, 100]);
    const sales = await h.api('GET', `/api/sales/daily?storeId=${F.storeV1.id}&from=2026-11-01&to=2026-11-30`, { token: hq });
    expect(sales.body).toEqual([
      expect.objectContaining({ storeId: F.storeV1.id, businessDate: '2026-11-23', tickets: 5, sales: 3, returns: 2, totalCents: [s1, s2, s3, r1, r2].reduce((x, t) => x + t.totals.total, 0) }),
    ]);
    t3.close();
  });

  it('flags a fiscal chain break but still stores the ticket', async () => {
    const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 66);
    const state = (await h.ds.query(`SELECT last_acked_seq, last_fiscal_hash FROM terminal WHERE id = '${F.t1.id}'`)) as Array<{ last_acked_seq: number; last_fiscal_hash: string }>;
    Object.assign(f.state, { seq: Number(state[0]!.last_acked_seq), saleNumber: 300, lastHash: 'F'.repeat(64) }); // chained to a record HQ never saw
    const broken = f.next();
    const tampered = f.next();
    const next = f.next();
    const altered = { ...tampered, fiscal: { ...tampered.fiscal, generatedAt: '2026-11-23T11:11:11+01:00' } }; // hash no longer matches fields
    const ack = await term.send([broken, altered, next]);
    expect(ack).toEqual({ terminalId: F.t1.id, ackedSeq: 19 });
    const rows = (await h.ds.query(
      `SELECT f.chain_position, f.verified, f.break_reason, t.chain_ok FROM fiscal_record f JOIN sale_ticket t ON t.id = f.ticket_id
        WHERE f.terminal_id = '${F.t1.id}' AND f.chain_position >= 17 ORDER BY f.chain_position`,
    )) as Array<{ chain_position: number; verified: unknown; break_reason: string | null; chain_ok: unknown }>;
    expect(rows.map((r) => [Number(r.chain_position), Boolean(r.verified), Boolean(r.chain_ok)])).toEqual([[17, false, false], [18, false, false], [19, true, true]]);
    expect(rows[0]!.break_reason).toMatch(/^PREVIOUS_HASH_MISMATCH/);
    expect(rows[1]!.break_reason).toMatch(/^HASH_MISMATCH/);
    const hq = await h.login(F.hq);
    const terminals = await h.api('GET', '/api/terminals', { token: hq });
    expect(terminals.body.find((t: { id: string }) => t.id === F.t1.id)).toMatchObject({ lastAckedSeq: 19, chainBreaks: 3, rejected: 3, online: true, held: 0, pending: 0 }); // 3: the reused-number ticket's record was edited by hand too
  });

  it('applies one terminal serially even from concurrent sockets', async () => {
    const f = factoryFor(F.t2, F.storeM1, F.ruiz.nif, 77);
    const state = (await h.ds.query(`SELECT last_acked_seq, last_fiscal_hash FROM terminal WHERE id = '${F.t2.id}'`)) as Array<{ last_acked_seq: number; last_fiscal_hash: string }>;
    Object.assign(f.state, { seq: Number(state[0]!.last_acked_seq), saleNumber: 400, lastHash: state[0]!.last_fiscal_hash });
    const token2 = await h.pair(F.t2.id);
    const socks = await Promise.all([1, 2, 3].map(() => connectTerminal(h.url, F.t2.id, token2)));
    const batches = Array.from({ length: 12 }, () => Array.from({ length: 5 }, () => f.next()));
    // Every socket sends every batch, in different orders.
    await Promise.all(socks.map((s, i) => Promise.all((i === 1 ? [...batches].reverse() : batches).map((b) => s.send(b)))));
    const final = await socks[0]!.send(batches[0]!);
    expect(final.ackedSeq).toBe(9 + 60);
    expect(await count(h.ds, 'sale_ticket', `terminal_id = '${F.t2.id}'`)).toBe(69);
    expect(await count(h.ds, 'ingest_hold', `terminal_id = '${F.t2.id}'`)).toBe(0);
    expect(await count(h.ds, 'fiscal_record', `terminal_id = '${F.t2.id}' AND verified = ${engine.name === 'postgres' ? 'false' : '0'}`)).toBe(0);
    expect(await stockOf(h.ds, F.storeM1.id)).toEqual(await movementSums(h.ds, F.storeM1.id));
    for (const s of socks) s.close();
  });
});
