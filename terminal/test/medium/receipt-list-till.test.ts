/**
 * The till's receipt pieces a cashier clicks (issue 19), over HTTP on a real SQLite till with no back office:
 * - paper-skip: a sale paid with `paper: false` queues no receipt; the answer carries the e-receipt link (signed
 *   offline with the store's key) and its QR, the customer-facing `display` event carries the link too; a later
 *   "print" prints the receipt itself (not a COPIA), the next one a copy;
 * - the receipt list: today's tickets at this till (its local day), newest first, searched by number, with whether
 *   paper went out;
 * - the e-mail: queued in the outbox as one `receipts.email` document (offline: nothing to wait for), a second tap
 *   while it waits queues nothing more; no address and no customer, or a bad address, is refused and writes nothing;
 *   HQ's answer (applied once there, backoffice e-receipts test) shows on the ticket's e-mail status.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentLines, type ReceiptDocument } from '@tpv/shared/receipt';
import { eReceiptStoreKey, eReceiptToken, eReceiptUrl } from '@tpv/shared/receipts/e-receipt';
import type { ReceiptDesignData } from '@tpv/shared/receipts/design';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { createCatalogStore } from '../../src/sync/catalog';
import { createDocumentOutbox } from '../../src/sync/document-outbox';
import { EAN, freshTerminalDb, IDENTITY, STAFF, tempDir, type TestDb } from './support/fixture';
import { startTerminal, type RunningTerminal } from './support/server';

const dir = tempDir('tpv-receipt-list-');
const KEY = eReceiptStoreKey(new Uint8Array(32).fill(9), IDENTITY.storeId);
const BASE = 'https://hq.franquicia.test';
const design: ReceiptDesignData = {
  storeId: IDENTITY.storeId, companyId: 'company-1', revision: '1.0', publishedAt: '2026-11-30T09:00:00.000Z', logo: null, headerLines: [], footerLines: ['www.franquicia.test'],
  returnPolicy: null, exchangeDays: 30, giftRefund: 'voucher', promo: null, eReceipt: { baseUrl: BASE, key: KEY },
};

describe('receipt list, paper-skip and e-mail at the till', () => {
  let t: TestDb;
  let till: RunningTerminal;
  const displays: Array<{ line1: string; line2: string; eReceiptUrl?: string | null }> = [];
  let paper: TicketDocument;
  let noPaper: TicketDocument;
  const jobsOf = (id: string) => t.db.prepare<[string], { kind: string; copy: number }>('SELECT kind, copy FROM print_job WHERE ticket_id = ? ORDER BY rowid').all(id);
  const mailDocs = () => t.db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM document_outbox WHERE kind = 'receipts.email'`).get()!.n;
  const sell = async (code: string, body: Record<string, unknown> = {}) => {
    expect((await till.call('POST', '/api/cart/scan', { code })).status).toBe(200);
    const total = (await till.call('GET', '/api/cart')).body.totals.total as number;
    const r = await till.call('POST', '/api/cart/checkout', { payments: [{ method: 'cash', amountCents: total }], ...body });
    expect(r.status).toBe(200);
    return r.body as { ticket: TicketDocument; printed: boolean; eReceipt: { url: string; qrSvg: string } | null };
  };

  beforeAll(async () => {
    t = await freshTerminalDb(dir, 'till.sqlite');
    const store = createCatalogStore(t.db);
    const v = store.version();
    store.applyPage({ fromVersion: v, toVersion: v + 1, hasMore: false, changes: [{ version: v + 1, entity: 'receipt_design', id: IDENTITY.storeId, op: 'upsert', data: design }] }, new Date().toISOString());
    till = await startTerminal(t.ds, t.file);
    till.app.deps.events.on('display', (d) => displays.push(d));
    await till.login(STAFF.cashier.pin);
    expect((await till.call('POST', '/api/cash/open', { float: { '5000': 2 } })).status).toBe(200);
  });
  afterAll(async () => {
    await till?.close();
    await t?.ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a sale with paper prints; one without queues nothing and answers the e-receipt link and QR, also on the display event', async () => {
    const a = await sell(EAN.bread);
    paper = a.ticket;
    expect(a.printed).toBe(true);
    expect(a.eReceipt?.url).toBe(eReceiptUrl(BASE, eReceiptToken(KEY, paper.id)));
    expect(jobsOf(paper.id)).toEqual([{ kind: 'sale', copy: 0 }]);

    const b = await sell(EAN.wine, { paper: false });
    noPaper = b.ticket;
    expect(b.printed).toBe(false);
    expect(jobsOf(noPaper.id)).toEqual([]);
    expect(b.eReceipt?.url).toBe(eReceiptUrl(BASE, eReceiptToken(KEY, noPaper.id)));
    // The QR is an SVG of dark modules (a QR of that link, made on the till: no back office needed).
    expect(b.eReceipt?.qrSvg.startsWith('<svg')).toBe(true);
    expect((b.eReceipt?.qrSvg.match(/<rect /g) ?? []).length).toBeGreaterThan(100);
    expect(displays.at(-1)).toMatchObject({ line1: expect.stringContaining('TOTAL'), eReceiptUrl: b.eReceipt!.url, eReceiptQrSvg: b.eReceipt!.qrSvg });
    expect((await till.call('GET', `/api/tickets/${noPaper.id}/e-receipt`)).body.url).toBe(b.eReceipt!.url);
    await till.app.printing.drained();
    expect(till.printer.printed.filter((d: ReceiptDocument) => documentLines(d, 48).some((l) => l.text.includes(noPaper.fiscalNumber)))).toEqual([]);
  });

  it('the receipt list: today’s tickets newest first, with whether paper went out; searched by number', async () => {
    const all = await till.call('GET', '/api/receipts/today');
    expect(all.status).toBe(200);
    expect(all.body.map((r: { fiscalNumber: string; printed: boolean; kind: string; totalCents: number }) => [r.fiscalNumber, r.kind, r.printed, r.totalCents])).toEqual([
      [noPaper.fiscalNumber, 'sale', false, noPaper.totals.total],
      [paper.fiscalNumber, 'sale', true, paper.totals.total],
    ]);
    const one = await till.call('GET', `/api/receipts/today?q=${encodeURIComponent(paper.fiscalNumber.slice(-6))}`);
    expect(one.body.map((r: { id: string }) => r.id)).toEqual([paper.id]);
    expect((await till.call('GET', '/api/receipts/today?q=ZZZ')).body).toEqual([]);
    expect((await till.call('GET', '/api/receipts/today', undefined, null)).status).toBe(401);
  });

  it('printing a paper-skipped ticket later prints the receipt itself, then copies', async () => {
    expect((await till.call('POST', `/api/tickets/${noPaper.id}/reprint`)).status).toBe(202);
    expect((await till.call('POST', `/api/tickets/${noPaper.id}/reprint`)).status).toBe(202);
    expect(jobsOf(noPaper.id)).toEqual([{ kind: 'sale', copy: 0 }, { kind: 'sale', copy: 1 }]);
    await till.app.printing.drained();
    const printed = till.printer.printed.filter((d: ReceiptDocument) => documentLines(d, 48).some((l) => l.text.includes(noPaper.fiscalNumber)));
    expect(printed.map((d: ReceiptDocument) => documentLines(d, 48).some((l) => l.text.includes('COPIA')))).toEqual([false, true]);
    expect((await till.call('GET', `/api/receipts/today?q=${encodeURIComponent(noPaper.fiscalNumber)}`)).body[0].printed).toBe(true);
  });

  it('the e-mail is queued once in the outbox (offline), a second tap adds nothing, bad input writes nothing; HQ’s answer shows', async () => {
    // No customer on the ticket and no address typed; a malformed address: refused, nothing queued.
    const none = await till.call('POST', `/api/tickets/${paper.id}/email`, {});
    expect([none.status, none.body.code]).toEqual([409, 'NO_EMAIL']);
    const bad = await till.call('POST', `/api/tickets/${paper.id}/email`, { to: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(bad.type).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(bad.body)).toContain('to');
    expect(mailDocs()).toBe(0);

    const first = await till.call('POST', `/api/tickets/${paper.id}/email`, { to: 'ana@cliente.test' });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ ticketId: paper.id, to: 'ana@cliente.test', status: 'pending' });
    const again = await till.call('POST', `/api/tickets/${paper.id}/email`, { to: 'ana@cliente.test' });
    expect(again.body.id).toBe(first.body.id);
    expect(mailDocs()).toBe(1);
    const outbox = createDocumentOutbox(t.db);
    expect(outbox.pending(10)).toEqual([{ id: first.body.id, kind: 'receipts.email', createdAt: expect.any(String), payload: { ticketId: paper.id, to: 'ana@cliente.test' } }]);

    // HQ applied it (once, by document id): the status the screen polls.
    outbox.answer([{ id: first.body.id, status: 'applied', reference: 'enviado a / sent to ana@cliente.test' }], new Date().toISOString());
    const status = await till.call('GET', `/api/tickets/${paper.id}/email`);
    expect(status.body).toEqual([expect.objectContaining({ id: first.body.id, status: 'applied', reference: 'enviado a / sent to ana@cliente.test' })]);
    expect(outbox.pending(10)).toEqual([]);
  });

  it('the list is today’s, in the till’s local day: yesterday’s sale is not on it', async () => {
    const other = await freshTerminalDb(dir, 'days.sqlite');
    // 23:30 in Madrid on 1 December (22:30 UTC), then 00:30 on the 2nd.
    let now = Date.UTC(2026, 11, 1, 22, 30);
    const t2 = await startTerminal(other.ds, other.file, { clock: { now: () => now } });
    try {
      await t2.login(STAFF.cashier.pin);
      expect((await t2.call('POST', '/api/cash/open', { float: { '5000': 2 } })).status).toBe(200);
      const sale = async () => {
        expect((await t2.call('POST', '/api/cart/scan', { code: EAN.bread })).status).toBe(200);
        const total = (await t2.call('GET', '/api/cart')).body.totals.total as number;
        const r = await t2.call('POST', '/api/cart/checkout', { payments: [{ method: 'cash', amountCents: total }] });
        expect(r.status).toBe(200);
        return r.body.ticket as TicketDocument;
      };
      const late = await sale();
      expect((await t2.call('GET', '/api/receipts/today')).body.map((r: { id: string }) => r.id)).toEqual([late.id]);
      now = Date.UTC(2026, 11, 1, 23, 30);
      expect((await t2.call('GET', '/api/receipts/today')).body).toEqual([]);
      const early = await sale();
      expect((await t2.call('GET', '/api/receipts/today')).body.map((r: { id: string }) => r.id)).toEqual([early.id]);
    } finally {
      await t2.close();
      await other.ds.destroy();
    }
  });
});
