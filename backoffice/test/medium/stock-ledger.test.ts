/**
 * The inventory ledger's posting core on both engines (backoffice/src/stock/ledger.ts): levels = Σ movements
 * per location, the owner's weighted average moved only by goods bought at a price (worked by hand below),
 * transit as a location of its own, refusals that write nothing, a document line posted once, and gapless
 * document numbers per company, type and year.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { engines, F, seedFranchise } from '../support/harness';
import { createTransitLocation, postStockMoves, type StockMove } from '../../src/stock/ledger';
import { allocateDocumentNumber } from '../../src/platform/numbering';
import { writeTransaction } from '../../src/persistence/raw';
import { all } from '../../src/persistence/sql';

const WAREHOUSE = '00000000-0000-7000-8009-000000000001';
const clock = { now: () => Date.UTC(2026, 10, 30, 9, 0, 0) };

describe.each(engines)('stock ledger on $name', (engine) => {
  let ds: DataSource;
  let teardown: () => Promise<void>;
  const [p1, p2] = F.products;
  const doc = (id: string) => (line: number, x: Omit<StockMove, 'documentType' | 'documentId' | 'documentLine'>): StockMove => ({ ...x, documentType: 'test', documentId: id, documentLine: line });
  const level = async (loc: string, product: string) =>
    Number((await all<{ quantity: unknown }>(ds.manager, 'SELECT quantity FROM stock_level WHERE location_id = ? AND product_id = ?', [loc, product]))[0]?.quantity ?? 0);
  const avg = async (company: string, product: string) =>
    (await all<{ a: unknown }>(ds.manager, 'SELECT avg_cost_micros AS a FROM stock_cost WHERE company_id = ? AND product_id = ?', [company, product])).map((r) => Number(r.a))[0];

  beforeAll(async () => {
    ({ ds, teardown } = await engine.open());
    await seedFranchise(ds);
    await ds.query(
      `INSERT INTO warehouse (id, code, company_id, name, address) VALUES (${engine.name === 'postgres' ? '$1, $2, $3, $4, NULL' : '?, ?, ?, ?, NULL'})`,
      [WAREHOUSE, 'CENTRAL', F.franchisor.id, 'Almacén central'],
    );
  });
  afterAll(async () => teardown?.());

  it('moves the average only for goods bought at a price (hand-worked table)', async () => {
    const d = doc('00000000-0000-7000-8010-000000000001');
    // 10 @ 2,000000 € then 30 @ 3,000000 €: (10×2 + 30×3) / 40 = 2,750000 €.
    await writeTransaction(ds, (m) =>
      postStockMoves(m, clock, [
        d(1, { locationId: WAREHOUSE, productId: p1!.id, delta: 10, reason: 'receipt', purchaseCostMicros: 2_000_000 }),
        d(2, { locationId: WAREHOUSE, productId: p1!.id, delta: 30, reason: 'receipt', purchaseCostMicros: 3_000_000 }),
      ]),
    );
    expect(await level(WAREHOUSE, p1!.id)).toBe(40);
    expect(await avg(F.franchisor.id, p1!.id)).toBe(2_750_000);
    // An adjustment out moves at the average and leaves it: 40 − 4 = 36 at 2,75.
    const adj = await writeTransaction(ds, (m) =>
      postStockMoves(m, clock, [doc('00000000-0000-7000-8010-000000000002')(1, { locationId: WAREHOUSE, productId: p1!.id, delta: -4, reason: 'adjustment', cause: 'breakage' })]),
    );
    expect(adj.ok && adj.moves[0]!.unitCostMicros).toBe(2_750_000);
    expect(await avg(F.franchisor.id, p1!.id)).toBe(2_750_000);
    // 36 @ 2,75 + 4 @ 3,10 = (99 + 12,4) / 40 = 2,785 €.
    await writeTransaction(ds, (m) =>
      postStockMoves(m, clock, [doc('00000000-0000-7000-8010-000000000003')(1, { locationId: WAREHOUSE, productId: p1!.id, delta: 4, reason: 'receipt', purchaseCostMicros: 3_100_000 })]),
    );
    expect(await avg(F.franchisor.id, p1!.id)).toBe(2_785_000);
    const history = await all<{ a: unknown }>(ds.manager, 'SELECT avg_cost_micros AS a FROM stock_cost_history WHERE company_id = ? AND product_id = ? ORDER BY avg_cost_micros', [F.franchisor.id, p1!.id]);
    // One history row per document that moved it (the first one ends at 2,75).
    expect(history.map((h) => Number(h.a))).toEqual([2_750_000, 2_785_000]);
  });

  it('refuses to take a warehouse below zero and writes nothing', async () => {
    const before = await level(WAREHOUSE, p2!.id);
    const r = await writeTransaction(ds, (m) =>
      postStockMoves(m, clock, [doc('00000000-0000-7000-8010-000000000004')(1, { locationId: WAREHOUSE, productId: p2!.id, delta: -5, reason: 'shipment' })], { refuseBelowZero: true }),
    );
    expect(r).toEqual({ ok: false, shortfalls: [{ index: 0, locationId: WAREHOUSE, productId: p2!.id, onHand: 0, wanted: 5 }] });
    expect(await level(WAREHOUSE, p2!.id)).toBe(before);
  });

  it('keeps goods in transit at a location of their own, bought by the franchisee at the wholesale price', async () => {
    const docId = '00000000-0000-7000-8010-000000000005';
    const d = doc(docId);
    await writeTransaction(ds, async (m) => {
      const transit = await createTransitLocation(m, clock, { companyId: F.ruiz.id, documentType: 'delivery_note', documentId: docId, code: 'AL-2026-000001', name: 'Tránsito AL-2026-000001' });
      const r = await postStockMoves(m, clock, [
        d(1, { locationId: WAREHOUSE, productId: p1!.id, delta: -6, reason: 'shipment' }),
        d(1, { locationId: transit, productId: p1!.id, delta: 6, reason: 'transit_in', purchaseCostMicros: 3_500_000 }),
      ], { refuseBelowZero: true });
      expect(r.ok).toBe(true);
      // Received 5 of 6 at the store: one stays in transit until the note is closed.
      await postStockMoves(m, clock, [
        doc('00000000-0000-7000-8010-000000000006')(1, { locationId: transit, productId: p1!.id, delta: -5, reason: 'transit_out' }),
        doc('00000000-0000-7000-8010-000000000006')(1, { locationId: F.storeM1.id, productId: p1!.id, delta: 5, reason: 'receipt' }),
      ]);
      const t = await all<{ quantity: unknown }>(m, 'SELECT quantity FROM stock_level WHERE location_id = ?', [transit]);
      expect(Number(t[0]!.quantity)).toBe(1);
    });
    expect(await level(WAREHOUSE, p1!.id)).toBe(34);
    expect(await level(F.storeM1.id, p1!.id)).toBe(5);
    expect(await avg(F.ruiz.id, p1!.id)).toBe(3_500_000);
    expect(await avg(F.franchisor.id, p1!.id)).toBe(2_785_000);
    // Every level is the sum of its movements.
    const bad = await all(ds.manager, `SELECT l.location_id FROM stock_level l LEFT JOIN (SELECT location_id, product_id, SUM(delta) AS q FROM stock_movement GROUP BY location_id, product_id) s
      ON s.location_id = l.location_id AND s.product_id = l.product_id WHERE s.q IS NULL OR s.q <> l.quantity`);
    expect(bad).toEqual([]);
  });

  it('posts a document line once: a retried posting fails and changes nothing', async () => {
    const d = doc('00000000-0000-7000-8010-000000000001');
    const before = await level(WAREHOUSE, p1!.id);
    await expect(
      writeTransaction(ds, (m) => postStockMoves(m, clock, [d(1, { locationId: WAREHOUSE, productId: p1!.id, delta: 10, reason: 'receipt', purchaseCostMicros: 2_000_000 })])),
    ).rejects.toThrow();
    expect(await level(WAREHOUSE, p1!.id)).toBe(before);
  });

  it('numbers documents gapless per company, type and year, and gives a rolled-back number back', async () => {
    const take = (company: string, year = 2026) => writeTransaction(ds, (m) => allocateDocumentNumber(m, company, 'delivery_note', year));
    expect((await take(F.franchisor.id)).code).toBe('AL-2026-000001');
    expect((await take(F.franchisor.id)).code).toBe('AL-2026-000002');
    await expect(
      writeTransaction(ds, async (m) => {
        await allocateDocumentNumber(m, F.franchisor.id, 'delivery_note', 2026);
        throw new Error('posting failed');
      }),
    ).rejects.toThrow('posting failed');
    expect((await take(F.franchisor.id)).code).toBe('AL-2026-000003');
    expect((await take(F.ruiz.id)).code).toBe('AL-2026-000001');
    expect((await take(F.franchisor.id, 2027)).code).toBe('AL-2027-000001');
  });
});
