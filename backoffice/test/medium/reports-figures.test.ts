/**
 * Management reports worked out by hand, on both engines: rollup rows written as the ingest would have left
 * them, and the figures a manager reads — gross margin and its %, ABC classes by sales and by margin, a
 * heatmap cell, the benchmark's network average and best quartile (75th percentile), the comparison with the
 * previous period and the like-for-like one with last year (a store that did not sell last year is left out),
 * stock rotation, days of cover and products with stock and no sales.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportResult } from '@tpv/shared/wire/http/reports';
import { engines, F, startHarness } from '../support/harness';
import { all, exec } from '../../src/persistence/sql';
import { foldRollups, markDirty } from '../../src/reports/fold';
import { rollupReads } from '../../src/reports/queries';

const [p0, p1, p2, p3, p4] = F.products.map((p) => p.id) as [string, string, string, string, string];
const M1 = F.storeM1.id;
const M2 = F.storeM2.id;
const V1 = F.storeV1.id;
const WEEK = 'from=2026-11-02&to=2026-11-08';

/** Lines rollup: [store, date, product, net, cost] (units 1, gross = net × 1,21 rounded). */
const LINES: Array<[string, string, string, number, number]> = [
  [M1, '2026-11-02', p0, 50_000, 30_000],
  [M1, '2026-11-03', p1, 30_000, 12_000],
  [V1, '2026-11-04', p2, 12_000, 9_000],
  [M1, '2026-11-05', p3, 5_000, 1_000],
  [M1, '2026-11-06', p4, 3_000, 2_000],
];
/** Tickets rollup: [store, date, hour, tickets, gross, net]. */
const TICKETS: Array<[string, string, number, number, number, number]> = [
  [M1, '2026-11-02', 10, 100, 150_000, 124_000], // Monday
  [M2, '2026-11-03', 11, 50, 40_000, 33_000], // Tuesday
  [V1, '2026-11-04', 10, 80, 96_000, 80_000], // Wednesday
  [M2, '2026-11-01', 12, 7, 7_000, 5_800], // the previous week's Sunday
  [M1, '2025-11-03', 10, 80, 100_000, 82_000], // last year: M1 and V1 sold, M2 did not exist
  [V1, '2025-11-05', 10, 40, 50_000, 41_000],
];

