/**
 * Stock lists with cost and value, valuation at any date and a product's movements across locations, over
 * HTTP on both engines, with the caller's scope. The ledger is written through `postStockMoves` at fixed
 * instants; every figure below is worked by hand.
 *
 *   T1 2026-11-01  warehouse W (franchisor) receives p1 10 @ 2,000000 €, p2 5 @ 1,234567 €
 *   T2 2026-11-10  W receives p1 30 @ 3,000000 €         franchisor p1 avg (10×2 + 30×3)/40 = 2,750000
 *   T3 2026-11-20  W ships p1 −10 (at 2,75): 2 into Ruiz's transit @ 4,000000 (Ruiz avg 4,00, it held none),
 *                  8 into Madrid 1 @ 4,500000            Ruiz p1 avg (2×4 + 8×4,5)/10 = 4,400000
 *   T4 2026-11-25  Madrid 1 breaks one p1 (−1 at 4,40; the average stays)
 *
 * Values (cents, half-up per location and product):
 *   at T1+1h  W: p1 10×2,00 = 2000, p2 5×1,234567 = 6,172835 € → 617        W 2617
 *   at T2+1h  W: p1 40×2,75 = 11000, p2 617                                   W 11617
 *   now       W: p1 30×2,75 = 8250, p2 617 → 8867; transit 2×4,40 = 880; Madrid 1 7×4,40 = 3080
 *             franchisor 8867; Ruiz 880 + 3080 = 3960 (in transit 880); total 12827
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, F, startHarness, type Harness } from '../support/harness';
import { createTransitLocation, postStockMoves, type StockMove } from '../../src/stock/ledger';
import { writeTransaction } from '../../src/persistence/raw';
import { exec } from '../../src/persistence/sql';

const W = '00000000-0000-7000-8009-000000000001';
const T1 = '2026-11-01T09:00:00.000Z';
const T2 = '2026-11-10T09:00:00.000Z';
const T3 = '2026-11-20T09:00:00.000Z';
const T4 = '2026-11-25T09:00:00.000Z';
const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };

describe.each(engines)('stock valuation on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq = '';
  let ruiz = '';
  let levante = '';
  let m1 = '';
  let transit = '';
  const [p1, p2] = F.products;
  const post = (at: string, docId: string, number: string, moves: Array<Omit<StockMove, 'documentType' | 'documentId' | 'documentLine' | 'documentNumber'>>) =>
    writeTransaction(h.ds, (m) =>
      postStockMoves(m, clock, moves.map((x, i) => ({ ...x, documentType: 'goods_receipt', documentId: docId, documentLine: i + 1, documentNumber: number })), { at }),
    );

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    await h.ds.query(
      `INSERT INTO warehouse (id, code, company_id, name, address) VALUES (${engine.name === 'postgres' ? '$1, $2, $3, $4, NULL' : '?, ?, ?, ?, NULL'})`,
      [W, 'CENTRAL', F.franchisor.id, 'Almacén central'],
    );
    await post(T1, '00000000-0000-7000-8010-000000000001', 'EM-2026-000001', [
      { locationId: W, productId: p1!.id, delta: 10, reason: 'receipt', purchaseCostMicros: 2_000_000 },
      { locationId: W, productId: p2!.id, delta: 5, reason: 'receipt', purchaseCostMicros: 1_234_567 },
    ]);
    await post(T2, '00000000-0000-7000-8010-000000000002', 'EM-2026-000002', [{ locationId: W, productId: p1!.id, delta: 30, reason: 'receipt', purchaseCostMicros: 3_000_000 }]);
    transit = await writeTransaction(h.ds, (m) =>
      createTransitLocation(m, clock, { companyId: F.ruiz.id, documentType: 'delivery_note', documentId: '00000000-0000-7000-8010-000000000003', code: 'AL-2026-000001', name: 'En tránsito AL-2026-000001' }),
    );
    await post(T3, '00000000-0000-7000-8010-000000000003', 'AL-2026-000001', [
      { locationId: W, productId: p1!.id, delta: -10, reason: 'shipment' },
      { locationId: transit, productId: p1!.id, delta: 2, reason: 'transit_in', purchaseCostMicros: 4_000_000 },
      { locationId: F.storeM1.id, productId: p1!.id, delta: 8, reason: 'receipt', purchaseCostMicros: 4_500_000 },
    ]);
    await post(T4, '00000000-0000-7000-8010-000000000004', 'RG-2026-000001', [{ locationId: F.storeM1.id, productId: p1!.id, delta: -1, reason: 'adjustment', cause: 'breakage' }]);
    [hq, ruiz, levante, m1] = await Promise.all([h.login(F.hq), h.login(F.managerRuiz), h.login(F.managerLevante), h.login(F.managerM1)]);
  });
  afterAll(async () => h?.teardown());

  it('lists the locations each caller may see, warehouses first', async () => {
    const codes = async (token: string) => ((await h.api('GET', '/api/stock/locations', { token })).body as Array<{ code: string }>).map((l) => l.code);
    expect(await codes(hq)).toEqual(['CENTRAL', 'M001', 'M002', 'V001']);
    expect(await codes(ruiz)).toEqual(['M001', 'M002']);
    expect(await codes(m1)).toEqual(['M001']);
    expect(await codes(levante)).toEqual(['V001']);
  });

  it("shows a location's stock with average cost and value, sorted and filtered", async () => {
    const w = await h.api('GET', `/api/stock/locations/${W}/stock?sort=value&dir=desc`, { token: hq });
    expect(w.status).toBe(200);
    expect(w.body.total).toBe(2);
    expect(w.body.items.map((r: { sku: string; quantity: number; avgCostMicros: number; valueCents: number }) => [r.sku, r.quantity, r.avgCostMicros, r.valueCents])).toEqual([
      ['SKU1', 30, 2_750_000, 8250],
      ['SKU2', 5, 1_234_567, 617],
    ]);
    const filtered = await h.api('GET', `/api/stock/locations/${W}/stock?q=sku2`, { token: hq });
    expect(filtered.body.items.map((r: { sku: string }) => r.sku)).toEqual(['SKU2']);
    const store = await h.api('GET', `/api/stock/locations/${F.storeM1.id}/stock`, { token: m1 });
    expect(store.body.items).toMatchObject([{ sku: 'SKU1', quantity: 7, avgCostMicros: 4_400_000, valueCents: 3080 }]);
    const csv = await h.api('GET', `/api/stock/locations/${F.storeM1.id}/stock?format=csv`, { token: ruiz });
    expect(csv.status).toBe(200);
    expect(String(csv.body)).toContain('SKU1;Producto 1;;0;7;4.400000;30.80');
  });

  it('shows the restocking minimum per row and filters the products below it, held or not', async () => {
    // Rules (restocking's restock_rule): Madrid 1 p1 min 8 (holds 7: below), p2 min 3 (never held: 0, below),
    // p3 by days of cover (no minimum); W p2 min 5 (holds 5: not below, "below" is strictly less).
    const [, , p3] = F.products;
    const rule = (loc: string, company: string, product: string, method: 'minmax' | 'cover', min: number | null) =>
      exec(h.ds.manager, `INSERT INTO restock_rule (location_id, product_id, company_id, method, min_qty, max_qty, cover_days, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
        loc, product, company, method, min, method === 'minmax' ? 20 : null, method === 'cover' ? 7 : null, T4,
      ]);
    await rule(F.storeM1.id, F.ruiz.id, p1!.id, 'minmax', 8);
    await rule(F.storeM1.id, F.ruiz.id, p2!.id, 'minmax', 3);
    await rule(F.storeM1.id, F.ruiz.id, p3!.id, 'cover', null);
    await rule(W, F.franchisor.id, p2!.id, 'minmax', 5);
    type Row = { sku: string; quantity: number; minQty: number | null; avgCostMicros: number | null; valueCents: number | null };
    const rows = (r: { body: { items: Row[] } }) => r.body.items.map((x) => [x.sku, x.quantity, x.minQty, x.avgCostMicros, x.valueCents]);

    // The plain list: what is held, each with its minimum (or none).
    expect(rows(await h.api('GET', `/api/stock/locations/${F.storeM1.id}/stock`, { token: m1 }))).toEqual([['SKU1', 7, 8, 4_400_000, 3080]]);
    expect(rows(await h.api('GET', `/api/stock/locations/${W}/stock`, { token: hq }))).toEqual([['SKU1', 30, null, 2_750_000, 8250], ['SKU2', 5, 5, 1_234_567, 617]]);
    // Below minimum: p1 (7 < 8) and p2 (0 < 3, no cost at Ruiz: no value); not p3 (no minimum).
    const below = await h.api('GET', `/api/stock/locations/${F.storeM1.id}/stock?belowMin=true`, { token: m1 });
    expect(below.status).toBe(200);
    expect(below.body.total).toBe(2);
    expect(rows(below)).toEqual([['SKU1', 7, 8, 4_400_000, 3080], ['SKU2', 0, 3, null, null]]);
    expect(rows(await h.api('GET', `/api/stock/locations/${F.storeM1.id}/stock?belowMin=true&sort=quantity&dir=asc`, { token: ruiz }))).toEqual([['SKU2', 0, 3, null, null], ['SKU1', 7, 8, 4_400_000, 3080]]);
    expect(rows(await h.api('GET', `/api/stock/locations/${F.storeM1.id}/stock?belowMin=true&nonZero=true`, { token: m1 }))).toEqual([['SKU1', 7, 8, 4_400_000, 3080]]);
    expect((await h.api('GET', `/api/stock/locations/${W}/stock?belowMin=true`, { token: hq })).body.total).toBe(0);
    expect((await h.api('GET', `/api/stock/locations/${F.storeM1.id}/stock?belowMin=true`, { token: levante })).status).toBe(403);
    const csv = await h.api('GET', `/api/stock/locations/${F.storeM1.id}/stock?belowMin=true&format=csv`, { token: ruiz });
    expect(String(csv.body)).toContain('SKU2;Producto 2;;0;0;;;3;');
  });

  it('refuses a location outside the scope (403) and an unknown one (404)', async () => {
    expect((await h.api('GET', `/api/stock/locations/${F.storeM1.id}/stock`, { token: levante })).status).toBe(403);
    expect((await h.api('GET', `/api/stock/locations/${W}/stock`, { token: ruiz })).status).toBe(403);
    expect((await h.api('GET', `/api/stock/locations/${F.storeM2.id}/stock`, { token: m1 })).status).toBe(403);
    expect((await h.api('GET', '/api/stock/locations/00000000-0000-7000-8009-00000000ffff/stock', { token: hq })).status).toBe(404);
  });

  it('values stock per location and company now and at earlier dates', async () => {
    const now = await h.api('GET', '/api/stock/valuation', { token: hq });
    expect(now.status).toBe(200);
    expect(now.body.at).toBeNull();
    const byCode = (b: { locations: Array<{ code: string; valueCents: number }> }) => Object.fromEntries(b.locations.map((l) => [l.code, l.valueCents]));
    expect(byCode(now.body)).toEqual({ CENTRAL: 8867, 'AL-2026-000001': 880, M001: 3080 });
    expect(now.body.totalValueCents).toBe(12827);
    const companies = Object.fromEntries(now.body.companies.map((c: { companyId: string; valueCents: number; inTransitCents: number }) => [c.companyId, [c.valueCents, c.inTransitCents]]));
    expect(companies).toEqual({ [F.franchisor.id]: [8867, 0], [F.ruiz.id]: [3960, 880] });

    const atT1 = await h.api('GET', `/api/stock/valuation?at=${encodeURIComponent('2026-11-01T10:00:00Z')}`, { token: hq });
    expect(byCode(atT1.body)).toEqual({ CENTRAL: 2617 });
    // The same instant written with an offset (11:00 at +01:00 = 10:00 UTC).
    const offset = await h.api('GET', `/api/stock/valuation?at=${encodeURIComponent('2026-11-01T11:00:00+01:00')}`, { token: hq });
    expect(byCode(offset.body)).toEqual({ CENTRAL: 2617 });
    const atT2 = await h.api('GET', `/api/stock/valuation?at=${encodeURIComponent('2026-11-10T10:00:00Z')}`, { token: hq });
    expect(byCode(atT2.body)).toEqual({ CENTRAL: 11617 });
    // Before anything: nothing held.
    expect((await h.api('GET', '/api/stock/valuation?at=2026-10-01T00:00:00Z', { token: hq })).body.locations).toEqual([]);
    // Far in the future = now (the ledger and the history tell the same story).
    expect(byCode((await h.api('GET', '/api/stock/valuation?at=2030-01-01T00:00:00Z', { token: hq })).body)).toEqual(byCode(now.body));

    // Scope: a franchisee sees their company's locations (transit included), a store manager their store.
    expect(byCode((await h.api('GET', '/api/stock/valuation', { token: ruiz })).body)).toEqual({ 'AL-2026-000001': 880, M001: 3080 });
    expect(byCode((await h.api('GET', '/api/stock/valuation', { token: m1 })).body)).toEqual({ M001: 3080 });
    expect((await h.api('GET', '/api/stock/valuation', { token: levante })).body.totalValueCents).toBe(0);
    expect(byCode((await h.api('GET', `/api/stock/valuation?companyId=${F.ruiz.id}`, { token: hq })).body)).toEqual({ 'AL-2026-000001': 880, M001: 3080 });
    expect((await h.api('GET', `/api/stock/valuation?locationId=${W}`, { token: ruiz })).status).toBe(403);
    expect((await h.api('GET', '/api/stock/valuation?at=yesterday', { token: hq })).status).toBe(400);
  });

  it("lists a product's movements across locations with their documents, in scope", async () => {
    const all = await h.api('GET', `/api/stock/products/${p1!.id}/movements`, { token: hq });
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(6);
    expect(all.body.items.map((r: { locationCode: string; delta: number; documentNumber: string; unitCostMicros: number }) => [r.locationCode, r.delta, r.documentNumber, r.unitCostMicros])).toEqual([
      ['M001', -1, 'RG-2026-000001', 4_400_000],
      // One posting, one instant: newest first by time-ordered id (posted in line order).
      ['M001', 8, 'AL-2026-000001', 4_500_000],
      ['AL-2026-000001', 2, 'AL-2026-000001', 4_000_000],
      ['CENTRAL', -10, 'AL-2026-000001', 2_750_000],
      ['CENTRAL', 30, 'EM-2026-000002', 3_000_000],
      ['CENTRAL', 10, 'EM-2026-000001', 2_000_000],
    ]);
    const ruizRows = await h.api('GET', `/api/stock/products/${p1!.id}/movements`, { token: ruiz });
    expect(ruizRows.body.items.map((r: { delta: number }) => r.delta)).toEqual([-1, 8, 2]);
    const m1Rows = await h.api('GET', `/api/stock/products/${p1!.id}/movements?pageSize=1&page=2`, { token: m1 });
    expect(m1Rows.body).toMatchObject({ total: 2, hasMore: false, items: [{ delta: 8, reason: 'receipt' }] });
    expect((await h.api('GET', `/api/stock/products/${p1!.id}/movements`, { token: levante })).body.total).toBe(0);
    const inWindow = await h.api('GET', `/api/stock/products/${p1!.id}/movements?locationId=${W}&from=2026-11-05T00:00:00Z&to=2026-11-15T00:00:00Z`, { token: hq });
    expect(inWindow.body.items.map((r: { delta: number }) => r.delta)).toEqual([30]);
    expect((await h.api('GET', `/api/stock/products/${p1!.id}/movements?locationId=${W}`, { token: ruiz })).status).toBe(403);
  });
});
