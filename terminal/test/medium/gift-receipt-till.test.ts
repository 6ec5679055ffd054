/**
 * Gift receipts at the till (issue 19): asked for a sale (at the sale or later from the list), printed with
 * the lines and no amount anywhere, a gift code (QR + text) and the exchange deadline of the store's policy;
 * another till reads the gift code through the back office's lookup (a fake HQ answering from till 1) and
 * refunds only as a gift voucher — the drawer does not move (the refund's cash buys the voucher), the
 * voucher goes up as any voucher sold; a cash refund or a gift code past its exchange period is refused
 * and writes nothing.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentLines, type ReceiptDocument } from '@tpv/shared/receipt';
import { addDays, type ReceiptDesignData } from '@tpv/shared/receipts/design';
import { giftCode } from '@tpv/shared/receipts/gift';
import { returnState } from '@tpv/shared/ticket';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { TicketLookupReply } from '@tpv/shared/wire/ticket-lookup';
import { writeIdentity } from '../../src/identity';
import type { HqTickets } from '../../src/returns/returns';
import { createCatalogStore } from '../../src/sync/catalog';
import { identityFor } from '../support/tickets';
import { EAN, freshTerminalDb, IDENTITY, STAFF, tempDir, type TestDb } from './support/fixture';
import { startTerminal, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-gift-');
const T2 = identityFor(2);

const design = (exchangeDays: number, storeId: string): ReceiptDesignData => ({
  storeId, companyId: 'company-1', revision: '1.0', publishedAt: '2026-11-30T09:00:00.000Z', logo: null, headerLines: [], footerLines: ['www.franquicia.test'],
  returnPolicy: `Cambios en ${exchangeDays} días.`, exchangeDays, giftRefund: 'voucher', promo: null,
});
function publish(t: TestDb, d: ReceiptDesignData) {
  const store = createCatalogStore(t.db);
  const v = store.version();
  store.applyPage({ fromVersion: v, toVersion: v + 1, hasMore: false, changes: [{ version: v + 1, entity: 'receipt_design', id: d.storeId, op: 'upsert', data: d }] }, new Date().toISOString());
}
/** Every amount a receipt could show: `12,50`, `-0,85`, `1.234,56`. */
const AMOUNT = /-?\d{1,3}(\.\d{3})*,\d{2}/;