describe.each(engines)('management reports worked by hand on $name', (engine) => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let hq: string;
  const report = async (key: string, q: string): Promise<ReportResult> => {
    const r = await h.api('GET', `/api/reports/${key}?${q}`, { token: hq });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as ReportResult;
  };

  beforeAll(async () => {
    // No fold at start: the cases write hour rollups straight into the tables and fold (or not) themselves.
    h = await startHarness(engine, { now: () => Date.UTC(2026, 10, 30, 12) }, { reportFoldEveryMs: 0 });
    hq = await h.login(F.hq);
    const m = h.ds.manager;
    for (const [store, date, product, net, cost] of LINES) {
      await exec(m, `INSERT INTO report_sales_hour (business_date, store_id, hour, product_id, lines, units, gross_cents, net_cents, cost_cents) VALUES (?, ?, 10, ?, 1, 1, ?, ?, ?)`, [date, store, product, Math.round(net * 1.21), net, cost]);
    }
    for (const [store, date, hour, tickets, gross, net] of TICKETS) {
      await exec(m, `INSERT INTO report_ticket_hour (store_id, business_date, hour, tickets, units, gross_cents, net_cents) VALUES (?, ?, ?, ?, ?, ?, ?)`, [store, date, hour, tickets, tickets, gross, net]);
    }
    const hours = (days: string[], from: string, to: string) => JSON.stringify(Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, days.includes(d) ? [{ from, to }] : []])));
    await exec(m, `UPDATE store SET sales_area_m2 = 100, opening_hours = ? WHERE id = ?`, [hours(['mon', 'tue', 'wed', 'thu', 'fri'], '09:00', '21:00'), M1]);
    await exec(m, `UPDATE store SET sales_area_m2 = 50, opening_hours = NULL WHERE id = ?`, [M2]);
    await exec(m, `UPDATE store SET sales_area_m2 = 200, opening_hours = ? WHERE id = ?`, [hours(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], '10:00', '14:00'), V1]);
  });
  afterAll(async () => {
    await h?.teardown();
  });

  it('gross margin by product, store and category: net − cost, and % of net', async () => {
    const byProduct = await report('margin', `${WEEK}&groupBy=product`);
    expect(byProduct.rows.map((r) => [r.productId, r.netCents, r.costCents, r.marginCents, r.marginPct])).toEqual([
      [p0, 50_000, 30_000, 20_000, 40],
      [p1, 30_000, 12_000, 18_000, 60],
      [p3, 5_000, 1_000, 4_000, 80],
      [p2, 12_000, 9_000, 3_000, 25],
      [p4, 3_000, 2_000, 1_000, 33.33],
    ]);
    expect(byProduct.totals).toMatchObject({ netCents: 100_000, costCents: 54_000, marginCents: 46_000, marginPct: 46 });
    const byStore = await report('margin', `${WEEK}&groupBy=store`);
    // M1: 88.000 net, 45.000 cost → 43.000 (48,86 %); V1: 12.000, 9.000 → 3.000 (25 %).
    expect(byStore.rows.map((r) => [r.storeId, r.marginCents, r.marginPct])).toEqual([
      [M1, 43_000, 48.86],
      [V1, 3_000, 25],
    ]);
    const byCategory = await report('margin', `${WEEK}&groupBy=category`);
    expect(byCategory.rows).toHaveLength(1);
    expect(byCategory.rows[0]).toMatchObject({ label: 'Sin categoría / No category', marginCents: 46_000, marginPct: 46 });
  });

  it('ABC: A up to the product that crosses 80 %, B up to 95 %, C the rest — by sales and by margin', async () => {
    // Net 50.000 (50 %), 30.000 (80 %), 12.000 (92 %), 5.000 (97 %), 3.000 (100 %): the share before each decides.
    const bySales = await report('abc', `${WEEK}&groupBy=sales`);
    expect(bySales.rows.map((r) => [r.productId, r.cumulativePct, r.class])).toEqual([
      [p0, 50, 'A'],
      [p1, 80, 'A'],
      [p2, 92, 'B'],
      [p3, 97, 'B'],
      [p4, 100, 'C'],
    ]);
    // Margin 20.000, 18.000 (82,61 %), 4.000 (91,3 %), 3.000 (97,83 %), 1.000 of 46.000.
    const byMargin = await report('abc', `${WEEK}&groupBy=margin`);
    expect(byMargin.rows.map((r) => [r.productId, r.cumulativePct, r.class])).toEqual([
      [p0, 43.48, 'A'],
      [p1, 82.61, 'A'],
      [p3, 91.3, 'B'],
      [p2, 97.83, 'B'],
      [p4, 100, 'C'],
    ]);
    expect(byMargin.totals.valueCents).toBe(46_000);
  });

  it('heatmap: sales with IVA per hour and weekday', async () => {
    const heat = await report('heatmap', WEEK);
    expect(heat.rows).toEqual([
      { hour: '10:00', mon: 150_000, tue: 0, wed: 96_000, thu: 0, fri: 0, sat: 0, sun: 0, total: 246_000 },
      { hour: '11:00', mon: 0, tue: 40_000, wed: 0, thu: 0, fri: 0, sat: 0, sun: 0, total: 40_000 },
    ]);
    expect(heat.totals).toMatchObject({ mon: 150_000, tue: 40_000, wed: 96_000, total: 286_000 });
  });

  it('benchmark: per m², per opening hour, average ticket, margin; network average and best quartile', async () => {
    const b = await report('benchmark', WEEK);
    const stores = b.rows.filter((r) => r.rowKind === 'store');
    // M1: 124.000 / 100 m² = 1.240; 60 h open (5 × 12) → 2.067/h; 150.000 / 100 tickets = 1.500.
    // M2: 33.000 / 50 m² = 660; no timetable; 800. V1: 80.000 / 200 m² = 400; 24 h (6 × 4) → 3.333/h; 1.200.
    expect(stores.map((r) => [r.storeId, r.netPerM2Cents, r.openHours, r.netPerHourCents, r.avgTicketCents, r.marginPct])).toEqual([
      [M1, 1_240, 60, 2_067, 1_500, 48.86],
      [M2, 660, null, null, 800, null],
      [V1, 400, 24, 3_333, 1_200, 25],
    ]);
    const avg = b.rows.find((r) => r.rowKind === 'average')!;
    const q = b.rows.find((r) => r.rowKind === 'best_quartile')!;
    // Averages of the stores that have the figure; quartile: 75th percentile, interpolated (3 stores: position 1,5).
    expect([avg.netPerM2Cents, avg.avgTicketCents, avg.netPerHourCents]).toEqual([766.67, 1_166.67, 2_700]);
    expect([q.netPerM2Cents, q.avgTicketCents, q.netPerHourCents]).toEqual([950, 1_350, 3_016.5]);
    // The network: 237.000 net over 350 m² (= 677) and 230 tickets.
    expect(b.totals).toMatchObject({ tickets: 230, netCents: 237_000, areaM2: 350, netPerM2Cents: 677 });
  });

  it('stock: rotation and days of cover against the stock now; products with stock and no sales', async () => {
    const m = h.ds.manager;
    const at = '2026-11-30T00:00:00.000Z';
    // M1 holds 3 of p0 (sold 1 in the week) and 7 of p5 (never sold); V1 holds 4 of p2 (sold 1).
    await exec(m, `INSERT INTO stock_level (location_id, product_id, quantity, updated_at, company_id) VALUES (?, ?, 3, ?, ?), (?, ?, 7, ?, ?), (?, ?, 4, ?, ?)`, [
      M1, p0, at, F.ruiz.id, M1, F.products[5]!.id, at, F.ruiz.id, V1, p2, at, F.levante.id,
    ]);
    const idle = await report('stock-no-sales', WEEK);
    expect(idle.rows.map((r) => [r.storeId, r.productId, r.stockQty])).toEqual([[M1, F.products[5]!.id, 7]]);
    const rot = await report('stock-rotation', `${WEEK}&store=${M1}`);
    // p0: 1 sold in 7 days against 3 on hand → turnover 0,33, cover 3 / (1/7) = 21 days; p5: nothing sold, no cover figure.
    expect(rot.rows.filter((r) => r.stockQty !== 0).map((r) => [r.productId, r.soldQty, r.stockQty, r.rotation, r.daysOfCover])).toEqual([
      [p0, 1, 3, 0.33, 21],
      [F.products[5]!.id, 0, 7, 0, null],
    ]);
  });

  it('compare with the previous period, and like-for-like with last year (M2 did not sell then: left out of both)', async () => {
    const prev = await report('sales-by-store', `${WEEK}&compare=previous`);
    expect(prev.totals.grossCents).toBe(286_000);
    expect(prev.compare).toMatchObject({ kind: 'previous', from: '2026-10-26', to: '2026-11-01', stores: null });
    expect(prev.compare!.rows.map((r) => [r.storeId, r.grossCents])).toEqual([[M2, 7_000]]);
    const ly = await report('sales-by-store', `${WEEK}&compare=last_year`);
    expect(ly.compare).toMatchObject({ kind: 'last_year', from: '2025-11-02', to: '2025-11-08', stores: [M1, V1] });
    expect(ly.rows.map((r) => [r.storeId, r.grossCents])).toEqual([
      [M1, 150_000],
      [V1, 96_000],
    ]);
    expect(ly.totals.grossCents).toBe(246_000);
    expect(ly.compare!.totals).toMatchObject({ grossCents: 150_000, tickets: 120 });
  });

  it('products with stock and no sales over folded months across a new year: sold before, in and after the period, never', async () => {
    const m = h.ds.manager;
    const at = '2026-11-30T00:00:00.000Z';
    const p5 = F.products[5]!.id;
    // Stock now (besides M1 p0 3, M1 p5 7 and V1 p2 4 from the stock case): M2 p1 5, M2 p3 2, V1 p4 6.
    await exec(m, `INSERT INTO stock_level (location_id, product_id, quantity, updated_at, company_id) VALUES (?, ?, 5, ?, ?), (?, ?, 2, ?, ?), (?, ?, 6, ?, ?)`, [
      M2, p1, at, F.ruiz.id, M2, p3, at, F.ruiz.id, V1, p4, at, F.levante.id,
    ]);
    // [store, date, product]: one unit each.
    const sales: Array<[string, string, string]> = [
      [M1, '2026-01-31', p0], // in the period, its last day (January's bit)
      [M2, '2025-12-15', p1], // in the period (December's bit of the year before)
      [M2, '2026-02-10', p3], // after the period only
      [V1, '2025-11-20', p4], // before the period only…
      [M2, '2026-01-05', p4], // …though another store sold it in the period
    ];
    for (const [store, date, product] of sales) {
      await exec(m, `INSERT INTO report_sales_hour (business_date, store_id, hour, product_id, lines, units, gross_cents, net_cents, cost_cents) VALUES (?, ?, 10, ?, 1, 1, 121, 100, 50)`, [date, store, product]);
    }
    const PERIOD = 'from=2025-12-01&to=2026-01-31';
    const idle = async (q: string) => (await report('stock-no-sales', q)).rows.map((r) => `${String(r.storeId)} ${String(r.productId)} ${String(r.stockQty)}`).sort();
    // Idle: M1 p5 (never sold), M2 p3 (sold after), V1 p2 (sold in November 2026), V1 p4 (sold before, elsewhere in it).
    const expected = [`${M1} ${p5} 7`, `${M2} ${p3} 2`, `${V1} ${p2} 4`, `${V1} ${p4} 6`].sort();
    expect(await idle(PERIOD)).toEqual(expected);
    // Folded (up to 29 November 2026): the same answer from the month masks; a month alone and a part-month too.
    await foldRollups(h.ds, Date.UTC(2026, 10, 30, 12));
    const masks = await all<{ store_id: string; product_id: string; year: string; months: unknown }>(m, `SELECT store_id, product_id, year, months FROM report_sales_pair_year WHERE store_id = ? AND product_id = ?`, [M2, p1]);
    expect(masks.map((r) => [r.year, Number(r.months)])).toEqual([['2025', 2048]]);
    expect(await idle(PERIOD)).toEqual(expected);
    expect(await idle('from=2026-01-01&to=2026-01-31')).toEqual([`${M1} ${p5} 7`, `${M2} ${p1} 5`, `${M2} ${p3} 2`, `${V1} ${p2} 4`, `${V1} ${p4} 6`].sort());
    // From the 16th: December's days from the stores' product days, not the hour rows — M2's p1 of the 15th is
    // outside, so idle; from the 15th (its day) or the 14th it is inside.
    rollupReads.clear();
    expect(await idle('from=2025-12-16&to=2026-01-31')).toEqual([...expected, `${M2} ${p1} 5`].sort());
    expect(await idle('from=2025-12-14&to=2026-01-31')).toEqual(expected);
    expect(await idle('from=2025-12-15&to=2026-01-31')).toEqual(expected);
    expect(rollupReads.get('report_sales_hour') ?? 0).toBe(0);
    // A late ticket for V1 in December and M2's December sale taken back by a rebuild: dirty, then folded again.
    await exec(m, `INSERT INTO report_sales_hour (business_date, store_id, hour, product_id, lines, units, gross_cents, net_cents, cost_cents) VALUES ('2025-12-03', ?, 10, ?, 1, 1, 121, 100, 50)`, [V1, p4]);
    // …and another on the 20th, so V1 p4 sold on both sides of the 16th.
    await exec(m, `INSERT INTO report_sales_hour (business_date, store_id, hour, product_id, lines, units, gross_cents, net_cents, cost_cents) VALUES ('2025-12-20', ?, 11, ?, 1, 1, 121, 100, 50)`, [V1, p4]);
    await exec(m, `DELETE FROM report_sales_hour WHERE store_id = ? AND product_id = ? AND business_date = '2025-12-15'`, [M2, p1]);
    const sql = <R,>(text: string, params?: readonly unknown[]) => all<R>(m, text, params ?? []);
    await markDirty(sql, V1, ['2025-12']);
    await markDirty(sql, M2, ['2025-12']);
    const after = [`${M1} ${p5} 7`, `${M2} ${p1} 5`, `${M2} ${p3} 2`, `${V1} ${p2} 4`].sort();
    expect(await idle(PERIOD)).toEqual(after);
    expect(await idle('from=2025-12-16&to=2026-01-31')).toEqual(after);
    await foldRollups(h.ds, Date.UTC(2026, 10, 30, 13));
    expect(await idle(PERIOD)).toEqual(after);
    // Folded again: V1 p4's 20 December is in the period — sold (its 3 December is not).
    expect(await idle('from=2025-12-16&to=2026-01-31')).toEqual(after);
    expect(await all(m, `SELECT year FROM report_sales_pair_year WHERE store_id = ? AND product_id = ? AND months <> 0`, [M2, p1])).toEqual([]);
  });
});
