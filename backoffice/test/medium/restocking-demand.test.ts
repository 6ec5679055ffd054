/**
 * Restocking's demand statistics (restocking/demand.ts) on both engines: a proposal through them gives exactly
 * the lines (and the pair count) of the same proposal computed straight from `sales_week`, on a small random
 * franchise — rules of every kind, supplier terms, negative and missing stock, sales without stock, an inactive
 * product, goods incoming — after the weekly refresh, after late tickets through the real ingest (their pairs
 * marked stale, a ticket of this week marks nothing), after the refresh folds them back, and after the rollup's
 * rebuild (its store read straight again).
 *
 * The back office's clock: Monday 2026-11-30 10:00 UTC; the proposal reads 2026-10-05 … 2026-11-23 and last
 * year's 2025-09-29 … 2025-12-22.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTerminal, engines, F, factoryFor, startHarness, type Harness, type TerminalClient } from '../support/harness';
import { all, exec } from '../../src/persistence/sql';
import { generateProposals, rebuildRollup, refreshDemandStats, windowsOf } from '../../src/restocking/service';
import { addIncomingSource } from '../../src/restocking/incoming';
import { windowWeeks } from '../../src/restocking/demand';
import { addWeeks } from '../../src/restocking/weeks';
import { seededRandom } from '@tpv/shared/prng';

const NOW = Date.UTC(2026, 10, 30, 10, 0, 0);
const clock = { now: () => NOW };
const SUPPLIER = '00000000-0000-7000-8041-000000000001';
const EXTRA = 40;
const extraId = (i: number) => `00000000-0000-7000-8042-${String(i + 1).padStart(12, '0')}`;

type Line = Record<string, unknown>;

describe.each(engines)('restocking demand statistics on $name', (engine) => {
  let h: Harness & { teardown: () => Promise<void> };
  let term: TerminalClient;
  let stores: string[];
  let removeIncoming: () => void;

  const linesOf = async (proposalIds: string[]) =>
    (
      await all<Line>(
        h.ds.manager,
        `SELECT p.store_id, l.product_id, l.source, l.supplier_id, l.suggested_qty, l.quantity, l.on_hand, l.open_orders, l.in_transit, l.daily_milli,
                l.cover_tenths, l.safety_qty, l.reorder_point, l.target_qty, l.lead_time_days, l.season_pct, l.method
           FROM restock_proposal_line l JOIN restock_proposal p ON p.id = l.proposal_id
          WHERE p.id IN (${proposalIds.map(() => '?').join(', ')}) ORDER BY p.store_id, l.product_id`,
        proposalIds,
      )
    ).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) && k !== 'product_id' && k !== 'store_id' ? Number(v) : v])));

  /** The same proposal both ways: identical lines and pair counts; how many stores went through the statistics. */
  const compare = async () => {
    const fast = await generateProposals(h.ds, clock, { storeIds: null, createdBy: 'fast' });
    const straight = await generateProposals(h.ds, clock, { storeIds: null, createdBy: 'straight', demand: 'straight' });
    const [a, b] = [await linesOf(fast.proposals.map((p) => p.id)), await linesOf(straight.proposals.map((p) => p.id))];
    expect(a.length).toBeGreaterThan(10);
    expect(a).toEqual(b);
    expect(fast.pairs).toBe(straight.pairs);
    expect(fast.lines).toBe(straight.lines);
    expect(straight.fromDemand).toBe(0);
    return fast;
  };
  const stale = async () => (await all<{ location_id: string; product_id: string }>(h.ds.manager, 'SELECT location_id, product_id FROM restock_demand_stale')).map((r) => `${r.location_id}|${r.product_id}`).sort();

  beforeAll(async () => {
    h = await startHarness(engine, clock);
    term = await connectTerminal(h.url, F.t1.id, await h.pair(F.t1.id));
    const m = h.ds.manager;
    stores = (await all<{ id: string }>(m, 'SELECT id FROM store ORDER BY id')).map((r) => r.id);
    const rnd = seededRandom(20_261_130);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const now = new Date(NOW).toISOString();
    await exec(m, 'INSERT INTO supplier (id, name, payment_terms_days, active, created_at) VALUES (?, ?, 30, ?, ?)', [SUPPLIER, 'Distribuciones Demanda', true, now]);
    for (let i = 0; i < EXTRA; i++) {
      await exec(m, 'INSERT INTO product (id, sku, name, tax_rate_bp, weighed, base_price_cents, active, version) VALUES (?, ?, ?, 2100, ?, 100, ?, 1)', [extraId(i), `DEM${i}`, `Demanda ${i}`, false, i !== 7]);
    }
    const products = [...F.products.map((p) => p.id), ...Array.from({ length: EXTRA }, (_, i) => extraId(i))];
    // Supplier terms for a few products (one preferred without a rule naming the supplier).
    for (const p of products.slice(0, 6)) await exec(m, 'INSERT INTO product_supplier (product_id, supplier_id, reference, cost_cents, pack_size, min_order_qty, lead_time_days, preferred) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [p, SUPPLIER, `D-${p.slice(-4)}`, 100, pick([1, 6, 12]), pick([0, 10, 24]), pick([null, 3, 9]), true]);
    const w = windowsOf('2026-11-30');
    // Weeks read, and a few that are not (this week, just before the windows, between them).
    const weeks = [...windowWeeks(w), '2026-11-30', addWeeks(w.recentFrom, -1), addWeeks(w.lastYearTo, 1), addWeeks(w.lastYearFrom, -1)];
    for (const s of stores) {
      for (const p of products) {
        const kind = rnd();
        // Sales: most pairs sell (some a lot, some rarely, some with returns to 0 or below), some never.
        if (kind < 0.85) {
          const rate = pick([0.2, 1, 3, 12, 40]);
          for (const week of weeks) {
            if (rnd() < Math.min(0.9, rate / 4)) await exec(m, 'INSERT INTO sales_week (location_id, week, product_id, quantity) VALUES (?, ?, ?, ?)', [s, week, p, rnd() < 0.05 ? pick([0, -1, -3]) : 1 + Math.floor(rnd() * rate * 2)]);
          }
        }
        // Stock: most pairs have a row (some negative), some not.
        if (rnd() < 0.85) await exec(m, 'INSERT INTO stock_level (location_id, company_id, product_id, quantity, updated_at) VALUES (?, (SELECT company_id FROM store WHERE id = ?), ?, ?, ?)', [s, s, p, rnd() < 0.08 ? -Math.floor(rnd() * 5) - 1 : Math.floor(rnd() * 60), now]);
        // Rules of every kind on some pairs.
        const r = rnd();
        if (r < 0.3) {
          const method = r < 0.12 ? 'minmax' : 'cover';
          const min = Math.floor(rnd() * 20);
          const source = r < 0.08 ? 'supplier' : 'warehouse';
          await exec(
            m,
            `INSERT INTO restock_rule (location_id, product_id, company_id, method, min_qty, max_qty, cover_days, pack_multiple, lead_time_days, source, supplier_id, updated_at)
             VALUES (?, ?, (SELECT company_id FROM store WHERE id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [s, p, s, method, method === 'minmax' ? min : null, method === 'minmax' ? min + Math.floor(rnd() * 30) : null, method === 'cover' ? pick([3, 7, 21]) : null, pick([1, 1, 4]), pick([null, 1, 5]), source, source === 'supplier' && rnd() < 0.5 ? SUPPLIER : null, now],
          );
        }
      }
    }
    // Goods on their way to some pairs (one with nothing else: no stock, no sales, no rule; one with more received than shipped).
    const incoming = new Map<string, { openOrders: number; inTransit: number }>([
      [`${stores[0]}|${products[3]}`, { openOrders: 30, inTransit: 0 }],
      [`${stores[1]}|${products[20]}`, { openOrders: 0, inTransit: -4 }],
      [`${stores[2]}|${products[30]}`, { openOrders: 2, inTransit: 1 }],
    ]);
    await exec(m, 'DELETE FROM stock_level WHERE location_id = ? AND product_id = ?', [stores[2], products[31]]);
    await exec(m, 'DELETE FROM sales_week WHERE location_id = ? AND product_id = ?', [stores[2], products[31]]);
    await exec(m, 'DELETE FROM restock_rule WHERE location_id = ? AND product_id = ?', [stores[2], products[31]]);
    incoming.set(`${stores[2]}|${products[31]}`, { openOrders: 5, inTransit: 0 });
    removeIncoming = addIncomingSource(async (_m, ids) => new Map([...incoming].filter(([k]) => ids.includes(k.split('|')[0]!))));
  });
  afterAll(async () => {
    removeIncoming?.();
    term?.close();
    await h?.teardown();
  });

  it('gives the straight proposal before any refresh (no store current) and after the weekly refresh', async () => {
    expect((await compare()).fromDemand).toBe(0);
    const r = await refreshDemandStats(h.ds, clock, { storeIds: null });
    expect(r).toMatchObject({ week: '2026-11-30', stores: stores.length, folded: 0 });
    // The kept sums are the straight query's, pair by pair.
    const kept = await all<Record<string, unknown>>(h.ds.manager, 'SELECT location_id, product_id, sum_qty, sum_sq, last_year_same, last_year_ahead FROM restock_demand ORDER BY location_id, product_id');
    const w = windowsOf('2026-11-30');
    const straight = await all<Record<string, unknown>>(
      h.ds.manager,
      `SELECT location_id, product_id, SUM(CASE WHEN week >= ? THEN quantity ELSE 0 END) AS sum_qty, SUM(CASE WHEN week >= ? THEN quantity * quantity ELSE 0 END) AS sum_sq,
              SUM(CASE WHEN week < ? THEN quantity ELSE 0 END) AS last_year_same, SUM(CASE WHEN week >= ? AND week < ? THEN quantity ELSE 0 END) AS last_year_ahead
         FROM sales_week WHERE (week >= ? AND week < ?) OR (week >= ? AND week < ?) GROUP BY location_id, product_id ORDER BY location_id, product_id`,
      [w.recentFrom, w.recentFrom, w.lastYearMid, w.lastYearMid, w.lastYearTo, w.recentFrom, w.recentTo, w.lastYearFrom, w.lastYearTo],
    );
    const asNumbers = (rows: Array<Record<string, unknown>>) => rows.map((r) => Object.values(r).map((v, i) => (i < 2 ? v : Number(v))));
    expect(asNumbers(kept)).toEqual(asNumbers(straight));
    expect(r.rows).toBe(straight.length);
    expect((await compare()).fromDemand).toBe(stores.length);
    // A second refresh the same week has nothing to do.
    expect(await refreshDemandStats(h.ds, clock, { storeIds: null })).toMatchObject({ stores: 0, rows: 0, folded: 0 });
  });

  it('stays exact when tickets arrive late for past weeks (their pairs marked stale), and once the refresh folds them back', async () => {
    let at = Date.UTC(2026, 9, 13, 11, 0, 0);
    const f = factoryFor(F.t1, F.storeM1, F.ruiz.nif, 9, { now: () => at });
    const [p0, p1, p2, , p4] = F.products;
    const late = [f.sale({ lines: [{ product: p0!, units: 40 }, { product: p1!, units: 3 }] })]; // week 2026-10-12
    at = Date.UTC(2026, 10, 3, 11, 0, 0);
    late.push(f.sale({ lines: [{ product: p2!, units: 25 }] })); // week 2026-11-02
    at = Date.UTC(2026, 10, 26, 11, 0, 0);
    late.push(f.returnOf(late[0]!, 1, 2)); // p1 back in week 2026-11-23
    expect((await term.send(late)).ackedSeq).toBe(3);
    at = Date.UTC(2026, 10, 30, 9, 0, 0);
    expect((await term.send([f.sale({ lines: [{ product: p4!, units: 50 }] })])).ackedSeq).toBe(4); // this week: read by no proposal yet
    expect(await stale()).toEqual([p0!, p1!, p2!].map((p) => `${F.storeM1.id}|${p.id}`).sort());
    expect((await compare()).fromDemand).toBe(stores.length);

    const r = await refreshDemandStats(h.ds, clock, { storeIds: null });
    expect(r).toMatchObject({ stores: 0, folded: 3 });
    expect(await stale()).toEqual([]);
    expect((await compare()).fromDemand).toBe(stores.length);
  });

  it("reads a store straight once its rollup is rebuilt, until the next refresh", async () => {
    await rebuildRollup(h.ds, [F.storeM1.id]);
    expect((await compare()).fromDemand).toBe(stores.length - 1);
    const r = await refreshDemandStats(h.ds, clock, { storeIds: null });
    expect(r).toMatchObject({ stores: 1 });
    expect((await compare()).fromDemand).toBe(stores.length);
  });
});
