/**
 * Store replenishment on both engines, through the HTTP API: a franchisee store's order registered →
 * approved (HQ changes a quantity) → picking → shipped (delivery note, warehouse → transit owned by the
 * franchisee at the wholesale price) → received with one short, one damaged and one over line (incidents)
 * → closed (what stayed in transit written off). Stock and average cost on both sides worked by hand below;
 * shipping more than on hand refused with nothing written; receiving twice refused; scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryNoteDataSchema } from '@tpv/shared/wire/upward';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { postStockMoves } from '../../src/stock/ledger';
import { writeTransaction } from '../../src/persistence/raw';
import { all, exec } from '../../src/persistence/sql';
import { receiveDeliveryAtStore, registerReplenishmentOrder } from '../../src/replenishment/api';
import { replenishmentModule } from '../../src/replenishment/module';
import type { ModuleContext } from '../../src/modules/types';

const WAREHOUSE = '00000000-0000-7000-8009-0000000000a1';
const OPENING = '00000000-0000-7000-8010-0000000000a1';
const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };

describe.each(engines)('replenishment on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq: string;
  let m1: string;
  let levante: string;
  const [p1, p2, p3, p4] = F.products;

  const level = async (loc: string, product: string) =>
    Number((await all<{ quantity: unknown }>(h.ds.manager, 'SELECT quantity FROM stock_level WHERE location_id = ? AND product_id = ?', [loc, product]))[0]?.quantity ?? 0);
  const avg = async (company: string, product: string) =>
    (await all<{ a: unknown }>(h.ds.manager, 'SELECT avg_cost_micros AS a FROM stock_cost WHERE company_id = ? AND product_id = ?', [company, product])).map((r) => Number(r.a))[0];
  const count = async (table: string) => Number((await all<{ n: unknown }>(h.ds.manager, `SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    await exec(h.ds.manager, `INSERT INTO warehouse (id, code, company_id, name, address) VALUES (?, 'CENTRAL', ?, 'Almacén central', NULL)`, [WAREHOUSE, F.franchisor.id]);
    // Opening stock of the franchisor's warehouse: p1 20 @ 2,00 €, p2 10 @ 1,00 €, p3 5 @ 0,50 €, p4 50 @ 1,00 €.
    await writeTransaction(h.ds, (m) =>
      postStockMoves(m, clock, [
        { documentType: 'test', documentId: OPENING, documentLine: 1, locationId: WAREHOUSE, productId: p1!.id, delta: 20, reason: 'receipt', purchaseCostMicros: 2_000_000 },
        { documentType: 'test', documentId: OPENING, documentLine: 2, locationId: WAREHOUSE, productId: p2!.id, delta: 10, reason: 'receipt', purchaseCostMicros: 1_000_000 },
        { documentType: 'test', documentId: OPENING, documentLine: 3, locationId: WAREHOUSE, productId: p3!.id, delta: 5, reason: 'receipt', purchaseCostMicros: 500_000 },
        { documentType: 'test', documentId: OPENING, documentLine: 4, locationId: WAREHOUSE, productId: p4!.id, delta: 50, reason: 'receipt', purchaseCostMicros: 1_000_000 },
      ]),
    );
    hq = await h.login(F.hq);
    m1 = await h.login(F.managerM1);
    levante = await h.login(F.managerLevante);
    // Wholesale list: p1 3,50 €, p2 1,20 €, p3 0,80 € (net of IVA). p4 has none.
    const r = await h.api('PUT', '/api/wholesale-prices', { token: hq, body: { prices: [{ productId: p1!.id, priceCents: 350 }, { productId: p2!.id, priceCents: 120 }, { productId: p3!.id, priceCents: 80 }] } });
    expect(r.status).toBe(200);
  });
  afterAll(async () => h?.teardown());

  it('keeps the wholesale price list: HQ sets it, a store reads it, a store may not change it', async () => {
    const list = await h.api('GET', '/api/wholesale-prices?q=SKU1&pageSize=200', { token: m1 });
    expect(list.status).toBe(200);
    expect(list.body.items.find((i: { productId: string }) => i.productId === p1!.id).priceCents).toBe(350);
    const missing = await h.api('GET', '/api/wholesale-prices?missing=true&pageSize=200', { token: hq });
    expect(missing.body.items.map((i: { productId: string }) => i.productId)).toContain(p4!.id);
    expect((await h.api('PUT', '/api/wholesale-prices', { token: m1, body: { prices: [{ productId: p1!.id, priceCents: 1 }] } })).status).toBe(403);
    const unknown = await h.api('PUT', '/api/wholesale-prices', { token: hq, body: { prices: [{ productId: '00000000-0000-7000-8005-0000000000ff', priceCents: 1 }] } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].path).toBe('prices.0.productId');
  });

  it('runs an order from registration to closing, with stock and cost right on both sides', async () => {
    // The store manager of M001 orders 6 × p1, 4 × p2, 2 × p3.
    const reg = await h.api('POST', '/api/replenishment-orders', { token: m1, body: { storeId: F.storeM1.id, lines: [{ productId: p1!.id, quantity: 6 }, { productId: p2!.id, quantity: 4 }, { productId: p3!.id, quantity: 2 }] } });
    expect(reg.status).toBe(201);
    expect(reg.body.number).toBe('PR-2026-000001'); // Ruiz's series
    const id = reg.body.id as string;
    // A store manager may not approve; HQ raises p2 to 5 (kept as a change) and approves.
    expect((await h.api('POST', `/api/replenishment-orders/${id}/approve`, { token: m1 })).status).toBe(403);
    const edited = await h.api('PUT', `/api/replenishment-orders/${id}/quantities`, { token: hq, body: { lines: [{ productId: p2!.id, quantity: 5 }] } });
    expect(edited.status).toBe(200);
    expect(edited.body.changes).toMatchObject([{ productId: p2!.id, field: 'approved', from: 4, to: 5, by: F.hq.email }]);
    expect((await h.api('POST', `/api/replenishment-orders/${id}/approve`, { token: hq })).body.status).toBe('approved');
    expect((await h.api('POST', `/api/replenishment-orders/${id}/approve`, { token: hq })).status).toBe(409);
    expect((await h.api('POST', `/api/replenishment-orders/${id}/picking`, { token: hq })).body.status).toBe('picking');
    const pdf = await h.api('GET', `/api/replenishment-orders/${id}/pick-list`, { token: hq });
    expect(pdf.status).toBe(200);
    expect(String(pdf.body).startsWith('%PDF')).toBe(true);
    const picked = await h.api('PUT', `/api/replenishment-orders/${id}/picked`, { token: hq, body: { lines: [{ productId: p1!.id, quantity: 6 }, { productId: p2!.id, quantity: 5 }, { productId: p3!.id, quantity: 2 }] } });
    expect(picked.body.items.map((l: { picked: number }) => l.picked)).toEqual([6, 5, 2]);

    const shipped = await h.api('POST', `/api/replenishment-orders/${id}/ship`, { token: hq });
    expect(shipped.status).toBe(200);
    expect(shipped.body.number).toBe('AL-2026-000001'); // the franchisor's series
    const noteId = shipped.body.id as string;
    expect((await h.api('POST', `/api/replenishment-orders/${id}/ship`, { token: hq })).status).toBe(409);
    expect((await h.api('POST', `/api/replenishment-orders/${id}/cancel`, { token: hq })).status).toBe(409);

    // Warehouse: p1 20 − 6 = 14, p2 10 − 5 = 5, p3 5 − 2 = 3; the franchisor's averages do not move.
    expect([await level(WAREHOUSE, p1!.id), await level(WAREHOUSE, p2!.id), await level(WAREHOUSE, p3!.id)]).toEqual([14, 5, 3]);
    expect([await avg(F.franchisor.id, p1!.id), await avg(F.franchisor.id, p2!.id), await avg(F.franchisor.id, p3!.id)]).toEqual([2_000_000, 1_000_000, 500_000]);
    // Ruiz held none: its average becomes the wholesale price (3,50 / 1,20 / 0,80 € = µ€ × 10,000 per cent).
    expect([await avg(F.ruiz.id, p1!.id), await avg(F.ruiz.id, p2!.id), await avg(F.ruiz.id, p3!.id)]).toEqual([3_500_000, 1_200_000, 800_000]);
    let note = await h.api('GET', `/api/delivery-notes/${noteId}`, { token: m1 });
    expect(note.body).toMatchObject({ status: 'shipped', fromCompanyId: F.franchisor.id, toCompanyId: F.ruiz.id, inTransit: 13 });
    expect(note.body.items.map((l: { shipped: number; unitPriceCents: number; taxRateBp: number }) => [l.shipped, l.unitPriceCents, l.taxRateBp])).toEqual([
      [6, 350, p1!.taxRateBp], [5, 120, p2!.taxRateBp], [2, 80, p3!.taxRateBp],
    ]);
    const transit = (await all<{ transit_location_id: string }>(h.ds.manager, 'SELECT transit_location_id FROM delivery_note WHERE id = ?', [noteId]))[0]!.transit_location_id;
    const owner = await all<{ company_id: string }>(h.ds.manager, 'SELECT company_id FROM stock_location WHERE id = ?', [transit]);
    expect(owner[0]!.company_id).toBe(F.ruiz.id);

    // The store's tills get the note on the change feed.
    const feed = await all<{ op: string; store_id: string; payload: string }>(h.ds.manager, `SELECT op, store_id, payload FROM change_log WHERE entity = 'delivery_note' AND entity_id = ? ORDER BY version`, [noteId]);
    expect(feed.map((f) => [f.op, f.store_id])).toEqual([['upsert', F.storeM1.id]]);
    const data = DeliveryNoteDataSchema.parse(JSON.parse(feed[0]!.payload));
    expect(data.lines.map((l) => l.quantity)).toEqual([6, 5, 2]);

    // Levante's manager may not see it (403) nor receive it.
    expect((await h.api('GET', `/api/delivery-notes/${noteId}`, { token: levante })).status).toBe(403);
    const receiveBody = { lines: [{ productId: p1!.id, received: 5 }, { productId: p2!.id, received: 4, damaged: 1, note: 'caja rota' }, { productId: p3!.id, received: 3 }] };
    expect((await h.api('POST', `/api/delivery-notes/${noteId}/receive`, { token: levante, body: receiveBody })).status).toBe(403);

    // Received: p1 5 of 6 (1 short, stays in transit), p2 4 + 1 damaged (received, then written off), p3 3 of 2 (1 over).
    const rec = await h.api('POST', `/api/delivery-notes/${noteId}/receive`, { token: m1, body: receiveBody });
    expect(rec.status).toBe(200);
    expect(rec.body.items.map((l: { difference: number }) => l.difference)).toEqual([-1, 0, 1]);
    expect(rec.body.inTransit).toBe(1);
    // Store: p1 5, p2 5 − 1 = 4, p3 3; transit: p1 1, p2 0, p3 0 (2 shipped, 2 out; the over one came in at the store).
    expect([await level(F.storeM1.id, p1!.id), await level(F.storeM1.id, p2!.id), await level(F.storeM1.id, p3!.id)]).toEqual([5, 4, 3]);
    expect([await level(transit, p1!.id), await level(transit, p2!.id), await level(transit, p3!.id)]).toEqual([1, 0, 0]);
    // Transit → store moves at the average: Ruiz's averages unchanged.
    expect([await avg(F.ruiz.id, p1!.id), await avg(F.ruiz.id, p2!.id), await avg(F.ruiz.id, p3!.id)]).toEqual([3_500_000, 1_200_000, 800_000]);
    const damaged = await all<{ delta: unknown; cause: string; unit_cost_micros: unknown }>(h.ds.manager, `SELECT delta, cause, unit_cost_micros FROM stock_movement WHERE document_id = ? AND reason = 'adjustment'`, [noteId]);
    expect(damaged.map((d) => [Number(d.delta), d.cause, Number(d.unit_cost_micros)])).toEqual([[-1, 'damaged', 1_200_000]]);
    // One incident per discrepancy, in the store's company series, visible to the store.
    const incidents = await h.api('GET', `/api/incidents?documentId=${noteId}&sort=number`, { token: m1 });
    expect(incidents.body.items.map((i: { kind: string; quantity: number; number: string }) => [i.kind, i.quantity, i.number])).toEqual([
      ['delivery_discrepancy', -1, 'IN-2026-000001'], ['damaged_goods', 1, 'IN-2026-000002'], ['delivery_discrepancy', 1, 'IN-2026-000003'],
    ]);
    expect((await h.api('GET', '/api/incidents', { token: levante })).body.total).toBe(0);
    expect((await h.api('GET', `/api/incidents/${incidents.body.items[0].id}`, { token: levante })).status).toBe(403);
    // The feed deletes the note at the store's tills.
    const feedAfter = await all<{ op: string }>(h.ds.manager, `SELECT op FROM change_log WHERE entity = 'delivery_note' AND entity_id = ? ORDER BY version`, [noteId]);
    expect(feedAfter.map((f) => f.op)).toEqual(['upsert', 'delete']);

    // Receiving twice: 409, nothing written.
    const movementsBefore = await count('stock_movement');
    const again = await h.api('POST', `/api/delivery-notes/${noteId}/receive`, { token: m1, body: receiveBody });
    expect(again.status).toBe(409);
    expect([await count('stock_movement'), await count('incident'), await level(F.storeM1.id, p1!.id)]).toEqual([movementsBefore, 3, 5]);

    // Closing (a franchisee manager or HQ: inventory.admin) writes the short unit off the transit at Ruiz's average (3,50 €).
    expect((await h.api('POST', `/api/delivery-notes/${noteId}/close`, { token: m1 })).status).toBe(403);
    const closed = await h.api('POST', `/api/delivery-notes/${noteId}/close`, { token: hq });
    expect(closed.body).toMatchObject({ status: 'closed', inTransit: 0 });
    const writeOff = await all<{ delta: unknown; cause: string; unit_cost_micros: unknown }>(h.ds.manager, `SELECT delta, cause, unit_cost_micros FROM stock_movement WHERE location_id = ?  AND reason = 'adjustment'`, [transit]);
    expect(writeOff.map((d) => [Number(d.delta), d.cause, Number(d.unit_cost_micros)])).toEqual([[-1, 'delivery_short', 3_500_000]]);
    expect((await h.api('POST', `/api/delivery-notes/${noteId}/close`, { token: hq })).status).toBe(409);
    note = await h.api('GET', `/api/replenishment-orders/${id}`, { token: m1 });
    expect(note.body.status).toBe('closed');
    // p1's movements from this note — shipped, in/out of transit, received, the short unit written off — all show its number.
    const mv = await h.api('GET', `/api/stock/products/${p1!.id}/movements?pageSize=100`, { token: hq });
    const fromNote = mv.body.items.filter((x: { documentId: string | null }) => x.documentId === noteId);
    expect(fromNote.map((x: { reason: string; delta: number; documentNumber: string | null }) => `${x.reason} ${x.delta} ${x.documentNumber}`).sort()).toEqual([
      'adjustment -1 AL-2026-000001', 'receipt 5 AL-2026-000001', 'shipment -6 AL-2026-000001', 'transit_in 6 AL-2026-000001', 'transit_out -5 AL-2026-000001',
    ]);
    // Every level is the sum of its movements.
    const bad = await all(h.ds.manager, `SELECT l.location_id FROM stock_level l LEFT JOIN (SELECT location_id, product_id, SUM(delta) AS q FROM stock_movement GROUP BY location_id, product_id) s
      ON s.location_id = l.location_id AND s.product_id = l.product_id WHERE s.q IS NULL OR s.q <> l.quantity`);
    expect(bad).toEqual([]);
    const audit = await all<{ action: string }>(h.ds.manager, `SELECT action FROM audit_log WHERE entity_id IN (?, ?) ORDER BY at, action`, [id, noteId]);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['replenishment_order.register', 'replenishment_order.approve', 'replenishment_order.ship', 'delivery_note.receive', 'delivery_note.close']));
  });

  it('refuses to ship more than the warehouse holds (409, nothing written), and ships once corrected', async () => {
    const reg = await h.api('POST', '/api/replenishment-orders', { token: m1, body: { storeId: F.storeM1.id, lines: [{ productId: p3!.id, quantity: 10 }] } });
    const id = reg.body.id as string;
    await h.api('POST', `/api/replenishment-orders/${id}/approve`, { token: hq });
    await h.api('POST', `/api/replenishment-orders/${id}/picking`, { token: hq });
    const before = [await count('stock_movement'), await count('delivery_note'), await count('transit_location'), await count('change_log'), await level(WAREHOUSE, p3!.id)];
    const r = await h.api('POST', `/api/replenishment-orders/${id}/ship`, { token: hq });
    expect(r.status).toBe(409);
    expect(r.body.code ?? r.body.type).toMatch(/INSUFFICIENT_STOCK|insufficient-stock/);
    expect(r.body.errors[0].path).toBe('lines.0.quantity');
    expect([await count('stock_movement'), await count('delivery_note'), await count('transit_location'), await count('change_log'), await level(WAREHOUSE, p3!.id)]).toEqual(before);
    expect((await h.api('GET', `/api/replenishment-orders/${id}`, { token: hq })).body.status).toBe('picking');
    // Picked what there is (3): ships as the next number of the series (the refused one gave its number back).
    await h.api('PUT', `/api/replenishment-orders/${id}/picked`, { token: hq, body: { lines: [{ productId: p3!.id, quantity: 3 }] } });
    const ok = await h.api('POST', `/api/replenishment-orders/${id}/ship`, { token: hq });
    expect(ok.body.number).toBe('AL-2026-000002');
    expect(await level(WAREHOUSE, p3!.id)).toBe(0);
  });

  it('refuses to ship to a franchisee a product without a wholesale price', async () => {
    const reg = await h.api('POST', '/api/replenishment-orders', { token: m1, body: { storeId: F.storeM1.id, lines: [{ productId: p4!.id, quantity: 1 }] } });
    const id = reg.body.id as string;
    await h.api('POST', `/api/replenishment-orders/${id}/approve`, { token: hq });
    await h.api('POST', `/api/replenishment-orders/${id}/picking`, { token: hq });
    const r = await h.api('POST', `/api/replenishment-orders/${id}/ship`, { token: hq });
    expect(r.status).toBe(409);
    expect(await level(WAREHOUSE, p4!.id)).toBe(50);
    // Cancelled by HQ while picking; the store sees it cancelled.
    expect((await h.api('POST', `/api/replenishment-orders/${id}/cancel`, { token: hq })).body.status).toBe('cancelled');
  });

  it('scopes orders: a store registers only for itself, lists only its own; a till only for its store', async () => {
    expect((await h.api('POST', '/api/replenishment-orders', { token: m1, body: { storeId: F.storeV1.id, lines: [{ productId: p1!.id, quantity: 1 }] } })).status).toBe(403);
    expect((await h.api('POST', '/api/replenishment-orders', { token: levante, body: { storeId: F.storeM1.id, lines: [{ productId: p1!.id, quantity: 1 }] } })).status).toBe(403);
    const bad = await h.api('POST', '/api/replenishment-orders', { token: levante, body: { storeId: F.storeV1.id, lines: [{ productId: p1!.id, quantity: 1 }, { productId: p1!.id, quantity: 2 }] } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('lines.1.productId');
    const v = await h.api('POST', '/api/replenishment-orders', { token: levante, body: { storeId: F.storeV1.id, lines: [{ productId: p1!.id, quantity: 1 }] } });
    expect(v.body.number).toBe('PR-2026-000001'); // Levante's own series
    const mine = await h.api('GET', '/api/replenishment-orders?pageSize=200', { token: m1 });
    expect(new Set(mine.body.items.map((o: { storeId: string }) => o.storeId))).toEqual(new Set([F.storeM1.id]));
    expect((await h.api('GET', `/api/replenishment-orders/${v.body.id}`, { token: m1 })).status).toBe(403);
    expect((await h.api('GET', '/api/replenishment-orders?pageSize=200', { token: hq })).body.total).toBe(4);

    // From a till: its own store only; a refusal writes nothing.
    const till = { terminalId: F.t3.id, storeId: F.storeV1.id, companyId: F.levante.id };
    const t = await writeTransaction(h.ds, (m) => registerReplenishmentOrder(m, clock, { kind: 'till', till }, { storeId: F.storeV1.id, lines: [{ productId: p2!.id, quantity: 3 }], source: 'till' }));
    expect(t.number).toBe('PR-2026-000002');
    await expect(writeTransaction(h.ds, (m) => registerReplenishmentOrder(m, clock, { kind: 'till', till }, { storeId: F.storeM1.id, lines: [{ productId: p2!.id, quantity: 3 }], source: 'till' }))).rejects.toThrow(/scope/);
    const notes = await all<{ id: string }>(h.ds.manager, `SELECT id FROM delivery_note WHERE store_id = ?`, [F.storeM1.id]);
    await expect(writeTransaction(h.ds, (m) => receiveDeliveryAtStore(m, clock, { kind: 'till', till }, F.storeV1.id, { deliveryNoteId: notes[0]!.id, lines: [{ productId: p1!.id, received: 1 }] }))).rejects.toThrow(/not found/);
  });

  it('applies a till\'s scanned receipt and replenishment request once through the upward handlers', async () => {
    // An order of València 1 (Levante), shipped: 3 × p2.
    const reg = await h.api('POST', '/api/replenishment-orders', { token: levante, body: { storeId: F.storeV1.id, lines: [{ productId: p2!.id, quantity: 3 }] } });
    const id = reg.body.id as string;
    await h.api('POST', `/api/replenishment-orders/${id}/approve`, { token: hq });
    await h.api('POST', `/api/replenishment-orders/${id}/picking`, { token: hq });
    const note = (await h.api('POST', `/api/replenishment-orders/${id}/ship`, { token: hq })).body as { id: string; number: string };
    const ctx = { clock } as unknown as ModuleContext;
    const till = { terminalId: F.t3.id, storeId: F.storeV1.id, companyId: F.levante.id };
    const receipt = replenishmentModule.upward!['stock.delivery_receipt']!;
    const payload = { deliveryNoteId: note.id, lines: [{ productId: p2!.id, received: 3 }] };
    const first = await writeTransaction(h.ds, (m) => receipt(m, ctx, till, { id: 'doc-1', createdAt: '2026-11-30T10:00:00+01:00', payload }));
    expect(first).toEqual({ reference: `${note.number} recibido`, feedChanged: [{ storeId: F.storeV1.id, version: expect.any(Number) }] });
    expect(await level(F.storeV1.id, p2!.id)).toBe(3);
    // The same note again (another document id): rejected with the reason, nothing written.
    const movements = await count('stock_movement');
    const again = await writeTransaction(h.ds, (m) => receipt(m, ctx, till, { id: 'doc-2', createdAt: '2026-11-30T10:01:00+01:00', payload }));
    expect(again).toMatchObject({ rejected: expect.stringMatching(/ya está recibido/) });
    expect(await count('stock_movement')).toBe(movements);
    // Another store's till cannot receive it.
    const other = await writeTransaction(h.ds, (m) => receipt(m, ctx, { terminalId: F.t1.id, storeId: F.storeM1.id, companyId: F.ruiz.id }, { id: 'doc-3', createdAt: '2026-11-30T10:02:00+01:00', payload }));
    expect(other).toMatchObject({ rejected: expect.any(String) });
    const request = await writeTransaction(h.ds, (m) =>
      replenishmentModule.upward!['stock.replenishment_request']!(m, ctx, till, { id: 'doc-4', createdAt: '2026-11-30T10:03:00+01:00', payload: { lines: [{ productId: p1!.id, quantity: 2 }] } }),
    );
    expect(request).toEqual({ reference: expect.stringMatching(/^PR-2026-\d{6} registrado$/) });
    const rows = await all<{ source: string; store_id: string }>(h.ds.manager, `SELECT source, store_id FROM replenishment_order WHERE number = ? AND company_id = ?`, [(request as { reference: string }).reference.split(' ')[0], F.levante.id]);
    expect(rows).toEqual([{ source: 'till', store_id: F.storeV1.id }]);
  });

  it('ships to a store of the franchisor itself at the average cost (no purchase between companies)', async () => {
    const own = '00000000-0000-7000-8002-0000000000a9';
    await exec(h.ds.manager, `INSERT INTO store (id, code, company_id, name, address, timezone) VALUES (?, 'C001', ?, 'Tienda propia', NULL, 'Europe/Madrid')`, [own, F.franchisor.id]);
    const reg = await h.api('POST', '/api/replenishment-orders', { token: hq, body: { storeId: own, lines: [{ productId: p4!.id, quantity: 10 }] } });
    const id = reg.body.id as string;
    await h.api('POST', `/api/replenishment-orders/${id}/approve`, { token: hq });
    await h.api('POST', `/api/replenishment-orders/${id}/picking`, { token: hq });
    // p4 has no wholesale price: not needed inside one company.
    const note = await h.api('POST', `/api/replenishment-orders/${id}/ship`, { token: hq });
    expect(note.status).toBe(200);
    const moves = await all<{ reason: string; delta: unknown; unit_cost_micros: unknown }>(h.ds.manager, 'SELECT reason, delta, unit_cost_micros FROM stock_movement WHERE document_id = ? ORDER BY reason', [note.body.id]);
    // Both legs at the franchisor's average, 1,00 €; the average stays.
    expect(moves.map((x) => [x.reason, Number(x.delta), Number(x.unit_cost_micros)])).toEqual([['shipment', -10, 1_000_000], ['transit_in', 10, 1_000_000]]);
    expect(await avg(F.franchisor.id, p4!.id)).toBe(1_000_000);
    expect(await level(WAREHOUSE, p4!.id)).toBe(40);
  });
});
