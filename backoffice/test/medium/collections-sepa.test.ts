/**
 * SEPA direct debits and supplier transfers over HTTP on both engines (issue 13, part sepadd): a mandate with
 * an invalid IBAN is refused field by field writing nothing; a remittance of the items due picks those of
 * debtors with an active mandate, FRST then RCUR, and its pain.008 validates against the XSD (must-be-true 3);
 * remitting an item already remitted is refused; settling posts one direct-debit payment per line; a returned
 * debit reopens its item (overdue in open_item and in the aging) and recharges the bank fee as a new item; a supplier transfer
 * writes a valid pain.001 and pays the payable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { insertDraftInvoice, postInvoice, type DraftInvoiceInput } from '../../src/invoicing/posting';
import { openItem } from '../../src/collections/ledger';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec, one } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';
import { PAIN001_XSD, PAIN008_XSD, xsdErrors } from '../support/sepa-xml';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const hqActor: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8007-000000000001', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };
const CREDITOR_IBAN = 'ES9121000418450200051332';
const DEBTOR_IBAN = 'ES7620770024003102575766';
const SUPPLIER = '00000000-0000-7000-8099-000000000001';

// 1.000,00 + IVA 21 % = 1.210,00 in two due dates of 605,00: 2026-12-30 and 2027-01-29.
const draft = (key: string): DraftInvoiceInput => ({
  companyId: F.franchisor.id,
  invoiceType: 'F1',
  source: 'manual',
  sourceKey: key,
  recipient: { companyId: F.ruiz.id, nif: F.ruiz.nif, name: 'Ruiz S.L.', address: 'Calle 1, 28001 Madrid' },
  paymentDays: [30, 60],
  lines: [{ description: 'Canon de franquicia', quantityMilli: 1000, unitPriceCents: 100_000, ivaRateBp: 2100 }],
});

const mandateBody = (over: Record<string, unknown> = {}) => ({
  companyId: F.franchisor.id, counterpartyKind: 'company', counterpartyId: F.ruiz.id, reference: 'MAND-RUIZ-001', signedOn: '2026-10-01', scheme: 'CORE', debtorIban: DEBTOR_IBAN, rechargeReturnFee: true, ...over,
});

describe.each(engines)('SEPA direct debits and transfers on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let levante: string;
  const count = async (table: string) => Number((await one<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))!.n);
  const itemsOf = (invoiceId: string) => all<{ id: string; due_date: string; balance_cents: unknown; status: string }>(h.ds.manager, `SELECT id, due_date, balance_cents, status FROM open_item WHERE source_id = ? ORDER BY source_idx`, [invoiceId]);
  const invoices: string[] = [];
  let remittanceId = '';

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    hq = await h.login(F.hq);
    levante = await h.login(F.managerLevante);
    // The creditor id (AT-02) is made from the NIF: the seed's franchisor NIF has a wrong check letter.
    await exec(h.ds.manager, `UPDATE company SET iban = ?, nif = ? WHERE id = ?`, [CREDITOR_IBAN, 'B87654323', F.franchisor.id]);
    for (const key of ['manual:sepa-1', 'manual:sepa-2']) {
      invoices.push(await writeTransaction(h.ds, async (m) => {
        const { id } = await insertDraftInvoice(m, clock, hqActor, draft(key));
        await postInvoice(m, clock, hqActor, id);
        return id;
      }));
    }
  });
  afterAll(async () => h?.teardown());

  it('refuses a mandate with an invalid IBAN field by field, writing nothing; records a valid one once', async () => {
    const bad = await h.api('POST', '/api/collections/mandates', { token: hq, body: mandateBody({ debtorIban: 'ES7620770024003102575767', debtorBic: 'XX' }) });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['debtorBic', 'debtorIban']);
    expect(await count('sepa_mandate')).toBe(0);
    const shape = await h.api('POST', '/api/collections/mandates', { token: hq, body: mandateBody({ signedOn: '2026-13-01' }) });
    expect(shape.status).toBe(400);
    expect(await count('sepa_mandate')).toBe(0);

    const ok = await h.api('POST', '/api/collections/mandates', { token: hq, body: mandateBody() });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ reference: 'MAND-RUIZ-001', debtorIban: DEBTOR_IBAN, counterpartyName: 'Ruiz S.L.', status: 'active', collections: 0, rechargeReturnFee: true });
    const again = await h.api('POST', '/api/collections/mandates', { token: hq, body: mandateBody() });
    expect(again.status).toBe(409);
    expect(await count('sepa_mandate')).toBe(1);
    // Another franchisee sees nothing of it.
    expect((await h.api('GET', '/api/collections/mandates', { token: levante })).body.items).toEqual([]);
    expect((await h.api('GET', `/api/collections/mandates/${ok.body.id}`, { token: levante })).status).toBe(403);
  });

  it('remits the items due by a date as a pain.008 valid against the XSD, FRST then RCUR', async () => {
    const r = await h.api('POST', '/api/collections/remittances', { token: hq, body: { companyId: F.franchisor.id, collectionDate: '2027-01-05', dueBy: '2026-12-31' } });
    expect(r.status).toBe(201);
    remittanceId = r.body.id;
    // The first due date of each invoice (605,00 each); the second ones fall due later.
    expect(r.body).toMatchObject({ number: 'REM-2027-000001', itemCount: 2, totalCents: 121_000, status: 'sent' });
    expect(r.body.lines.map((l: { sequenceType: string; amountCents: number; status: string }) => [l.sequenceType, l.amountCents, l.status])).toEqual([
      ['FRST', 60_500, 'pending'],
      ['RCUR', 60_500, 'pending'],
    ]);
    const xml = await h.api('GET', `/api/collections/remittances/${remittanceId}/xml`, { token: hq });
    expect(xml.status).toBe(200);
    expect(xsdErrors(String(xml.body), PAIN008_XSD)).toBe('');
    expect(String(xml.body)).toContain('<CtrlSum>1210.00</CtrlSum>');
    expect(String(xml.body)).toContain('<MndtId>MAND-RUIZ-001</MndtId>');
    const mandate = await one<{ collections: unknown; last_collection_on: string }>(h.ds.manager, `SELECT collections, last_collection_on FROM sepa_mandate`);
    expect([Number(mandate!.collections), mandate!.last_collection_on]).toEqual([2, '2027-01-05']);
    expect((await h.api('GET', `/api/collections/remittances/${remittanceId}`, { token: levante })).status).toBe(403);
    expect((await h.api('GET', `/api/collections/remittances/${remittanceId}/xml`, { token: levante })).status).toBe(403);
  });

  it('refuses an item already remitted, writing nothing', async () => {
    const [first] = await itemsOf(invoices[0]!);
    const before = [await count('remittance'), await count('remittance_item')];
    const again = await h.api('POST', '/api/collections/remittances', { token: hq, body: { companyId: F.franchisor.id, collectionDate: '2027-01-06', itemIds: [first!.id] } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ITEM_ALREADY_REMITTED', errors: [{ path: 'itemIds.0' }] });
    const past = await h.api('POST', '/api/collections/remittances', { token: hq, body: { companyId: F.franchisor.id, collectionDate: '2026-11-30', dueBy: '2027-12-31' } });
    expect(past.status).toBe(422);
    expect(past.body.errors[0].path).toBe('collectionDate');
    const byDate = await h.api('POST', '/api/collections/remittances', { token: hq, body: { companyId: F.franchisor.id, collectionDate: '2027-01-06', dueBy: '2026-12-31' } });
    expect(byDate.status).toBe(422);
    expect(byDate.body.code).toBe('NOTHING_TO_REMIT');
    expect([await count('remittance'), await count('remittance_item')]).toEqual(before);
    // The database says so too: a second live line for the item breaks the partial unique index.
    await expect(exec(h.ds.manager, `INSERT INTO remittance_item (id, remittance_id, item_id, mandate_id, end_to_end_id, amount_cents, sequence_type, status) SELECT '00000000-0000-7000-8099-0000000000ff', remittance_id, item_id, mandate_id, 'X-1', amount_cents, 'RCUR', 'pending' FROM remittance_item WHERE item_id = ?`, [first!.id])).rejects.toThrow();
    const forbidden = await h.api('POST', '/api/collections/remittances', { token: levante, body: { companyId: F.franchisor.id, collectionDate: '2027-01-06', dueBy: '2026-12-31' } });
    expect(forbidden.status).toBe(403);
  });

  it('settles: one direct-debit payment and a collected posting per line; a second settlement is refused', async () => {
    const s = await h.api('POST', `/api/collections/remittances/${remittanceId}/settle`, { token: hq, body: { settledOn: '2027-01-07' } });
    expect(s.status).toBe(200);
    expect(s.body.status).toBe('settled');
    expect(s.body.lines.every((l: { status: string; paymentId: string | null }) => l.status === 'settled' && l.paymentId)).toBe(true);
    for (const inv of invoices) expect((await itemsOf(inv)).map((i) => [Number(i.balance_cents), i.status])).toEqual([[0, 'paid'], [60_500, 'open']]);
    const payments = await all<{ method: string; amount_cents: unknown; allocated_cents: unknown; source_kind: string; number: string }>(h.ds.manager, `SELECT method, amount_cents, allocated_cents, source_kind, number FROM payment ORDER BY number`);
    expect(payments.map((p) => [p.method, Number(p.amount_cents), Number(p.allocated_cents), p.source_kind, p.number])).toEqual([
      ['direct_debit', 60_500, 60_500, 'remittance_item', 'COB-2027-000001'],
      ['direct_debit', 60_500, 60_500, 'remittance_item', 'COB-2027-000002'],
    ]);
    expect((await h.api('POST', `/api/collections/remittances/${remittanceId}/settle`, { token: hq, body: { settledOn: '2027-01-08' } })).status).toBe(409);
    expect(await count('payment')).toBe(2);
  });

  it('a returned debit reopens its item (overdue in open_item) and recharges the bank fee; bad returns are refused', async () => {
    const detail = (await h.api('GET', `/api/collections/remittances/${remittanceId}`, { token: hq })).body;
    const line = detail.lines[0];
    const postings = await count('open_item_posting');
    const unknown = await h.api('POST', `/api/collections/remittances/${remittanceId}/returns`, { token: hq, body: { returns: [{ endToEndId: 'NO-SUCH', reasonCode: 'AM04', returnedOn: '2027-01-12' }] } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].path).toBe('returns.0.endToEndId');
    const badCode = await h.api('POST', `/api/collections/remittances/${remittanceId}/returns`, { token: hq, body: { returns: [{ endToEndId: line.endToEndId, reasonCode: 'A-04', returnedOn: '2027-01-12' }] } });
    expect(badCode.status).toBe(422);
    expect(badCode.body.errors[0].path).toBe('returns.0.reasonCode');
    expect(await count('open_item_posting')).toBe(postings);

    const ret = await h.api('POST', `/api/collections/remittances/${remittanceId}/returns`, { token: hq, body: { returns: [{ endToEndId: line.endToEndId, reasonCode: 'am04', returnedOn: '2027-01-12', bankFeeCents: 350 }] } });
    expect(ret.status).toBe(200);
    expect(ret.body.lines[0]).toMatchObject({ status: 'returned', returnReason: 'AM04', returnFeeCents: 350, returnedOn: '2027-01-12' });
    const item = await one<{ balance_cents: unknown; status: string; due_date: string }>(h.ds.manager, `SELECT balance_cents, status, due_date FROM open_item WHERE id = ?`, [line.itemId]);
    expect([Number(item!.balance_cents), item!.status]).toEqual([60_500, 'open']);
    // Overdue as of the return date: owed and past its due date.
    const overdue = await all<{ id: string }>(h.ds.manager, `SELECT id FROM open_item WHERE side = 'receivable' AND balance_cents > 0 AND due_date < ? AND kind = 'invoice_due' AND counterparty_id = ? ORDER BY due_date`, ['2027-01-12', F.ruiz.id]);
    expect(overdue.map((o) => o.id)).toEqual([line.itemId]);
    // The aging of the franchisor's receivables shows it again: owed in full, past due, in Ruiz's row.
    const agingItems = (await h.api('GET', `/api/collections/aging/items?asOf=2027-01-12&companyId=${F.franchisor.id}&counterpartyKind=company&counterpartyId=${F.ruiz.id}`, { token: hq })).body;
    const aged = agingItems.items.find((i: { id: string }) => i.id === line.itemId);
    expect(aged).toMatchObject({ balanceCents: 60_500, status: 'open' });
    expect(aged.daysPastDue).toBeGreaterThan(0);
    const agingRow = (await h.api('GET', `/api/collections/aging?asOf=2027-01-12&companyId=${F.franchisor.id}`, { token: hq })).body.rows.find((r: { counterpartyId: string }) => r.counterpartyId === F.ruiz.id);
    expect(agingRow.overdueCents).toBeGreaterThanOrEqual(60_500);
    const fee = await one<{ amount_cents: unknown; balance_cents: unknown; counterparty_id: string; kind: string }>(h.ds.manager, `SELECT amount_cents, balance_cents, counterparty_id, kind FROM open_item WHERE id = ?`, [ret.body.lines[0].feeItemId]);
    expect([Number(fee!.amount_cents), Number(fee!.balance_cents), fee!.counterparty_id, fee!.kind]).toEqual([350, 350, F.ruiz.id, 'return_fee']);
    const again = await h.api('POST', `/api/collections/remittances/${remittanceId}/returns`, { token: hq, body: { returns: [{ endToEndId: line.endToEndId, reasonCode: 'AM04', returnedOn: '2027-01-13' }] } });
    expect(again.status).toBe(409);
    // The returned item is free to go in a new remittance (RCUR: the mandate has been used).
    const next = await h.api('POST', '/api/collections/remittances', { token: hq, body: { companyId: F.franchisor.id, collectionDate: '2027-01-20', itemIds: [line.itemId] } });
    expect(next.status).toBe(201);
    expect(next.body.lines.map((l: { sequenceType: string; amountCents: number }) => [l.sequenceType, l.amountCents])).toEqual([['RCUR', 60_500]]);
    const usage = async () => Number((await one<{ n: unknown }>(h.ds.manager, `SELECT collections AS n FROM sepa_mandate`))!.n);
    expect(await usage()).toBe(3);
    // Rejected before settlement (MS03): nothing was collected, so no posting, and the mandate's usage goes back.
    const postingsBefore = await count('open_item_posting');
    const rejected = await h.api('POST', `/api/collections/remittances/${next.body.id}/returns`, { token: hq, body: { returns: [{ endToEndId: next.body.lines[0].endToEndId, reasonCode: 'MS03', returnedOn: '2027-01-19' }] } });
    expect(rejected.status).toBe(200);
    expect(rejected.body.lines[0]).toMatchObject({ status: 'returned', returnReason: 'MS03', feeItemId: null });
    expect(await count('open_item_posting')).toBe(postingsBefore);
    expect(await usage()).toBe(2);
  });

  it('pays a supplier item by transfer: a pain.001 valid against the XSD and a payment made', async () => {
    await exec(h.ds.manager, `INSERT INTO supplier (id, name, payment_terms_days, active, created_at, iban) VALUES (?, 'Cafés del Sur S.L.', 30, ?, ?, ?)`, [SUPPLIER, true, new Date(clock.now()).toISOString(), 'ES6000491500051234567892']);
    const itemId = await writeTransaction(h.ds, (m) =>
      openItem(m, clock, { companyId: F.franchisor.id, side: 'payable', kind: 'supplier_invoice_due', sourceId: '00000000-0000-7000-8099-000000000002', sourceIdx: 0, documentRef: 'CS-2026-77', counterparty: { kind: 'supplier', id: SUPPLIER, name: 'Cafés del Sur S.L.' }, storeId: null, issueDate: '2026-11-20', dueDate: '2026-12-20', amountCents: 45_000 }, null, 'test'),
    );
    // A supplier without an IBAN: refused with the field, nothing written.
    const noIban = '00000000-0000-7000-8099-000000000003';
    await exec(h.ds.manager, `INSERT INTO supplier (id, name, payment_terms_days, active, created_at) VALUES (?, 'Sin Cuenta S.L.', 30, ?, ?)`, [noIban, true, new Date(clock.now()).toISOString()]);
    const noIbanItem = await writeTransaction(h.ds, (m) =>
      openItem(m, clock, { companyId: F.franchisor.id, side: 'payable', kind: 'supplier_invoice_due', sourceId: '00000000-0000-7000-8099-000000000004', sourceIdx: 0, documentRef: 'SC-1', counterparty: { kind: 'supplier', id: noIban, name: 'Sin Cuenta S.L.' }, storeId: null, issueDate: '2026-11-20', dueDate: '2026-12-20', amountCents: 1_000 }, null, 'test'),
    );
    const batches = await count('transfer_batch');
    const missing = await h.api('POST', '/api/collections/transfers', { token: hq, body: { companyId: F.franchisor.id, executionDate: '2026-12-18', items: [{ itemId: noIbanItem }] } });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toContain('items.0.creditorIban');
    expect([await count('transfer_batch'), await count('payment')]).toEqual([batches, 2]);
    const over = await h.api('POST', '/api/collections/transfers', { token: hq, body: { companyId: F.franchisor.id, executionDate: '2026-12-18', items: [{ itemId, amountCents: 45_001 }] } });
    expect(over.status).toBe(422);
    expect(over.body.errors[0].path).toBe('items.0.amountCents');
    const t = await h.api('POST', '/api/collections/transfers', { token: hq, body: { companyId: F.franchisor.id, executionDate: '2026-12-18', items: [{ itemId }] } });
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({ number: 'TRF-2026-000001', itemCount: 1, totalCents: 45_000 });
    const file = await h.api('GET', `/api/files/${t.body.fileId}`, { token: hq });
    expect(xsdErrors(String(file.body), PAIN001_XSD)).toBe('');
    const item = await one<{ balance_cents: unknown; status: string }>(h.ds.manager, `SELECT balance_cents, status FROM open_item WHERE id = ?`, [itemId]);
    expect([Number(item!.balance_cents), item!.status]).toEqual([0, 'paid']);
    const pay = await one<{ side: string; method: string; number: string }>(h.ds.manager, `SELECT side, method, number FROM payment WHERE id = ?`, [t.body.paymentIds[0]]);
    expect(pay).toEqual({ side: 'payable', method: 'transfer', number: 'PAG-2026-000001' });
  });
  it('an item paid by other means before the bank pays: the debit is kept as credit, and its return gives that credit back', async () => {
    const inv = await writeTransaction(h.ds, async (m) => {
      const { id } = await insertDraftInvoice(m, clock, hqActor, draft('manual:sepa-3'));
      await postInvoice(m, clock, hqActor, id);
      return id;
    });
    const [first] = await itemsOf(inv);
    const r = await h.api('POST', '/api/collections/remittances', { token: hq, body: { companyId: F.franchisor.id, collectionDate: '2027-02-10', itemIds: [first!.id] } });
    expect(r.status).toBe(201);
    // Ruiz pays the 605,00 by transfer before the collection date.
    const paid = await h.api('POST', '/api/collections/payments', {
      token: hq,
      body: { companyId: F.franchisor.id, side: 'receivable', counterpartyKind: 'company', counterpartyId: F.ruiz.id, method: 'transfer', amountCents: 60_500, receivedOn: '2027-02-01', allocation: { mode: 'manual', lines: [{ itemId: first!.id, amountCents: 60_500 }] } },
    });
    expect(paid.status).toBe(201);
    // The bank still collects the 605,00: nothing is owed on the item any more, so it is Ruiz's credit.
    const s = await h.api('POST', `/api/collections/remittances/${r.body.id}/settle`, { token: hq, body: { settledOn: '2027-02-11' } });
    expect(s.status).toBe(200);
    const pay = async () => one<{ allocated_cents: unknown; credit_cents: unknown; refunded_cents: unknown }>(h.ds.manager, `SELECT allocated_cents, credit_cents, refunded_cents FROM payment WHERE id = ?`, [s.body.lines[0].paymentId]);
    let p = await pay();
    expect([Number(p!.allocated_cents), Number(p!.credit_cents), Number(p!.refunded_cents)]).toEqual([0, 60_500, 0]);
    expect((await itemsOf(inv)).map((i) => [Number(i.balance_cents), i.status])).toEqual([[0, 'paid'], [60_500, 'open']]);
    // Ruiz has the bank return it (MD06, a refund request): the credit goes back with it; the item stays paid.
    const ret = await h.api('POST', `/api/collections/remittances/${r.body.id}/returns`, { token: hq, body: { returns: [{ endToEndId: s.body.lines[0].endToEndId, reasonCode: 'MD06', returnedOn: '2027-02-15' }] } });
    expect(ret.status).toBe(200);
    p = await pay();
    expect([Number(p!.allocated_cents), Number(p!.credit_cents), Number(p!.refunded_cents)]).toEqual([0, 0, 60_500]);
    expect((await itemsOf(inv)).map((i) => [Number(i.balance_cents), i.status])).toEqual([[0, 'paid'], [60_500, 'open']]);
  });
});
