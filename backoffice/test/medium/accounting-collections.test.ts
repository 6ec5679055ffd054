/**
 * Collections and payments → journal entries (issue 14) on both engines, over the collections API: a collection
 * by transfer (part allocated, the rest kept as credit), a cash collection, a refund of credit, a remittance of
 * two direct debits settled by the bank, one of them returned with a 3,50 € bank fee recharged to the debtor,
 * a write-off, a voided payment (its entry reversed), a voided direct debit (held by the remittance's entry), a
 * payment to a supplier. Every entry balances; the balances equal their lines; each counterparty's 430 equals
 * its open items' balance less the credit its payments hold (must-be-true 1 for collections).
 *
 * Company Ruiz (franchisee), store M001. Figures by hand (IVA 21 %):
 *   I1 1.000,00 + 210,00 = 1.210,00 · I2 200,00 + 42,00 = 242,00 · I3 100,00 + 21,00 = 121,00
 *   I4 50,00 + 10,50 = 60,50 — all to the customer Bar El Rincón; L1 100,00 + 21,00 = 121,00 to Levante.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { insertDraftInvoice, postInvoice, type DraftInvoiceInput } from '../../src/invoicing/posting';
import { openItem } from '../../src/collections/ledger';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec, one } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';
import { installDocumentReactions } from '../../src/platform/document-events';
import { accountingModule } from '../../src/accounting/module';
import { entriesOfSource, entryLines } from '../../src/accounting/core/journal';
import { debitReturnLines, groupOf, moneyRole, paymentLines } from '../../src/accounting/collections';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const actor: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8000-00000000000a', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };
const CUSTOMER_NIF = 'B44556678';
const SUPPLIER = '00000000-0000-7000-8099-0000000000a1';
const SUPPLIER_NIF = 'B11111119';
/** The seed's NIF for Levante has a wrong check digit: invoices refuse it. */
const LEVANTE_NIF = 'B96385273';
const CREDITOR_IBAN = 'ES9121000418450200051332';
const DEBTOR_IBAN = 'ES7620770024003102575766';
const M1 = F.storeM1.id;
const BANK = '57200000';
const CASH = '57000000';

let seq = 0;
const draft = (base: number, to: 'customer' | 'levante'): DraftInvoiceInput => ({
  companyId: F.ruiz.id,
  storeId: M1,
  invoiceType: 'F1',
  source: 'manual',
  sourceKey: `manual:acc-collections-${seq++}`,
  recipient: to === 'customer' ? { customerId: F.customer.id, nif: CUSTOMER_NIF, name: F.customer.name, address: 'Calle 2, 28001 Madrid' } : { companyId: F.levante.id, nif: LEVANTE_NIF, name: 'Levante S.L.', address: 'Calle 3, 46001 Valencia' },
  paymentDays: [30],
  lines: [{ description: 'Mercancía', quantityMilli: 1000, unitPriceCents: base, ivaRateBp: 2100 }],
});

describe('collections entry lines (pure, by hand)', () => {
  const cp = { kind: 'customer' as const, id: 'c1', name: 'C', nif: null };
  it('puts the money where the method says and the whole payment on the counterparty', () => {
    expect([moneyRole('cash'), moneyRole('card'), moneyRole('offset'), moneyRole('transfer'), moneyRole('direct_debit'), moneyRole('cheque')]).toEqual(['cash', 'card_clearing', 'card_clearing', 'bank', 'bank', 'bank']);
    expect([groupOf('receivable', 'company'), groupOf('payable', 'supplier'), groupOf('payable', 'company')]).toEqual(['430', '400', '410']);
    // 500,00 received: 400,00 to an item of store S, 100,00 kept as credit (no store).
    const lines = paymentLines({ side: 'receivable', method: 'card', counterparty: cp, byStore: [{ storeId: 'S', cents: 40_000 }, { storeId: null, cents: 10_000 }] }, new Map());
    expect(lines.map((l) => ['account' in l ? l.account : l.group, l.debitCents, l.creditCents, l.storeId])).toEqual([
      ['55500000', 40_000, 0, 'S'],
      ['430', 0, 40_000, 'S'],
      ['55500000', 10_000, 0, null],
      ['430', 0, 10_000, null],
    ]);
    // A franchisee pays its franchisor's fee: 410 (the company's sub-account) / bank.
    const fee = paymentLines({ side: 'payable', method: 'transfer', counterparty: { kind: 'company', id: 'hq', name: 'HQ', nif: null }, byStore: [{ storeId: null, cents: 12_100 }] }, new Map());
    expect(fee.map((l) => ['account' in l ? l.account : l.group, l.debitCents, l.creditCents])).toEqual([
      ['410', 12_100, 0],
      [BANK, 0, 12_100],
    ]);
    // A returned debit of 242,00, a 3,50 fee, recharged: 430 245,50 = bank 245,50 + 759 3,50 − 626 3,50.
    const ret = debitReturnLines({ lineId: 'l', companyId: 'x', ref: 'E', returnedOn: '2026-12-14', counterparty: cp, storeId: null, returnedCents: 24_200, feeCents: 350, rechargedCents: 350 }, new Map());
    expect(ret.map((l) => ['account' in l ? l.account : l.group, l.debitCents, l.creditCents])).toEqual([
      ['430', 24_200, 0],
      [BANK, 0, 24_200],
      ['62600000', 350, 0],
      [BANK, 0, 350],
      ['430', 350, 0],
      ['75900000', 0, 350],
    ]);
  });
});

