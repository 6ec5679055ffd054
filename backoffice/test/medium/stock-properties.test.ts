/**
 * Issue 11, must-be-true 1 — the inventory ledger's properties under random operations, on SQLite and
 * PostgreSQL. A seeded PRNG (`shared/src/prng.ts`) draws a sequence of: receipts at a price (warehouse or
 * store), till sales and returns through the real ingest (paired tills over socket.io), transfers via a
 * transit location (same company at the average, inter-company at a wholesale price; shipped with
 * `refuseBelowZero`, received partly or wholly later), counts (counted − on-hand) and adjustments (which may
 * take a store below zero). Documents go through `postStockMoves` (the document use cases land with their
 * modules; the integrator points this test at them). After each step a model kept here is updated; at the
 * end, and at checkpoints, the database must say:
 *
 *   1. on-hand per location and product = Σ its movements = the model's;
 *   2. each transit location holds shipped − received of its document;
 *   3. every company's average cost = the model's (the weighted average over its whole on-hand, transit
 *      included, moved only by goods bought at a price), and no cost anywhere is negative;
 *   4. valuation (GET /api/stock/valuation) = Σ over (location, product) of valueCents(quantity, average):
 *      exactly, and within ½ cent per (location, product) of the unrounded Σ quantity × average / 10,000 —
 *      the rounding: each (location, product) value is rounded half-up to the cent once;
 *   5. the valuation asked later *at* a checkpoint's instant = the valuation taken *at* that checkpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@tpv/shared/prng';
import { valueCents, weightedAverage } from '@tpv/shared/inventory/cost';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { connectTerminal, engines, F, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { createTicketFactory, type TicketFactory } from '../support/ticket-factory';
import { createTransitLocation, postStockMoves, type StockMove } from '../../src/stock/ledger';
import { writeTransaction } from '../../src/persistence/raw';
import { all } from '../../src/persistence/sql';

const W = '00000000-0000-7000-8009-000000000001';
const STEPS = 150;
const SEED = 20261130;

type Loc = { id: string; companyId: string };
const LOCS: Loc[] = [
  { id: W, companyId: F.franchisor.id },
  { id: F.storeM1.id, companyId: F.ruiz.id },
  { id: F.storeM2.id, companyId: F.ruiz.id },
  { id: F.storeV1.id, companyId: F.levante.id },
];

describe.each(engines)('stock ledger properties on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq = '';
  const terms: TerminalClient[] = [];
  let ms = Date.UTC(2026, 10, 1, 8, 0, 0);
  const clock = { now: () => ms };

  // ── the model ──
  const onHand = new Map<string, number>(); // location|product
  const avg = new Map<string, number>(); // company|product (absent: never bought at a price)
  const companyOf = new Map<string, string>(LOCS.map((l) => [l.id, l.companyId]));
  const get = (k: string) => onHand.get(k) ?? 0;
  const companyHeld = (companyId: string, productId: string) =>
    [...onHand].reduce((s, [k, q]) => (companyOf.get(k.split('|')[0]!) === companyId && k.endsWith(`|${productId}`) ? s + q : s), 0);
  const apply = (moves: readonly StockMove[]) => {
    for (const x of moves) {
      const c = companyOf.get(x.locationId)!;
      if (x.purchaseCostMicros !== undefined && x.purchaseCostMicros !== null) {
        avg.set(`${c}|${x.productId}`, weightedAverage(companyHeld(c, x.productId), avg.get(`${c}|${x.productId}`) ?? 0, x.delta, x.purchaseCostMicros));
      }
      onHand.set(`${x.locationId}|${x.productId}`, get(`${x.locationId}|${x.productId}`) + x.delta);
    }
  };
  const transits: Array<{ id: string; docId: string; from: Loc; to: Loc; productId: string; shipped: number; received: number }> = [];
  let docs = 0;
  const docId = () => `00000000-0000-7000-8020-${(++docs).toString(16).padStart(12, '0')}`;
  const post = async (moves: StockMove[], refuseBelowZero = false) => {
    ms += 1000;
    const r = await writeTransaction(h.ds, (m) => postStockMoves(m, clock, moves, { refuseBelowZero }));
    if (r.ok) apply(moves);
    return r.ok;
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    await h.ds.query(
      `INSERT INTO warehouse (id, code, company_id, name, address) VALUES (${engine.name === 'postgres' ? '$1, $2, $3, $4, NULL' : '?, ?, ?, ?, NULL'})`,
      [W, 'CENTRAL', F.franchisor.id, 'Almacén central'],
    );
    hq = await h.login(F.hq);
    for (const t of [F.t1, F.t3]) terms.push(await connectTerminal(h.url, t.id, await h.pair(t.id)));
  });
  afterAll(async () => {
    for (const t of terms) t.close();
    await h?.teardown();
  });

  const valuationByLocation = async (at?: string) => {
    const r = await h.api('GET', `/api/stock/valuation${at ? `?at=${encodeURIComponent(at)}` : ''}`, { token: hq });
    expect(r.status).toBe(200);
    return r.body as { totalValueCents: number; locations: Array<{ locationId: string; valueCents: number }> };
  };

  it('keeps on-hand, transit, average cost and valuation consistent over a random sequence', async () => {
    const rnd = seededRandom(SEED);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const products = F.products.slice(0, 4);
    const qtyOf = (p: (typeof products)[number], lo: number, hi: number) => (p.weighed ? int(lo, hi) * 50 : int(lo, hi)); // grams for weighed
    const tills: Array<{ term: TerminalClient; factory: TicketFactory; store: Loc }> = [
      { term: terms[0]!, store: LOCS[1]!, factory: createTicketFactory({ identity: { terminalId: F.t1.id, terminalCode: F.t1.code, storeId: F.storeM1.id, storeCode: F.storeM1.code, installation: F.t1.installation, companyNif: F.ruiz.nif }, products, clock: { now: () => (ms += 1000) }, seed: SEED, returnRate: 0.25 }) },
      { term: terms[1]!, store: LOCS[3]!, factory: createTicketFactory({ identity: { terminalId: F.t3.id, terminalCode: F.t3.code, storeId: F.storeV1.id, storeCode: F.storeV1.code, installation: F.t3.installation, companyNif: F.levante.nif }, products, clock: { now: () => (ms += 1000) }, seed: SEED + 1, returnRate: 0.25 }) },
    ];
    const checkpoints: Array<{ at: string; body: Awaited<ReturnType<typeof valuationByLocation>> }> = [];
    const seen = { receipt: 0, sale: 0, ship: 0, shipRefused: 0, receive: 0, count: 0, adjustment: 0 };

    for (let step = 0; step < STEPS; step++) {
      const op = rnd();
      if (op < 0.25) {
        const loc = pick(LOCS);
        const p = pick(products);
        // µ€ per unit 0,10–9,99 €; per gram 0,50–20 €/kg.
        const cost = p.weighed ? int(500, 20_000) : int(100_000, 9_990_000);
        await post([{ locationId: loc.id, productId: p.id, delta: qtyOf(p, 5, 40), reason: 'receipt', documentType: 'goods_receipt', documentId: docId(), documentLine: 1, purchaseCostMicros: cost }]);
        seen.receipt++;
      } else if (op < 0.45) {
        const till = pick(tills);
        const tickets: TicketDocument[] = Array.from({ length: int(1, 3) }, () => till.factory.next());
        await till.term.send(tickets);
        for (const t of tickets) {
          for (const l of t.lines) {
            const q = l.quantity.kind === 'units' ? l.quantity.units : l.quantity.grams;
            const k = `${till.store.id}|${l.productId}`;
            onHand.set(k, get(k) - q);
          }
        }
        seen.sale++;
      } else if (op < 0.6) {
        const from = pick(LOCS.filter((l) => l.id !== F.storeV1.id));
        const to = pick(LOCS.filter((l) => l.id !== from.id && l.id !== W));
        const p = pick(products);
        const q = qtyOf(p, 1, 15);
        const id = docId();
        ms += 1000;
        const transit = await writeTransaction(h.ds, (m) => createTransitLocation(m, clock, { companyId: to.companyId, documentType: 'transfer', documentId: id, code: `T-${docs}`, name: `En tránsito ${docs}` }));
        companyOf.set(transit, to.companyId);
        const interCompany = from.companyId !== to.companyId;
        // Inter-company: the receiver buys at a wholesale price (its average moves); same company: at the average.
        const wholesale = interCompany ? (p.weighed ? int(600, 25_000) : int(200_000, 12_000_000)) : null;
        const had = get(`${from.id}|${p.id}`);
        const ok = await post(
          [
            { locationId: from.id, productId: p.id, delta: -q, reason: 'shipment', documentType: 'transfer', documentId: id, documentLine: 1 },
            { locationId: transit, productId: p.id, delta: q, reason: 'transit_in', documentType: 'transfer', documentId: id, documentLine: 1, purchaseCostMicros: wholesale },
          ],
          true,
        );
        // Refused exactly when the model says the source has less than q.
        expect(ok).toBe(had >= q);
        if (ok) {
          transits.push({ id: transit, docId: id, from, to, productId: p.id, shipped: q, received: 0 });
          seen.ship++;
        } else seen.shipRefused++;
      } else if (op < 0.75) {
        const open = transits.filter((t) => t.received < t.shipped);
        if (open.length === 0) continue;
        const t = pick(open);
        const r = int(1, t.shipped - t.received);
        const line = t.received === 0 ? 1 : 2 + (t.received % 1000); // a second receipt of a document is another line
        await post([
          { locationId: t.id, productId: t.productId, delta: -r, reason: 'transit_out', documentType: 'transfer', documentId: t.docId, documentLine: line },
          { locationId: t.to.id, productId: t.productId, delta: r, reason: 'receipt', documentType: 'transfer', documentId: t.docId, documentLine: line },
        ]);
        t.received += r;
        seen.receive++;
      } else if (op < 0.88) {
        const loc = pick(LOCS);
        const p = pick(products);
        const counted = qtyOf(p, 0, 30);
        const delta = counted - get(`${loc.id}|${p.id}`);
        if (delta === 0) continue;
        await post([{ locationId: loc.id, productId: p.id, delta, reason: 'count', documentType: 'stock_count', documentId: docId(), documentLine: 1 }]);
        seen.count++;
      } else {
        const loc = pick(LOCS);
        const p = pick(products);
        await post([{ locationId: loc.id, productId: p.id, delta: -qtyOf(p, 1, 3), reason: 'adjustment', cause: pick(['breakage', 'shrinkage', 'sample'] as const), documentType: 'adjustment', documentId: docId(), documentLine: 1 }]);
        seen.adjustment++;
      }
      if (step % 15 === 14) {
        ms += 1000;
        checkpoints.push({ at: new Date(ms).toISOString(), body: await valuationByLocation() });
        ms += 1000;
      }
    }
    // The sequence did exercise every kind of operation.
    for (const [k, n] of Object.entries(seen)) if (k !== 'shipRefused') expect(n, k).toBeGreaterThan(0);

    // 1. levels = Σ movements = model.
    const levels = await all<{ location_id: string; product_id: string; company_id: string; quantity: unknown }>(h.ds.manager, 'SELECT location_id, product_id, company_id, quantity FROM stock_level');
    const sums = await all<{ location_id: string; product_id: string; q: unknown }>(h.ds.manager, 'SELECT location_id, product_id, SUM(delta) AS q FROM stock_movement GROUP BY location_id, product_id');
    const levelMap = new Map(levels.map((l) => [`${l.location_id}|${l.product_id}`, Number(l.quantity)]));
    expect(new Map(sums.map((s) => [`${s.location_id}|${s.product_id}`, Number(s.q)]))).toEqual(levelMap);
    const nonZero = (m: Map<string, number>) => new Map([...m].filter(([, q]) => q !== 0));
    expect(nonZero(levelMap)).toEqual(nonZero(onHand));

    // 2. transit = shipped − received, per document.
    for (const t of transits) expect(levelMap.get(`${t.id}|${t.productId}`) ?? 0, `transit ${t.docId}`).toBe(t.shipped - t.received);

    // 3. averages = model; never a negative cost.
    const costs = await all<{ company_id: string; product_id: string; avg_cost_micros: unknown }>(h.ds.manager, 'SELECT company_id, product_id, avg_cost_micros FROM stock_cost');
    const costMap = new Map(costs.map((c) => [`${c.company_id}|${c.product_id}`, Number(c.avg_cost_micros)]));
    expect(costMap).toEqual(avg);
    const minimum = await all<{ a: unknown; b: unknown; c: unknown }>(
      h.ds.manager,
      'SELECT (SELECT MIN(avg_cost_micros) FROM stock_cost) AS a, (SELECT MIN(avg_cost_micros) FROM stock_cost_history) AS b, (SELECT MIN(unit_cost_micros) FROM stock_movement) AS c',
    );
    for (const v of Object.values(minimum[0]!)) expect(Number(v)).toBeGreaterThanOrEqual(0);

    // 4. valuation = Σ valueCents(quantity, average) exactly; within ½ cent per row of the unrounded Σ.
    const byLocation = new Map<string, number>();
    let exactMicros = 0n;
    let rows = 0;
    for (const l of levels) {
      const q = Number(l.quantity);
      if (q === 0) continue;
      const a = costMap.get(`${l.company_id}|${l.product_id}`) ?? 0;
      byLocation.set(l.location_id, (byLocation.get(l.location_id) ?? 0) + valueCents(q, a));
      exactMicros += BigInt(q) * BigInt(a);
      rows++;
    }
    const now = await valuationByLocation();
    expect(new Map(now.locations.map((l) => [l.locationId, l.valueCents]))).toEqual(byLocation);
    const total = [...byLocation.values()].reduce((s, v) => s + v, 0);
    expect(now.totalValueCents).toBe(total);
    const diff = BigInt(total) * 10_000n - exactMicros;
    expect(Number(diff < 0n ? -diff : diff)).toBeLessThanOrEqual(5_000 * rows);

    // 5. valuation at a past instant = the valuation taken then.
    expect(checkpoints.length).toBeGreaterThan(3);
    for (const c of checkpoints) expect(await valuationByLocation(c.at), c.at).toEqual({ ...c.body, at: c.at });
  });
});
