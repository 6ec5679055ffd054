/**
 * Issue 11, must-be-true 1 — the inventory ledger's properties under random operations, on SQLite and
 * PostgreSQL. A seeded PRNG (`shared/src/prng.ts`) draws a sequence of operations, each through the real
 * document use cases over HTTP (as HQ):
 *   - receipts at a price: a purchase order (PC) to a warehouse or store, sent, then received in full by a
 *     goods receipt (EM) at the line's net cost (moves the owner's average);
 *   - till sales and returns through the real ingest (paired tills over socket.io);
 *   - transfers (TR) within a company: created and shipped (refused when the origin has less: the model says
 *     when), later received wholly or short, a short one later closed (what is left in transit written off);
 *   - replenishment of a franchisee store from the franchisor's warehouse (PR → AL): registered, approved,
 *     picking, picked, shipped (refused when the warehouse has less), the franchisee's transit in at the
 *     wholesale price (its average moves), received wholly or short at the store, the note later closed;
 *   - counts (RC) of a product list: started, counted, submitted, approved, posted (counted − on hand);
 *   - adjustments (RG) out (breakage, shrinkage, sample: refused below zero — the model says when) or in (found).
 * After each step a model kept here is updated; at the end, and at checkpoints, the database must say:
 *
 *   1. on-hand per location and product = Σ its movements = the model's;
 *   2. each transit location holds shipped − received − written off of its transfer or delivery note;
 *   3. every company's average cost = the model's (the weighted average over its whole on-hand, transit
 *      included, moved only by goods bought at a price), and no cost anywhere is negative;
 *   4. valuation (GET /api/stock/valuation) = Σ over (location, product) of valueCents(quantity, average):
 *      exactly, and within ½ cent per (location, product) of the unrounded Σ quantity × average / 10,000 —
 *      the rounding: each (location, product) value is rounded half-up to the cent once;
 *   5. the valuation asked later *at* a checkpoint's instant = the valuation taken *at* that checkpoint.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '@tpv/shared/prng';
import { valueCents, weightedAverage } from '@tpv/shared/inventory/cost';
import { netUnitCostMicros } from '@tpv/shared/inventory/purchase-amounts';
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import { connectTerminal, engines, F, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { createTicketFactory, type TicketFactory } from '../support/ticket-factory';
import { all } from '../../src/persistence/sql';

const W = '00000000-0000-7000-8009-000000000001';
/** Ruiz's own warehouse: transfers within Ruiz go warehouse → store and store → store. */
const RW = '00000000-0000-7000-8009-000000000002';
const STEPS = 150;
const SEED = 20261130;

type Loc = { id: string; companyId: string };
const LOCS: Loc[] = [
  { id: W, companyId: F.franchisor.id },
  { id: RW, companyId: F.ruiz.id },
  { id: F.storeM1.id, companyId: F.ruiz.id },
  { id: F.storeM2.id, companyId: F.ruiz.id },
  { id: F.storeV1.id, companyId: F.levante.id },
];
const STORES = new Set<string>([F.storeM1.id, F.storeM2.id, F.storeV1.id]);

