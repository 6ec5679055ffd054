/**
 * Full invoices (F1) at the till: a sale over the 3,000 € simplified limit is issued as a factura to a
 * business customer of the till's list (NIF checked offline by shared/src/nif.ts), the receipt goes through
 * the real ESC/POS encoder over TCP to the virtual printer and its decoded text says FACTURA with the
 * recipient's NIF, name and address; a recipient can also be typed in; bad recipients write nothing.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualPrinter } from '@tpv/drivers/virtual/printer';
import { verifyChain, type FiscalRecord } from '@tpv/shared/fiscal/record';
import { TicketDocumentSchema, verifyTicketArithmetic, type TicketDocument } from '@tpv/shared/wire/ticket';
import { createTerminalApp, type TerminalApp } from '../../src/app/terminal-app';
import { devicesFromEnv } from '../../src/printing/devices';
import { CUSTOMERS, EAN, freshTerminalDb, rowCounts, STAFF, tempDir, type TestDb } from './support/fixture';
import { nextReceipt } from './support/printed';

const dir = tempDir('tpv-invoice-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const ADDRESS = { street: 'Calle Mayor 12', postalCode: '28013', city: 'Madrid' };
// B4455667?: digits 4,5,6,7 in odd places doubled → 8,10,12,14 → 8+1+3+5 = 17; 4+5+6 = 15; 32 → control (10 − 2) = 8.
const NORTE = { id: '00000000-0000-7000-8008-000000000009', nif: 'B44556678', name: 'Construcciones Norte S.L.' };

describe('full invoices (F1) at the till', () => {
  const me = { id: STAFF.cashier.id, name: STAFF.cashier.name, role: 'cashier' as const };
  let vp: VirtualPrinter;
  let t: TestDb;
  let app: TerminalApp;
  beforeAll(async () => {
    vp = new VirtualPrinter({ port: 0 });
    await vp.start();
    t = await freshTerminalDb(dir);
    t.db.prepare('INSERT INTO customer (id, nif, name, re_regime, credit_limit_cents, balance_cents, active, version) VALUES (?, ?, ?, 0, 0, 0, 1, 1)').run(NORTE.id, NORTE.nif, NORTE.name);
    const devices = devicesFromEnv({ TPV_PRINTER: vp.url });
    app = createTerminalApp({ db: t.db, printer: devices.printer, drawer: devices.drawer });
    expect(app.cash.open(me, { '2000': 1 }).ok).toBe(true);
  });
  afterAll(async () => {
    await app.stop();
    await vp.stop();
    await t.ds.destroy();
  });

  it('a 3,450 € sale asks for the recipient, refuses a bad NIF, and prints a FACTURA with NIF, name and address', async () => {
    app.cart.scan(me, EAN.tv); // 3,500.00 € at 21 %
    const priced = await app.cart.patchLine(me, '1', { unitPrice: 345000 }, STAFF.manager.pin);
    expect(priced.ok && priced.value.totals.total).toBe(345000);
    const pay = [{ method: 'card' as const, amountCents: 345000, reference: 'AUTH-9' }];
    const before = rowCounts(t.db);

    // Without a recipient: the till is told to ask for one (the UI opens the recipient form on `needs`).
    const simplified = app.checkout.checkout(me, pay);
    expect(!simplified.ok && [simplified.error.code, simplified.error.details?.['needs']]).toEqual(['SIMPLIFIED_INVOICE_OVER_LIMIT', 'invoice_recipient']);
    // A NIF whose control digit is wrong (typed, or a customer of the list whose NIF was mistyped at HQ), and an empty name.
    const badNif = app.checkout.checkout(me, pay, { nif: 'B44556671', name: 'Bar', address: ADDRESS });
    expect(!badNif.ok && [badNif.error.code, badNif.error.details?.['field']]).toEqual(['INVOICE_NIF_INVALID', 'nif']);
    const badListed = app.checkout.checkout(me, pay, { customerId: CUSTOMERS.bar.id, address: ADDRESS }); // B44556670: control should be 8
    expect(!badListed.ok && badListed.error.code).toBe('INVOICE_NIF_INVALID');
    const noName = app.checkout.checkout(me, pay, { nif: '12345678Z', name: '  ', address: ADDRESS });
    expect(!noName.ok && noName.error.code).toBe('INVOICE_RECIPIENT_INCOMPLETE');
    expect(rowCounts(t.db)).toEqual(before);

    const printed = nextReceipt(vp, 'M00101-26T/000001');
    const sale = app.checkout.checkout(me, pay, { customerId: NORTE.id, address: ADDRESS });
    expect(sale.ok ? null : sale.error).toBeNull();
    const doc = sale.ok ? sale.value.ticket : (undefined as never);
    expect(doc.fiscal).toMatchObject({ invoiceType: 'F1', grandTotal: '3450.00', taxTotal: '598.76' }); // 345000 − round(345000/1.21) = 345000 − 285124 = 59876
    expect(doc.customer).toEqual({ id: NORTE.id, nif: NORTE.nif, name: NORTE.name, reRegime: false, address: ADDRESS });
    expect(TicketDocumentSchema.safeParse(doc).success).toBe(true);
    expect(verifyTicketArithmetic(doc).ok).toBe(true);

    const r = await printed;
    expect(r.lines.map((l) => l.trim())).toContain('FACTURA');
    expect(r.text).not.toContain('FACTURA SIMPLIFICADA');
    for (const s of ['Destinatario:', NORTE.name, `NIF: ${NORTE.nif}`, 'Calle Mayor 12', '28013 Madrid']) expect(r.text).toContain(s);
    expect(r.qr[0]).toContain('importe=3450.00');
  });

  it('a recipient typed in (not in the list) gets an F1 without a customer id, also under the limit', async () => {
    app.cart.scan(me, EAN.wine);
    const printed = nextReceipt(vp, 'M00101-26T/000002');
    const sale = app.checkout.checkout(me, [{ method: 'cash', amountCents: 2000 }], {
      nif: '12345678-z',
      name: 'Ana López',
      address: { street: 'Av. del Puerto 3', postalCode: '46021', city: 'València' },
    });
    expect(sale.ok ? null : sale.error).toBeNull();
    const doc = sale.ok ? sale.value.ticket : (undefined as never);
    expect(doc.fiscal.invoiceType).toBe('F1');
    expect(doc.customer).toEqual({ nif: '12345678Z', name: 'Ana López', reRegime: false, address: { street: 'Av. del Puerto 3', postalCode: '46021', city: 'València' } });
    const r = await printed;
    expect(r.text).toContain('NIF: 12345678Z');
    expect(r.text).toContain('46021 València');
  });

  it('simplified tickets still print FACTURA SIMPLIFICADA, and the F1/F2 chain verifies', async () => {
    app.cart.scan(me, EAN.bread);
    const printed = nextReceipt(vp, 'M00101-26T/000003');
    const sale = app.checkout.checkout(me, [{ method: 'cash', amountCents: 85 }]);
    expect(sale.ok && sale.value.ticket.fiscal.invoiceType).toBe('F2');
    expect((await printed).text).toContain('FACTURA SIMPLIFICADA');
    const records = t.db.prepare<[], { record: string }>('SELECT record FROM fiscal_record ORDER BY chain_index').all().map((x) => JSON.parse(x.record) as FiscalRecord);
    expect(records.map((x) => x.invoiceType)).toEqual(['F1', 'F1', 'F2']);
    expect(verifyChain(records)).toMatchObject({ ok: true, value: { verified: 3 } });
    const docs = t.db.prepare<[], { payload: string }>('SELECT payload FROM outbox ORDER BY seq').all().map((x) => JSON.parse(x.payload) as TicketDocument);
    expect(docs.map((d) => d.fiscal.invoiceType)).toEqual(['F1', 'F1', 'F2']);
  });
});

describe('F3: a full invoice replacing an earlier simplified ticket of this till', () => {
  const me = { id: STAFF.cashier.id, name: STAFF.cashier.name, role: 'cashier' as const };
  it('replaces the ticket once (found by its scanned barcode), prints FACTURA naming it, and leaves the cash figures alone', async () => {
    const vp = new VirtualPrinter({ port: 0 });
    await vp.start();
    const t = await freshTerminalDb(dir, 'f3.sqlite');
    const devices = devicesFromEnv({ TPV_PRINTER: vp.url });
    const app = createTerminalApp({ db: t.db, printer: devices.printer, drawer: devices.drawer });
    try {
      app.cash.open(me, { '2000': 1 });
      app.cart.scan(me, EAN.wine); // 12.50 € at 21 %
      app.cart.scan(me, EAN.bread); // 0.85 € at 4 %
      const sale = app.checkout.checkout(me, [{ method: 'cash', amountCents: 2000 }]);
      const ticket = sale.ok ? sale.value.ticket : (undefined as never);
      expect(ticket.fiscal.invoiceType).toBe('F2');
      const xBefore = app.cash.xReport();

      const before = rowCounts(t.db);
      const bad = app.substitutions.substitute(me, ticket.fiscalNumber, { nif: 'X1234567A', name: 'Ana', address: ADDRESS }); // NIE X1234567: control is L
      expect(!bad.ok && bad.error.code).toBe('INVOICE_NIF_INVALID');
      const unknown = app.substitutions.substitute(me, 'M00101-26T/000099', { nif: NORTE.nif, name: NORTE.name, address: ADDRESS });
      expect(!unknown.ok && unknown.error.code).toBe('TICKET_UNKNOWN');
      expect(rowCounts(t.db)).toEqual(before);

      const printed = nextReceipt(vp, 'M00101-26T/000002');
      // The cashier scans the receipt's CODE128 (the fiscal number) and types the recipient.
      const f3 = app.substitutions.substitute(me, ticket.fiscalNumber, { nif: NORTE.nif, name: NORTE.name, address: ADDRESS });
      expect(f3.ok ? null : f3.error).toBeNull();
      const doc = f3.ok ? f3.value.ticket : (undefined as never);
      expect(doc.fiscal).toMatchObject({
        invoiceType: 'F3',
        invoiceNumber: 'M00101-26T/000002',
        substituted: [{ invoiceNumber: ticket.fiscalNumber, issueDate: ticket.fiscal.issueDate }],
        taxTotal: ticket.fiscal.taxTotal,
        grandTotal: ticket.fiscal.grandTotal,
      });
      expect(doc.substitutes).toEqual({ id: ticket.id, fiscalNumber: ticket.fiscalNumber, issueDate: ticket.fiscal.issueDate });
      // Exactly the ticket's bases and cuotas per rate: 12.50 at 21 % → base 10.33, IVA 2.17; 0.85 at 4 % → base 0.82, IVA 0.03.
      expect(doc.taxBreakdown).toEqual(ticket.taxBreakdown);
      expect(doc.taxBreakdown.map((r) => [r.rate, r.base, r.ivaCuota])).toEqual([[2100, 1033, 217], [400, 82, 3]]);
      expect([doc.payments, doc.change]).toEqual([[], 0]);
      expect(TicketDocumentSchema.safeParse(doc).success).toBe(true);
      expect(verifyTicketArithmetic(doc).ok).toBe(true);
      const r = await printed;
      expect(r.lines.map((l) => l.trim())).toContain('FACTURA');
      for (const x of [`Sustituye a: ${ticket.fiscalNumber}`.replace(/\s+/g, ' '), `NIF: ${NORTE.nif}`, NORTE.name, '28013 Madrid']) expect(r.text.replace(/ +/g, ' ')).toContain(x);

      // A second F3 for the same ticket, or an F3 for the F3, is refused and writes nothing.
      const mid = rowCounts(t.db);
      const again = app.substitutions.substitute(me, ticket.id, { nif: '12345678Z', name: 'Otro', address: ADDRESS });
      expect(!again.ok && [again.error.code, again.error.details?.['invoice']]).toEqual(['TICKET_ALREADY_SUBSTITUTED', doc.fiscalNumber]);
      const ofF3 = app.substitutions.substitute(me, doc.fiscalNumber, { nif: '12345678Z', name: 'Otro', address: ADDRESS });
      expect(!ofF3.ok && ofF3.error.code).toBe('NOT_A_SIMPLIFIED_TICKET');
      expect(rowCounts(t.db)).toEqual(mid);

      // The F3 is not a second sale: the session's figures are the same; it sits in the chain and the outbox.
      const xAfter = app.cash.xReport();
      expect(xAfter.ok && xBefore.ok && [xAfter.value.sales, xAfter.value.taxes, xAfter.value.cash.expected]).toEqual(xBefore.ok ? [xBefore.value.sales, xBefore.value.taxes, xBefore.value.cash.expected] : []);
      const records = t.db.prepare<[], { record: string }>('SELECT record FROM fiscal_record ORDER BY chain_index').all().map((x) => JSON.parse(x.record) as FiscalRecord);
      expect(records.map((x) => x.invoiceType)).toEqual(['F2', 'F3']);
      expect(verifyChain(records).ok).toBe(true);
      expect(t.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM outbox').get()!.n).toBe(2);
    } finally {
      await app.stop();
      await vp.stop();
      await t.ds.destroy();
    }
  });
});

describe('the F1 wire rules', () => {
  it('an F1 document without a valid recipient NIF or address is refused by the schema', async () => {
    const t = await freshTerminalDb(dir, 'wire.sqlite');
    const app = createTerminalApp({ db: t.db, printer: devicesFromEnv({}).printer, drawer: devicesFromEnv({}).drawer });
    const me = { id: STAFF.cashier.id, name: STAFF.cashier.name, role: 'cashier' as const };
    try {
      app.cash.open(me, { '2000': 1 });
      app.cart.scan(me, EAN.wine);
      const sale = app.checkout.checkout(me, [{ method: 'cash', amountCents: 2000 }], { nif: 'B44556678', name: 'Bar', address: ADDRESS });
      const doc = sale.ok ? sale.value.ticket : (undefined as never);
      const issues = (d: unknown) => {
        const r = TicketDocumentSchema.safeParse(d);
        return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      };
      expect(issues(doc)).toEqual([]);
      expect(issues({ ...doc, customer: { ...doc.customer, nif: 'B44556671' } })).toEqual(["customer.nif: a full invoice (F1) needs the recipient's valid NIF"]);
      const { address: _a, ...noAddress } = doc.customer!;
      expect(issues({ ...doc, customer: noAddress })).toEqual(["customer.address: a full invoice (F1) needs the recipient's address"]);
      const { customer: _c, ...noCustomer } = doc;
      expect(issues(noCustomer)).toEqual(['customer: a full invoice (F1) needs its recipient']);
    } finally {
      await app.stop();
      await t.ds.destroy();
    }
  });
});
