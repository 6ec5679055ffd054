/**
 * The documents' entries on both engines (issue 14), each posted in its document's transaction, figures
 * worked out by hand below. Sub-accounts are opened in the order the tests run:
 *   Franquicia: 43000001 Ruiz, 43000002 Levante.
 *   Ruiz:       40000001 Franquicia (goods and mixed invoices).
 *   Levante:    41000001 Franquicia (services, fees), 40000001 the supplier Asesores.
 * Accounts by rate: 7000/7050/4770/4720 + the IVA rate in bp (70002100), recargo 4771 + its rate (47710520).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { cancelInvoice, insertDraftInvoice, postInvoice, type DraftInvoiceInput } from '../../src/invoicing/posting';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';
import { installDocumentReactions } from '../../src/platform/document-events';
import { accountingModule } from '../../src/accounting/module';
import { entriesOfSource, entryLines } from '../../src/accounting/core/journal';
import { lockPeriod } from '../../src/accounting/core/periods';
import { postStockMoves } from '../../src/stock/ledger';
import { madridDayStart, periodEndInstant } from '../../src/accounting/documents/stock-variation';

// 5 December 2026: November is over (its stock variation may post), December is not.
const clock = { now: () => Date.UTC(2026, 11, 5, 9, 0, 0) };
const hq: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8000-00000000000a', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };
const [p0, p1, p2] = F.products; // p0 21 %, p1 10 %, p2 4 %
const ruizTo = { companyId: F.ruiz.id, nif: F.ruiz.nif, name: 'Ruiz S.L.', address: 'Calle 1, 28001 Madrid' };
const levanteTo = { companyId: F.levante.id, nif: 'B96385273', name: 'Levante S.L.', address: 'Calle 2, 46001 València' };

type Row = [string, number, number];

describe.each(engines)('documents → journal entries on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hqToken = '';
  let ruizToken = '';
  let levanteToken = '';
  let invoice1 = '';

  const post = async (d: DraftInvoiceInput, issueDate: string) => {
    const { id } = await writeTransaction(h.ds, (m) => insertDraftInvoice(m, clock, hq, d));
    await writeTransaction(h.ds, (m) => postInvoice(m, clock, hq, id, { issueDate }));
    return id;
  };
  const lines = async (entryId: string): Promise<Row[]> => (await entryLines(h.ds.manager, entryId)).map((l) => [l.account, l.debitCents, l.creditCents]);
  const sorted = (rows: Row[]) => [...rows].sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);
  /** The entries of a source in one company, with their lines sorted by account. */
  const entriesOf = async (type: string, id: string, companyId: string) => {
    const es = (await entriesOfSource(h.ds.manager, type, id)).filter((e) => e.companyId === companyId);
    return Promise.all(es.map(async (e) => ({ kind: e.kind, date: e.entryDate, total: e.totalCents, lines: sorted(await lines(e.id)) })));
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    installDocumentReactions(h.ds, accountingModule.reactions ?? []);
    [hqToken, ruizToken, levanteToken] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante)]);
  });
  afterAll(async () => h?.teardown());

  it('posts an invoice with two rates, recargo and IRPF in the issuer’s and the franchisee’s books', async () => {
    // Goods p0 2 × 50,00 = 100,00 at 21 % (IVA 21,00, RE 5,2 % = 5,20); advice 200,00 at 10 % (IVA 20,00, no RE).
    // Base 300,00; IRPF 15 % of 300,00 = 45,00; total 300,00 + 41,00 + 5,20 − 45,00 = 301,20.
    invoice1 = await post(
      {
        companyId: F.franchisor.id, invoiceType: 'F1', source: 'manual', recipient: ruizTo, reRegime: true, irpfBp: 1500, paymentDays: [30],
        lines: [
          { description: 'Producto 1', productId: p0!.id, quantityMilli: 2000, unitPriceCents: 5_000, ivaRateBp: 2100, reRateBp: 520 },
          { description: 'Asesoría de apertura', quantityMilli: 1000, unitPriceCents: 20_000, ivaRateBp: 1000 },
        ],
      },
      '2026-11-10',
    );
    // Issuer: 430 Ruiz 301,20 + 473 45,00 = 700 (21 %) 100,00 + 705 (10 %) 200,00 + 477 21,00 + 20,00 + 4771 5,20 = 346,20.
    expect(await entriesOf('invoice', invoice1, F.franchisor.id)).toEqual([
      {
        kind: 'invoice', date: '2026-11-10', total: 34_620,
        lines: [['43000001', 30_120, 0], ['47300000', 4_500, 0], ['47701000', 0, 2_000], ['47702100', 0, 2_100], ['47710520', 0, 520], ['70002100', 0, 10_000], ['70501000', 0, 20_000]],
      },
    ]);
    // Ruiz: 600 100,00 + RE 5,20 (not deductible) = 105,20; 629 200,00; 472 21,00 and 20,00 = 346,20
    //       = 4751 IRPF withheld 45,00 + 400 Franquicia 301,20 (goods on it: 400).
    expect(await entriesOf('invoice', invoice1, F.ruiz.id)).toEqual([
      {
        kind: 'supplier_invoice', date: '2026-11-10', total: 34_620,
        lines: [['40000001', 0, 30_120], ['47201000', 2_000, 0], ['47202100', 2_100, 0], ['47510000', 0, 4_500], ['60000000', 10_520, 0], ['62900000', 20_000, 0]],
      },
    ]);
  });

  it('posts a credit note by difference with negative amounts on both sides', async () => {
    // One unit of p0 back: base −50,00, IVA −10,50, RE −2,60, IRPF 15 % of −50,00 = −7,50; total −50,00 − 10,50 − 2,60 + 7,50 = −55,60.
    const note = await post(
      {
        companyId: F.franchisor.id, invoiceType: 'R1', source: 'credit', recipient: ruizTo, reRegime: true, irpfBp: 1500,
        rectifies: { invoiceId: invoice1, method: 'I', reason: 'Devolución de una unidad' },
        // As the invoicing module makes them: no product on the line, it points at the rectified line (goods).
        lines: [{ description: 'Producto 1', quantityMilli: -1000, unitPriceCents: 5_000, ivaRateBp: 2100, reRateBp: 520, sourceRef: 'line:1' }],
      },
      '2026-11-20',
    );
    expect(await entriesOf('invoice', note, F.franchisor.id)).toEqual([
      { kind: 'invoice', date: '2026-11-20', total: 6_310, lines: [['43000001', 0, 5_560], ['47300000', 0, 750], ['47702100', 1_050, 0], ['47710520', 260, 0], ['70002100', 5_000, 0]] },
    ]);
    // Ruiz: 600 −(50,00 + 2,60) = credit 52,60, 472 credit 10,50; 4751 debit 7,50, 400 debit 55,60.
    expect(await entriesOf('invoice', note, F.ruiz.id)).toEqual([
      { kind: 'supplier_invoice', date: '2026-11-20', total: 6_310, lines: [['40000001', 5_560, 0], ['47202100', 0, 1_050], ['47510000', 750, 0], ['60000000', 0, 5_260]] },
    ]);
  });

  it('posts a credit note by substitution as the difference with the invoice it restates', async () => {
    // Invoice: advice 400,00 at 21 % → IVA 84,00, total 484,00. S note restates it at 300,00 → IVA 63,00, total 363,00.
    // What posts: 363,00 − 484,00 = −121,00 (base −100,00, IVA −21,00).
    const inv = await post({ companyId: F.franchisor.id, invoiceType: 'F1', source: 'manual', recipient: ruizTo, lines: [{ description: 'Formación', quantityMilli: 1000, unitPriceCents: 40_000, ivaRateBp: 2100 }] }, '2026-11-12');
    const note = await post(
      {
        companyId: F.franchisor.id, invoiceType: 'R1', source: 'credit', recipient: ruizTo, rectifies: { invoiceId: inv, method: 'S', reason: 'Precio pactado' },
        lines: [{ description: 'Formación', quantityMilli: 1000, unitPriceCents: 30_000, ivaRateBp: 2100, sourceRef: 'line:1' }],
      },
      '2026-11-21',
    );
    expect(await entriesOf('invoice', note, F.franchisor.id)).toEqual([{ kind: 'invoice', date: '2026-11-21', total: 12_100, lines: [['43000001', 0, 12_100], ['47702100', 2_100, 0], ['70502100', 10_000, 0]] }]);
    // Services only: Ruiz credits the same sub-account the invoice used (410 for services: 41000001 in Ruiz's books).
    expect(await entriesOf('invoice', note, F.ruiz.id)).toEqual([{ kind: 'supplier_invoice', date: '2026-11-21', total: 12_100, lines: [['41000001', 12_100, 0], ['47202100', 0, 2_100], ['62900000', 0, 10_000]] }]);
  });

  it('cancels an invoice with a contra entry of each of its entries, in both companies', async () => {
    // Advice 100,00 at 21 % to Levante: total 121,00. Levante: 629 + 472 against 410 Franquicia.
    const id = await post({ companyId: F.franchisor.id, invoiceType: 'F1', source: 'manual', recipient: levanteTo, lines: [{ description: 'Auditoría de tienda', quantityMilli: 1000, unitPriceCents: 10_000, ivaRateBp: 2100 }] }, '2026-11-15');
    await writeTransaction(h.ds, (m) => cancelInvoice(m, clock, hq, id, 'Emitida por error'));
    const issuer = [['43000002', 12_100, 0], ['47702100', 0, 2_100], ['70502100', 0, 10_000]] as Row[];
    const mirror = (rows: Row[]) => sorted(rows.map(([a, d, c]) => [a, c, d] as Row));
    // The contra is dated the day of the cancellation (5 December).
    expect(await entriesOf('invoice', id, F.franchisor.id)).toEqual([
      { kind: 'invoice', date: '2026-11-15', total: 12_100, lines: issuer },
      { kind: 'invoice_cancel', date: '2026-12-05', total: 12_100, lines: mirror(issuer) },
    ]);
    const recipient = [['41000001', 0, 12_100], ['47202100', 2_100, 0], ['62900000', 10_000, 0]] as Row[];
    expect(await entriesOf('invoice', id, F.levante.id)).toEqual([
      { kind: 'supplier_invoice', date: '2026-11-15', total: 12_100, lines: recipient },
      { kind: 'invoice_cancel', date: '2026-12-05', total: 12_100, lines: mirror(recipient) },
    ]);
    const keys = await all<{ source_key: string; reversed_by_id: string | null; reverses_id: string | null }>(h.ds.manager, `SELECT source_key, reversed_by_id, reverses_id FROM acc_entry WHERE source_id = ? ORDER BY source_key`, [id]);
    expect(keys.map((k) => [k.source_key, k.reversed_by_id !== null, k.reverses_id !== null])).toEqual([
      [`invoice-cancel:${id}`, false, true],
      [`invoice-received-cancel:${id}`, false, true],
      [`invoice-received:${id}`, true, false],
      [`invoice:${id}`, true, false],
    ]);
  });

  it('posts a fee invoice to 705 at the franchisor and to 621 at the franchisee', async () => {
    // Royalty 1.000,00 at 21 %: IVA 210,00, total 1.210,00.
    const id = await post(
      {
        companyId: F.franchisor.id, invoiceType: 'F1', source: 'fee', sourceKey: `fee:test:2026-11`, recipient: levanteTo, paymentDays: [15],
        lines: [{ description: 'Royalty V001 noviembre', storeId: F.storeV1.id, quantityMilli: 1000, unitPriceCents: 100_000, ivaRateBp: 2100, sourceRef: `store:${F.storeV1.id}` }],
      },
      '2026-11-30',
    );
    expect(await entriesOf('invoice', id, F.franchisor.id)).toEqual([{ kind: 'invoice', date: '2026-11-30', total: 121_000, lines: [['43000002', 121_000, 0], ['47702100', 0, 21_000], ['70502100', 0, 100_000]] }]);
    expect(await entriesOf('invoice', id, F.levante.id)).toEqual([{ kind: 'fee_received', date: '2026-11-30', total: 121_000, lines: [['41000001', 0, 121_000], ['47202100', 21_000, 0], ['62100000', 100_000, 0]] }]);
  });

  it('posts a wholesale invoice as goods on both sides (700 / 600)', async () => {
    // p1 10 × 3,00 = 30,00 at 10 % (IVA 3,00); p2 5 × 2,00 = 10,00 at 4 % (IVA 0,40); a line without product
    // 5,00 at 21 % (IVA 1,05) — goods too in a wholesale invoice. Total 45,00 + 4,45 = 49,45.
    const id = await post(
      {
        companyId: F.franchisor.id, invoiceType: 'F1', source: 'wholesale', recipient: ruizTo, paymentDays: [30],
        lines: [
          { description: 'AL-1 · p1', productId: p1!.id, storeId: F.storeM1.id, quantityMilli: 10_000, unitPriceCents: 300, ivaRateBp: 1000 },
          { description: 'AL-1 · p2', productId: p2!.id, storeId: F.storeM1.id, quantityMilli: 5_000, unitPriceCents: 200, ivaRateBp: 400 },
          { description: 'AL-1 · embalaje', quantityMilli: 1000, unitPriceCents: 500, ivaRateBp: 2100 },
        ],
      },
      '2026-11-30',
    );
    expect(await entriesOf('invoice', id, F.franchisor.id)).toEqual([
      {
        kind: 'invoice', date: '2026-11-30', total: 4_945,
        lines: [['43000001', 4_945, 0], ['47700400', 0, 40], ['47701000', 0, 300], ['47702100', 0, 105], ['70000400', 0, 1_000], ['70001000', 0, 3_000], ['70002100', 0, 500]],
      },
    ]);
    // Ruiz: 600 30,00 + 10,00 + 5,00 = 45,00; 472 per rate; 400 Franquicia 49,45.
    expect(await entriesOf('invoice', id, F.ruiz.id)).toEqual([
      { kind: 'supplier_invoice', date: '2026-11-30', total: 4_945, lines: [['40000001', 0, 4_945], ['47200400', 40, 0], ['47201000', 300, 0], ['47202100', 105, 0], ['60000000', 4_500, 0]] },
    ]);
  });

  it('posts nothing for an F3 in the issuer’s books (the daily sales hold its tickets)', async () => {
    const { id } = await writeTransaction(h.ds, (m) =>
      insertDraftInvoice(m, clock, hq, {
        companyId: F.franchisor.id, invoiceType: 'F3', source: 'ticket', recipient: { nif: 'B96385273', name: 'Cliente de mostrador', customerId: F.customer.id },
        lines: [{ description: 'Ticket T-1', quantityMilli: 1000, unitPriceCents: 1_000, ivaRateBp: 2100 }],
      }),
    );
    await exec(h.ds.manager, `INSERT INTO invoice_substitution (invoice_id, idx, ticket_id, invoice_number, issue_date) VALUES (?, 0, ?, 'T-0001', '30-11-2026')`, [id, '00000000-0000-7000-8012-000000000001']);
    await writeTransaction(h.ds, (m) => postInvoice(m, clock, hq, id, { issueDate: '2026-11-30' }));
    expect(await entriesOfSource(h.ds.manager, 'invoice', id)).toEqual([]);
  });

  it('posts a supplier invoice with IRPF: 629 with the recargo in the cost, 472, 4751 and the supplier’s 400', async () => {
    const s = await h.api('POST', '/api/suppliers', { token: hqToken, body: { name: 'Asesores del Turia S.L.', nif: 'B96385273', paymentTermsDays: 30 } });
    expect(s.status).toBe(201);
    // Advice 300,00 at 21 % (IVA 63,00); office material 2 × 25,00 = 50,00 at 21 % + RE 5,2 % (IVA 10,50, RE 2,60).
    // Base 350,00; IRPF 15 % = 52,50; total 350,00 + 73,50 + 2,60 − 52,50 = 373,60.
    const r = await h.api('POST', '/api/supplier-invoices', {
      token: hqToken,
      body: {
        companyId: F.levante.id, supplierId: s.body.id, supplierNumber: 'AT-77', invoiceDate: '2026-11-28', receivedDate: '2026-11-29', irpfBp: 1500,
        lines: [
          { receiptId: null, receiptLineNo: null, description: 'Asesoría fiscal noviembre', quantityMilli: 1000, unitPriceCents: 30_000, discountBp: 0, ivaRateBp: 2100, reRateBp: 0 },
          { receiptId: null, receiptLineNo: null, description: 'Material de oficina', quantityMilli: 2000, unitPriceCents: 2_500, discountBp: 0, ivaRateBp: 2100, reRateBp: 520 },
        ],
      },
    });
    expect(r.status).toBe(201);
    // Lines without a goods receipt wait for approval; approving posts it (and its entry).
    const a = await h.api('POST', `/api/supplier-invoices/${r.body.id}/approve`, { token: hqToken, body: { note: 'Servicios sin albarán' } });
    expect(a.status).toBe(200);
    // 629: 300,00 + 50,00 + 2,60 = 352,60; 472 63,00 + 10,50 = 73,50 → 426,10 = 4751 52,50 + 400 373,60.
    expect(await entriesOf('supplier_invoice', r.body.id, F.levante.id)).toEqual([
      { kind: 'supplier_invoice', date: '2026-11-29', total: 42_610, lines: [['40000001', 0, 37_360], ['47202100', 7_350, 0], ['47510000', 0, 5_250], ['62900000', 35_260, 0]] },
    ]);
    // The document page's link: the entry by its source, for HQ and for Levante's manager; Ruiz sees nothing.
    const by = (token: string) => h.api('GET', `/api/accounting/entries/by-source?type=supplier_invoice&id=${r.body.id}`, { token });
    const hqView = await by(hqToken);
    expect(hqView.status).toBe(200);
    expect(hqView.body.entries).toHaveLength(1);
    expect(hqView.body.entries[0]).toMatchObject({ companyId: F.levante.id, kind: 'supplier_invoice', totalCents: 42_610 });
    expect(hqView.body.entries[0].lines.find((l: { account: string }) => l.account === '40000001')).toMatchObject({ accountName: 'Asesores del Turia S.L.', creditCents: 37_360 });
    expect((await by(levanteToken)).body.entries).toHaveLength(1);
    expect((await by(ruizToken)).body.entries).toEqual([]);
  });

  it('answers a document’s entries in the companies the caller sees (both for an intra-franchise invoice)', async () => {
    const by = (token: string) => h.api('GET', `/api/accounting/entries/by-source?type=invoice&id=${invoice1}`, { token });
    expect((await by(hqToken)).body.entries.map((e: { companyId: string }) => e.companyId)).toEqual([F.franchisor.id, F.ruiz.id]);
    expect((await by(ruizToken)).body.entries.map((e: { companyId: string }) => e.companyId)).toEqual([F.ruiz.id]);
    expect((await by(levanteToken)).body.entries).toEqual([]);
    expect((await h.api('GET', '/api/accounting/entries/by-source?type=invoice', { token: hqToken })).status).toBe(400);
  });

  describe('stock variation', () => {
    // Levante's V001, p0 (21 %):
    //   2026-10-10  receives 10 @ 2,00 €                          end of October: 10 × 2,00 = 20,00
    //   2026-11-15  breaks 4                                      end of November: 6 × 2,00 = 12,00
    //   2026-11-30T23:30Z (1 December 00:30 in Madrid) receives 1: December's, not November's.
    // October: 300 holds 0 → +20,00 (300 debit / 610 credit). November: 300 holds 20,00 → −8,00 (610 / 300).
    const moves = (at: string, n: number, delta: number, reason: 'receipt' | 'adjustment') =>
      writeTransaction(h.ds, (m) =>
        postStockMoves(
          m, clock,
          [{ locationId: F.storeV1.id, productId: p0!.id, delta, reason, ...(reason === 'adjustment' ? { cause: 'breakage' as const } : { purchaseCostMicros: 2_000_000 }), documentType: 'test', documentId: `00000000-0000-7000-8011-00000000000${n}`, documentLine: 1 }],
          { at },
        ),
      );
    const url = `/api/accounting/companies/${F.levante.id}/stock-variation`;

    beforeAll(async () => {
      await moves('2026-10-10T10:00:00.000Z', 1, 10, 'receipt');
      await moves('2026-11-15T10:00:00.000Z', 2, -4, 'adjustment');
      await moves('2026-11-30T23:30:00.000Z', 3, 1, 'receipt');
    });

    it('values the month at its last moment in Madrid', () => {
      expect(new Date(madridDayStart('2026-12-01')).toISOString()).toBe('2026-11-30T23:00:00.000Z');
      expect(new Date(madridDayStart('2026-08-01')).toISOString()).toBe('2026-07-31T22:00:00.000Z');
      expect(periodEndInstant('2026-11')).toBe('2026-11-30T22:59:59.999Z');
    });

    it('previews, posts the growth of October and the fall of November, once each', async () => {
      const oct = await h.api('GET', `${url}?period=2026-10`, { token: levanteToken });
      expect(oct.status).toBe(200);
      expect(oct.body).toMatchObject({ date: '2026-10-31', stockValueCents: 2_000, bookedCents: 0, variationCents: 2_000, ended: true, entry: null, stockAccount: '30000000', variationAccount: '61000000' });
      const p = await h.api('POST', url, { token: hqToken, body: { period: '2026-10' } });
      expect(p.status).toBe(200);
      expect(p.body).toMatchObject({ stockValueCents: 2_000, bookedCents: 2_000, variationCents: 0, entry: { entryDate: '2026-10-31', totalCents: 2_000 } });
      expect(await entriesOf('stock_variation', `${F.levante.id}:2026-10`, F.levante.id)).toEqual([{ kind: 'stock_variation', date: '2026-10-31', total: 2_000, lines: [['30000000', 2_000, 0], ['61000000', 0, 2_000]] }]);

      const nov = await h.api('GET', `${url}?period=2026-11`, { token: hqToken });
      expect(nov.body).toMatchObject({ stockValueCents: 1_200, bookedCents: 2_000, variationCents: -800, entry: null });
      expect((await h.api('POST', url, { token: hqToken, body: { period: '2026-11' } })).status).toBe(200);
      expect(await entriesOf('stock_variation', `${F.levante.id}:2026-11`, F.levante.id)).toEqual([{ kind: 'stock_variation', date: '2026-11-30', total: 800, lines: [['30000000', 0, 800], ['61000000', 800, 0]] }]);
      // 300 now holds 20,00 − 8,00 = 12,00, the stock at the end of November.
      const bal = await all<{ d: unknown; c: unknown }>(h.ds.manager, `SELECT SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_balance WHERE company_id = ? AND account = '30000000'`, [F.levante.id]);
      expect(Number(bal[0]!.d) - Number(bal[0]!.c)).toBe(1_200);
    });

    it('refuses a second variation of a month, an earlier one, a month not over, a caller out of scope — writing nothing', async () => {
      const count = async () => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM acc_entry`))[0]!.n);
      const before = await count();
      const again = await h.api('POST', url, { token: hqToken, body: { period: '2026-11' } });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('STOCK_VARIATION_POSTED');
      expect((await h.api('POST', url, { token: hqToken, body: { period: '2026-09' } })).body.code).toBe('STOCK_VARIATION_LATER_POSTED');
      expect((await h.api('POST', url, { token: hqToken, body: { period: '2026-12' } })).body.code).toBe('PERIOD_NOT_ENDED');
      expect((await h.api('POST', url, { token: hqToken, body: { period: '2026-13' } })).status).toBe(400);
      // A franchisee reads its own company's figures, not another's; posting is HQ's (accounting.write).
      expect((await h.api('GET', `/api/accounting/companies/${F.ruiz.id}/stock-variation?period=2026-11`, { token: levanteToken })).status).toBe(403);
      expect((await h.api('POST', url, { token: levanteToken, body: { period: '2026-12' } })).status).toBe(403);
      expect((await h.api('POST', `/api/accounting/companies/00000000-0000-7000-8000-0000000000ff/stock-variation`, { token: hqToken, body: { period: '2026-11' } })).status).toBe(404);
      expect(await count()).toBe(before);
    });

    it('refuses a variation in a locked month (a period-end figure does not move to the next month)', async () => {
      await exec(h.ds.manager, `DELETE FROM acc_period_lock WHERE company_id = ?`, [F.ruiz.id]);
      await writeTransaction(h.ds, (m) => lockPeriod(m, clock, F.ruiz.id, '2026-10', null));
      // Ruiz holds no stock but its 300 is empty too: nothing to post → 200 with no entry, even in a locked month.
      const r = await h.api('POST', `/api/accounting/companies/${F.ruiz.id}/stock-variation`, { token: hqToken, body: { period: '2026-10' } });
      expect(r.status).toBe(200);
      expect(r.body.entry).toBeNull();
      await writeTransaction(h.ds, (m) => postStockMoves(m, clock, [{ locationId: F.storeM1.id, productId: p0!.id, delta: 3, reason: 'receipt', purchaseCostMicros: 1_000_000, documentType: 'test', documentId: '00000000-0000-7000-8011-000000000009', documentLine: 1 }], { at: '2026-10-05T10:00:00.000Z' }));
      const locked = await h.api('POST', `/api/accounting/companies/${F.ruiz.id}/stock-variation`, { token: hqToken, body: { period: '2026-10' } });
      expect(locked.status).toBe(409);
      expect(locked.body.code).toBe('PERIOD_LOCKED');
    });
  });
  it('keeps every balance equal to the sum of its lines, every entry balanced, the trial balance at zero', async () => {
    const unbalanced = await all(h.ds.manager, `SELECT entry_id FROM acc_line GROUP BY entry_id HAVING SUM(debit_cents) <> SUM(credit_cents)`);
    expect(unbalanced).toEqual([]);
    const drift = await all(
      h.ds.manager,
      `SELECT b.company_id, b.account FROM acc_balance b LEFT JOIN (
         SELECT company_id, account, SUBSTR(entry_date, 1, 7) AS period, COALESCE(store_id, '') AS store_id, SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_line GROUP BY company_id, account, SUBSTR(entry_date, 1, 7), COALESCE(store_id, '')
       ) l ON l.company_id = b.company_id AND l.account = b.account AND l.period = b.period AND l.store_id = b.store_id
       WHERE l.d IS NULL OR l.d <> b.debit_cents OR l.c <> b.credit_cents`,
    );
    expect(drift).toEqual([]);
    for (const c of [F.franchisor.id, F.ruiz.id, F.levante.id]) {
      const tb = await all<{ d: unknown; c: unknown }>(h.ds.manager, `SELECT SUM(debit_cents) AS d, SUM(credit_cents) AS c FROM acc_balance WHERE company_id = ?`, [c]);
      expect(Number(tb[0]!.d)).toBe(Number(tb[0]!.c));
    }
  });
});