describe.each(engines)('stock ledger properties on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let hq = '';
  let supplierId = '';
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
  /** A move in the model; `purchaseCostMicros`: goods bought at that price (the owner's average moves). */
  const move = (locationId: string, productId: string, delta: number, purchaseCostMicros?: number) => {
    const c = companyOf.get(locationId)!;
    if (purchaseCostMicros !== undefined) avg.set(`${c}|${productId}`, weightedAverage(companyHeld(c, productId), avg.get(`${c}|${productId}`) ?? 0, delta, purchaseCostMicros));
    onHand.set(`${locationId}|${productId}`, get(`${locationId}|${productId}`) + delta);
  };
  type Transfer = { id: string; transit: string; to: Loc; productId: string; shipped: number; received: number | null; writtenOff: number; closed: boolean };
  const transfers: Transfer[] = [];
  type Note = { id: string; transit: string; store: Loc; productId: string; shipped: number; received: number | null; writtenOff: number; closed: boolean };
  const notes: Note[] = [];

  /** An HQ request at the next second of the clock; the status is checked by the caller. */
  const api = (method: string, path: string, body?: unknown) => {
    ms += 1000;
    return h.api(method, path, { token: hq, ...(body === undefined ? {} : { body }) });
  };
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await api(method, path, body);
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBeLessThan(300);
    return r.body;
  };

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    for (const [id, code, company, name] of [[W, 'CENTRAL', F.franchisor.id, 'Almacén central'], [RW, 'RUIZ-ALM', F.ruiz.id, 'Almacén Ruiz']]) {
      await h.ds.query(`INSERT INTO warehouse (id, code, company_id, name, address) VALUES (${engine.name === 'postgres' ? '$1, $2, $3, $4, NULL' : '?, ?, ?, ?, NULL'})`, [id, code, company, name]);
    }
    hq = await h.login(F.hq);
    supplierId = (await ok('POST', '/api/suppliers', { name: 'Proveedor de pruebas S.L.' })).id;
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

  it('keeps on-hand, transit, average cost and valuation consistent over a random sequence of documents', async () => {
    const rnd = seededRandom(SEED);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const products = F.products.slice(0, 4);
    const qtyOf = (p: (typeof products)[number], lo: number, hi: number) => (p.weighed ? int(lo, hi) * 50 : int(lo, hi)); // grams for weighed
    const tills: Array<{ term: TerminalClient; factory: TicketFactory; store: Loc }> = [
      { term: terms[0]!, store: LOCS[2]!, factory: createTicketFactory({ identity: { terminalId: F.t1.id, terminalCode: F.t1.code, storeId: F.storeM1.id, storeCode: F.storeM1.code, installation: F.t1.installation, companyNif: F.ruiz.nif }, products, clock: { now: () => (ms += 1000) }, seed: SEED, returnRate: 0.25 }) },
      { term: terms[1]!, store: LOCS[4]!, factory: createTicketFactory({ identity: { terminalId: F.t3.id, terminalCode: F.t3.code, storeId: F.storeV1.id, storeCode: F.storeV1.code, installation: F.t3.installation, companyNif: F.levante.nif }, products, clock: { now: () => (ms += 1000) }, seed: SEED + 1, returnRate: 0.25 }) },
    ];
    const checkpoints: Array<{ at: string; body: Awaited<ReturnType<typeof valuationByLocation>> }> = [];
    const seen = { receipt: 0, sale: 0, ship: 0, shipRefused: 0, receive: 0, close: 0, deliver: 0, deliverRefused: 0, noteReceive: 0, noteClose: 0, count: 0, adjustment: 0, adjustmentRefused: 0 };
    // The franchisor's wholesale prices (net of IVA; weighed: cents per kg), fixed for the run.
    const wholesale = new Map(products.map((p) => [p.id, p.weighed ? int(60, 2_500) : int(20, 1_200)]));
    await ok('PUT', '/api/wholesale-prices', { prices: [...wholesale].map(([productId, priceCents]) => ({ productId, priceCents })) });
    // µ€ per unit (cents × 10,000) or per gram (cents per kg × 10,000 / 1,000).
    const wholesaleMicros = (p: (typeof products)[number]) => wholesale.get(p.id)! * (p.weighed ? 10 : 10_000);

    for (let step = 0; step < STEPS; step++) {
      const op = rnd();
      if (op < 0.2) {
        // A purchase order of one line, sent, received in full: at the line's net cost (per gram for weighed: cost per kg).
        const loc = pick(LOCS);
        const p = pick(products);
        const unitCostCents = p.weighed ? int(50, 2_000) : int(10, 999);
        const quantity = qtyOf(p, 5, 40);
        const po = await ok('POST', '/api/purchase-orders', { supplierId, locationId: loc.id, lines: [{ productId: p.id, quantity, unitCostCents }] });
        await ok('POST', `/api/purchase-orders/${po.id}/send`);
        const got = await ok('POST', `/api/purchase-orders/${po.id}/receipts`, { id: randomUUID(), lines: [{ orderLineNo: 1, quantity }] });
        expect(got.status).toBe('received');
        move(loc.id, p.id, quantity, netUnitCostMicros({ unitCostCents, discountBp: 0, weighed: p.weighed }));
        seen.receipt++;
      } else if (op < 0.36) {
        const till = pick(tills);
        const tickets: TicketDocument[] = Array.from({ length: int(1, 3) }, () => till.factory.next());
        await till.term.send(tickets);
        for (const t of tickets) for (const l of t.lines) move(till.store.id, l.productId, -(l.quantity.kind === 'units' ? l.quantity.units : l.quantity.grams));
        seen.sale++;
      } else if (op < 0.47) {
        // A transfer within Ruiz: created and shipped (refused, nothing moved, when the origin has less).
        const from = pick(LOCS.filter((l) => l.companyId === F.ruiz.id));
        const to = pick(LOCS.filter((l) => l.companyId === F.ruiz.id && l.id !== from.id && STORES.has(l.id)));
        const p = pick(products);
        const q = qtyOf(p, 1, 15);
        const made = await ok('POST', '/api/stock/transfers', { fromLocationId: from.id, toLocationId: to.id, lines: [{ productId: p.id, quantity: q }] });
        const had = get(`${from.id}|${p.id}`);
        const shipped = await api('POST', `/api/stock/transfers/${made.id}/ship`);
        // Refused exactly when the model says the source has less than q.
        expect(shipped.status, JSON.stringify(shipped.body)).toBe(had >= q ? 200 : 409);
        if (shipped.status !== 200) {
          await ok('POST', `/api/stock/transfers/${made.id}/cancel`);
          seen.shipRefused++;
          continue;
        }
        const transit = (await all<{ id: string }>(h.ds.manager, 'SELECT transit_location_id AS id FROM stock_transfer WHERE id = ?', [made.id]))[0]!.id;
        companyOf.set(transit, to.companyId);
        move(from.id, p.id, -q);
        move(transit, p.id, q);
        transfers.push({ id: made.id, transit, to, productId: p.id, shipped: q, received: null, writtenOff: 0, closed: false });
        seen.ship++;
      } else if (op < 0.56) {
        // Receive a shipped transfer (wholly: closed; short: received) or close a short one (the rest written off).
        const open = transfers.filter((t) => !t.closed);
        if (open.length === 0) continue;
        const t = pick(open);
        if (t.received === null) {
          const r = int(0, t.shipped);
          const body = await ok('POST', `/api/stock/transfers/${t.id}/receive`, { lines: [{ productId: t.productId, received: r }] });
          expect(body.status).toBe(r === t.shipped ? 'closed' : 'received');
          move(t.transit, t.productId, -r);
          move(t.to.id, t.productId, r);
          t.received = r;
          t.closed = r === t.shipped;
          seen.receive++;
        } else {
          expect((await ok('POST', `/api/stock/transfers/${t.id}/close`)).status).toBe('closed');
          t.writtenOff = t.shipped - t.received;
          move(t.transit, t.productId, -t.writtenOff);
          t.closed = true;
          seen.close++;
        }
      } else if (op < 0.66) {
        // A franchisee store's replenishment order, shipped from the franchisor's warehouse (refused, then cancelled, when short).
        const store = pick(LOCS.filter((l) => STORES.has(l.id)));
        const p = pick(products);
        const q = qtyOf(p, 1, 12);
        const order = await ok('POST', '/api/replenishment-orders', { storeId: store.id, lines: [{ productId: p.id, quantity: q }] });
        await ok('POST', `/api/replenishment-orders/${order.id}/approve`);
        await ok('POST', `/api/replenishment-orders/${order.id}/picking`);
        await ok('PUT', `/api/replenishment-orders/${order.id}/picked`, { lines: [{ productId: p.id, quantity: q }] });
        const had = get(`${W}|${p.id}`);
        const shipped = await api('POST', `/api/replenishment-orders/${order.id}/ship`);
        expect(shipped.status, JSON.stringify(shipped.body)).toBe(had >= q ? 200 : 409);
        if (shipped.status !== 200) {
          await ok('POST', `/api/replenishment-orders/${order.id}/cancel`);
          seen.deliverRefused++;
          continue;
        }
        const noteId = shipped.body.id as string;
        const transit = (await all<{ id: string }>(h.ds.manager, 'SELECT transit_location_id AS id FROM delivery_note WHERE id = ?', [noteId]))[0]!.id;
        companyOf.set(transit, store.companyId);
        move(W, p.id, -q);
        move(transit, p.id, q, wholesaleMicros(p));
        notes.push({ id: noteId, transit, store, productId: p.id, shipped: q, received: null, writtenOff: 0, closed: false });
        seen.deliver++;
      } else if (op < 0.74) {
        // Receive a delivery note at its store (wholly or short), or close a received one (the rest written off).
        const open = notes.filter((n) => !n.closed);
        if (open.length === 0) continue;
        const n = pick(open);
        if (n.received === null) {
          const r = int(0, n.shipped);
          await ok('POST', `/api/delivery-notes/${n.id}/receive`, { lines: [{ productId: n.productId, received: r }] });
          move(n.transit, n.productId, -r);
          move(n.store.id, n.productId, r);
          n.received = r;
          seen.noteReceive++;
        } else {
          expect((await ok('POST', `/api/delivery-notes/${n.id}/close`)).status).toBe('closed');
          n.writtenOff = n.shipped - n.received;
          move(n.transit, n.productId, -n.writtenOff);
          n.closed = true;
          seen.noteClose++;
        }
      } else if (op < 0.87) {
        // A count of one product: started, counted, submitted (no recount: the threshold is above any difference), approved, posted.
        const loc = pick(LOCS);
        const p = pick(products);
        const counted = qtyOf(p, 0, 30);
        const c = await ok('POST', '/api/stock/counts', { locationId: loc.id, scope: 'products', productIds: [p.id], recountThreshold: 10_000_000 });
        await ok('PUT', `/api/stock/counts/${c.id}/counted`, { lines: [{ productId: p.id, counted }] });
        expect((await ok('POST', `/api/stock/counts/${c.id}/submit`)).status).toBe('submitted');
        await ok('POST', `/api/stock/counts/${c.id}/approve`);
        expect((await ok('POST', `/api/stock/counts/${c.id}/post`)).status).toBe('posted');
        move(loc.id, p.id, counted - get(`${loc.id}|${p.id}`));
        seen.count++;
      } else {
        // An adjustment: out (refused below zero: the model says when) or found goods in, at the average.
        const loc = pick(LOCS);
        const p = pick(products);
        const found = rnd() < 0.25;
        const delta = found ? qtyOf(p, 1, 5) : -qtyOf(p, 1, 3);
        const cause = found ? 'found' : pick(['breakage', 'shrinkage', 'sample'] as const);
        const had = get(`${loc.id}|${p.id}`);
        const r = await api('POST', '/api/stock/adjustments', { id: randomUUID(), locationId: loc.id, cause, lines: [{ productId: p.id, delta }] });
        expect(r.status, JSON.stringify(r.body)).toBe(had + delta >= 0 ? 201 : 409);
        if (r.status === 201) {
          move(loc.id, p.id, delta);
          seen.adjustment++;
        } else seen.adjustmentRefused++;
      }
      if (step % 15 === 14) {
        ms += 1000;
        checkpoints.push({ at: new Date(ms).toISOString(), body: await valuationByLocation() });
        ms += 1000;
      }
    }
    // The sequence did exercise every kind of operation.
    for (const [k, n] of Object.entries(seen)) if (!k.endsWith('Refused')) expect(n, k).toBeGreaterThan(0);

    // 1. levels = Σ movements = model.
    const levels = await all<{ location_id: string; product_id: string; company_id: string; quantity: unknown }>(h.ds.manager, 'SELECT location_id, product_id, company_id, quantity FROM stock_level');
    const sums = await all<{ location_id: string; product_id: string; q: unknown }>(h.ds.manager, 'SELECT location_id, product_id, SUM(delta) AS q FROM stock_movement GROUP BY location_id, product_id');
    const levelMap = new Map(levels.map((l) => [`${l.location_id}|${l.product_id}`, Number(l.quantity)]));
    expect(new Map(sums.map((s) => [`${s.location_id}|${s.product_id}`, Number(s.q)]))).toEqual(levelMap);
    const nonZero = (m: Map<string, number>) => new Map([...m].filter(([, q]) => q !== 0));
    expect(nonZero(levelMap)).toEqual(nonZero(onHand));

    // 2. transit = shipped − received − written off, per transfer.
    for (const t of [...transfers, ...notes]) expect(levelMap.get(`${t.transit}|${t.productId}`) ?? 0, `transit ${t.id}`).toBe(t.shipped - (t.received ?? 0) - t.writtenOff);
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
