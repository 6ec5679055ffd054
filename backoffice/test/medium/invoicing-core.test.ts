/**
 * The invoicing core on both engines: a draft posts once (number in its series, tax rows, due dates, the
 * company's Veri*Factu alta chained), a second invoice for the same source and a credit note above what
 * remains are refused writing nothing, editing a posted invoice is refused, and an anulación extends the chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '@tpv/shared/fiscal/record';
import { engines, F, seedFranchise } from '../support/harness';
import { cancelInvoice, hqChain, insertDraftInvoice, loadInvoice, postInvoice, replaceDraftLines, type DraftInvoiceInput } from '../../src/invoicing/posting';
import { writeTransaction } from '../../src/persistence/raw';
import { all } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';
import type { DataSource } from 'typeorm';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const hq: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8000-00000000000a', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };

const draft = (over: Partial<DraftInvoiceInput> = {}): DraftInvoiceInput => ({
  companyId: F.franchisor.id,
  invoiceType: 'F1',
  source: 'manual',
  recipient: { companyId: F.ruiz.id, nif: F.ruiz.nif, name: 'Ruiz S.L.', address: 'Calle 1, 28001 Madrid' },
  paymentDays: [30],
  lines: [
    { description: 'Alquiler local noviembre', quantityMilli: 1000, unitPriceCents: 100_000, ivaRateBp: 2100 },
    { description: 'Formación', quantityMilli: 2000, unitPriceCents: 5_000, ivaRateBp: 2100 },
  ],
  ...over,
});

describe.each(engines)('invoicing core on $name', (engine) => {
  let ds: DataSource;
  let teardown: () => Promise<void>;
  const count = async (t: string) => Number((await all<{ n: unknown }>(ds.manager, `SELECT COUNT(*) AS n FROM ${t}`))[0]!.n);

  beforeAll(async () => {
    ({ ds, teardown } = await engine.open());
    await seedFranchise(ds);
  });
  afterAll(async () => teardown?.());

  it('posts a draft once: number, taxes, due date and a chained alta', async () => {
    const { id } = await writeTransaction(ds, (m) => insertDraftInvoice(m, clock, hq, draft({ sourceKey: 'manual:rent:2026-11' })));
    const first = await writeTransaction(ds, (m) => postInvoice(m, clock, hq, id));
    // 1.000,00 + 2 × 50,00 = 1.100,00 base; IVA 21 % = 231,00; total 1.331,00
    expect(first).toMatchObject({ number: 'FV-2026-000001', issueDate: '2026-11-30', totalCents: 133_100, postedNow: true });
    expect(first.record).toMatchObject({ installation: `HQ-${F.franchisor.nif}`, invoiceType: 'F1', taxTotal: '231.00', grandTotal: '1331.00', previousHash: '', issueDate: '30-11-2026' });
    const again = await writeTransaction(ds, (m) => postInvoice(m, clock, hq, id));
    expect(again).toMatchObject({ number: 'FV-2026-000001', postedNow: false });
    const v = await loadInvoice(ds.manager, id);
    expect(v!.taxes).toEqual([{ ivaRateBp: 2100, reRateBp: 0, exemption: null, baseCents: 110_000, ivaCents: 23_100, reCents: 0 }]);
    expect(v!.dues).toEqual([{ dueDate: '2026-12-30', amountCents: 133_100 }]);
    await expect(writeTransaction(ds, (m) => replaceDraftLines(m, clock, id, draft().lines, 0))).rejects.toMatchObject({ problem: { status: 409 } });
    await expect(writeTransaction(ds, (m) => insertDraftInvoice(m, clock, hq, draft({ sourceKey: 'manual:rent:2026-11' })))).rejects.toMatchObject({ problem: { status: 409 } });
    expect(await count('invoice')).toBe(1);
  });

  it('refuses a full invoice without a valid NIF, writing nothing', async () => {
    await expect(writeTransaction(ds, (m) => insertDraftInvoice(m, clock, hq, draft({ recipient: { nif: 'B12345670', name: 'X' } })))).rejects.toMatchObject({
      problem: { status: 422, errors: [expect.objectContaining({ path: 'recipient.nif' })] },
    });
    expect(await count('invoice')).toBe(1);
  });

  it('credits part of an invoice, refuses a credit above what remains, and cancels another', async () => {
    const [orig] = await all<{ id: string }>(ds.manager, `SELECT id FROM invoice WHERE number = 'FV-2026-000001'`);
    const credit = (units: number) =>
      draft({ invoiceType: 'R1', source: 'credit', rectifies: { invoiceId: orig!.id, method: 'I', reason: 'Descuento pactado' }, lines: [{ description: 'Abono alquiler', quantityMilli: -units * 1000, unitPriceCents: 50_000, ivaRateBp: 2100 }] });
    const c1 = await writeTransaction(ds, async (m) => postInvoice(m, clock, hq, (await insertDraftInvoice(m, clock, hq, credit(2))).id));
    expect(c1).toMatchObject({ number: 'FR-2026-000001', totalCents: -121_000 });
    expect(c1.record.rectified).toEqual({ invoiceNumber: 'FV-2026-000001', issueDate: '30-11-2026' });
    // 1.331,00 − 1.210,00 = 121,00 left: another 605,00 is refused and nothing stays.
    const before = await count('hq_fiscal_record');
    await expect(writeTransaction(ds, async (m) => postInvoice(m, clock, hq, (await insertDraftInvoice(m, clock, hq, credit(1))).id))).rejects.toMatchObject({
      problem: { status: 409, code: 'CREDIT_ABOVE_REMAINING' },
    });
    expect(await count('hq_fiscal_record')).toBe(before);

    const other = await writeTransaction(ds, async (m) => postInvoice(m, clock, hq, (await insertDraftInvoice(m, clock, hq, draft())).id));
    expect(other.number).toBe('FV-2026-000002');
    const anul = await writeTransaction(ds, (m) => cancelInvoice(m, clock, hq, other.id, 'Emitida por error'));
    expect(anul.kind).toBe('anulacion');
    const chain = await hqChain(ds.manager, F.franchisor.id);
    expect(chain.map((c) => [c.record.kind, c.record.invoiceNumber])).toEqual([
      ['alta', 'FV-2026-000001'],
      ['alta', 'FR-2026-000001'],
      ['alta', 'FV-2026-000002'],
      ['anulacion', 'FV-2026-000002'],
    ]);
    expect(verifyChain(chain.map((c) => c.record)).ok).toBe(true);
  });
});
