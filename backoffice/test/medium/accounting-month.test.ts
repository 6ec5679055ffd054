/**
 * Must-be-true 2 of issue 14, on both engines: a month of one store worked out by hand — Ruiz S.L., store M001,
 * November 2026 — through the real documents: till tickets through the ingest and the daily sales posting, an
 * invoice to a customer collected by SEPA direct debit and returned with a recharged bank fee, the franchise fee
 * invoice from the franchisor, a supplier invoice. The journal, the trial balance and the 303 boxes are exact.
 *
 *   Tickets (p0 0,95 € IVA 21 %, p1 1,32 € IVA 10 %):
 *     3 Nov  cash 10 × p0 = 9,50 → base 7,85 + IVA 1,65     card 10 × p1 = 13,20 → base 12,00 + IVA 1,20
 *     10 Nov return of 2 × p0 in cash = −1,90 → base −1,57 + IVA −0,33
 *   2 Nov  invoice to Bar El Rincón: 50,00 + IVA 21 % 10,50 = 60,50 (a service: 705), due at once
 *   15 Nov franchise fee from the franchisor: 100,00 + IVA 21,00 = 121,00 → 621 / 472 / the franchisor's 410
 *   20 Nov supplier invoice: cleaning 200,00 + IVA 42,00 = 242,00 → 629 / 472 / the supplier's 400
 *   25 Nov the remittance of Bar's 60,50 settled → 572 / 430;   28 Nov returned, bank fee 3,50 recharged
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { insertDraftInvoice, postInvoice } from '../../src/invoicing/posting';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec, num, one } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';
import { trialBalance } from '../../src/accounting/books/books';
import { vatReturnOf } from '../../src/accounting/taxes/service';
import { postDailySales } from '../../src/accounting/sales/posting';

const [p0, p1] = F.products;
let NOW = Date.UTC(2026, 10, 2, 9, 0, 0);
const clock = { now: () => NOW };
const hqActor: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8000-00000000000a', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };
const CUSTOMER_NIF = 'B44556678';
const CREDITOR_IBAN = 'ES9121000418450200051332';
const DEBTOR_IBAN = 'ES7620770024003102575766';
const M1 = F.storeM1.id;

describe.each(engines)('a month of one store in the books on $name', (engine) => {
  let h: Harness;
  let till: TerminalClient;
  let hq: string;

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    hq = await h.login(F.hq);
    till = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    await exec(h.ds.manager, `UPDATE customer SET nif = ? WHERE id = ?`, [CUSTOMER_NIF, F.customer.id]);
    await exec(h.ds.manager, `UPDATE company SET iban = ? WHERE id = ?`, [CREDITOR_IBAN, F.ruiz.id]);
  });
  afterAll(async () => {
    till?.close();
    await h?.close();
  });

  it('gives the journal, the trial balance and the 303 boxes worked out by hand', async () => {
    // 2 Nov: the invoice to the customer, due at once.
    const { id: invId } = await writeTransaction(h.ds, (m) =>
      insertDraftInvoice(m, clock, hqActor, {
        companyId: F.ruiz.id, storeId: M1, invoiceType: 'F1', source: 'manual', paymentDays: [0],
        recipient: { customerId: F.customer.id, nif: CUSTOMER_NIF, name: F.customer.name, address: 'Calle 2, 28001 Madrid' },
        lines: [{ description: 'Catering evento', quantityMilli: 1000, unitPriceCents: 5_000, ivaRateBp: 2100 }],
      }),
    );
    await writeTransaction(h.ds, (m) => postInvoice(m, clock, hqActor, invId, { issueDate: '2026-11-02' }));

    // 3 and 10 Nov: the tickets, through the real ingest.
    let at = Date.UTC(2026, 10, 3, 10, 0, 0);
    const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 5, { now: () => at });
    const cash = f.sale({ lines: [{ product: p0!, units: 10 }], payment: 'cash' });
    at += 60_000;
    const card = f.sale({ lines: [{ product: p1!, units: 10 }], payment: 'card' });
    at = Date.UTC(2026, 10, 10, 10, 0, 0);
    const ret = f.returnOf(cash, 0, 2);
    NOW = Date.UTC(2026, 10, 10, 12, 0, 0);
    expect(await till.send([cash, card, ret])).toEqual({ terminalId: F.t1.id, ackedSeq: 3 });

    // 15 Nov: the franchise fee, issued by the franchisor to Ruiz.
    NOW = Date.UTC(2026, 10, 15, 9, 0, 0);
    const { id: feeId } = await writeTransaction(h.ds, (m) =>
      insertDraftInvoice(m, clock, hqActor, {
        companyId: F.franchisor.id, invoiceType: 'F1', source: 'fee', sourceKey: 'fee:month-test:2026-11', paymentDays: [30],
        recipient: { companyId: F.ruiz.id, nif: F.ruiz.nif, name: 'Ruiz S.L.', address: 'Calle 1, 28001 Madrid' },
        lines: [{ description: 'Royalty noviembre', quantityMilli: 1000, unitPriceCents: 10_000, ivaRateBp: 2100 }],
      }),
    );
    await writeTransaction(h.ds, (m) => postInvoice(m, clock, hqActor, feeId, { issueDate: '2026-11-15' }));

    // 20 Nov: the supplier invoice (a service without goods receipt: approved by HQ, which posts it).
    NOW = Date.UTC(2026, 10, 20, 9, 0, 0);
    hq = await h.login(F.hq); // the clock moved days: a fresh session
    const s = await h.api('POST', '/api/suppliers', { token: hq, body: { name: 'Limpiezas Sol S.L.', nif: 'B96385273', paymentTermsDays: 30 } });
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    const si = await h.api('POST', '/api/supplier-invoices', {
      token: hq,
      body: {
        companyId: F.ruiz.id, supplierId: s.body.id, supplierNumber: 'LS-1120', invoiceDate: '2026-11-20', receivedDate: '2026-11-20', irpfBp: 0,
        lines: [{ receiptId: null, receiptLineNo: null, description: 'Limpieza del local noviembre', quantityMilli: 1000, unitPriceCents: 20_000, discountBp: 0, ivaRateBp: 2100, reRateBp: 0 }],
      },
    });
    expect(si.status, JSON.stringify(si.body)).toBe(201);
    expect((await h.api('POST', `/api/supplier-invoices/${si.body.id}/approve`, { token: hq, body: { note: 'Servicio sin albarán' } })).status).toBe(200);

    // 25 Nov: the customer's invoice collected by direct debit; 28 Nov: returned, the 3,50 fee recharged.
    const item = await one<{ id: string }>(h.ds.manager, `SELECT id FROM open_item WHERE source_id = ?`, [invId]);
    const md = await h.api('POST', '/api/collections/mandates', { token: hq, body: { companyId: F.ruiz.id, counterpartyKind: 'customer', counterpartyId: F.customer.id, reference: 'MAND-MES-1', signedOn: '2026-10-01', scheme: 'CORE', debtorIban: DEBTOR_IBAN, rechargeReturnFee: true } });
    expect(md.status, JSON.stringify(md.body)).toBe(201);
    const r = await h.api('POST', '/api/collections/remittances', { token: hq, body: { companyId: F.ruiz.id, collectionDate: '2026-11-25', itemIds: [item!.id] } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    NOW = Date.UTC(2026, 10, 25, 9, 0, 0);
    hq = await h.login(F.hq);
    const settled = await h.api('POST', `/api/collections/remittances/${r.body.id}/settle`, { token: hq, body: { settledOn: '2026-11-25' } });
    expect(settled.status, JSON.stringify(settled.body)).toBe(200);
    NOW = Date.UTC(2026, 10, 28, 9, 0, 0);
    hq = await h.login(F.hq);
    const returned = await h.api('POST', `/api/collections/remittances/${r.body.id}/returns`, {
      token: hq,
      body: { returns: [{ endToEndId: settled.body.lines[0].endToEndId, reasonCode: 'AM04', returnedOn: '2026-11-28', bankFeeCents: 350 }] },
    });
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);

    // 1 Dec: November is over; the tills' days are posted.
    NOW = Date.UTC(2026, 11, 1, 9, 0, 0);
    await postDailySales(h.ds, clock, { companyIds: [F.ruiz.id], throughDate: '2026-11-30', by: null });

    // The journal of Ruiz in posting order: [date, kind, [account, debit, credit]…].
    const entries = await all<{ id: string; entry_date: string; kind: string }>(h.ds.manager, `SELECT id, entry_date, kind FROM acc_entry WHERE company_id = ? ORDER BY number`, [F.ruiz.id]);
    const journal = [];
    for (const e of entries) {
      const lines = await all<{ account: string; debit_cents: unknown; credit_cents: unknown; store_id: string | null }>(h.ds.manager, `SELECT account, debit_cents, credit_cents, store_id FROM acc_line WHERE entry_id = ? ORDER BY line_no`, [e.id]);
      journal.push([e.entry_date, e.kind, lines.map((l) => [l.account, num(l.debit_cents), num(l.credit_cents)]).sort()]);
    }
    const sorted = (rows: Array<[string, number, number]>) => rows.sort();
    expect(journal).toEqual([
      // The customer gets Ruiz's first 430 sub-account; the service goes to 705 at 21 %.
      ['2026-11-02', 'invoice', sorted([['43000001', 6_050, 0], ['70502100', 0, 5_000], ['47702100', 0, 1_050]])],
      // The fee in Ruiz's books: the franchisor is a service creditor (410).
      ['2026-11-15', 'fee_received', sorted([['62100000', 10_000, 0], ['47202100', 2_100, 0], ['41000001', 0, 12_100]])],
      ['2026-11-20', 'supplier_invoice', sorted([['62900000', 20_000, 0], ['47202100', 4_200, 0], ['40000001', 0, 24_200]])],
      ['2026-11-25', 'remittance', sorted([['57200000', 6_050, 0], ['43000001', 0, 6_050]])],
      // Returned 60,50 back on the customer; the bank's 3,50 fee; the 3,50 recharged to the customer.
      ['2026-11-28', 'remittance_return', sorted([['43000001', 6_050, 0], ['57200000', 0, 6_050], ['62600000', 350, 0], ['57200000', 0, 350], ['43000001', 350, 0], ['75900000', 0, 350]])],
      // The tills' days: 3 Nov cash 9,50 and card 13,20; 10 Nov the return refunded in cash.
      ['2026-11-03', 'sales', sorted([['57000000', 950, 0], ['55500000', 1_320, 0], ['70002100', 0, 785], ['47702100', 0, 165], ['70001000', 0, 1_200], ['47701000', 0, 120]])],
      ['2026-11-10', 'sales', sorted([['70002100', 157, 0], ['47702100', 33, 0], ['57000000', 0, 190]])],
    ]);

    // The trial balance of November at sub-account level: [account, debit, credit, closing].
    const tb = await trialBalance(h.ds.manager, F.ruiz.id, { from: '2026-11', to: '2026-11', level: 8 });
    expect(tb.rows.map((x) => [x.account, x.debitCents, x.creditCents, x.closingCents])).toEqual([
      ['40000001', 0, 24_200, -24_200],
      ['41000001', 0, 12_100, -12_100],
      // 60,50 + 60,50 + 3,50 = 124,50 debit; 60,50 credit → 64,00 owed by the customer.
      ['43000001', 12_450, 6_050, 6_400],
      ['47202100', 6_300, 0, 6_300],
      ['47701000', 0, 120, -120],
      // 1,65 + 10,50 = 12,15 credit; 0,33 debit → 11,82.
      ['47702100', 33, 1_215, -1_182],
      ['55500000', 1_320, 0, 1_320],
      ['57000000', 950, 190, 760],
      ['57200000', 6_050, 6_400, -350],
      ['62100000', 10_000, 0, 10_000],
      ['62600000', 350, 0, 350],
      ['62900000', 20_000, 0, 20_000],
      ['70001000', 0, 1_200, -1_200],
      ['70002100', 157, 785, -628],
      ['70502100', 0, 5_000, -5_000],
      ['75900000', 0, 350, -350],
    ]);
    // Σ debit = Σ credit = 576,10; the closing balances sum to zero.
    expect([tb.totals.debitCents, tb.totals.creditCents, tb.totals.closingCents]).toEqual([57_610, 57_610, 0]);

    // The 303 of the fourth quarter: IVA due 21 % base 6,28 + 50,00 = 56,28 (cuota 1,32 + 10,50 = 11,82), 10 % base 12,00
    // (cuota 1,20); total due 13,02; deductible bases 100,00 + 200,00 = 300,00, cuotas 21,00 + 42,00 = 63,00; result −49,98.
    const ret303 = await vatReturnOf(h.ds.manager, F.ruiz.id, '2026-4T');
    const box = (b: string) => ret303.boxes.find((x) => x.box === b)?.value;
    expect(['07', '09', '04', '06', '27', '28', '29', '45', '46'].map(box)).toEqual([5_628, 1_182, 1_200, 120, 1_302, 30_000, 6_300, 6_300, -4_998]);
    // …and each rate reconciles with the books to the cent.
    expect(ret303.reconciliation.filter((l) => l.differenceCents !== 0)).toEqual([]);
  });
});
