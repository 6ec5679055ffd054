/**
 * Product blocks' withdrawals and supplier returns over HTTP on both engines (issue 17): HQ blocks a product
 * for Ruiz's two stores; the stores withdraw it (a stock adjustment with cause recall, and a store return
 * towards the supplier named against the block) and the block closes; the warehouse receives the store
 * return and returns goods to the supplier at its last purchase price; the supplier's credit notes are
 * matched, or their difference shown; per-supplier figures. Refusals (unknown product, empty lot or date
 * range, more than on hand, out of scope, repeats) write nothing. Figures worked out by hand in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { postStockMoves } from '../../src/stock/ledger';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec } from '../../src/persistence/sql';

const WAREHOUSE = '00000000-0000-7000-8009-0000000000b1';
const SUPPLIER = '00000000-0000-7000-8009-0000000000b2';
const ORDER = '00000000-0000-7000-8009-0000000000b3';
const [p1, p2] = F.products.filter((p) => !p.weighed);
const uuid = (n: number) => `00000000-0000-7000-8010-${n.toString(16).padStart(12, '0')}`;

describe.each(engines)('product blocks, withdrawals and supplier returns on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let now = Date.UTC(2026, 10, 30, 9, 0, 0);
  const clock = { now: () => now };
  const tick = () => (now += 1000);
  let hq = '';
  let ruiz = '';
  let levante = '';
  let m1 = '';
  let blockId = '';
  let storeReturnId = '';

  const level = async (loc: string, product: string) =>
    Number((await all<{ quantity: unknown }>(h.ds.manager, 'SELECT quantity FROM stock_level WHERE location_id = ? AND product_id = ?', [loc, product]))[0]?.quantity ?? 0);
  const count = async (table: string) => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
  const writes = () => Promise.all(['product_block', 'product_block_withdrawal', 'stock_movement', 'change_log', 'store_return', 'supplier_return', 'stock_adjustment'].map(count));
  const receipt = (loc: string, product: string, delta: number, cost: number) =>
    writeTransaction(h.ds, (m) => postStockMoves(m, clock, [{ locationId: loc, productId: product, delta, reason: 'receipt', documentType: 'test', documentId: uuid(900 + delta), documentLine: 1, purchaseCostMicros: cost }], { at: new Date(tick()).toISOString() }));

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    const m = h.ds.manager;
    const at = new Date(now).toISOString();
    await exec(m, `INSERT INTO warehouse (id, code, company_id, name, address) VALUES (?, 'ALM-C', ?, 'Almacén central', NULL)`, [WAREHOUSE, F.franchisor.id]);
    await exec(m, `INSERT INTO supplier (id, name, nif, created_at) VALUES (?, 'Lácteos del Norte S.A.', 'A12345674', ?)`, [SUPPLIER, at]);
    // Bought from the supplier: p1 at 1,875000 € then (later) at 1,950000 €; p2 at 0,555555 €. The last price is the return's cost.
    await exec(m, `INSERT INTO purchase_order (id, company_id, supplier_id, location_id, status, number, tolerance_bp, created_at, updated_at) VALUES (?, ?, ?, ?, 'received', 'PC-2026-000001', 0, ?, ?)`, [ORDER, F.franchisor.id, SUPPLIER, WAREHOUSE, at, at]);
    for (const [i, [when, lines]] of ([['2026-11-01T08:00:00.000Z', [[p1!.id, 1_875_000], [p2!.id, 555_555]]], ['2026-11-20T08:00:00.000Z', [[p1!.id, 1_950_000]]]] as const).entries()) {
      await exec(m, `INSERT INTO goods_receipt (id, company_id, order_id, location_id, number, posted_at) VALUES (?, ?, ?, ?, ?, ?)`, [uuid(i + 1), F.franchisor.id, ORDER, WAREHOUSE, `EM-2026-00000${i + 1}`, when]);
      for (const [j, [product, micros]] of lines.entries()) {
        await exec(m, `INSERT INTO goods_receipt_line (receipt_id, line_no, order_line_no, product_id, quantity, unit_cost_micros) VALUES (?, ?, 1, ?, 10, ?)`, [uuid(i + 1), j + 1, product, micros]);
      }
    }
    // Opening stock: M001 p1 20 @ 2,000000 €; M002 p1 5 @ 2,000000 €; the warehouse p1 30 @ 2,100000 €, p2 10 @ 0,555555 €.
    await receipt(F.storeM1.id, p1!.id, 20, 2_000_000);
    await receipt(F.storeM2.id, p1!.id, 5, 2_000_000);
    await receipt(WAREHOUSE, p1!.id, 30, 2_100_000);
    await receipt(WAREHOUSE, p2!.id, 10, 555_555);
    [hq, ruiz, levante, m1] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante), h.login(F.managerM1)]);
  });
  afterAll(async () => h?.teardown());

  it('refuses a block of a product that does not exist, an empty lot, an empty date range, an unknown store: 422 naming the field, nothing written', async () => {
    const before = await writes();
    const cases: Array<[unknown, string]> = [
      [{ productId: uuid(777), reason: 'Retirada' }, 'productId'],
      [{ productId: p1!.id, scope: 'lot', lot: '  ', reason: 'Retirada' }, 'lot'],
      [{ productId: p1!.id, scope: 'best_before', bestBeforeFrom: '2026-12-31', bestBeforeTo: '2026-12-01', reason: 'Retirada' }, 'bestBeforeTo'],
      [{ productId: p1!.id, scope: 'best_before', reason: 'Retirada' }, 'bestBeforeFrom'],
      [{ productId: p1!.id, reason: 'Retirada', storeIds: [F.storeM1.id, uuid(778)] }, 'storeIds.1'],
    ];
    for (const [body, field] of cases) {
      const r = await h.api('POST', '/api/product-blocks', { token: hq, body });
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.type).toMatch(/^https:\/\/tpv\.dev\/problems\//);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    // A franchisee may not block (HQ's decision).
    expect((await h.api('POST', '/api/product-blocks', { token: ruiz, body: { productId: p1!.id, reason: 'Retirada' } })).status).toBe(403);
    expect(await writes()).toEqual(before);
  });

  it('the stores withdraw (recall adjustment, store return against the block) and the block closes when both have', async () => {
    tick();
    const made = await h.api('POST', '/api/product-blocks', { token: hq, body: { productId: p1!.id, reason: 'Lote con etiquetado erróneo', referenceDate: '2026-11-30', companyIds: [F.ruiz.id] } });
    expect(made.status).toBe(201);
    blockId = made.body.block.id;
    expect(made.body.block).toMatchObject({ number: 'BQ-2026-000001', network: false, stores: 2, storesWithdrawn: 0, status: 'open' });
    expect(made.body.stores.map((s: { storeCode: string; onHand: number }) => [s.storeCode, s.onHand])).toEqual([['M001', 20], ['M002', 5]]);
    // Store-scoped on the feed: one change per store of Ruiz.
    const feed = await all<{ store_id: string; op: string }>(h.ds.manager, `SELECT store_id, op FROM change_log WHERE entity = 'product_block' ORDER BY store_id`);
    expect(feed).toEqual([{ store_id: F.storeM1.id, op: 'upsert' }, { store_id: F.storeM2.id, op: 'upsert' }]);
    // Levante's people do not see it.
    expect((await h.api('GET', `/api/product-blocks/${blockId}`, { token: levante })).status).toBe(404);
    expect((await h.api('GET', '/api/product-blocks', { token: levante })).body.items).toEqual([]);

    // More than on hand (25 > 20), another store, a lifted-style mistake: refused, nothing written.
    const before = await writes();
    const over = await h.api('POST', `/api/product-blocks/${blockId}/withdrawals`, { token: m1, body: { id: uuid(101), storeId: F.storeM1.id, method: 'adjustment', units: 25 } });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'WITHDRAWAL_EXCEEDS_STOCK', errors: [{ path: 'units' }] });
    expect((await h.api('POST', `/api/product-blocks/${blockId}/withdrawals`, { token: m1, body: { id: uuid(102), storeId: F.storeM2.id, method: 'adjustment', units: 1 } })).status).toBe(403);
    expect((await h.api('POST', `/api/product-blocks/${blockId}/withdrawals`, { token: levante, body: { id: uuid(103), storeId: F.storeV1.id, method: 'adjustment', units: 1 } })).status).toBe(404);
    expect((await h.api('POST', `/api/product-blocks/${blockId}/withdrawals`, { token: m1, body: { id: uuid(106), storeId: F.storeM1.id, method: 'none', units: 3 } })).body.code).toBe('UNITS_WITHOUT_DOCUMENT');
    // Returning more than on hand through the warehouse (21 > 20): 409 naming the line.
    const overReturn = await h.api('POST', '/api/store-returns', {
      token: m1, body: { id: uuid(200), storeId: F.storeM1.id, warehouseId: WAREHOUSE, supplierId: SUPPLIER, reason: 'Retirada', blockId, lines: [{ productId: p1!.id, units: 21 }] },
    });
    expect(overReturn.status).toBe(409);
    expect(overReturn.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', errors: [{ path: 'lines.0.units' }] });
    expect(await writes()).toEqual(before);

    // M001 takes 12 out by a recall adjustment: RG, 12 × 2,000000 € = 24,00 € out; 8 left, not done yet.
    tick();
    const w1 = await h.api('POST', `/api/product-blocks/${blockId}/withdrawals`, { token: m1, body: { id: uuid(104), storeId: F.storeM1.id, method: 'adjustment', units: 12, note: 'Retirado del lineal' } });
    expect(w1.status).toBe(201);
    expect(await level(F.storeM1.id, p1!.id)).toBe(8);
    const adj = await all<{ number: string; cause: string; value_cents: unknown }>(h.ds.manager, `SELECT number, cause, value_cents FROM stock_adjustment`);
    expect(adj.map((a) => [a.number, a.cause, Number(a.value_cents)])).toEqual([['RG-2026-000001', 'recall', -2400]]);
    expect(w1.body.stores.find((s: { storeCode: string }) => s.storeCode === 'M001')).toMatchObject({ onHand: 8, withdrawnUnits: 12, withdrawnAt: null });
    expect(w1.body.withdrawals).toMatchObject([{ method: 'adjustment', units: 12, documentNumber: 'RG-2026-000001' }]);
    // The same withdrawal again (a retry): 409, nothing more.
    expect((await h.api('POST', `/api/product-blocks/${blockId}/withdrawals`, { token: m1, body: { id: uuid(104), storeId: F.storeM1.id, method: 'adjustment', units: 1 } })).status).toBe(409);
    expect(await level(F.storeM1.id, p1!.id)).toBe(8);

    // M001 sends the other 8 back towards the supplier through the warehouse, named against the block:
    // DT-2026-000001, store − 8, transit + 8, valued 8 × 2,000000 € = 16,00 €; M001 is at 0: done.
    tick();
    const sr = await h.api('POST', '/api/store-returns', {
      token: m1, body: { id: uuid(201), storeId: F.storeM1.id, warehouseId: WAREHOUSE, supplierId: SUPPLIER, reason: 'Retirada BQ-2026-000001', blockId, lines: [{ productId: p1!.id, units: 8 }] },
    });
    expect(sr.status).toBe(201);
    storeReturnId = sr.body.id;
    expect(sr.body).toMatchObject({ number: 'DT-2026-000001', status: 'shipped', valueCents: 1600, lines: [{ units: 8, unitCostMicros: 2_000_000, valueCents: 1600 }] });
    expect(await level(F.storeM1.id, p1!.id)).toBe(0);
    const transit = (await all<{ transit_id: string }>(h.ds.manager, 'SELECT transit_id FROM store_return WHERE id = ?', [storeReturnId]))[0]!.transit_id;
    expect(await level(transit, p1!.id)).toBe(8);

    // M002 (Ruiz's manager) withdraws its 5 (RG-2026-000002: Ruiz's series): the last store done, the block closes — still blocked for sale.
    tick();
    const w2 = await h.api('POST', `/api/product-blocks/${blockId}/withdrawals`, { token: ruiz, body: { id: uuid(105), storeId: F.storeM2.id, method: 'adjustment', units: 5 } });
    expect(w2.status).toBe(201);
    expect(w2.body.block).toMatchObject({ status: 'closed', storesWithdrawn: 2 });
    expect(w2.body.block.closedAt).toBe(new Date(now).toISOString());
    expect(w2.body.stores.map((s: { storeCode: string; onHand: number; withdrawnUnits: number }) => [s.storeCode, s.onHand, s.withdrawnUnits])).toEqual([['M001', 0, 20], ['M002', 0, 5]]);
    expect(w2.body.totals).toEqual({ unitsSold: 0, onHand: 0, withdrawnUnits: 25 });
    expect(w2.body.withdrawals.map((w: { method: string; units: number; documentNumber: string }) => `${w.method} ${w.units} ${w.documentNumber}`))
      .toEqual(['adjustment 12 RG-2026-000001', 'store_return 8 DT-2026-000001', 'adjustment 5 RG-2026-000002']);
    expect(await all(h.ds.manager, `SELECT op FROM change_log WHERE entity = 'product_block' AND op = 'delete'`)).toEqual([]);
  });

  it('warehouse receives the store return, returns to the supplier at its last price; credit notes matched or with the difference; figures per supplier', async () => {
    // A store manager cannot receive at the central warehouse.
    expect((await h.api('POST', `/api/store-returns/${storeReturnId}/receive`, { token: m1 })).status).toBe(403);
    tick();
    const rec = await h.api('POST', `/api/store-returns/${storeReturnId}/receive`, { token: hq });
    expect(rec.status).toBe(200);
    expect(rec.body.status).toBe('received');
    expect((await h.api('POST', `/api/store-returns/${storeReturnId}/receive`, { token: hq })).status).toBe(409);
    expect(await level(WAREHOUSE, p1!.id)).toBe(38);

    // Refused, nothing written: more of the store return than it carried (10 > 8); more than on hand (p2 50 > 10).
    const before = await writes();
    const tooMuch = await h.api('POST', '/api/supplier-returns', {
      token: hq, body: { id: uuid(301), warehouseId: WAREHOUSE, supplierId: SUPPLIER, reason: 'Retirada', lines: [{ productId: p1!.id, units: 10, storeReturnId }] },
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.errors[0].path).toBe('lines.0.units');
    const overStock = await h.api('POST', '/api/supplier-returns', {
      token: hq, body: { id: uuid(302), warehouseId: WAREHOUSE, supplierId: SUPPLIER, reason: 'Retirada', lines: [{ productId: p2!.id, units: 50 }] },
    });
    expect(overStock.status).toBe(409);
    expect(overStock.body).toMatchObject({ code: 'INSUFFICIENT_STOCK', errors: [{ path: 'lines.0.units' }] });
    expect(await writes()).toEqual(before);

    // DV-2026-000001: p1 8 × 1,950000 € (the last receipt's price) = 15,60 €; p2 3 × 0,555555 € = 1,666665 € → 1,67 €.
    // Credit expected 15,60 + 1,67 = 17,27 €.
    tick();
    const dv = await h.api('POST', '/api/supplier-returns', {
      token: hq, body: { id: uuid(303), warehouseId: WAREHOUSE, supplierId: SUPPLIER, reason: 'Retirada BQ-2026-000001', lines: [{ productId: p1!.id, units: 8, storeReturnId }, { productId: p2!.id, units: 3 }] },
    });
    expect(dv.status).toBe(201);
    expect(dv.body).toMatchObject({ number: 'DV-2026-000001', status: 'posted', expectedCreditCents: 1727, credit: null });
    expect(dv.body.lines.map((l: { unitCostMicros: number; valueCents: number }) => [l.unitCostMicros, l.valueCents])).toEqual([[1_950_000, 1560], [555_555, 167]]);
    expect([await level(WAREHOUSE, p1!.id), await level(WAREHOUSE, p2!.id)]).toEqual([30, 7]);
    const moved = await all<{ reason: string; delta: unknown }>(h.ds.manager, `SELECT reason, delta FROM stock_movement WHERE document_id = ? ORDER BY document_line`, [uuid(303)]);
    expect(moved.map((x) => `${x.reason} ${Number(x.delta)}`)).toEqual(['supplier_return -8', 'supplier_return -3']);

    // DV-2026-000002: p2 2 × 0,555555 € = 1,11111 € → 1,11 €.
    tick();
    const dv2 = await h.api('POST', '/api/supplier-returns', { token: hq, body: { id: uuid(304), warehouseId: WAREHOUSE, supplierId: SUPPLIER, reason: 'Caducado', lines: [{ productId: p2!.id, units: 2 }] } });
    expect(dv2.body).toMatchObject({ number: 'DV-2026-000002', expectedCreditCents: 111 });

    // The supplier credits 17,00 € for the first: recorded, 0,27 € short shown; 1,11 € for the second: matched.
    tick();
    const c1 = await h.api('POST', `/api/supplier-returns/${uuid(303)}/credit-note`, { token: hq, body: { creditNumber: 'AB-2026/0042', creditDate: '2026-12-01', amountCents: 1700 } });
    expect(c1.status).toBe(200);
    expect(c1.body).toMatchObject({ status: 'credited', credit: { number: 'AB-2026/0042', amountCents: 1700, differenceCents: -27, matched: false } });
    expect((await h.api('POST', `/api/supplier-returns/${uuid(303)}/credit-note`, { token: hq, body: { creditNumber: 'AB-2026/0043', creditDate: '2026-12-01', amountCents: 27 } })).status).toBe(409);
    const dup = await h.api('POST', `/api/supplier-returns/${uuid(304)}/credit-note`, { token: hq, body: { creditNumber: 'AB-2026/0042', creditDate: '2026-12-02', amountCents: 111 } });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('CREDIT_NOTE_DUPLICATE');

    let figures = await h.api('GET', '/api/supplier-returns/figures', { token: hq });
    expect(figures.body.items).toEqual([{ supplierId: SUPPLIER, supplierName: 'Lácteos del Norte S.A.', returns: 2, units: 13, expectedCents: 1838, creditedCents: 1700, awaitingCredit: 1, differenceCents: -27 }]);
    const c2 = await h.api('POST', `/api/supplier-returns/${uuid(304)}/credit-note`, { token: hq, body: { creditNumber: 'AB-2026/0050', creditDate: '2026-12-02', amountCents: 111 } });
    expect(c2.body.credit).toMatchObject({ differenceCents: 0, matched: true });
    figures = await h.api('GET', '/api/supplier-returns/figures', { token: hq });
    expect(figures.body.items[0]).toMatchObject({ returns: 2, expectedCents: 1838, creditedCents: 1811, awaitingCredit: 0, differenceCents: -27 });

    // Scope: Ruiz sees its store return but not the franchisor's supplier returns; Levante neither.
    expect((await h.api('GET', '/api/store-returns', { token: ruiz })).body.items.map((r: { number: string }) => r.number)).toEqual(['DT-2026-000001']);
    expect((await h.api('GET', '/api/store-returns', { token: levante })).body.items).toEqual([]);
    expect((await h.api('GET', '/api/supplier-returns', { token: ruiz })).body.items).toEqual([]);
    expect((await h.api('GET', `/api/supplier-returns/${uuid(303)}`, { token: ruiz })).status).toBe(404);
    expect((await h.api('GET', '/api/supplier-returns/figures', { token: ruiz })).status).toBe(403);
  });
});