describe.each(engines)('collections and payments in the books on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  const inv: Record<string, string> = {};
  const item: Record<string, string> = {};
  let remittance: { id: string; lines: Array<{ id: string; itemId: string; endToEndId: string; paymentId: string | null }> };

  const post = async (d: DraftInvoiceInput) => {
    const { id } = await writeTransaction(h.ds, (m) => insertDraftInvoice(m, clock, actor, d));
    await writeTransaction(h.ds, (m) => postInvoice(m, clock, actor, id, { issueDate: '2026-11-30' }));
    const it = await one<{ id: string }>(h.ds.manager, `SELECT id FROM open_item WHERE source_id = ?`, [id]);
    return [id, it!.id] as const;
  };
  const account = async (kind: string, id: string, group: string) =>
    (await one<{ code: string }>(h.ds.manager, `SELECT code FROM acc_account WHERE company_id = ? AND counterparty_kind = ? AND counterparty_id = ? AND counterparty_group = ?`, [F.ruiz.id, kind, id, group]))?.code;
  /** The one entry of a document: its date, kind and lines [account, debit, credit, store]. */
  const entryOf = async (type: string, id: string) => {
    const es = await entriesOfSource(h.ds.manager, type, id);
    expect(es).toHaveLength(1);
    const lines = (await entryLines(h.ds.manager, es[0]!.id)).map((l) => [l.account, l.debitCents, l.creditCents, l.storeId]);
    return { ...es[0]!, lines };
  };
  const net = async (code: string) => {
    const r = await one<{ d: unknown; c: unknown }>(h.ds.manager, `SELECT COALESCE(SUM(debit_cents), 0) AS d, COALESCE(SUM(credit_cents), 0) AS c FROM acc_line WHERE company_id = ? AND account = ?`, [F.ruiz.id, code]);
    return Number(r!.d) - Number(r!.c);
  };
  /** Σ open items' balance − Σ credit held by posted payments: what the counterparty's 430 must say. */
  const ledgerOwed = async (side: string, kind: string, id: string) => {
    const items = await one<{ b: unknown }>(h.ds.manager, `SELECT COALESCE(SUM(balance_cents), 0) AS b FROM open_item WHERE company_id = ? AND side = ? AND counterparty_kind = ? AND counterparty_id = ? AND status <> 'cancelled'`, [F.ruiz.id, side, kind, id]);
    const credit = await one<{ c: unknown }>(h.ds.manager, `SELECT COALESCE(SUM(credit_cents), 0) AS c FROM payment WHERE company_id = ? AND side = ? AND counterparty_kind = ? AND counterparty_id = ? AND status = 'posted'`, [F.ruiz.id, side, kind, id]);
    return Number(items!.b) - Number(credit!.c);
  };
  const pay = async (body: Record<string, unknown>) => {
    const r = await h.api('POST', '/api/collections/payments', { token: hq, body: { companyId: F.ruiz.id, side: 'receivable', counterpartyKind: 'customer', counterpartyId: F.customer.id, method: 'transfer', receivedOn: '2026-11-30', ...body } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; number: string };
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    installDocumentReactions(h.ds, accountingModule.reactions ?? []);
    hq = await h.login(F.hq);
    await exec(h.ds.manager, `UPDATE customer SET nif = ? WHERE id = ?`, [CUSTOMER_NIF, F.customer.id]);
    await exec(h.ds.manager, `UPDATE company SET iban = ? WHERE id = ?`, [CREDITOR_IBAN, F.ruiz.id]);
    await exec(h.ds.manager, `UPDATE company SET nif = ? WHERE id = ?`, [LEVANTE_NIF, F.levante.id]);
    for (const [k, base, to] of [['I1', 100_000, 'customer'], ['I2', 20_000, 'customer'], ['I3', 10_000, 'customer'], ['I4', 5_000, 'customer'], ['L1', 10_000, 'levante']] as const) {
      [inv[k], item[k]] = await post(draft(base, to));
    }
  });
  afterAll(async () => h?.teardown());

  it('a collection by transfer: the bank gets all of it, the customer’s 430 is credited with all of it (credit included)', async () => {
    const c430 = await account('customer', F.customer.id, '430');
    expect(c430).toMatch(/^4300000\d$/);
    // 500,00 received: 400,00 to I1 (store M001), 100,00 kept as the customer's credit (no store).
    const p = await pay({ amountCents: 50_000, allocation: { mode: 'manual', lines: [{ itemId: item.I1, amountCents: 40_000 }] } });
    const e = await entryOf('payment', p.id);
    expect(e).toMatchObject({ kind: 'payment', entryDate: '2026-11-30', totalCents: 50_000 });
    expect(e.lines).toEqual([
      [BANK, 40_000, 0, M1],
      [c430, 0, 40_000, M1],
      [BANK, 10_000, 0, null],
      [c430, 0, 10_000, null],
    ]);
  });

  it('a cash collection goes to 570', async () => {
    const p = await pay({ method: 'cash', amountCents: 12_100, allocation: { mode: 'manual', lines: [{ itemId: item.I3, amountCents: 12_100 }] } });
    const c430 = await account('customer', F.customer.id, '430');
    expect((await entryOf('payment', p.id)).lines).toEqual([
      [CASH, 12_100, 0, M1],
      [c430, 0, 12_100, M1],
    ]);
  });

  it('credit paid back: 430 / bank for the refund', async () => {
    const first = await one<{ id: string }>(h.ds.manager, `SELECT id FROM payment WHERE company_id = ? AND credit_cents > 0`, [F.ruiz.id]);
    const r = await h.api('POST', `/api/collections/payments/${first!.id}/refund`, { token: hq, body: { amountCents: 4_000, onDate: '2026-12-02' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const mv = await one<{ id: string }>(h.ds.manager, `SELECT id FROM payment_credit_movement WHERE payment_id = ? AND kind = 'refunded'`, [first!.id]);
    const e = await entryOf('payment_refund', mv!.id);
    const c430 = await account('customer', F.customer.id, '430');
    expect([e.entryDate, e.lines]).toEqual(['2026-12-02', [[c430, 4_000, 0, null], [BANK, 0, 4_000, null]]]);
  });

  it('a remittance of two debits settled by the bank: one entry, bank 363,00 / each debtor’s 430', async () => {
    for (const [kind, id, ref] of [['customer', F.customer.id, 'MAND-BAR-1'], ['company', F.levante.id, 'MAND-LEV-1']] as const) {
      const md = await h.api('POST', '/api/collections/mandates', { token: hq, body: { companyId: F.ruiz.id, counterpartyKind: kind, counterpartyId: id, reference: ref, signedOn: '2026-10-01', scheme: 'CORE', debtorIban: DEBTOR_IBAN, rechargeReturnFee: true } });
      expect(md.status, JSON.stringify(md.body)).toBe(201);
    }
    const r = await h.api('POST', '/api/collections/remittances', { token: hq, body: { companyId: F.ruiz.id, collectionDate: '2026-12-10', itemIds: [item.I2, item.L1] } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.totalCents).toBe(36_300);
    const s = await h.api('POST', `/api/collections/remittances/${r.body.id}/settle`, { token: hq, body: { settledOn: '2026-12-10' } });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    remittance = s.body;
    const e = await entryOf('remittance', r.body.id);
    const byItem = new Map(remittance.lines.map((l) => [l.itemId, l]));
    const c430 = await account('customer', F.customer.id, '430');
    const l430 = await account('company', F.levante.id, '430');
    // 242,00 + 121,00 = 363,00 on the bank (both items of store M001); the debtors' 430 credited line by line.
    const credits = remittance.lines.map((l) => (l.itemId === item.I2 ? [c430, 0, 24_200, M1] : [l430, 0, 12_100, M1]));
    expect(e).toMatchObject({ kind: 'remittance', entryDate: '2026-12-10', totalCents: 36_300 });
    expect(e.lines).toEqual([[BANK, 36_300, 0, M1], ...credits]);
    // The direct-debit payments post nothing of their own: the bank's one credit is one bank line.
    for (const l of byItem.values()) expect(await entriesOfSource(h.ds.manager, 'payment', l.paymentId!)).toEqual([]);
  });

  it('a returned debit with a 3,50 € fee recharged: 430 / bank 242,00, 626 / bank 3,50, 430 / 759 3,50', async () => {
    const line = remittance.lines.find((l) => l.itemId === item.I2)!;
    const r = await h.api('POST', `/api/collections/remittances/${remittance.id}/returns`, { token: hq, body: { returns: [{ endToEndId: line.endToEndId, reasonCode: 'AM04', returnedOn: '2026-12-14', bankFeeCents: 350 }] } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const e = await entryOf('remittance_return', line.id);
    const c430 = await account('customer', F.customer.id, '430');
    expect(e).toMatchObject({ kind: 'remittance_return', entryDate: '2026-12-14', totalCents: 24_900 });
    expect(e.lines).toEqual([
      [c430, 24_200, 0, M1],
      [BANK, 0, 24_200, M1],
      ['62600000', 350, 0, M1],
      [BANK, 0, 350, M1],
      [c430, 350, 0, M1],
      ['75900000', 0, 350, M1],
    ]);
  });

  it('a write-off: 650 / 430 for the item’s balance', async () => {
    const req = await h.api('POST', `/api/collections/items/${item.I4}/write-off`, { token: hq, body: { reason: 'Cliente en concurso' } });
    expect(req.status, JSON.stringify(req.body)).toBe(201);
    const ok = await h.api('POST', `/api/collections/write-offs/${req.body.id}/approve`, { token: hq, body: { onDate: '2026-12-15' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const e = await entryOf('write_off', req.body.id);
    const c430 = await account('customer', F.customer.id, '430');
    expect([e.kind, e.entryDate, e.lines]).toEqual(['write_off', '2026-12-15', [['65000000', 6_050, 0, M1], [c430, 0, 6_050, M1]]]);
  });

  it('a voided payment: its entry reversed on the void date; a voided direct debit: 430 / bank beside the remittance', async () => {
    const p = await pay({ amountCents: 10_000, allocation: { mode: 'manual', lines: [{ itemId: item.I1, amountCents: 10_000 }] } });
    const own = await entryOf('payment', p.id);
    const c = await h.api('POST', `/api/collections/payments/${p.id}/cancel`, { token: hq, body: { onDate: '2026-12-16', reason: 'Duplicado' } });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    const rev = await entryOf('reversal', own.id);
    expect([rev.kind, rev.entryDate, rev.lines]).toEqual(['reversal', '2026-12-16', own.lines.map(([a, d, cr, s]) => [a, cr, d, s])]);
    // Levante's direct debit, voided: its payment had no entry of its own.
    const lev = remittance.lines.find((l) => l.itemId === item.L1)!;
    const v = await h.api('POST', `/api/collections/payments/${lev.paymentId}/cancel`, { token: hq, body: { onDate: '2026-12-17', reason: 'Cargado por error' } });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    const l430 = await account('company', F.levante.id, '430');
    const e = await entryOf('payment_void', lev.paymentId!);
    expect([e.entryDate, e.lines]).toEqual(['2026-12-17', [[l430, 12_100, 0, M1], [BANK, 0, 12_100, M1]]]);
  });

  it('a payment to a supplier: 400 / bank; by transfer batch too', async () => {
    await exec(h.ds.manager, `INSERT INTO supplier (id, name, nif, payment_terms_days, active, created_at, iban) VALUES (?, 'Cafés del Sur S.L.', ?, 30, ?, ?, ?)`, [SUPPLIER, SUPPLIER_NIF, true, new Date(clock.now()).toISOString(), 'ES6000491500051234567892']);
    // Two payables of 450,00 and 200,00 (the supplier invoice's own entry is the supplier-invoices part's).
    const [s1, s2] = await writeTransaction(h.ds, async (m) => [
      await openItem(m, clock, { companyId: F.ruiz.id, side: 'payable', kind: 'supplier_invoice_due', sourceId: '00000000-0000-7000-8099-0000000000b1', sourceIdx: 0, documentRef: 'CS-77', counterparty: { kind: 'supplier', id: SUPPLIER, name: 'Cafés del Sur S.L.' }, storeId: null, issueDate: '2026-11-20', dueDate: '2026-12-20', amountCents: 45_000 }, null, 'test'),
      await openItem(m, clock, { companyId: F.ruiz.id, side: 'payable', kind: 'supplier_invoice_due', sourceId: '00000000-0000-7000-8099-0000000000b2', sourceIdx: 0, documentRef: 'CS-78', counterparty: { kind: 'supplier', id: SUPPLIER, name: 'Cafés del Sur S.L.' }, storeId: null, issueDate: '2026-11-20', dueDate: '2026-12-20', amountCents: 20_000 }, null, 'test'),
    ]);
    const p = await pay({ side: 'payable', counterpartyKind: 'supplier', counterpartyId: SUPPLIER, amountCents: 45_000, allocation: { mode: 'manual', lines: [{ itemId: s1, amountCents: 45_000 }] } });
    const s400 = await account('supplier', SUPPLIER, '400');
    expect(s400).toBe('40000001');
    const acc = await one<{ nif: string; name: string }>(h.ds.manager, `SELECT nif, name FROM acc_account WHERE company_id = ? AND code = ?`, [F.ruiz.id, s400]);
    expect(acc).toEqual({ nif: SUPPLIER_NIF, name: 'Cafés del Sur S.L.' });
    expect((await entryOf('payment', p.id)).lines).toEqual([
      [s400, 45_000, 0, null],
      [BANK, 0, 45_000, null],
    ]);
    const t = await h.api('POST', '/api/collections/transfers', { token: hq, body: { companyId: F.ruiz.id, executionDate: '2026-12-18', items: [{ itemId: s2 }] } });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    expect((await entryOf('payment', t.body.paymentIds[0])).lines).toEqual([
      [s400, 20_000, 0, null],
      [BANK, 0, 20_000, null],
    ]);
    // 400 net = 450,00 + 200,00 paid = Σ invoiced (650,00, credited on 400 by the supplier invoice's entry) − Σ owed (0).
    expect(await net(s400!)).toBe(65_000);
    expect((await ledgerOwed('payable', 'supplier', SUPPLIER)) + (await net(s400!))).toBe(65_000);
  });

  it('every entry balances, balances equal the lines, each 430 equals the open items less the credit held', async () => {
    const unbalanced = await all(h.ds.manager, `SELECT entry_id FROM acc_line WHERE company_id = ? GROUP BY entry_id HAVING SUM(debit_cents) <> SUM(credit_cents)`, [F.ruiz.id]);
    expect(unbalanced).toEqual([]);
    const lines = await all<{ account: string; store_id: string | null; d: unknown; c: unknown }>(h.ds.manager, `SELECT account, store_id, SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_line WHERE company_id = ? GROUP BY account, store_id`, [F.ruiz.id]);
    const bal = await all<{ account: string; store_id: string; d: unknown; c: unknown }>(h.ds.manager, `SELECT account, store_id, SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_balance WHERE company_id = ? GROUP BY account, store_id`, [F.ruiz.id]);
    const sorted = (rows: Array<[string, string, number, number]>) => rows.map((r) => JSON.stringify(r)).sort();
    expect(sorted(bal.map((b) => [b.account, b.store_id, Number(b.d), Number(b.c)]))).toEqual(sorted(lines.map((l) => [l.account, l.store_id ?? '', Number(l.d), Number(l.c)])));
    // Per store too: every store's lines balance on their own.
    const stores = await all(h.ds.manager, `SELECT store_id FROM acc_line WHERE company_id = ? GROUP BY store_id HAVING SUM(debit_cents) <> SUM(credit_cents)`, [F.ruiz.id]);
    expect(stores).toEqual([]);

    const c430 = (await account('customer', F.customer.id, '430'))!;
    const l430 = (await account('company', F.levante.id, '430'))!;
    // The customer, by hand: invoices 1.210,00 + 242,00 + 121,00 + 60,50 = 1.633,50; − 500,00 transfer − 121,00 cash
    // + 40,00 refunded − 242,00 remitted + 242,00 returned + 3,50 fee recharged − 60,50 written off (+ 100,00 − 100,00 voided)
    // = 995,50. Open items: I1 810,00 + I2 242,00 + fee 3,50 = 1.055,50, less the credit held 100,00 − 40,00 = 60,00 → 995,50.
    expect(await net(c430)).toBe(99_550);
    expect(await ledgerOwed('receivable', 'customer', F.customer.id)).toBe(99_550);
    // Levante: 121,00 invoiced − 121,00 remitted + 121,00 voided = 121,00 = L1 owed again.
    expect(await net(l430)).toBe(12_100);
    expect(await ledgerOwed('receivable', 'company', F.levante.id)).toBe(12_100);
    // The bank, by hand: + 500,00 − 40,00 + 363,00 − 242,00 − 3,50 + 100,00 − 100,00 − 121,00 − 450,00 − 200,00 = −193,50.
    expect(await net(BANK)).toBe(-19_350);
    expect(await net(CASH)).toBe(12_100);
    expect([await net('62600000'), await net('75900000'), await net('65000000')]).toEqual([350, -350, 6_050]);
  });
});
