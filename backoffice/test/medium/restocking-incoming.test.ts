/**
 * Restocking wired to the order modules, both engines: what is already on its way (open replenishment orders,
 * delivery notes in transit, open purchase orders) counts in a proposal's position, and a supplier rule takes
 * purchasing's supplier terms (preferred supplier, lead time, pack size, minimum order) where it says nothing.
 * Confirming goes through the REAL entry points (registerReplenishmentOrder, createPurchaseOrderDraft).
 *
 * Clock: Monday 2026-11-30; the proposal's recent weeks are 2026-10-05 … 2026-11-23 (8 weeks).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { all, exec } from '../../src/persistence/sql';
import { incomingOf } from '../../src/restocking/incoming';
import { addWeeks } from '../../src/restocking/weeks';

const NOW = Date.UTC(2026, 10, 30, 10, 0, 0);
const clock = { now: () => NOW };
const SUPPLIER = '00000000-0000-7000-8041-000000000001';
const [p0, p1, p2] = F.products;

describe.each(engines)('restocking with incoming stock and supplier terms on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let ruiz: string;
  const s = F.storeM2.id;

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    ruiz = await h.login(F.managerRuiz);
    const at = new Date(NOW).toISOString();
    await exec(h.ds.manager, `INSERT INTO warehouse (id, code, company_id, name, address) VALUES (?, 'CENTRAL', ?, 'Almacén central', NULL)`, [randomUUID(), F.franchisor.id]);
    await exec(h.ds.manager, 'INSERT INTO supplier (id, name, payment_terms_days, active, created_at) VALUES (?, ?, 30, ?, ?)', [SUPPLIER, 'Huerta Directa', true, at]);
    // p1 bought from Huerta Directa: packs of 10, at least 40, 5 days' lead time, the preferred supplier.
    await exec(h.ds.manager, 'INSERT INTO product_supplier (product_id, supplier_id, reference, cost_cents, pack_size, min_order_qty, lead_time_days, preferred) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [p1!.id, SUPPLIER, 'HD-1', 100, 10, 40, 5, true]);
    for (let k = 1; k <= 8; k++) {
      await exec(h.ds.manager, 'INSERT INTO sales_week (location_id, week, product_id, quantity) VALUES (?, ?, ?, ?)', [s, addWeeks('2026-11-30', -k), p0!.id, 14]); // 2 a day
      await exec(h.ds.manager, 'INSERT INTO sales_week (location_id, week, product_id, quantity) VALUES (?, ?, ?, ?)', [s, addWeeks('2026-11-30', -k), p1!.id, 7]); // 1 a day
    }
    for (const [p, q] of [[p0!.id, 0], [p1!.id, 1]] as const) {
      await exec(h.ds.manager, 'INSERT INTO stock_level (location_id, company_id, product_id, quantity, updated_at) VALUES (?, ?, ?, ?, ?)', [s, F.ruiz.id, p, q, at]);
    }
  });
  afterAll(async () => {
    await h?.teardown();
  });

  const propose = async () => {
    const r = await h.api('POST', '/api/restocking/proposals', { token: ruiz, body: { storeId: s } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return { id: r.body.id as string, byProduct: Object.fromEntries(r.body.lines.map((l: { productId: string }) => [l.productId, l])) };
  };

  it('a supplier rule without a supplier buys from the preferred one on its terms, and the real orders are made', async () => {
    // No preferred supplier for p2: a supplier rule naming none is refused, nothing written.
    const bad = await h.api('PUT', `/api/stores/${s}/restock-rules/${p2!.id}`, { token: ruiz, body: { method: 'cover', coverDays: 14, source: 'supplier', supplierId: null } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['supplierId']);
    const ok = await h.api('PUT', `/api/stores/${s}/restock-rules/${p1!.id}`, { token: ruiz, body: { method: 'cover', coverDays: 14, source: 'supplier', supplierId: null } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);

    const { id, byProduct } = await propose();
    // p0 (default rule, warehouse, L 2, d 2, σ 0): ROP ⌈2·2⌉ = 4, T ⌈2·16⌉ = 32, P 0 → 32.
    expect(byProduct[p0!.id]).toMatchObject({ quantity: 32, source: 'warehouse', supplierId: null, openOrders: 0, inTransit: 0, leadTimeDays: 2 });
    // p1 (cover 14 from the preferred supplier, L 5 from its terms, d 1): ROP ⌈1·5⌉ = 5, T ⌈1·19⌉ = 19, P 1 →
    // max(19 − 1 = 18, minimum 40) = 40 → packs of 10: 40.
    expect(byProduct[p1!.id]).toMatchObject({ quantity: 40, source: 'supplier', supplierId: SUPPLIER, leadTimeDays: 5, reorderPoint: 5, target: 19, onHand: 1 });

    const confirmed = await h.api('POST', `/api/restocking/proposals/${id}/confirm`, { token: ruiz });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body.orders.map((o: { kind: string; lines: number }) => [o.kind, o.lines])).toEqual([['replenishment', 1], ['purchase', 1]]);
    const pr = await all<{ status: string; q: unknown }>(h.ds.manager, 'SELECT o.status, l.approved AS q FROM replenishment_order o JOIN replenishment_order_line l ON l.order_id = o.id WHERE o.store_id = ? AND l.product_id = ?', [s, p0!.id]);
    expect(pr.map((r) => [r.status, Number(r.q)])).toEqual([['registered', 32]]);
    const po = await all<{ status: string; q: unknown }>(h.ds.manager, 'SELECT o.status, l.quantity AS q FROM purchase_order o JOIN purchase_order_line l ON l.order_id = o.id WHERE o.location_id = ? AND l.product_id = ?', [s, p1!.id]);
    expect(po.map((r) => [r.status, Number(r.q)])).toEqual([['draft', 40]]);
  });

  it('counts open orders and goods in transit in the position: the next proposal does not order again', async () => {
    // A delivery note of an earlier order, shipped and not received: 5 of p0 in transit.
    const orderId = (await all<{ id: string }>(h.ds.manager, 'SELECT id FROM replenishment_order WHERE store_id = ?', [s]))[0]!.id;
    const warehouseId = (await all<{ id: string }>(h.ds.manager, 'SELECT id FROM warehouse'))[0]!.id;
    const noteId = randomUUID();
    await exec(h.ds.manager, 'INSERT INTO replenishment_order (id, number, company_id, store_id, warehouse_id, status, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [randomUUID(), 'PR-TEST-9', F.ruiz.id, s, warehouseId, 'shipped', 'manual', new Date(NOW).toISOString()]);
    const shippedOrder = (await all<{ id: string }>(h.ds.manager, "SELECT id FROM replenishment_order WHERE number = 'PR-TEST-9'"))[0]!.id;
    await exec(
      h.ds.manager,
      'INSERT INTO delivery_note (id, number, order_id, from_company_id, to_company_id, store_id, warehouse_id, transit_location_id, status, shipped_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [noteId, 'AL-TEST-1', shippedOrder, F.franchisor.id, F.ruiz.id, s, warehouseId, randomUUID(), 'shipped', new Date(NOW).toISOString()],
    );
    await exec(h.ds.manager, 'INSERT INTO delivery_note_line (note_id, line_no, product_id, shipped, unit_price_cents, tax_rate_bp) VALUES (?, 1, ?, 5, 100, 2100)', [noteId, p0!.id]);
    expect(orderId).toBeTruthy();

    // p0: 32 ordered (registered) + 5 in transit; p1: 40 on the purchase-order draft.
    const incoming = await incomingOf(h.ds.manager, [s]);
    expect(incoming.get(`${s}|${p0!.id}`)).toEqual({ openOrders: 32, inTransit: 5 });
    expect(incoming.get(`${s}|${p1!.id}`)).toEqual({ openOrders: 40, inTransit: 0 });

    // p0: P = 0 + 32 + 5 = 37 ≥ ROP 4 and p1: P = 1 + 40 = 41 ≥ ROP 5: nothing to order.
    expect((await propose()).byProduct).toEqual({});
    // Once received (the note is no longer in transit) and the order cancelled, p0 is ordered again: P 0 → 32.
    await exec(h.ds.manager, "UPDATE delivery_note SET status = 'received' WHERE id = ?", [noteId]);
    await exec(h.ds.manager, "UPDATE replenishment_order SET status = 'cancelled' WHERE id = ?", [orderId]);
    const again = (await propose()).byProduct;
    expect(again[p0!.id]).toMatchObject({ quantity: 32, openOrders: 0, inTransit: 0 });
    expect(again[p1!.id]).toBeUndefined();
  });
});
