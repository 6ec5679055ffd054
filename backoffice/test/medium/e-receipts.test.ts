/**
 * E-receipts on both engines (issue 19): publishing the receipt design gives each store its e-receipt key
 * and the back office's address; a link signed with it (as the till signs it, offline) opens the customer's
 * page (the ticket, its fiscal QR) and the PDF (read back with pdftotext); a link with a changed signature,
 * another store's key or an unknown ticket is 404. A till asks HQ to e-mail the receipt to the customer's
 * address from the customer record: the mail (a local SMTP stand-in, read back with mailparser) carries the
 * link and the PDF; no customer on the ticket is refused. The same e-mail queued in the till's outbox as a
 * `receipts.email` document (offline at the time): applied once, a resend sends no second mail.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { ReceiptDesignDataSchema } from '@tpv/shared/receipts/design';
import { eReceiptToken, eReceiptUrl } from '@tpv/shared/receipts/e-receipt';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness, type TerminalClient, type TicketDocument } from '../support/harness';
import { all, exec } from '../../src/persistence/sql';

const [p0, p1] = F.products.filter((p) => !p.weighed);
const dir = mkdtempSync(path.join(tmpdir(), 'tpv-e-receipts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(engines)('e-receipts on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let till: TerminalClient;
  let smtp: SMTPServer;
  const mails: ParsedMail[] = [];
  const at = Date.UTC(2026, 10, 30, 10, 0, 0);
  const clock = { now: () => at };
  const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 19, clock);
  let sale: TicketDocument;
  let anonymous: TicketDocument;
  let design: ReturnType<typeof ReceiptDesignDataSchema.parse>;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, _session, done) {
        simpleParser(stream).then((m) => (mails.push(m), done()), done);
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    process.env.TPV_SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
    process.env.TPV_MAIL_FROM = 'Franquicia <tickets@franquicia.test>';
    h = await startHarness(engine, clock);
    await exec(h.ds.manager, 'UPDATE customer SET email = ? WHERE id = ?', ['ana@cliente.test', F.customer.id]);
    const hq = await h.login(F.hq);
    expect((await h.api('PUT', `/api/receipt-designs/${F.ruiz.id}`, { token: hq, body: { footerLines: ['Gracias'] } })).status).toBe(200);
    expect((await h.api('POST', `/api/receipt-designs/${F.ruiz.id}/publish`, { token: hq, body: {} })).status).toBe(200);
    const row = (await all<{ payload: unknown }>(h.ds.manager, `SELECT payload FROM change_log WHERE entity = 'receipt_design' AND entity_id = ? ORDER BY version DESC`, [F.storeM1.id]))[0]!;
    design = ReceiptDesignDataSchema.parse(typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload);
    till = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    // 3 × p0 + 1 × p1 for Bar El Rincón (a customer with an e-mail address); then a sale without customer.
    sale = f.sale({ lines: [{ product: p0!, units: 3 }, { product: p1!, units: 1 }], payment: 'card', customer: { id: F.customer.id, name: F.customer.name } });
    anonymous = f.sale({ lines: [{ product: p0!, units: 1 }], payment: 'cash' });
    expect((await till.send([sale, anonymous])).ackedSeq).toBe(anonymous.seq);
  });
  afterAll(async () => {
    till?.close();
    await h?.teardown();
    await new Promise<void>((r) => smtp.close(() => r()));
    delete process.env.TPV_SMTP_URL;
    delete process.env.TPV_MAIL_FROM;
  });

  it('the published design carries the back office address and a key per store', () => {
    expect(design.eReceipt?.baseUrl).toBe(h.url);
    expect(design.eReceipt?.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a link signed as the till signs it opens the page with the fiscal QR, and the PDF with the ticket', async () => {
    const url = eReceiptUrl(design.eReceipt!.baseUrl, eReceiptToken(design.eReceipt!.key, sale.id));
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain(`<span data-testid="fiscal-number">${sale.fiscalNumber}</span>`);
    expect(html).toContain('data-url="https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345674&amp;numserie=');
    expect(html).toMatch(/<div class="qr"[^>]*><svg/);
    const pdf = await fetch(`${url}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const file = path.join(dir, `${engine.name}.pdf`);
    writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(sale.fiscalNumber);
    expect(text).toContain('QR tributario');
  });

  it('a changed signature, another store’s key, an unknown ticket: 404, same answer', async () => {
    const token = eReceiptToken(design.eReceipt!.key, sale.id);
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const otherStore = eReceiptToken('A'.repeat(43), sale.id);
    const unknown = eReceiptToken(design.eReceipt!.key, '00000000-0000-7000-8000-00000000beef');
    for (const t of [flipped, otherStore, unknown]) {
      expect((await fetch(`${h.url}/api/e-receipts/${t}`)).status).toBe(404);
      expect((await fetch(`${h.url}/api/e-receipts/${t}/pdf`)).status).toBe(404);
    }
    expect((await fetch(`${h.url}/api/e-receipts/not-a-token`)).status).toBe(400);
  });

  it('the till asks HQ to e-mail it: to the customer record’s address, with the link and the PDF; no customer is refused', async () => {
    const ask = (ticketId: string) => till.socket.timeout(20_000).emitWithAck('till:request', { kind: 'receipts.email', payload: { ticketId } });
    const r = await ask(sale.id);
    expect(r).toEqual({ reply: { sentTo: 'ana@cliente.test', messageId: expect.any(String) } });
    const mail = mails.at(-1)!;
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('ana@cliente.test');
    expect(mail.subject?.startsWith(`Su ticket ${sale.fiscalNumber} · `)).toBe(true);
    expect(mail.text).toContain(eReceiptUrl(h.url, eReceiptToken(design.eReceipt!.key, sale.id)));
    expect(mail.attachments.map((a) => [a.contentType, a.filename])).toEqual([['application/pdf', `ticket-${sale.fiscalNumber.replace(/[^A-Za-z0-9-]+/g, '_')}.pdf`]]);
    const count = mails.length;
    expect(await ask(anonymous.id)).toEqual({ refused: { code: 'NO_CUSTOMER', message: expect.stringContaining('no customer') } });
    expect(mails.length).toBe(count);
  });

  it('the e-mail queued in the till’s outbox (`receipts.email`): sent once to the typed address; a resend sends nothing more; a ticket not at HQ yet waits (retry)', async () => {
    const docId = (n: number) => `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
    const send = (documents: unknown[]) => till.socket.timeout(20_000).emitWithAck('documents', { terminalId: F.t1.id, documents }) as Promise<{ results: Array<{ id: string; status: string; reference?: string; message?: string }> }>;
    const doc = (n: number, payload: unknown) => ({ id: docId(n), kind: 'receipts.email', createdAt: '2026-11-30T10:05:00.000+01:00', payload });
    const before = mails.length;
    // The anonymous sale, to an address the cashier typed.
    const first = await send([doc(1, { ticketId: anonymous.id, to: 'pepe@cliente.test' })]);
    expect(first.results).toEqual([{ id: docId(1), status: 'applied', reference: 'enviado a / sent to pepe@cliente.test' }]);
    expect(mails.length).toBe(before + 1);
    const to = mails.at(-1)!.to;
    expect(to && !Array.isArray(to) ? to.text : '').toBe('pepe@cliente.test');
    expect(mails.at(-1)!.text).toContain(eReceiptToken(design.eReceipt!.key, anonymous.id));
    // The till lost HQ's answer and sends it again: the stored answer, no second mail.
    expect((await send([doc(1, { ticketId: anonymous.id, to: 'pepe@cliente.test' })])).results[0]!.status).toBe('applied');
    expect(mails.length).toBe(before + 1);
    // No address typed and no customer: refused for good (the till shows why and stops resending).
    const refused = await send([doc(2, { ticketId: anonymous.id })]);
    expect(refused.results[0]).toMatchObject({ id: docId(2), status: 'rejected', message: expect.stringContaining('no customer') });
    // Queued offline for a ticket still in the till's ticket outbox: retry until the ticket is at HQ, then sent once.
    const later = f.sale({ lines: [{ product: p1!, units: 2 }], payment: 'cash', customer: { id: F.customer.id, name: F.customer.name } });
    expect((await send([doc(3, { ticketId: later.id })])).results[0]!.status).toBe('retry');
    expect(mails.length).toBe(before + 1);
    expect((await till.send([later])).ackedSeq).toBe(later.seq);
    expect((await send([doc(3, { ticketId: later.id })])).results).toEqual([{ id: docId(3), status: 'applied', reference: 'enviado a / sent to ana@cliente.test' }]);
    expect((await send([doc(3, { ticketId: later.id })])).results[0]!.status).toBe('applied');
    expect(mails.length).toBe(before + 2);
    expect(mails.at(-1)!.subject?.startsWith(`Su ticket ${later.fiscalNumber} · `)).toBe(true);
  });
});
