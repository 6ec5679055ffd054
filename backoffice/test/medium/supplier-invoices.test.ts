/**
 * Supplier invoices received on both engines, over HTTP: lines prefilled from goods receipts at the order's
 * prices, the three-way match worked by hand (short received, over-priced beyond the tolerance, within it,
 * a line without a receipt, a receipt line invoiced twice), the approval flow (post refused → approve with a
 * note → posted; reject), the same supplier + number refused, due dates from the supplier's terms, scope
 * (a franchisee records and sees only its own), refusals that write nothing, and both invoice registers read
 * back from the XLSX (and the CSV) they are downloaded as.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { cancelInvoice, insertDraftInvoice, postInvoice } from '../../src/invoicing/posting';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec } from '../../src/persistence/sql';
import type { DocumentActor } from '../../src/platform/actor';

const WAREHOUSE = '00000000-0000-7000-8009-0000000000b1';
const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const [p0, p1, p2, p3] = F.products; // p0 21 %, p1 10 %, p2 4 %, p3 21 % weighed (grams, €/kg)
const hqActor: DocumentActor = { kind: 'user', user: { id: '00000000-0000-7000-8007-000000000001', email: 'hq@test.demo', name: 'HQ', role: 'hq_admin', companyId: null, storeId: null, companyIds: [] } };

type Line = { receiptId: string | null; receiptLineNo: number | null; description?: string | null; quantityMilli: number; unitPriceCents: number; discountBp?: number; ivaRateBp: number; reRateBp?: number };

describe.each(engines)('supplier invoices on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let ruiz: string;
  let levante: string;
  let supplierId: string;
  let receiptId: string;
  let ruizReceiptId: string;
  let invoiceA: string;

  const counts = async () => {
    const out: Record<string, number> = {};
    for (const t of ['supplier_invoice', 'supplier_invoice_line', 'supplier_invoice_tax', 'supplier_invoice_due', 'audit_log']) {
      out[t] = Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${t}`))[0]!.n);
    }
    return out;
  };
  /** A sent order delivered to `locationId`, received as `received` (order line no → quantity); the receipt id. */
  async function orderAndReceive(locationId: string, lines: Array<{ productId: string; quantity: number; unitCostCents: number; discountBp?: number }>, received: Record<number, number>) {
    const o = await h.api('POST', '/api/purchase-orders', { token: hq, body: { supplierId, locationId, lines } });
    expect(o.status).toBe(201);
    expect((await h.api('POST', `/api/purchase-orders/${o.body.id}/send`, { token: hq })).status).toBe(200);
    const id = randomUUID();
    const r = await h.api('POST', `/api/purchase-orders/${o.body.id}/receipts`, {
      token: hq, body: { id, lines: Object.entries(received).map(([no, quantity]) => ({ orderLineNo: Number(no), quantity })) },
    });
    expect(r.status).toBe(201);
    return id;
  }
  const header = (over: object = {}) => ({ companyId: F.franchisor.id, supplierId, supplierNumber: 'A-100', invoiceDate: '2026-11-25', receivedDate: '2026-11-28', ...over });
  async function download(fileId: string): Promise<Buffer> {
    const res = await fetch(`${h.url}/api/files/${fileId}`, { headers: { authorization: `Bearer ${hq}` } });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    hq = await h.login(F.hq);
    ruiz = await h.login(F.managerRuiz);
    levante = await h.login(F.managerLevante);
    await exec(h.ds.manager, "INSERT INTO warehouse (id, code, company_id, name, address) VALUES (?, 'CENTRAL', ?, 'Almacén central', NULL)", [WAREHOUSE, F.franchisor.id]);
    const s = await h.api('POST', '/api/suppliers', { token: hq, body: { name: 'Distribuciones Norte S.L.', nif: 'B12345674', paymentTermsDays: 30 } });
    supplierId = s.body.id;
    // Ordered: p0 10 × 2,50 € −10 %, p1 8 × 3,00 €, p2 5 × 1,00 €, p3 2.000 g × 12,00 €/kg. Received: p1 only 6 (short).
    receiptId = await orderAndReceive(
      WAREHOUSE,
      [{ productId: p0!.id, quantity: 10, unitCostCents: 250, discountBp: 1000 }, { productId: p1!.id, quantity: 8, unitCostCents: 300 }, { productId: p2!.id, quantity: 5, unitCostCents: 100 }, { productId: p3!.id, quantity: 2000, unitCostCents: 1200 }],
      { 1: 10, 2: 6, 3: 5, 4: 2000 },
    );
    // Ruiz's Madrid 1 store: 4 × 2,50 € of p0.
    ruizReceiptId = await orderAndReceive(F.storeM1.id, [{ productId: p0!.id, quantity: 4, unitCostCents: 250 }], { 1: 4 });
  });
  afterAll(async () => h?.teardown());

  it('prefills the lines from the receipt at the order’s prices, lists the receipt as invoiceable', async () => {
    const rs = await h.api('GET', `/api/supplier-invoices/receipts?supplierId=${supplierId}&companyId=${F.franchisor.id}`, { token: hq });
    // Left to invoice at order prices: 22,50 + 6 × 3,00 + 5,00 + 2 kg × 12,00 = 22,50 + 18,00 + 5,00 + 24,00 = 69,50 €
    expect(rs.body.items).toEqual([expect.objectContaining({ id: receiptId, baseCents: 6950 })]);
    const r = await h.api('POST', '/api/supplier-invoices/prefill', { token: hq, body: { companyId: F.franchisor.id, supplierId, receiptIds: [receiptId] } });
    expect(r.status).toBe(200);
    expect(r.body.lines).toEqual([
      { receiptId, receiptLineNo: 1, description: p0!.name, quantityMilli: 10_000, unitPriceCents: 250, discountBp: 1000, ivaRateBp: 2100, reRateBp: 0 },
      { receiptId, receiptLineNo: 2, description: p1!.name, quantityMilli: 6_000, unitPriceCents: 300, discountBp: 0, ivaRateBp: 1000, reRateBp: 0 },
      { receiptId, receiptLineNo: 3, description: p2!.name, quantityMilli: 5_000, unitPriceCents: 100, discountBp: 0, ivaRateBp: 400, reRateBp: 0 },
      { receiptId, receiptLineNo: 4, description: p3!.name, quantityMilli: 2_000, unitPriceCents: 1200, discountBp: 0, ivaRateBp: 2100, reRateBp: 0 },
    ]);
  });

  it('matches line by line (worked by hand) and holds an invoice with differences for approval', async () => {
    const lines: Line[] = [
      // p0 as ordered and received: 10 × 2,50 − 10 % = 22,50                                   → no difference
      { receiptId, receiptLineNo: 1, quantityMilli: 10_000, unitPriceCents: 250, discountBp: 1000, ivaRateBp: 2100 },
      // p1 short received: 8 invoiced, 6 came; 8 × 3,00 = 24,00                                → quantity 6.000 / 8.000
      { receiptId, receiptLineNo: 2, quantityMilli: 8_000, unitPriceCents: 300, ivaRateBp: 1000 },
      // p2 1,01 vs 1,00: |1,01 − 1,00| = 1 % of the price, the tolerance is 1 % → within; 5 × 1,01 = 5,05
      { receiptId, receiptLineNo: 3, quantityMilli: 5_000, unitPriceCents: 101, ivaRateBp: 400 },
      // p3 12,50 €/kg vs 12,00: +4,17 % > 1 % → price (µ€/kg 12.000.000 expected, 12.500.000 got); 2 kg × 12,50 = 25,00
      { receiptId, receiptLineNo: 4, quantityMilli: 2_000, unitPriceCents: 1250, ivaRateBp: 2100 },
      // transport without any receipt: 1 × 15,00                                               → no_receipt
      { receiptId: null, receiptLineNo: null, description: 'Portes / Transport', quantityMilli: 1_000, unitPriceCents: 1500, ivaRateBp: 2100 },
    ];
    // 21 %: 22,50 + 25,00 + 15,00 = 62,50 → IVA 13,125 → 13,13; 10 %: 24,00 → 2,40; 4 %: 5,05 → 0,202 → 0,20
    // base 62,50 + 24,00 + 5,05 = 91,55; IVA 13,13 + 2,40 + 0,20 = 15,73; total 107,28
    const check = await h.api('POST', '/api/supplier-invoices/check', { token: hq, body: { ...header(), lines } });
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ status: 'pending_approval', differenceCount: 3, totalCents: 10_728 });
    expect(await counts()).toMatchObject({ supplier_invoice: 0 });

    const r = await h.api('POST', '/api/supplier-invoices', { token: hq, body: { ...header(), lines } });
    expect(r.status).toBe(201);
    invoiceA = r.body.id;
    expect(r.body).toMatchObject({ status: 'pending_approval', period: '2026-11', baseCents: 9155, ivaCents: 1573, reCents: 0, irpfCents: 0, totalCents: 10_728, differenceCount: 3, registerNumber: null });
    expect(r.body.lines.map((l: { baseCents: number; differences: unknown[] }) => [l.baseCents, l.differences])).toEqual([
      [2250, []],
      [2400, [{ kind: 'quantity', expected: 6000, got: 8000 }]],
      [505, []],
      [2500, [{ kind: 'price', expected: 12_000_000, got: 12_500_000, toleranceBp: 100 }]],
      [1500, [{ kind: 'no_receipt' }]],
    ]);
    expect(r.body.lines[0]).toMatchObject({ description: p0!.name, productId: p0!.id, orderNumber: expect.stringMatching(/^PC-2026-/), receiptNumber: expect.stringMatching(/^EM-2026-/) });
    expect(r.body.dues).toEqual([]);
  });

  it('refuses posting it before approval, then approval with a note posts it: register number, taxes, due date', async () => {
    const before = await counts();
    const p = await h.api('POST', `/api/supplier-invoices/${invoiceA}/post`, { token: hq });
    expect(p.status).toBe(409);
    expect(p.body.code).toBe('NEEDS_APPROVAL');
    expect(await counts()).toEqual(before);
    expect((await h.api('POST', `/api/supplier-invoices/${invoiceA}/approve`, { token: hq, body: { note: '' } })).status).toBe(400);

    const a = await h.api('POST', `/api/supplier-invoices/${invoiceA}/approve`, { token: hq, body: { note: 'Portes pactados; precio de p3 subió en noviembre' } });
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ status: 'posted', registerNumber: 'RC-2026-000001', decisionNote: 'Portes pactados; precio de p3 subió en noviembre', postedAt: expect.any(String) });
    expect(a.body.taxes).toEqual([
      { ivaRateBp: 2100, reRateBp: 0, baseCents: 6250, ivaCents: 1313, reCents: 0 },
      { ivaRateBp: 1000, reRateBp: 0, baseCents: 2400, ivaCents: 240, reCents: 0 },
      { ivaRateBp: 400, reRateBp: 0, baseCents: 505, ivaCents: 20, reCents: 0 },
    ]);
    // Terms 30 days from the invoice date 25/11/2026 → 25/12/2026, the whole total.
    expect(a.body.dues).toEqual([{ dueDate: '2026-12-25', amountCents: 10_728 }]);
    const audit = await all<{ action: string }>(h.ds.manager, "SELECT action FROM audit_log WHERE entity = 'supplier_invoice' ORDER BY at, action");
    expect(audit.map((x) => x.action)).toEqual(['supplier_invoice.approve', 'supplier_invoice.record']);
    // Approving again: nothing to approve.
    expect((await h.api('POST', `/api/supplier-invoices/${invoiceA}/approve`, { token: hq, body: { note: 'otra vez' } })).status).toBe(409);
  });

  it('refuses the same supplier + number twice, and bad input naming the field, writing nothing', async () => {
    const before = await counts();
    const line: Line = { receiptId: null, receiptLineNo: null, description: 'X', quantityMilli: 1000, unitPriceCents: 100, ivaRateBp: 2100 };
    const dup = await h.api('POST', '/api/supplier-invoices', { token: hq, body: { ...header({ supplierNumber: 'a-100' }), lines: [line] } });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ path: 'supplierNumber', message: expect.stringContaining('A-100') }]);
    for (const [body, path] of [
      [{ ...header({ supplierNumber: 'Z-1' }), lines: [{ ...line, receiptId }] }, 'lines.0.receiptLineNo'],
      [{ ...header({ supplierNumber: 'Z-1' }), lines: [{ ...line, description: null }] }, 'lines.0.description'],
      [{ ...header({ supplierNumber: 'Z-1', receivedDate: '2026-11-20' }), lines: [line] }, 'receivedDate'],
      [{ ...header({ supplierNumber: 'Z-1' }), lines: [{ ...line, ivaRateBp: 1800 }] }, 'lines.0.ivaRateBp'],
      [{ ...header({ supplierNumber: 'Z-1', supplierId: randomUUID() }), lines: [line] }, 'supplierId'],
      [{ ...header({ supplierNumber: 'Z-1' }), lines: [{ ...line, receiptId: ruizReceiptId, receiptLineNo: 1 }] }, 'lines.0.receiptId'],
      [{ ...header({ supplierNumber: 'Z-1' }), lines: [{ ...line, reRateBp: 520, ivaRateBp: 0 }] }, 'lines.0.reRateBp'],
    ] as const) {
      const r = await h.api('POST', '/api/supplier-invoices', { token: hq, body });
      // Schema refusals answer 400, business-rule ones 422: both problem+json naming the field.
      expect([400, 422], path).toContain(r.status);
      expect(r.body.errors.map((e: { path: string }) => e.path), path).toContain(path);
    }
    expect(await counts()).toEqual(before);
  });

  it('flags a receipt line invoiced twice; rejecting frees it', async () => {
    // p0's receipt line is all on A-100: 10.000 received − 10.000 invoiced = 0 expected.
    const r = await h.api('POST', '/api/supplier-invoices', {
      token: hq, body: { ...header({ supplierNumber: 'B-7' }), lines: [{ receiptId, receiptLineNo: 1, quantityMilli: 10_000, unitPriceCents: 250, discountBp: 1000, ivaRateBp: 2100 }] },
    });
    expect(r.status).toBe(201);
    expect(r.body.lines[0].differences).toEqual([{ kind: 'already_invoiced', expected: 0, got: 10_000, invoices: ['A-100'] }]);
    expect(r.body.status).toBe('pending_approval');
    // A franchisee manager may not decide on another company's invoice.
    expect((await h.api('POST', `/api/supplier-invoices/${r.body.id}/reject`, { token: ruiz, body: { note: 'no' } })).status).toBe(403);
    const rej = await h.api('POST', `/api/supplier-invoices/${r.body.id}/reject`, { token: hq, body: { note: 'Duplicada: ya registrada como A-100' } });
    expect(rej.body).toMatchObject({ status: 'rejected', decisionNote: 'Duplicada: ya registrada como A-100', registerNumber: null, dues: [], taxes: [] });
    expect((await h.api('POST', `/api/supplier-invoices/${r.body.id}/post`, { token: hq })).status).toBe(409);
  });

  it('lets a franchisee record, post (no differences) and see only its own; recargo; scope refusals', async () => {
    // 4 × 2,50 = 10,00 at 21 % + recargo 5,2 %: IVA 2,10, recargo 0,52, total 12,62
    const body = {
      supplierId, supplierNumber: 'R-55', invoiceDate: '2026-11-28', receivedDate: '2026-11-29',
      lines: [{ receiptId: ruizReceiptId, receiptLineNo: 1, quantityMilli: 4000, unitPriceCents: 250, ivaRateBp: 2100, reRateBp: 520 }],
    };
    const before = await counts();
    // Levante, for its own company, cannot use Ruiz's receipt; nor record for Ruiz.
    const other = await h.api('POST', '/api/supplier-invoices', { token: levante, body });
    expect(other.status).toBe(422);
    expect(other.body.errors[0].path).toBe('lines.0.receiptId');
    expect((await h.api('POST', '/api/supplier-invoices', { token: levante, body: { ...body, companyId: F.ruiz.id } })).status).toBe(403);
    expect(await counts()).toEqual(before);

    const r = await h.api('POST', '/api/supplier-invoices', { token: ruiz, body });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ companyId: F.ruiz.id, status: 'recorded', differenceCount: 0, baseCents: 1000, ivaCents: 210, reCents: 52, totalCents: 1262 });
    const p = await h.api('POST', `/api/supplier-invoices/${r.body.id}/post`, { token: ruiz });
    // Ruiz's own register starts at 1; due 28/11 + 30 days = 28/12/2026.
    expect(p.body).toMatchObject({ status: 'posted', registerNumber: 'RC-2026-000001', dues: [{ dueDate: '2026-12-28', amountCents: 1262 }] });
    // Posting again answers the same, writing nothing.
    const again = await counts();
    expect((await h.api('POST', `/api/supplier-invoices/${r.body.id}/post`, { token: ruiz })).body.registerNumber).toBe('RC-2026-000001');
    expect(await counts()).toEqual(again);

    expect((await h.api('GET', '/api/supplier-invoices', { token: ruiz })).body.items.map((x: { supplierNumber: string }) => x.supplierNumber)).toEqual(['R-55']);
    expect((await h.api('GET', '/api/supplier-invoices', { token: levante })).body.items).toEqual([]);
    expect((await h.api('GET', `/api/supplier-invoices/${r.body.id}`, { token: levante })).status).toBe(403);
    expect((await h.api('GET', `/api/supplier-invoices/${invoiceA}`, { token: ruiz })).status).toBe(403);
    const all3 = await h.api('GET', '/api/supplier-invoices?sort=supplier&dir=asc', { token: hq });
    expect(all3.body.total).toBe(3);
    expect((await h.api('GET', '/api/supplier-invoices?status=rejected', { token: hq })).body.items.map((x: { supplierNumber: string }) => x.supplierNumber)).toEqual(['B-7']);
  });

  it('writes both registers; their figures read back from the XLSX and the CSV', async () => {
    // A professional's invoice with IRPF: 200,00 + 21 % IVA 42,00 − 15 % IRPF 30,00 = 212,00 (no receipt: approved).
    const g = await h.api('POST', '/api/supplier-invoices', {
      token: hq, body: { ...header({ supplierNumber: 'G-2026/11', invoiceDate: '2026-11-27', irpfBp: 1500 }), lines: [{ receiptId: null, receiptLineNo: null, description: 'Asesoría fiscal noviembre', quantityMilli: 1000, unitPriceCents: 20_000, ivaRateBp: 2100 }] },
    });
    expect(g.body).toMatchObject({ baseCents: 20_000, ivaCents: 4200, irpfCents: 3000, totalCents: 21_200 });
    expect((await h.api('POST', `/api/supplier-invoices/${g.body.id}/approve`, { token: hq, body: { note: 'Servicio sin pedido' } })).body.registerNumber).toBe('RC-2026-000002');

    // Received, franchisor, November: A-100 (3 rates) + G-2026/11.
    // base 91,55 + 200,00 = 291,55; IVA 15,73 + 42,00 = 57,73; totals 107,28 + 212,00 = 319,28
    const rb = await h.api('POST', '/api/invoice-books', { token: hq, body: { companyId: F.franchisor.id, period: '2026-11', book: 'received' } });
    expect(rb.status).toBe(201);
    expect(rb.body).toMatchObject({ rows: 4, baseCents: 29_155, ivaCents: 5773, totalCents: 31_928, name: `libro-recibidas-2026-11-${F.franchisor.nif}.xlsx` });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(rb.body.fileId)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const heads = (ws.getRow(1).values as unknown[]).slice(1);
    expect(heads).toEqual([
      'Ejercicio', 'Periodo', 'Nº Recepción', 'Tipo de Factura', 'Fecha Expedición', 'Fecha Operación', 'Fecha Recepción', 'Serie-Número', 'NIF Expedidor', 'Nombre Expedidor',
      'Base Imponible', 'Tipo de IVA', 'Cuota IVA Soportada', 'Tipo de Recargo eq.', 'Cuota Recargo eq.', 'Retención IRPF', 'Total Factura',
    ]);
    const rows = [2, 3, 4, 5].map((i) => (ws.getRow(i).values as unknown[]).slice(1));
    const col = (name: string) => heads.indexOf(name);
    expect(rows.map((r) => [r[col('Nº Recepción')], r[col('Serie-Número')], r[col('Base Imponible')], r[col('Tipo de IVA')], r[col('Cuota IVA Soportada')], r[col('Retención IRPF')] ?? null, r[col('Total Factura')] ?? null])).toEqual([
      ['RC-2026-000001', 'A-100', 62.5, 21, 13.13, 0, 107.28],
      ['RC-2026-000001', 'A-100', 24, 10, 2.4, null, null],
      ['RC-2026-000001', 'A-100', 5.05, 4, 0.2, null, null],
      ['RC-2026-000002', 'G-2026/11', 200, 21, 42, 30, 212],
    ]);
    expect(rows[0]![col('Fecha Expedición')]).toEqual(new Date('2026-11-25T00:00:00Z'));
    expect(rows[0]![col('NIF Expedidor')]).toBe('B12345674');
    const sum = (name: string) => Math.round(rows.reduce((a, r) => a + Number(r[col(name)] ?? 0), 0) * 100);
    expect([sum('Base Imponible'), sum('Cuota IVA Soportada'), sum('Total Factura')]).toEqual([29_155, 5773, 31_928]);

    // Issued, franchisor, Q4: one posted 1.331,00 (1.100,00 + 21 %) and one cancelled 121,00 (marked, not counted).
    const draft = (amount: number) => ({
      companyId: F.franchisor.id, invoiceType: 'F1' as const, source: 'manual' as const, recipient: { companyId: F.ruiz.id, nif: F.ruiz.nif, name: 'Ruiz S.L.', address: 'Calle 1' },
      paymentDays: [30], lines: [{ description: 'Servicio', quantityMilli: 1000, unitPriceCents: amount, ivaRateBp: 2100 as const }],
    });
    const i1 = await writeTransaction(h.ds, async (m) => { const { id } = await insertDraftInvoice(m, clock, hqActor, draft(110_000)); await postInvoice(m, clock, hqActor, id); return id; });
    const i2 = await writeTransaction(h.ds, async (m) => { const { id } = await insertDraftInvoice(m, clock, hqActor, draft(10_000)); await postInvoice(m, clock, hqActor, id); return id; });
    await writeTransaction(h.ds, (m) => cancelInvoice(m, clock, hqActor, i2, 'Emitida por error'));
    expect(i1).not.toBe(i2);
    const ib = await h.api('POST', '/api/invoice-books', { token: hq, body: { companyId: F.franchisor.id, period: '2026-4T', book: 'issued', format: 'csv' } });
    expect(ib.body).toMatchObject({ rows: 2, baseCents: 110_000, ivaCents: 23_100, totalCents: 133_100 });
    const csv = (await download(ib.body.fileId)).toString('utf8');
    const [head, ...lines] = csv.replace(/^\uFEFF/, '').trim().split('\n');
    expect(head).toBe('Ejercicio;Periodo;Tipo de Factura;Fecha Expedición;Fecha Operación;Serie;Número;NIF Destinatario;Nombre Destinatario;Causa Exención;Base Imponible;Tipo de IVA;Cuota IVA;Tipo de Recargo eq.;Cuota Recargo eq.;Retención IRPF;Total Factura;Estado');
    expect(lines).toEqual([
      `2026;11;F1;30/11/2026;30/11/2026;FV;FV-2026-000001;${F.ruiz.nif};Ruiz S.L.;;1100.00;21;231.00;0;0.00;0.00;1331.00;Registrada`,
      `2026;11;F1;30/11/2026;30/11/2026;FV;FV-2026-000002;${F.ruiz.nif};Ruiz S.L.;;100.00;21;21.00;0;0.00;0.00;121.00;Anulada`,
    ]);
    // The issued XLSX reads back the same figures.
    const ix = await h.api('POST', '/api/invoice-books', { token: hq, body: { companyId: F.franchisor.id, period: '2026-11', book: 'issued' } });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load((await download(ix.body.fileId)) as unknown as ArrayBuffer);
    const r2 = (wb2.worksheets[0]!.getRow(2).values as unknown[]).slice(1);
    expect([r2[6], r2[10], r2[11], r2[12], r2[16], r2[17]]).toEqual(['FV-2026-000001', 1100, 21, 231, 1331, 'Registrada']);

    // Scope: Levante cannot make Ruiz's books; a bad period names the field.
    expect((await h.api('POST', '/api/invoice-books', { token: levante, body: { companyId: F.ruiz.id, period: '2026-11', book: 'received' } })).status).toBe(403);
    const bad = await h.api('POST', '/api/invoice-books', { token: hq, body: { companyId: F.franchisor.id, period: '2026-13', book: 'received' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('period');
    // Ruiz's received book: its one invoice with the recargo.
    const ruizBook = await h.api('POST', '/api/invoice-books', { token: ruiz, body: { companyId: F.ruiz.id, period: '2026', book: 'received', format: 'csv' } });
    expect(ruizBook.body).toMatchObject({ rows: 1, baseCents: 1000, ivaCents: 210, totalCents: 1262 });
  });
});
