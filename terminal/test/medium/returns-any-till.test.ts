/**
 * Returns at any till, till side: till 2 refunds a ticket sold at till 1 through the back office's lookup
 * (here a fake HQ answering from till 1's database and the credit notes "ingested" so far), counting HQ's
 * credit notes and its own not yet ingested, never more than sold; the R5 names the original (fiscal
 * number, date, till) on the receipt and in the fiscal record; offline it falls back to its own tickets.
 * A weighed line returned gram by gram refunds exactly its total.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEan13 } from '@tpv/shared/barcode';
import { returnState } from '@tpv/shared/ticket';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { HqCreditNote, TicketLookupReply } from '@tpv/shared/wire/ticket-lookup';
import { writeIdentity } from '../../src/identity';
import type { HqTickets } from '../../src/returns/returns';
import { identityFor } from '../support/tickets';
import { EAN, freshTerminalDb, IDENTITY, STAFF, tempDir, type TestDb } from './support/fixture';
import { startTerminal, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-returns-any-till-');
const T2 = identityFor(2);

/** HQ as the tills see it: tickets of till 1, credit notes ingested so far (pushed by the test). */
function fakeHq(till1: () => RunningTerminal) {
  const ingested: TicketDocument[] = [];
  let mode: 'online' | 'offline' | 'unavailable' | 'empty' = 'online';
  const asked: string[] = [];
  const hq: HqTickets = {
    async lookup(q) {
      asked.push(q);
      if (mode === 'offline') return null;
      if (mode === 'unavailable') return { found: false, code: 'LOOKUP_UNAVAILABLE', message: 'db down' };
      const ticket = mode === 'empty' ? undefined : till1().app.returns.findTicket(q);
      if (!ticket) return { found: false, code: 'TICKET_UNKNOWN', message: 'none' };
      const returns: HqCreditNote[] = ingested
        .filter((n) => n.originalTicket?.id === ticket.id)
        .map((n) => ({ id: n.id, fiscalNumber: n.fiscalNumber, issuedAt: n.issuedAt, terminalId: n.terminalId, lines: n.lines.map((l) => ({ lineId: l.returnOf!.lineId, quantity: l.quantity })) }));
      const reply: TicketLookupReply = {
        found: true,
        ticket,
        origin: { terminalId: IDENTITY.terminalId, terminalCode: IDENTITY.terminalCode, terminalName: IDENTITY.terminalName, storeId: IDENTITY.storeId, storeCode: IDENTITY.storeCode, storeName: IDENTITY.storeName },
        returns,
        lines: returnState(ticket.lines, returns.flatMap((r) => r.lines)).map((s) => ({ ...s })),
      };
      return reply;
    },
  };
  return { hq, ingested, asked, setMode: (m: typeof mode) => (mode = m) };
}

