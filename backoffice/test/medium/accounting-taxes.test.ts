/**
 * A company's taxes on both engines, figures worked out by hand: a quarter of Ruiz S.L. (invoices issued at
 * 21 % and 10 % with recargo, a credit note, supplier invoices, the franchisor's fee invoice received, a till
 * day) gives the exact 303 boxes; with everything posted the 303 equals the journal's 477/4771/472 per rate,
 * a late ticket and an unposted supplier invoice explain their difference; the 347 threshold; the routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { engines, F, seedFranchise } from '../support/harness';
import { insertDraftInvoice, postInvoice, type DraftInvoiceInput } from '../../src/invoicing/posting';
import { writeTransaction } from '../../src/persistence/raw';
import { exec } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';
import { installDocumentReactions } from '../../src/platform/document-events';
import { accountingModule } from '../../src/accounting/module';
import { postEntry } from '../../src/accounting/core/journal';
import { annualOf, vatBook, vatReturnOf } from '../../src/accounting/taxes/service';

const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const hq: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8000-00000000000a', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };
const sid = (n: number) => `00000000-0000-7000-8000-0000000099${String(n).padStart(2, '0')}`;
const SUP_Z = sid(1), SUP_X = sid(2), SUP_Y = sid(3);

describe.each(engines)('taxes of a company on $name', (engine) => {
  let ds: DataSource;
  let teardown: () => Promise<void>;
  const ids: Record<string, string> = {};
  const post = async (d: DraftInvoiceInput, issueDate: string) => {
    const { id } = await writeTransaction(ds, (m) => insertDraftInvoice(m, clock, hq, d));
    await writeTransaction(ds, (m) => postInvoice(m, clock, hq, id, { issueDate }));
    return id;
  };
  let reg = 0;
  /** A posted supplier invoice of Ruiz with one tax row; `journal` also posts its entry (purchases / 472 / 400). */
  const supplierInvoice = async (id: string, supplierId: string, period: string, base: number, rateBp: number, iva: number, journal: boolean) => {
    reg++;
    const date = `${period}-10`;
    await exec(ds.manager,
      `INSERT INTO supplier_invoice (id, company_id, supplier_id, supplier_number, number_key, invoice_date, received_date, period, status, register_number, base_cents, iva_cents, re_cents, irpf_cents, total_cents, difference_count, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'posted', ?, ?, ?, 0, 0, ?, 0, ?)`,
      [id, F.ruiz.id, supplierId, `FP-${reg}`, `FP${reg}`, date, date, period, `RC-2026-${String(reg).padStart(6, '0')}`, base, iva, base + iva, '2026-11-30T09:00:00Z']);
    await exec(ds.manager, `INSERT INTO supplier_invoice_tax (invoice_id, idx, iva_rate_bp, re_rate_bp, base_cents, iva_cents, re_cents) VALUES (?, 1, ?, 0, ?, ?, 0)`, [id, rateBp, base, iva]);
    if (journal) {
      await writeTransaction(ds, (m) => postEntry(m, clock, {
        companyId: F.ruiz.id, date, kind: 'supplier_invoice', description: 'Factura proveedor', mode: 'document', by: null, source: { type: 'supplier_invoice', id },
        lines: [
          { account: '60000000', debitCents: base, creditCents: 0 },
          { account: `4720${String(rateBp).padStart(4, '0')}`, debitCents: iva, creditCents: 0 },
          { group: '400', counterparty: { kind: 'supplier', id: supplierId, name: 'Proveedor' }, debitCents: 0, creditCents: base + iva },
        ],
      }));
    }
  };

  beforeAll(async () => {
    ({ ds, teardown } = await engine.open());
    await seedFranchise(ds);
    installDocumentReactions(ds, accountingModule.reactions ?? []);
    for (const [id, nif, name] of [[SUP_Z, 'B11111111', 'Distribuciones Z'], [SUP_X, 'B22222222', 'Mayorista X'], [SUP_Y, 'B33333333', 'Mayorista Y']] as const) {
      await exec(ds.manager, `INSERT INTO supplier (id, name, nif, created_at) VALUES (?, ?, ?, ?)`, [id, name, nif, '2026-01-01T00:00:00Z']);
    }
    const shop = { nif: '12345678Z', name: 'Papelería Gómez', address: 'Calle Mayor 3, 28013 Madrid' };
    // I1 to a shop in recargo: 1.000,00 at 21 % (IVA 210,00, recargo 5,2 % 52,00) + 200,00 at 10 % (IVA 20,00, recargo 1,4 % 2,80) = 1.484,80.
    ids.i1 = await post({
      companyId: F.ruiz.id, invoiceType: 'F1', source: 'manual', recipient: shop, reRegime: true, paymentDays: [30],
      lines: [
        { description: 'Género', quantityMilli: 2000, unitPriceCents: 50_000, ivaRateBp: 2100, reRateBp: 520 },
        { description: 'Género', quantityMilli: 1000, unitPriceCents: 20_000, ivaRateBp: 1000, reRateBp: 140 },
      ],
    }, '2026-10-15');
    // I2 to a wholesale customer: 500,00 at 21 % → 105,00; total 605,00.
    ids.i2 = await post({
      companyId: F.ruiz.id, invoiceType: 'F1', source: 'manual', recipient: { nif: 'A58818501', name: 'Mayorista Cliente S.A.', address: 'Calle 3, 28003 Madrid' }, paymentDays: [30],
      lines: [{ description: 'Servicio', quantityMilli: 1000, unitPriceCents: 50_000, ivaRateBp: 2100 }],
    }, '2026-11-05');
    // R1 of I1: −100,00 at 21 % → IVA −21,00, recargo −5,20; total −126,20.
    ids.r1 = await post({
      companyId: F.ruiz.id, invoiceType: 'R1', source: 'credit', recipient: shop, reRegime: true, paymentDays: [0],
      rectifies: { invoiceId: ids.i1, method: 'I', reason: 'Devolución' },
      lines: [{ description: 'Abono', quantityMilli: -1000, unitPriceCents: 10_000, ivaRateBp: 2100, reRateBp: 520 }],
    }, '2026-11-10');
    // The franchisor's invoice to Ruiz: 120,00 at 21 % → 25,20; Ruiz's entry (629 / 472 / the franchisor's 410) is posted
    // with it, by the books' listener of invoices within the franchise.
    ids.fee = await post({
      companyId: F.franchisor.id, invoiceType: 'F1', source: 'manual', recipient: { companyId: F.ruiz.id, nif: F.ruiz.nif, name: 'Ruiz S.L.', address: 'Calle 1' }, paymentDays: [30],
      lines: [{ description: 'Canon', quantityMilli: 1000, unitPriceCents: 12_000, ivaRateBp: 2100 }],
    }, '2026-11-01');
    // Supplier Z in the quarter: 400,00 at 21 % (84,00) and 50,00 at 10 % (5,00), both posted.
    await supplierInvoice(sid(11), SUP_Z, '2026-10', 40_000, 2100, 8_400, true);
    await supplierInvoice(sid(12), SUP_Z, '2026-11', 5_000, 1000, 500, true);
    // The 347's threshold, earlier in the year: X 1.000,00 (Feb) + 2.005,07 (Aug) = 3.005,07; Y 3.005,06 (May).
    // 82.645 × 21 % = 17.355,45 → 17.355 (1.000,00); 165.708 × 21 % = 34.798,68 → 34.799 (2.005,07); 248.352 × 21 % = 52.153,92 → 52.154 (3.005,06).
    await supplierInvoice(sid(13), SUP_X, '2026-02', 82_645, 2100, 17_355, true);
    await supplierInvoice(sid(14), SUP_X, '2026-08', 165_708, 2100, 34_799, true);
    await supplierInvoice(sid(15), SUP_Y, '2026-05', 248_352, 2100, 52_154, true);
    // A till day of Madrid 1: 300,00 at 21 % (63,00) and 80,00 at 10 % (8,00) over two sessions, posted by the daily sales entry.
    for (const [session, rate, base, iva] of [['s1', 2100, 20_000, 4_200], ['s2', 2100, 10_000, 2_100], ['s1', 1000, 8_000, 800]] as const) {
      await exec(ds.manager,
        `INSERT INTO sales_tax_session (terminal_id, session_id, business_date, iva_rate_bp, re_rate_bp, store_id, base_cents, iva_cents, re_cents, posted_base_cents, posted_iva_cents, posted_re_cents, pending)
         VALUES (?, ?, '2026-11-20', ?, 0, ?, ?, ?, 0, ?, ?, 0, ?)`,
        [F.t1.id, session, rate, F.storeM1.id, base, iva, base, iva, false]);
    }
    await writeTransaction(ds, (m) => postEntry(m, clock, {
      companyId: F.ruiz.id, date: '2026-11-20', kind: 'sales', description: 'Ventas del día', mode: 'document', by: null, source: { type: 'till_day', id: `${F.storeM1.id}:2026-11-20` },
      lines: [
        { account: '57000000', debitCents: 45_100, creditCents: 0, storeId: F.storeM1.id },
        { account: '70002100', debitCents: 0, creditCents: 30_000, storeId: F.storeM1.id },
        { account: '47702100', debitCents: 0, creditCents: 6_300, storeId: F.storeM1.id },
        { account: '70001000', debitCents: 0, creditCents: 8_000, storeId: F.storeM1.id },
        { account: '47701000', debitCents: 0, creditCents: 800, storeId: F.storeM1.id },
      ],
    }));
  });
  afterAll(async () => teardown?.());

  it('keeps the issued book: invoices per rate and the tickets as one row per store, day and rate', async () => {
    const b = await vatBook(ds.manager, F.ruiz.id, 'issued', '2026-4T');
    expect(b.rows.map((r) => [r.date, r.invoiceType, r.source, r.ivaRateBp, r.reRateBp, r.baseCents, r.ivaCents, r.reCents])).toEqual([
      ['2026-10-15', 'F1', 'invoice', 2100, 520, 100_000, 21_000, 5_200],
      ['2026-10-15', 'F1', 'invoice', 1000, 140, 20_000, 2_000, 280],
      ['2026-11-05', 'F1', 'invoice', 2100, 0, 50_000, 10_500, 0],
      ['2026-11-10', 'R1', 'invoice', 2100, 520, -10_000, -2_100, -520],
      ['2026-11-20', 'F4', 'tickets', 2100, 0, 30_000, 6_300, 0],
      ['2026-11-20', 'F4', 'tickets', 1000, 0, 8_000, 800, 0],
    ]);
    // 1.484,80 + 605,00 − 126,20 + 363,00 + 88,00 = 2.414,60.
    expect(b.totals.totalCents).toBe(241_460);
    const r = await vatBook(ds.manager, F.ruiz.id, 'received', '2026-4T');
    expect(r.rows.map((x) => [x.source, x.counterpartyNif, x.baseCents, x.ivaCents])).toEqual([
      ['supplier_invoice', 'B11111111', 40_000, 8_400],
      ['invoice_received', F.franchisor.nif, 12_000, 2_520],
      ['supplier_invoice', 'B11111111', 5_000, 500],
    ]);
  });

  it('gives the 303 boxes worked out by hand, and the journal equals them when everything is posted', async () => {
    const r = await vatReturnOf(ds.manager, F.ruiz.id, '2026-4T');
    const v = Object.fromEntries(r.boxes.filter((b) => b.kind !== 'rate').map((b) => [b.box, b.value]));
    expect(v).toMatchObject({
      // 21 %: 1.000,00 + 500,00 + 300,00 = 1.800,00 → 210,00 + 105,00 + 63,00 = 378,00. 10 %: 200,00 + 80,00 → 20,00 + 8,00.
      '07': 180_000, '09': 37_800, '04': 28_000, '06': 2_800, '01': 0, '03': 0,
      '14': -10_000, '15': -2_100,
      '22': 100_000, '24': 5_200, '19': 20_000, '21': 280, '25': -10_000, '26': -520,
      // 27 = 378,00 + 28,00 − 21,00 + 52,00 + 2,80 − 5,20 = 434,60.
      '27': 43_460,
      // 28 = 400,00 + 50,00 + 120,00; 29 = 84,00 + 5,00 + 25,20 = 114,20; 46 = 434,60 − 114,20 = 320,40.
      '28': 57_000, '29': 11_420, '45': 11_420, '46': 32_040, '71': 32_040,
    });
    const drill = r.boxes.find((b) => b.box === '09')!.rows.map((k) => r.rows.find((x) => x.key === k)!.number);
    expect(drill).toHaveLength(3);
    expect(r.reconciliation.map((l) => [l.kind, l.rateBp, l.account, l.bookCents, l.journalCents, l.differenceCents])).toEqual([
      ['input_vat', 1000, '47201000', 500, 500, 0],
      // 84,00 + 25,20.
      ['input_vat', 2100, '47202100', 10_920, 10_920, 0],
      ['output_re', 140, '47710140', 280, 280, 0],
      // 52,00 − 5,20.
      ['output_re', 520, '47710520', 4_680, 4_680, 0],
      ['output_vat', 1000, '47701000', 2_800, 2_800, 0],
      // 210,00 + 105,00 − 21,00 + 63,00.
      ['output_vat', 2100, '47702100', 35_700, 35_700, 0],
    ]);
    expect(r.reconciliation.every((l) => l.explained.length === 0 && l.unexplainedCents === 0)).toBe(true);
  });

  it('explains a difference: a late ticket not yet posted, a supplier invoice without its entry', async () => {
    // A late ticket of the day: 5,79 + IVA 1,21 at 21 %, pending.
    await exec(ds.manager, `UPDATE sales_tax_session SET base_cents = base_cents + 579, iva_cents = iva_cents + 121, pending = ? WHERE session_id = 's2' AND iva_rate_bp = 2100`, [true]);
    // A supplier invoice of December, 10,00 at 10 % (1,00), not in the journal.
    await supplierInvoice(sid(16), SUP_Z, '2026-12', 1_000, 1000, 100, false);
    const r = await vatReturnOf(ds.manager, F.ruiz.id, '2026-4T');
    const line = (kind: string, rate: number) => r.reconciliation.find((l) => l.kind === kind && l.rateBp === rate)!;
    expect(line('output_vat', 2100)).toMatchObject({ bookCents: 35_821, journalCents: 35_700, differenceCents: 121, unexplainedCents: 0 });
    expect(line('output_vat', 2100).explained).toEqual([{ reason: 'tickets_not_posted', cents: 121, rows: [`tickets:${F.storeM1.id}:2026-11-20:2100:0`] }]);
    expect(line('input_vat', 1000)).toMatchObject({ bookCents: 600, journalCents: 500, differenceCents: 100, unexplainedCents: 0 });
    expect(line('input_vat', 1000).explained).toEqual([{ reason: 'document_not_posted', cents: 100, rows: [`supplier_invoice:${sid(16)}:1`] }]);
    // Undo for the next test.
    await exec(ds.manager, `UPDATE sales_tax_session SET base_cents = base_cents - 579, iva_cents = iva_cents - 121, pending = ? WHERE session_id = 's2' AND iva_rate_bp = 2100`, [false]);
  });

  it('declares in the 347 a counterparty over 3.005,06 € by quarter, not one at 3.005,06', async () => {
    const a = await annualOf(ds.manager, F.ruiz.id, 2026);
    expect(a.declared.map((c) => [c.key, c.nif, c.totalCents, c.quarters])).toEqual([['A', 'B22222222', 300_507, [100_000, 0, 200_507, 0]]]);
    // Y at exactly 3.005,06; Z 484,00 + 55,00 + 11,00; the franchisor A 145,20; the shop B 1.484,80 − 126,20; the customer B 605,00.
    expect(a.under.map((c) => [c.key, c.nif, c.totalCents])).toEqual([
      ['A', 'B11111111', 55_000],
      ['A', 'B33333333', 300_506],
      ['A', F.franchisor.nif, 14_520],
      ['B', '12345678Z', 135_860],
      ['B', 'A58818501', 60_500],
    ]);
  });
});