describe('gift receipts', () => {
  let db1: TestDb;
  let db2: TestDb;
  let till1: RunningTerminal;
  let till2: RunningTerminal;
  let sale: TicketDocument;
  const hq: HqTickets = {
    async lookup(q) {
      const ticket = till1.app.returns.findTicket(q);
      if (!ticket) return { found: false, code: 'TICKET_UNKNOWN', message: 'none' };
      const reply: TicketLookupReply = {
        found: true, ticket,
        origin: { terminalId: IDENTITY.terminalId, terminalCode: IDENTITY.terminalCode, terminalName: IDENTITY.terminalName, storeId: IDENTITY.storeId, storeCode: IDENTITY.storeCode, storeName: IDENTITY.storeName },
        returns: [], lines: returnState(ticket.lines, []).map((s) => ({ ...s })),
      };
      return reply;
    },
  };
  const counts = (t: TestDb) => t.db.prepare<[], { tickets: number; vouchers: number; moves: number; outbox: number }>(
    `SELECT (SELECT COUNT(*) FROM ticket) AS tickets, (SELECT COUNT(*) FROM voucher_sale) AS vouchers, (SELECT COUNT(*) FROM cash_movement) AS moves, (SELECT COUNT(*) FROM document_outbox) AS outbox`,
  ).get();

  beforeAll(async () => {
    db1 = await freshTerminalDb(dir, 't1.sqlite');
    db2 = await freshTerminalDb(dir, 't2.sqlite');
    writeIdentity(db2.db, T2);
    publish(db1, design(30, IDENTITY.storeId));
    publish(db2, design(30, T2.storeId));
    till1 = await startTerminal(db1.ds, db1.file, { hqTickets: hq });
    till2 = await startTerminal(db2.ds, db2.file, { hqTickets: hq });
    for (const t of [till1, till2]) {
      await t.login(STAFF.cashier.pin);
      expect((await t.call('POST', '/api/cash/open', { float: { '5000': 2 } })).status).toBe(200);
    }
    for (const code of [EAN.wine, EAN.wine, EAN.bread]) expect((await till1.call('POST', '/api/cart/scan', { code })).status).toBe(200);
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

  it('prints the gift receipt of a sale: its lines and quantities, not one amount; the gift code as QR and text; the deadline', async () => {
    const r = await till1.call('POST', `/api/tickets/${sale.id}/gift-receipt`);
    expect(r.status).toBe(202);
    expect(r.body.giftCode).toBe(giftCode(sale.id));
    await till1.app.printing.drained();
    const doc = till1.printer.printed.find((d: ReceiptDocument) => d.title === `gift ${sale.fiscalNumber}`)!;
    const lines = documentLines(doc, 48).map((l) => l.text);
    expect(lines).toContain('TICKET REGALO');
    // The two lines of the sale, with their quantities and no price.
    for (const l of sale.lines) expect(lines.some((x) => x.startsWith(l.description) && /\d+ x$/.test(x))).toBe(true);
    expect(lines.filter((x) => AMOUNT.test(x) || x.includes('€'))).toEqual([]);
    // 30 days after the sale's local day, as dd/mm/yyyy.
    const until = addDays(sale.issuedAt.slice(0, 10), 30).split('-').reverse().join('/');
    expect(lines).toContain(`Cambio o devolución hasta el ${until}`);
    expect(doc.blocks.filter((b) => b.kind === 'qr')).toEqual([{ kind: 'qr', data: giftCode(sale.id), ecc: 'M', moduleSize: 4 }]);
    // The store's design is on it (footer), the sale's receipt QR (fiscal) is not.
    expect(lines).toContain('www.franquicia.test');
    expect(doc.blocks.some((b) => b.kind === 'qr' && b.data.includes('ValidarQR'))).toBe(false);
    // A credit note has no gift receipt.
    expect((await till1.call('POST', `/api/tickets/00000000-0000-7000-8000-00000000dead/gift-receipt`)).status).toBe(404);
  });

  it('another till reads the gift code: the sale, the deadline; a cash refund is refused, nothing written', async () => {
    const look = await till2.call('GET', `/api/tickets/lookup?q=${encodeURIComponent(giftCode(sale.id))}`);
    expect(look.status).toBe(200);
    expect(look.body.ticket.id).toBe(sale.id);
    expect(look.body.gift).toEqual({ exchangeUntil: addDays(sale.issuedAt.slice(0, 10), 30), expired: false, refund: 'voucher' });
    const before = counts(db2);
    const cash = await till2.call('POST', '/api/returns', { originalTicketId: giftCode(sale.id), lines: [{ lineNo: 1, units: 1 }], refund: { method: 'cash' } });
    expect(cash.status).toBe(422);
    expect(cash.body.code ?? cash.body.type).toMatch(/GIFT_REFUND_AS_VOUCHER/i);
    expect(counts(db2)).toEqual(before);
  });

  it('refunds one unit as a gift voucher of exactly its price; the drawer does not move', async () => {
    const before = counts(db2)!;
    const line = sale.lines.find((l) => l.quantity.kind === 'units' && l.quantity.units === 2)!;
    const r = await till2.call('POST', '/api/returns', { originalTicketId: giftCode(sale.id), lines: [{ lineNo: Number(line.id), units: 1 }], refund: { method: 'voucher' } });
    expect(r.status).toBe(200);
    // One of two units: half the line's total (the line is 2 × unit price, no discount).
    const refund = line.total / 2;
    expect(r.body.ticket.totals.total).toBe(-refund);
    expect(r.body.voucher.code).toMatch(/^[A-Z0-9-]+$/);
    const v = db2.db.prepare<[string], { amount_cents: number; cash_cents: number }>('SELECT amount_cents, cash_cents FROM voucher_sale WHERE code = ?').get(r.body.voucher.code);
    expect(v).toEqual({ amount_cents: refund, cash_cents: refund });
    // The credit note pays out `refund` in cash and the voucher takes it back in: net 0 in the drawer.
    const moves = db2.db.prepare<[string], { c: number }>(`SELECT COALESCE(SUM(amount_cents), 0) AS c FROM cash_movement WHERE reason = ?`).get(`vale:${r.body.voucher.code}`);
    expect(moves?.c).toBe(refund);
    const after = counts(db2)!;
    expect([after.tickets - before.tickets, after.vouchers - before.vouchers]).toEqual([1, 1]);
    // The voucher goes up to HQ as a voucher sold.
    expect(db2.db.prepare<[string], { kind: string }>(`SELECT kind FROM document_outbox WHERE payload LIKE ?`).get(`%${r.body.voucher.code}%`)?.kind).toBe('vouchers.sale');
  });

  it('past the exchange period the gift code is refused, nothing written', async () => {
    // Till 2's store now gives 0 days: no exchange on gift receipts.
    publish(db2, design(0, T2.storeId));
    const look = await till2.call('GET', `/api/tickets/lookup?q=${encodeURIComponent(giftCode(sale.id))}`);
    expect(look.body.gift).toEqual({ exchangeUntil: sale.issuedAt.slice(0, 10), expired: true, refund: "voucher" });
    const before = counts(db2);
    const r = await till2.call('POST', '/api/returns', { originalTicketId: giftCode(sale.id), lines: [{ lineNo: 1, units: 1 }], refund: { method: 'voucher' } });
    expect(r.status).toBe(409);
    expect(JSON.stringify(r.body)).toContain('GIFT_EXCHANGE_EXPIRED');
    expect(counts(db2)).toEqual(before);
  });
});
