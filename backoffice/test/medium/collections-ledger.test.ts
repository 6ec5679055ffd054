/**
 * The receivables/payables ledger core on both engines: posting an invoice opens one item per due date with
 * its `invoiced` posting; a credit note credits the rectified invoice's items (owed first, latest due first);
 * a collection over the balance is refused writing nothing; an invoice with money moved on it cannot be
 * cancelled, one without leaves the ledger; every item's balance is the sum of its postings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { engines, F, seedFranchise } from '../support/harness';
import { cancelInvoice, insertDraftInvoice, postInvoice, type DraftInvoiceInput } from '../../src/invoicing/posting';
import { appendItemPosting } from '../../src/collections/ledger';
import { writeTransaction } from '../../src/persistence/raw';
import { all } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const hq: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8000-00000000000a', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };

const draft = (over: Partial<DraftInvoiceInput> = {}): DraftInvoiceInput => ({
  companyId: F.franchisor.id,
  invoiceType: 'F1',
  source: 'manual',
  recipient: { companyId: F.ruiz.id, nif: F.ruiz.nif, name: 'Ruiz S.L.', address: 'Calle 1, 28001 Madrid' },
  // 1.000,00 + IVA 21 % = 1.210,00 in two due dates: 605,00 at 30 and 605,00 at 60 days.
  paymentDays: [30, 60],
  lines: [{ description: 'Alquiler local noviembre', quantityMilli: 1000, unitPriceCents: 100_000, ivaRateBp: 2100 }],
  ...over,
});

interface ItemRow {
  id: string;
  due_date: string;
  amount_cents: unknown;
  balance_cents: unknown;
  status: string;
  counterparty_kind: string;
  counterparty_id: string;
  side: string;
}

describe.each(engines)('collections ledger on $name', (engine) => {
  let ds: DataSource;
  let teardown: () => Promise<void>;
  const itemsOf = (invoiceId: string) => all<ItemRow>(ds.manager, `SELECT * FROM open_item WHERE source_id = ? ORDER BY source_idx`, [invoiceId]);
  const post = async (d: DraftInvoiceInput) => {
    const { id } = await writeTransaction(ds, (m) => insertDraftInvoice(m, clock, hq, d));
    await writeTransaction(ds, (m) => postInvoice(m, clock, hq, id));
    return id;
  };

  beforeAll(async () => {
    ({ ds, teardown } = await engine.open());
    await seedFranchise(ds);
  });
  afterAll(async () => teardown?.());

  it('opens one item per due date, owed by the recipient company', async () => {
    const id = await post(draft());
    const items = await itemsOf(id);
    expect(items.map((i) => [i.due_date, Number(i.amount_cents), Number(i.balance_cents), i.status, i.side, i.counterparty_kind, i.counterparty_id])).toEqual([
      ['2026-12-30', 60_500, 60_500, 'open', 'receivable', 'company', F.ruiz.id],
      ['2027-01-29', 60_500, 60_500, 'open', 'receivable', 'company', F.ruiz.id],
    ]);
  });

  it('a credit note credits what is owed, latest due first; a collection over the balance is refused, nothing written', async () => {
    const id = await post(draft({ sourceKey: 'manual:credit-test' }));
    const [first, second] = await itemsOf(id);
    // 400,00 collected on the first due date: 205,00 left there.
    await writeTransaction(ds, (m) => appendItemPosting(m, clock, first!.id, { kind: 'collected', amountCents: 40_000, onDate: '2026-12-01', sourceKind: 'test' }, null));
    // Credit note of −500,00 base → −605,00 total: the second due date (605,00 owed) takes all of it.
    await post(draft({ invoiceType: 'R1', source: 'credit', paymentDays: [0], rectifies: { invoiceId: id, method: 'I', reason: 'Descuento pactado' }, lines: [{ description: 'Abono', quantityMilli: -1000, unitPriceCents: 50_000, ivaRateBp: 2100 }] }));
    let items = await itemsOf(id);
    expect(items.map((i) => [Number(i.balance_cents), i.status])).toEqual([
      [20_500, 'partial'],
      [0, 'paid'],
    ]);
    const before = await all(ds.manager, `SELECT COUNT(*) AS n FROM open_item_posting`);
    await expect(writeTransaction(ds, (m) => appendItemPosting(m, clock, first!.id, { kind: 'collected', amountCents: 20_501, onDate: '2026-12-02', sourceKind: 'test' }, null))).rejects.toMatchObject({ problem: { status: 422 } });
    expect(await all(ds.manager, `SELECT COUNT(*) AS n FROM open_item_posting`)).toEqual(before);
    // A second credit note of −300,00 total (−247,93 base… use a round one: −200,00 base → −242,00): owed first (205,00 on
    // the first due date), the remaining 37,00 on what was paid there: the item goes overpaid by 37,00.
    await post(draft({ invoiceType: 'R1', source: 'credit', paymentDays: [0], rectifies: { invoiceId: id, method: 'I', reason: 'Segundo abono' }, lines: [{ description: 'Abono', quantityMilli: -1000, unitPriceCents: 20_000, ivaRateBp: 2100 }] }));
    items = await itemsOf(id);
    expect(items.map((i) => [Number(i.balance_cents), i.status])).toEqual([
      [-3_700, 'overpaid'],
      [0, 'paid'],
    ]);
    expect(second).toBeDefined();
    await expect(writeTransaction(ds, (m) => cancelInvoice(m, clock, hq, id, 'error'))).rejects.toMatchObject({ problem: { status: 409 } });
  });

  it('an anulación takes an untouched invoice out of the ledger', async () => {
    const id = await post(draft({ sourceKey: 'manual:cancel-test' }));
    await writeTransaction(ds, (m) => cancelInvoice(m, clock, hq, id, 'emitida por error'));
    expect((await itemsOf(id)).map((i) => i.status)).toEqual(['cancelled', 'cancelled']);
    const [item] = await itemsOf(id);
    await expect(writeTransaction(ds, (m) => appendItemPosting(m, clock, item!.id, { kind: 'collected', amountCents: 100, onDate: '2026-12-02', sourceKind: 'test' }, null))).rejects.toMatchObject({ problem: { status: 409 } });
  });

  it('every balance equals the sum of its postings', async () => {
    const rows = await all<{ id: string; balance: unknown; sum: unknown }>(
      ds.manager,
      `SELECT i.id, i.balance_cents AS balance, (SELECT COALESCE(SUM(p.signed_cents), 0) FROM open_item_posting p WHERE p.item_id = i.id) AS sum FROM open_item i`,
    );
    expect(rows.length).toBeGreaterThan(4);
    for (const r of rows) expect(Number(r.balance)).toBe(Number(r.sum));
  });
});
