/**
 * Purchasing on both engines, over HTTP: the supplier master completed (IBAN checked), supplier products, a
 * purchase order's amounts (worked by hand below), its lifecycle draft → sent (number, PDF) → partially
 * received → received → closed, goods receipts that move stock and the weighted average at the line's net
 * cost, over-receipt beyond the tolerance, lots and best-before, idempotent posting, refusals that write
 * nothing, scope, and `createPurchaseOrderDraft` rounding to packs and minimum orders.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { authenticate } from '../../src/auth/service';
import { createPurchaseOrderDraft } from '../../src/purchasing/api';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec } from '../../src/persistence/sql';
import { postStockMoves } from '../../src/stock/ledger';

const WAREHOUSE = '00000000-0000-7000-8009-0000000000a1';
const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };
const [p0, p1, p2, p3] = F.products; // p0 21 %, p1 10 %, p2 4 % (tracks lots below), p3 21 % weighed

describe.each(engines)('purchasing on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let supplierId: string;
  let orderId: string;

  const level = async (loc: string, product: string) =>
    Number((await all<{ q: unknown }>(h.ds.manager, 'SELECT quantity AS q FROM stock_level WHERE location_id = ? AND product_id = ?', [loc, product]))[0]?.q ?? 0);
  const avg = async (product: string) =>
    Number((await all<{ a: unknown }>(h.ds.manager, 'SELECT avg_cost_micros AS a FROM stock_cost WHERE company_id = ? AND product_id = ?', [F.franchisor.id, product]))[0]?.a ?? -1);
  const counts = async () => {
    const out: Record<string, number> = {};
    for (const t of ['purchase_order', 'purchase_order_line', 'goods_receipt', 'goods_receipt_line', 'stock_movement', 'stock_cost_history', 'document_counter', 'audit_log']) {
      out[t] = Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${t}`))[0]!.n);
    }
    out.received = Number((await all<{ n: unknown }>(h.ds.manager, 'SELECT COALESCE(SUM(received_quantity), 0) AS n FROM purchase_order_line'))[0]!.n);
    return out;
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    hq = await h.login(F.hq);
    await exec(h.ds.manager, "INSERT INTO warehouse (id, code, company_id, name, address) VALUES (?, 'CENTRAL', ?, 'Almacén central', NULL)", [WAREHOUSE, F.franchisor.id]);
    await exec(h.ds.manager, "INSERT INTO product_barcode (barcode, product_id) VALUES ('8410000000017', ?)", [p0!.id]);
  });
  afterAll(async () => h?.teardown());

  it('keeps a supplier’s addresses, contacts and a valid IBAN; refuses an invalid one', async () => {
    const body = {
      name: 'Distribuciones Norte S.L.', nif: 'B12345674', paymentTermsDays: 45, overReceiptToleranceBp: 500,
      addresses: [{ kind: 'billing', line: 'Calle Mayor 1', postalCode: '28001', city: 'Madrid', province: 'Madrid' }],
      contacts: [{ name: 'Ana Ruiz', role: 'Comercial', email: 'ana@norte.demo' }],
      iban: 'ES91 2100 0418 4502 0005 1332',
    };
    const bad = await h.api('POST', '/api/suppliers', { token: hq, body: { ...body, iban: 'ES91 2100 0418 4502 0005 1333' } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ path: 'iban', message: expect.stringContaining('IBAN') }]);
    expect(Number((await all<{ n: unknown }>(h.ds.manager, 'SELECT COUNT(*) AS n FROM supplier'))[0]!.n)).toBe(0);

    const r = await h.api('POST', '/api/suppliers', { token: hq, body });
    expect(r.status).toBe(201);
    supplierId = r.body.id;
    const got = await h.api('GET', `/api/suppliers/${supplierId}`, { token: hq });
    expect(got.body).toMatchObject({
      iban: 'ES9121000418450200051332', overReceiptToleranceBp: 500, paymentTermsDays: 45,
      addresses: [{ kind: 'billing', line: 'Calle Mayor 1', postalCode: '28001', city: 'Madrid', province: 'Madrid', country: 'ES' }],
      contacts: [{ name: 'Ana Ruiz', role: 'Comercial', email: 'ana@norte.demo', phone: null }],
    });
  });

  it('keeps supplier products with one preferred supplier per product', async () => {
    const other = (await h.api('POST', '/api/suppliers', { token: hq, body: { name: 'Otro S.L.' } })).body.id as string;
    const put = (sid: string, pid: string, b: object) => h.api('PUT', `/api/suppliers/${sid}/products/${pid}`, { token: hq, body: b });
    expect((await put(other, p1!.id, { costCents: 300, preferred: true })).status).toBe(200);
    expect((await put(supplierId, p0!.id, { reference: 'N-001', costCents: 250, packSize: 1, minOrderQty: 0, leadTimeDays: 2, preferred: true })).status).toBe(200);
    expect((await put(supplierId, p1!.id, { reference: 'N-002', costCents: 333, packSize: 6, minOrderQty: 12, leadTimeDays: 3, preferred: true })).body).toMatchObject({ packSize: 6, minOrderQty: 12, preferred: true });
    expect((await put(supplierId, p2!.id, { costCents: 199 })).status).toBe(200);
    // p1 preferred at Norte now, no longer at the other one.
    expect((await h.api('GET', `/api/suppliers/${other}/products`, { token: hq })).body.items).toEqual([expect.objectContaining({ productId: p1!.id, preferred: false })]);
    const mine = (await h.api('GET', `/api/suppliers/${supplierId}/products`, { token: hq })).body.items;
    expect(mine.map((x: { productId: string; preferred: boolean }) => [x.productId, x.preferred])).toEqual([[p0!.id, true], [p1!.id, true], [p2!.id, false]]);
    expect((await put(supplierId, randomUUID(), { costCents: 1 })).status).toBe(422);
  });

  it('prices a draft by hand: line bases, IVA once per rate, total', async () => {
    // p0: 10 × 2,50 € − 10 %            = 22,50 €   (21 %)
    // p1:  7 × 3,33 € (supplier's cost) = 23,31 €   (10 %)
    // p3: 2.500 g × 12,90 €/kg          = 32,25 €   (21 %, weighed: cost per kg)
    // p2:  3 × 1,99 € − 2,5 % = 5,82075 → 5,82 €    (4 %)
    // 21 %: base 54,75 → IVA 11,4975 → 11,50; 10 %: 23,31 → 2,331 → 2,33; 4 %: 5,82 → 0,2328 → 0,23
    // base 83,88 + IVA 14,06 = 97,94 €
    const r = await h.api('POST', '/api/purchase-orders', {
      token: hq,
      body: {
        supplierId, locationId: WAREHOUSE, expectedDate: '2026-12-03', note: 'Entrega por la mañana',
        lines: [
          { productId: p0!.id, quantity: 10, unitCostCents: 250, discountBp: 1000 },
          { productId: p1!.id, quantity: 7 },
          { productId: p3!.id, quantity: 2500, unitCostCents: 1290 },
          { productId: p2!.id, quantity: 3, discountBp: 250 },
        ],
      },
    });
    expect(r.status).toBe(201);
    orderId = r.body.id;
    expect(r.body).toMatchObject({ status: 'draft', number: null, companyId: F.franchisor.id, toleranceBp: 500, baseCents: 8388, taxCents: 1406, totalCents: 9794 });
    expect(r.body.lines.map((l: { baseCents: number; netUnitCostMicros: number }) => [l.baseCents, l.netUnitCostMicros])).toEqual([
      [2250, 2_250_000], [2331, 3_330_000], [3225, 12_900], [582, 1_940_250],
    ]);
    expect(r.body.taxes).toEqual([{ rateBp: 2100, baseCents: 5475, taxCents: 1150 }, { rateBp: 1000, baseCents: 2331, taxCents: 233 }, { rateBp: 400, baseCents: 582, taxCents: 23 }]);
    expect(r.body.lines[0].barcodes).toEqual(['8410000000017']);
    expect(r.body.lines[1].supplierRef).toBe('N-002');

    // A product without any cost (neither the supplier's nor its own) needs one typed: field error, nothing written.
    const before = await counts();
    const bad = await h.api('POST', '/api/purchase-orders', { token: hq, body: { supplierId, locationId: WAREHOUSE, lines: [{ productId: p3!.id, quantity: 1 }] } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ path: 'lines.0.unitCostCents', message: expect.any(String) }]);
    expect(await counts()).toEqual(before);
  });

  it('sends once: numbered PC, PDF kept; editing or sending it again is refused', async () => {
    const sent = await h.api('POST', `/api/purchase-orders/${orderId}/send`, { token: hq });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: 'sent', number: 'PC-2026-000001', sentAt: '2026-11-30T09:00:00.000Z' });
    expect(sent.body.pdfFileId).toEqual(expect.any(String));
    const pdf = await h.api('GET', `/api/purchase-orders/${orderId}/pdf`, { token: hq });
    expect(pdf.status).toBe(200);
    expect(String(pdf.body).startsWith('%PDF')).toBe(true);

    const before = await counts();
    const again = await h.api('POST', `/api/purchase-orders/${orderId}/send`, { token: hq });
    expect(again.status).toBe(409);
    const edit = await h.api('PUT', `/api/purchase-orders/${orderId}`, { token: hq, body: { supplierId, locationId: WAREHOUSE, lines: [{ productId: p0!.id, quantity: 1 }] } });
    expect(edit.status).toBe(409);
    expect(edit.body.detail).toMatch(/borrador.*draft/);
    expect(await counts()).toEqual(before);
  });

  it('receives partly at the line’s net cost, moving the average; a retried receipt posts once', async () => {
    // 4 units of p0 already in the warehouse at 3,00 €.
    await writeTransaction(h.ds, (m) =>
      postStockMoves(m, clock, [{ locationId: WAREHOUSE, productId: p0!.id, delta: 4, reason: 'receipt', documentType: 'test', documentId: randomUUID(), documentLine: 1, purchaseCostMicros: 3_000_000 }]),
    );
    const receipt = { id: randomUUID(), lines: [{ orderLineNo: 1, quantity: 6 }, { orderLineNo: 3, quantity: 1000 }] };
    const r = await h.api('POST', `/api/purchase-orders/${orderId}/receipts`, { token: hq, body: receipt });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('partially_received');
    expect(r.body.receipts).toEqual([expect.objectContaining({ number: 'EM-2026-000001', locationId: WAREHOUSE })]);
    expect(r.body.lines.map((l: { receivedQuantity: number }) => l.receivedQuantity)).toEqual([6, 0, 1000, 0]);
    // p0: (4 × 3,00 + 6 × 2,25) / 10 = 2,55 €; p3: 1.000 g at 0,0129 €/g (no stock before).
    expect(await level(WAREHOUSE, p0!.id)).toBe(10);
    expect(await avg(p0!.id)).toBe(2_550_000);
    expect(await level(WAREHOUSE, p3!.id)).toBe(1000);
    expect(await avg(p3!.id)).toBe(12_900);
    // The order's page shows the same stock and average per line.
    expect(r.body.lines.map((l: { onHand: number; avgCostMicros: number | null }) => [l.onHand, l.avgCostMicros])).toEqual([[10, 2_550_000], [0, null], [1000, 12_900], [0, null]]);
    // The product's movements name the goods receipt's number (the earlier test stock has none).
    const mv = await h.api('GET', `/api/stock/products/${p0!.id}/movements`, { token: hq });
    expect(mv.body.items.map((x: { documentType: string; documentNumber: string | null; delta: number }) => [x.documentType, x.documentNumber, x.delta]))
      .toEqual(expect.arrayContaining([['goods_receipt', 'EM-2026-000001', 6], ['test', null, 4]]));

    const before = await counts();
    const retry = await h.api('POST', `/api/purchase-orders/${orderId}/receipts`, { token: hq, body: receipt });
    expect(retry.status).toBe(409);
    expect(retry.body.code).toBe('ALREADY_POSTED');
    expect(await counts()).toEqual(before);
    expect(await level(WAREHOUSE, p0!.id)).toBe(10);
  });

  it('needs a reason beyond the tolerance and a lot with best-before for products that track them', async () => {
    expect((await h.api('PUT', `/api/products/${p2!.id}/lot-tracking`, { token: hq, body: { tracksLots: true } })).status).toBe(200);
    const before = await counts();
    // p0: 6 received + 5 = 11 of 10 ordered: 110 % > 105 %; p2 without lot nor date.
    const bad = await h.api('POST', `/api/purchase-orders/${orderId}/receipts`, {
      token: hq, body: { id: randomUUID(), lines: [{ orderLineNo: 1, quantity: 5 }, { orderLineNo: 4, quantity: 3 }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['lines.0.overReason', 'lines.1.bestBefore', 'lines.1.lot']);
    expect(await counts()).toEqual(before);

    // Within the tolerance needs no reason: p1 7 of 7. Beyond it, with a reason; p2 with its lot.
    const ok = await h.api('POST', `/api/purchase-orders/${orderId}/receipts`, {
      token: hq,
      body: {
        id: randomUUID(),
        lines: [
          { orderLineNo: 1, quantity: 5, overReason: 'Promoción del proveedor: 1 de regalo' },
          { orderLineNo: 2, quantity: 7 },
          { orderLineNo: 3, quantity: 1500 },
          { orderLineNo: 4, quantity: 3, lot: 'L-2611', bestBefore: '2027-05-31' },
        ],
      },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.status).toBe('received');
    expect(ok.body.receipts.map((x: { number: string }) => x.number)).toEqual(['EM-2026-000001', 'EM-2026-000002']);
    // p0: (10 × 2,55 + 5 × 2,25) / 15 = 36,75 / 15 = 2,45 €
    expect(await level(WAREHOUSE, p0!.id)).toBe(15);
    expect(await avg(p0!.id)).toBe(2_450_000);
    const lot = await all<{ lot: string; best_before: string; unit_cost_micros: unknown }>(
      h.ds.manager, 'SELECT lot, best_before, unit_cost_micros FROM stock_movement WHERE product_id = ? AND location_id = ?', [p2!.id, WAREHOUSE],
    );
    expect(lot.map((x) => [x.lot, x.best_before, Number(x.unit_cost_micros)])).toEqual([['L-2611', '2027-05-31', 1_940_250]]);
  });

  it('refuses to cancel a received order, closes it, and refuses receiving a closed one', async () => {
    const before = await counts();
    const cancel = await h.api('POST', `/api/purchase-orders/${orderId}/cancel`, { token: hq });
    expect(cancel.status).toBe(409);
    expect(cancel.body.detail).toMatch(/No se puede anular.*cannot be cancelled/);
    expect(await counts()).toEqual(before);
    const closed = await h.api('POST', `/api/purchase-orders/${orderId}/close`, { token: hq });
    expect(closed.body.status).toBe('closed');
    const late = await h.api('POST', `/api/purchase-orders/${orderId}/receipts`, { token: hq, body: { id: randomUUID(), lines: [{ orderLineNo: 2, quantity: 1 }] } });
    expect(late.status).toBe(409);
    // A draft may be cancelled.
    const draft = await h.api('POST', '/api/purchase-orders', { token: hq, body: { supplierId, locationId: WAREHOUSE, lines: [{ productId: p0!.id, quantity: 1 }] } });
    expect((await h.api('POST', `/api/purchase-orders/${draft.body.id}/cancel`, { token: hq })).body.status).toBe('cancelled');
    const list = await h.api('GET', '/api/purchase-orders?status=closed', { token: hq });
    expect(list.body.items.map((x: { id: string }) => x.id)).toEqual([orderId]);
  });

  it('keeps purchasing to HQ: franchisees and store managers are refused, nothing written', async () => {
    const before = await counts();
    for (const who of [F.managerRuiz, F.managerM1]) {
      const t = await h.login(who);
      expect((await h.api('GET', '/api/purchase-orders', { token: t })).status).toBe(403);
      expect((await h.api('POST', '/api/purchase-orders', { token: t, body: { supplierId, locationId: F.storeM1.id, lines: [{ productId: p0!.id, quantity: 1 }] } })).status).toBe(403);
      expect((await h.api('POST', `/api/purchase-orders/${orderId}/receipts`, { token: t, body: { id: randomUUID(), lines: [{ orderLineNo: 1, quantity: 1 }] } })).status).toBe(403);
    }
    expect(await counts()).toEqual(before);
    // The entry point other modules call checks the actor's company too: Ruiz may not order for the franchisor's warehouse.
    const ruiz = (await authenticate(h.ds, clock, await h.login(F.managerRuiz)))!;
    await expect(
      writeTransaction(h.ds, (m) => createPurchaseOrderDraft(m, clock, { kind: 'user', user: ruiz }, { companyId: F.franchisor.id, supplierId, deliverToLocationId: WAREHOUSE, lines: [{ productId: p0!.id, quantity: 1 }] })),
    ).rejects.toMatchObject({ problem: { status: 403 } });
    expect(await counts()).toEqual(before);
  });

  it('createPurchaseOrderDraft rounds up to the minimum order and whole packs, at the supplier’s costs', async () => {
    const user = (await authenticate(h.ds, clock, hq))!;
    // p1: 13 → at least 12 → packs of 6: 18 × 3,33 € = 59,94 €; p0: 5 (pack 1, no minimum) × 2,50 € = 12,50 €.
    // 10 %: 5,994 → 5,99; 21 %: 2,625 → 2,63 (half up). Total 72,44 + 8,62 = 81,06 €.
    const { id } = await writeTransaction(h.ds, (m) =>
      createPurchaseOrderDraft(m, clock, { kind: 'user', user }, { companyId: F.franchisor.id, supplierId, deliverToLocationId: WAREHOUSE, lines: [{ productId: p1!.id, quantity: 13 }, { productId: p0!.id, quantity: 5 }], proposalId: null }),
    );
    const d = (await h.api('GET', `/api/purchase-orders/${id}`, { token: hq })).body;
    expect(d.status).toBe('draft');
    expect(d.lines.map((l: { quantity: number; unitCostCents: number }) => [l.quantity, l.unitCostCents])).toEqual([[18, 333], [5, 250]]);
    expect([d.baseCents, d.taxCents, d.totalCents]).toEqual([7244, 862, 8106]);
    // A location of another company than the one named: field error, nothing written.
    const before = await counts();
    await expect(
      writeTransaction(h.ds, (m) => createPurchaseOrderDraft(m, clock, { kind: 'user', user }, { companyId: F.franchisor.id, supplierId, deliverToLocationId: F.storeM1.id, lines: [{ productId: p0!.id, quantity: 1 }] })),
    ).rejects.toMatchObject({ problem: { status: 422 } });
    expect(await counts()).toEqual(before);
  });
});
