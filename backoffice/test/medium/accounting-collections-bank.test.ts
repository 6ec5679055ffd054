/**
 * Bank statement matching → journal entries, exactly once per document, on both engines: the automatic
 * matching writes its payments in bulk (bypassing the payments API), a bank credit equal to a remittance
 * settles it, a movement matched by hand records a payment — each posts one entry; importing more movements
 * posts nothing again; the customer's 430 equals its open items less the credit held.
 *
 * Company Ruiz, store M001, customer Bar El Rincón. Figures by hand (IVA 21 %): X1 1.000,00 + 210,00 = 1.210,00;
 * X2 500,00 + 105,00 = 605,00; X3 100,00 + 21,00 = 121,00.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { insertDraftInvoice, postInvoice, type DraftInvoiceInput } from '../../src/invoicing/posting';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec, one } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';
import { installDocumentReactions } from '../../src/platform/document-events';
import { accountingModule } from '../../src/accounting/module';
import { entriesOfSource, entryLines } from '../../src/accounting/core/journal';
import { writeNorma43, type BankMovement, type BankStatement } from '../../src/collections/bank';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const actor: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8000-00000000000a', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };
const IBAN = 'ES9121000418450200051332';
const ACCOUNT = { bank: '2100', office: '0418', number: '0200051332', currency: 'EUR' };
const CUSTOMER_NIF = 'B44556678';
const M1 = F.storeM1.id;
const BANK = '57200000';

const mov = (over: Partial<BankMovement>): BankMovement => ({
  operationDate: '2026-12-01', valueDate: '2026-12-01', commonConcept: '02', ownConcept: '000', amountCents: 0, document: '0000000000', reference1: '', reference2: '', concepts: [], ...over,
});
const statementOf = (opening: number, movements: BankMovement[]): BankStatement => {
  const sum = movements.reduce((s, m) => s + m.amountCents, 0);
  return { account: ACCOUNT, from: '2026-12-01', to: '2026-12-31', openingBalanceCents: opening, closingBalanceCents: opening + sum, debits: { count: 0, totalCents: 0 }, credits: { count: 0, totalCents: 0 }, movements };
};

describe.each(engines)('bank statement matching in the books on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  const inv: Record<string, { id: string; number: string; item: string }> = {};

  const invoice = async (base: number) => {
    const d: DraftInvoiceInput = {
      companyId: F.ruiz.id, storeId: M1, invoiceType: 'F1', source: 'manual', recipient: { customerId: F.customer.id, nif: CUSTOMER_NIF, name: F.customer.name, address: 'Calle 2, 28002 Madrid' },
      paymentDays: [30], lines: [{ description: 'Suministro', quantityMilli: 1000, unitPriceCents: base, ivaRateBp: 2100 }],
    };
    const { id } = await writeTransaction(h.ds, (m) => insertDraftInvoice(m, clock, actor, d));
    await writeTransaction(h.ds, (m) => postInvoice(m, clock, actor, id, { issueDate: '2026-11-30' }));
    const number = (await one<{ number: string }>(h.ds.manager, `SELECT number FROM invoice WHERE id = ?`, [id]))!.number;
    const item = (await one<{ id: string }>(h.ds.manager, `SELECT id FROM open_item WHERE source_id = ?`, [id]))!.id;
    return { id, number, item };
  };
  const upload = async (content: string) => {
    const r = await h.api('POST', '/api/collections/bank-statements', { token: hq, body: { companyId: F.ruiz.id, content, fileName: 'extracto.n43' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.statements[0].movements as Array<{ id: string; status: string; matchKind: string | null; paymentId: string | null }>;
  };
  const c430 = async () => (await one<{ code: string }>(h.ds.manager, `SELECT code FROM acc_account WHERE company_id = ? AND counterparty_kind = 'customer' AND counterparty_id = ? AND counterparty_group = '430'`, [F.ruiz.id, F.customer.id]))!.code;
  const linesOf = async (type: string, id: string) => {
    const es = await entriesOfSource(h.ds.manager, type, id);
    expect(es).toHaveLength(1);
    return (await entryLines(h.ds.manager, es[0]!.id)).map((l) => [l.account, l.debitCents, l.creditCents, l.storeId]);
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    installDocumentReactions(h.ds, accountingModule.reactions ?? []);
    hq = await h.login(F.hq);
    await exec(h.ds.manager, `UPDATE customer SET nif = ? WHERE id = ?`, [CUSTOMER_NIF, F.customer.id]);
    await exec(h.ds.manager, `UPDATE company SET iban = ? WHERE id = ?`, [IBAN, F.ruiz.id]);
    inv.X1 = await invoice(100_000);
    inv.X2 = await invoice(50_000);
    inv.X3 = await invoice(10_000);
  });
  afterAll(async () => h?.teardown());

  it('the automatic matching (bulk) posts each payment it records once: 1.300,00 naming X1 → 1.210,00 to X1, 90,00 credit', async () => {
    const [m] = await upload(writeNorma43([statementOf(1, [mov({ amountCents: 130_000, concepts: [`PAGO FRA ${inv.X1!.number}`] })])]));
    expect(m).toMatchObject({ status: 'matched', matchKind: 'reference' });
    const code = await c430();
    expect(await linesOf('payment', m!.paymentId!)).toEqual([
      [BANK, 121_000, 0, M1],
      [code, 0, 121_000, M1],
      [BANK, 9_000, 0, null],
      [code, 0, 9_000, null],
    ]);
  });

  it('a bank credit equal to a remittance settles it: one remittance entry, none for its payments', async () => {
    const md = await h.api('POST', '/api/collections/mandates', { token: hq, body: { companyId: F.ruiz.id, counterpartyKind: 'customer', counterpartyId: F.customer.id, reference: 'MAND-BAR-9', signedOn: '2026-10-01', scheme: 'CORE', debtorIban: 'ES7620770024003102575766' } });
    expect(md.status, JSON.stringify(md.body)).toBe(201);
    const r = await h.api('POST', '/api/collections/remittances', { token: hq, body: { companyId: F.ruiz.id, collectionDate: '2026-12-10', itemIds: [inv.X2!.item] } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const [m] = await upload(writeNorma43([statementOf(2, [mov({ operationDate: '2026-12-10', valueDate: '2026-12-10', amountCents: 60_500, concepts: [`REMESA ${r.body.number}`] })])]));
    expect(m).toMatchObject({ status: 'matched', matchKind: 'remittance' });
    expect(await linesOf('remittance', r.body.id)).toEqual([
      [BANK, 60_500, 0, M1],
      [await c430(), 0, 60_500, M1],
    ]);
    const pay = await one<{ id: string }>(h.ds.manager, `SELECT payment_id AS id FROM remittance_item WHERE remittance_id = ?`, [r.body.id]);
    expect(await entriesOfSource(h.ds.manager, 'payment', pay!.id)).toEqual([]);
  });

  it('a movement matched by hand: its payment posts once (121,00 to X3, 29,00 credit)', async () => {
    const [m] = await upload(writeNorma43([statementOf(3, [mov({ amountCents: 15_000, concepts: ['INGRESO VARIOS'] })])]));
    expect(m!.status).toBe('unmatched');
    const ok = await h.api('POST', `/api/collections/bank-movements/${m!.id}/match`, { token: hq, body: { lines: [{ itemId: inv.X3!.item, amountCents: 12_100 }] } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const code = await c430();
    expect(await linesOf('payment', ok.body.paymentId)).toEqual([
      [BANK, 12_100, 0, M1],
      [code, 0, 12_100, M1],
      [BANK, 2_900, 0, null],
      [code, 0, 2_900, null],
    ]);
  });

  it('exactly once: one entry per document, every payment outside a remittance has its entry; 430 = items − credit', async () => {
    const dup = await all(h.ds.manager, `SELECT source_key FROM acc_entry WHERE company_id = ? GROUP BY source_key HAVING COUNT(*) > 1`, [F.ruiz.id]);
    expect(dup).toEqual([]);
    const payments = await all<{ id: string; source_kind: string }>(h.ds.manager, `SELECT id, source_kind FROM payment WHERE company_id = ?`, [F.ruiz.id]);
    expect(payments).toHaveLength(3);
    for (const p of payments) expect((await entriesOfSource(h.ds.manager, 'payment', p.id)).length).toBe(p.source_kind === 'remittance_item' ? 0 : 1);
    const unbalanced = await all(h.ds.manager, `SELECT entry_id FROM acc_line WHERE company_id = ? GROUP BY entry_id HAVING SUM(debit_cents) <> SUM(credit_cents)`, [F.ruiz.id]);
    expect(unbalanced).toEqual([]);
    // By hand: invoices 1.210,00 + 605,00 + 121,00 = 1.936,00 − 1.300,00 − 605,00 − 150,00 = −119,00 (the customer is owed
    // its credit 90,00 + 29,00); the items owe 0, the credit held is 119,00 → 0 − 119,00.
    const net = await one<{ d: unknown; c: unknown }>(h.ds.manager, `SELECT SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_line WHERE company_id = ? AND account = ?`, [F.ruiz.id, await c430()]);
    expect(Number(net!.d) - Number(net!.c)).toBe(-11_900);
    const items = await one<{ b: unknown }>(h.ds.manager, `SELECT SUM(balance_cents) AS b FROM open_item WHERE company_id = ? AND counterparty_kind = 'customer' AND counterparty_id = ?`, [F.ruiz.id, F.customer.id]);
    const credit = await one<{ c: unknown }>(h.ds.manager, `SELECT SUM(credit_cents) AS c FROM payment WHERE company_id = ? AND counterparty_kind = 'customer' AND counterparty_id = ? AND status = 'posted'`, [F.ruiz.id, F.customer.id]);
    expect(Number(items!.b) - Number(credit!.c)).toBe(-11_900);
  });
});