describe('returns at any till of the store (till side)', () => {
  let db1: TestDb;
  let db2: TestDb;
  let till1: RunningTerminal;
  let till2: RunningTerminal;
  const hq = fakeHq(() => till1);
  let sale: TicketDocument;

  beforeAll(async () => {
    db1 = await freshTerminalDb(dir, 't1.sqlite');
    db2 = await freshTerminalDb(dir, 't2.sqlite');
    writeIdentity(db2.db, T2);
    till1 = await startTerminal(db1.ds, db1.file, { hqTickets: hq.hq });
    till2 = await startTerminal(db2.ds, db2.file, { hqTickets: hq.hq });
    for (const t of [till1, till2]) {
      await t.login(STAFF.cashier.pin);
      expect((await t.call('POST', '/api/cash/open', { float: { '5000': 2 } })).status).toBe(200);
    }
    for (const code of [EAN.wine, EAN.wine, EAN.wine, '2100002002502', makeEan13('210000100500')]) expect((await till1.call('POST', '/api/cart/scan', { code })).status).toBe(200);
    const total = (await till1.call('GET', '/api/cart')).body.totals.total as number;
    const r = await till1.call('POST', '/api/cart/checkout', { payments: [{ method: 'card', amountCents: total, reference: 'A1' }] });
    expect(r.status).toBe(200);
    sale = r.body.ticket;
  });
  afterAll(async () => {
    await till1?.close();
    await till2?.close();
    await db1?.ds.destroy();
    await db2?.ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('till 2 finds till 1’s ticket through HQ, with where it was sold', async () => {
    const r = await till2.call('GET', `/api/tickets/lookup?q=${encodeURIComponent(sale.fiscalNumber)}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ source: 'hq', origin: { terminalId: IDENTITY.terminalId, terminalName: 'Caja 1' }, ticket: { id: sale.id } });
    expect(r.body.lines.map((l: { returnable: number }) => l.returnable)).toEqual([3, 250, 500]);
  });

  it('refunds at till 2: the R5 references the original (number, date, till) on the receipt and the fiscal record', async () => {
    const r = await till2.call('POST', '/api/returns', { originalTicketId: sale.id, lines: [{ lineNo: 1, units: 1 }], refund: { method: 'card', reference: 'B1' } });
    expect(r.status).toBe(200);
    const note = r.body.ticket as TicketDocument;
    expect(note.series).toBe('M00102-26R');
    expect(note.originalTicket).toEqual({ id: sale.id, fiscalNumber: sale.fiscalNumber });
    expect(note.fiscal).toMatchObject({ invoiceType: 'R5', rectified: { invoiceNumber: sale.fiscalNumber, issueDate: sale.fiscal.issueDate } });
    expect(note.lines[0]!.returnOf).toEqual({ ticketId: sale.id, lineId: '1' });
    expect(note.totals.total).toBe(-1250);
    const text = r.body.receipt.text as string;
    expect(text).toContain(sale.fiscalNumber);
    expect(text).toMatch(/Terminal original:\s+M001-01 Caja 1/);
    // Reprint later names it the same way (from foreign_ticket).
    const again = await till2.call('GET', `/api/tickets/${note.id}/receipt`);
    expect(again.body.text).toMatch(/Terminal original:\s+M001-01 Caja 1/);
    expect(db2.db.prepare('SELECT original_ticket_id FROM ticket WHERE id = ?').get(note.id)).toEqual({ original_ticket_id: null });
    expect(db2.db.prepare('SELECT original_ticket_id, original_line_no, units FROM foreign_return_line WHERE ticket_id = ?').all(note.id)).toEqual([
      { original_ticket_id: sale.id, original_line_no: 1, units: -1 },
    ]);
  });

  it('counts its own credit note before HQ has it, and HQ’s once ingested — never twice', async () => {
    const before = await till2.call('GET', `/api/tickets/lookup?q=${encodeURIComponent(sale.id)}`);
    expect(before.body.lines[0]).toMatchObject({ returned: 1, returnable: 2 });
    const mine = db2.db.prepare<[], { document: string }>(`SELECT document FROM ticket WHERE kind = 'return'`).all().map((x) => JSON.parse(x.document) as TicketDocument);
    hq.ingested.push(...mine);
    const after = await till2.call('GET', `/api/tickets/lookup?q=${encodeURIComponent(sale.id)}`);
    expect(after.body.lines[0]).toMatchObject({ returned: 1, returnable: 2 });
    expect(after.body.returns).toHaveLength(1);
  });

  it('till 1 sees till 2’s refund through HQ and cannot refund those units again', async () => {
    const look = await till1.call('GET', `/api/tickets/lookup?q=${encodeURIComponent(sale.fiscalNumber)}`);
    expect(look.body).toMatchObject({ source: 'hq', origin: null });
    expect(look.body.lines[0]).toMatchObject({ returned: 1, returnable: 2 });
    const over = await till1.call('POST', '/api/returns', { originalTicketId: sale.id, lines: [{ lineNo: 1, units: 3 }], refund: { method: 'card', reference: 'A2' } });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ code: 'RETURN_EXCEEDS_SOLD' });
    const okTwo = await till1.call('POST', '/api/returns', { originalTicketId: sale.id, lines: [{ lineNo: 1, units: 2 }], refund: { method: 'card', reference: 'A3' } });
    expect(okTwo.status).toBe(200);
    expect(okTwo.body.receipt.text).not.toContain('Terminal original:');
  });

  it('offline: a till falls back to its own tickets; another till’s ticket is unknown, saying why', async () => {
    hq.setMode('offline');
    try {
      const own = await till1.call('GET', `/api/tickets/lookup?q=${encodeURIComponent(sale.fiscalNumber)}`);
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ source: 'local' });
      // Its own credit note (2) only: till 2's refund is out of its sight. An over-return from here would be
      // kept and flagged at HQ (backoffice/test/medium/returns-any-till.test.ts).
      expect(own.body.lines[0]).toMatchObject({ returned: 2, returnable: 1 });
      const foreign = await till2.call('GET', `/api/tickets/lookup?q=${encodeURIComponent(sale.fiscalNumber)}`);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toMatchObject({ code: 'TICKET_UNKNOWN', offline: true });
    } finally {
      hq.setMode('online');
    }
  });

  it('HQ unable to read counts as offline; HQ not knowing a sale of this till yet is complete (source hq)', async () => {
    try {
      hq.setMode('unavailable');
      const down = await till2.call('GET', `/api/tickets/lookup?q=${encodeURIComponent(sale.fiscalNumber)}`);
      expect(down.status).toBe(404);
      expect(down.body).toMatchObject({ code: 'TICKET_UNKNOWN', offline: true });
      const own = await till1.call('GET', `/api/tickets/lookup?q=${encodeURIComponent(sale.fiscalNumber)}`);
      expect(own.body).toMatchObject({ source: 'local' });
      hq.setMode('empty');
      const notYet = await till1.call('GET', `/api/tickets/lookup?q=${encodeURIComponent(sale.fiscalNumber)}`);
      expect(notYet.body).toMatchObject({ source: 'hq', origin: null, ticket: { id: sale.id } });
    } finally {
      hq.setMode('online');
    }
  });

  it('a weighed line (500 g of apples at 2,49 €/kg = 1,25 €) returned 15 g at a time at till 2 refunds exactly 1,25 €', async () => {
    // 249 × 500 / 1000 = 124.5 → 125. Each 15 g part on its own: 249 × 15 / 1000 = 3.735 → 4, so 33 parts of
    // 15 g and one of 5 g (1.245 → 1) would refund 33 × 4 + 1 = 133, 8 cents more than paid. Telescoping:
    // part k = round(3.735 k) − round(3.735 (k − 1)), Σ = round(249 × 500 / 1000) = 125.
    const line = sale.lines[2]!;
    expect(line.total).toBe(125);
    let refunded = 0;
    for (let k = 0; k < 34; k++) {
      const grams = k < 33 ? 15 : 5;
      const r = await till2.call('POST', '/api/returns', { originalTicketId: sale.id, lines: [{ lineNo: 3, grams }], refund: { method: 'card', reference: `W${k}` } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      refunded -= (r.body.ticket as TicketDocument).totals.total;
    }
    expect(refunded).toBe(125);
    const more = await till2.call('POST', '/api/returns', { originalTicketId: sale.id, lines: [{ lineNo: 3, grams: 1 }], refund: { method: 'card', reference: 'W-extra' } });
    expect(more.status).toBe(409);
  });
});
