/**
 * Reports over long periods with filters read the folded month tables (issue 18), on both engines, worked by hand:
 * hour rollups over January–May 2026 (and the year before), then folded. For a product filter, a category filter,
 * a store filter whose period starts inside a month, the previous period and last year's like-for-like comparison,
 * the folded answer equals the answer before the fold and the figures worked out here — and the rows the report
 * read (queries.ts `rollupReads`) come from the month tables, not from the hour rows — every report with every filter,
 * the heatmap by store, company, product or category (hour × weekday per month), sales by day of a store
 * (`report_ticket_day_store`) and of a store's product (`report_sales_day_store_product`) included. A late ticket for
 * a folded month marks it dirty: read from the hour rows again (the late sale counted) until it is folded again. A
 * database whose months were folded before the store-day, store line-day, store product-day and heatmap tables
 * existed gets those months marked dirty by their migrations and keeps answering from the hours until then.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_KEYS, type ReportResult } from '@tpv/shared/wire/http/reports';
import { reportInfo } from '../../src/reports/catalogue';
import { engines, F, startHarness } from '../support/harness';
import { all, exec } from '../../src/persistence/sql';
import { foldedScope, foldRollups, markLateTickets } from '../../src/reports/fold';
import { planPeriod, rollupReads } from '../../src/reports/queries';
import { backofficeMigrations } from '../../src/persistence/migrations';
import { ReportStoreDaysHeatmaps1795483000001 } from '../../src/reports/migrations/1795483000001-ReportStoreDaysHeatmaps';

const [p0, p1, p2] = F.products.map((p) => p.id) as [string, string, string];
const M1 = F.storeM1.id;
const M2 = F.storeM2.id;
const V1 = F.storeV1.id;
const CAT = '0c000000-0000-4000-8000-000000000001';
/** HQ's clock: 15 May 2026 (Madrid): the fold reaches 14 May. */
const NOW = Date.UTC(2026, 4, 15, 12);

/** One ticket of one line each, at 10:00 unless said: [store, date, product, units, net, hour]; gross = net × 1,21 (exact here). */
const SALES: Array<[string, string, string, number, number, number?]> = [
  [M1, '2025-01-15', p0, 1, 10_000], // last year: M1 and V1 sold, M2 did not
  [V1, '2025-02-10', p1, 1, 20_000],
  [M1, '2025-12-31', p0, 2, 4_000], // the previous period's first partial month
  [M1, '2026-01-05', p0, 1, 1_000], // before the store filter's period (10 January)
  [M1, '2026-01-20', p1, 3, 30_000],
  [M2, '2026-01-25', p2, 1, 5_000],
  [V1, '2026-02-14', p0, 2, 8_000],
  [M1, '2026-02-20', p2, 1, 2_000],
  [M2, '2026-03-03', p0, 1, 7_000],
  [M1, '2026-03-30', p1, 1, 6_000, 18], // a Monday evening
  [V1, '2026-04-10', p1, 4, 40_000],
  [M1, '2026-05-14', p0, 1, 9_000], // folded for the network's day table only
  [M1, '2026-05-15', p0, 1, 500], // today: the hour rows
];
const gross = (net: number) => (net * 121) / 100;

const HOUR_TABLES = ['report_sales_hour', 'report_ticket_hour'];
/** Every report with each filter it honours, over four whole months (2026-01-01 – 2026-04-30). */
const FILTERS: Record<string, string> = { none: '', company: `company=${F.ruiz.id}`, store: `store=${M1}`, category: `category=${CAT}`, product: `product=${p0}`, cashier: 'cashier=00000000-0000-4000-8000-00000000c001' };
const MATRIX = REPORT_KEYS.flatMap((key) => ['none', ...reportInfo(key).filters].map((f) => ({ key, f, q: `from=2026-01-01&to=2026-04-30${FILTERS[f] ? `&${FILTERS[f]}` : ''}` })));
/** The folded tables (month, day, hour × weekday): a report over folded months reads some of these. */
const FOLDED_TABLES = [
  'report_sales_month',
  'report_sales_month_network',
  'report_sales_month_store',
  'report_ticket_month_store',
  'report_sales_day_network',
  'report_ticket_day_network',
  'report_ticket_day_store',
  'report_ticket_heat_month',
  'report_sales_heat_month',
  'report_sales_heat_month_network',
  'report_sales_day_store',
  'report_sales_day_store_product',
];
const readsOf = (tables: string[]) => tables.reduce((a, t) => a + (rollupReads.get(t) ?? 0), 0);

describe.each(engines)('filtered long periods read the folded months on $name', (engine) => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  let hq: string;
  const report = async (key: string, q: string): Promise<ReportResult> => {
    const r = await h.api('GET', `/api/reports/${key}?${q}`, { token: hq });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as ReportResult;
  };
  const insertSale = async (store: string, date: string, product: string, units: number, net: number, hour = 10) => {
    const m = h.ds.manager;
    await exec(m, `INSERT INTO report_sales_hour (business_date, store_id, hour, product_id, lines, units, gross_cents, net_cents, cost_cents) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)`, [date, store, hour, product, units, gross(net), net, net / 2]);
    await exec(m, `INSERT INTO report_ticket_hour (store_id, business_date, hour, tickets, units, gross_cents, net_cents) VALUES (?, ?, ?, 1, ?, ?, ?)`, [store, date, hour, units, gross(net), net]);
  };
  /** PostgreSQL: the file of a folded table (VACUUM FULL writes a new one); SQLite: null. */
  const fileOf = async (table: string) => (engine.name === 'postgres' ? Number((await all<{ f: unknown }>(h.ds.manager, `SELECT pg_relation_filenode(?) AS f`, [table]))[0]!.f) : null);
  const cells = (r: ReportResult) => r.rows.map((x) => [x.hour, x.mon, x.tue, x.wed, x.thu, x.fri, x.sat, x.sun, x.total]);

  /** Every case's question and the answer worked out by hand (rows and totals as a manager reads them). */
  const CASES: Array<{ name: string; key: string; q: string; pick: (r: ReportResult) => unknown; expected: unknown }> = [
    {
      // p0 from January to April: M1 5 Jan (1 u, 1.000), V1 14 Feb (2 u, 8.000), M2 3 Mar (1 u, 7.000).
      name: 'product filter, the network, four months',
      key: 'sales-by-product',
      q: `from=2026-01-01&to=2026-04-30&product=${p0}`,
      pick: (r) => [r.rows.map((x) => [x.productId, x.units, x.netCents, x.grossCents]), r.totals.netCents],
      expected: [[[p0, 4, 16_000, 19_360]], 16_000],
    },
    {
      name: 'product filter by month',
      key: 'sales-by-period',
      q: `from=2026-01-01&to=2026-04-30&product=${p0}&groupBy=month`,
      pick: (r) => r.rows.map((x) => [x.period, x.units, x.netCents, x.grossCents]),
      expected: [
        ['2026-01', 1, 1_000, 1_210],
        ['2026-02', 2, 8_000, 9_680],
        ['2026-03', 1, 7_000, 8_470],
      ],
    },
    {
      // Category (p0, p1): p0 16.000 + p1 (M1 20 Jan 30.000, M1 30 Mar 6.000, V1 10 Apr 40.000) = 92.000 net, 12 units.
      name: 'category filter, the network',
      key: 'sales-by-category',
      q: `from=2026-01-01&to=2026-04-30&category=${CAT}`,
      pick: (r) => r.rows.map((x) => [x.categoryId, x.units, x.netCents, x.grossCents]),
      expected: [[CAT, 12, 92_000, 111_320]],
    },
    {
      // M1 from 10 January: p1 20 Jan and 30 Mar (4 u, 36.000); its p0 of 5 January is outside.
      name: 'category and a store whose period starts inside January',
      key: 'margin',
      q: `from=2026-01-10&to=2026-03-31&category=${CAT}&store=${M1}&groupBy=product`,
      pick: (r) => r.rows.map((x) => [x.productId, x.units, x.netCents, x.costCents]),
      expected: [[p1, 4, 36_000, 18_000]],
    },
    {
      // M1 from 10 January: 20 Jan, 20 Feb, 30 Mar — 3 tickets, 5 units, 38.000 net, 45.980 gross.
      name: 'a store whose period starts inside January: tickets',
      key: 'sales-by-store',
      q: `from=2026-01-10&to=2026-03-31&store=${M1}`,
      pick: (r) => [r.rows.map((x) => [x.storeId, x.tickets, x.units, x.netCents, x.grossCents])],
      expected: [[[M1, 3, 5, 38_000, 45_980]]],
    },
    {
      // p0 of 5 January taken away with the days before the 10th: no row for it.
      name: 'a store whose period starts inside January: products',
      key: 'sales-by-product',
      q: `from=2026-01-10&to=2026-03-31&store=${M1}`,
      pick: (r) => r.rows.map((x) => [x.productId, x.units, x.netCents]),
      expected: [
        [p1, 4, 36_000],
        [p2, 1, 2_000],
      ],
    },
    {
      // March–April (M2 3 Mar, M1 30 Mar, V1 10 Apr) against 30 Dec 2025–28 Feb 2026: M1 31 Dec, 5 Jan, 20 Jan,
      // 20 Feb (4 tickets, 4.840 + 1.210 + 36.300 + 2.420 = 44.770), M2 25 Jan (6.050), V1 14 Feb (9.680).
      name: 'the previous period',
      key: 'sales-by-store',
      q: 'from=2026-03-01&to=2026-04-30&compare=previous',
      pick: (r) => [r.totals.tickets, r.totals.grossCents, r.compare!.from, r.compare!.to, r.compare!.rows.map((x) => [x.storeId, x.tickets, x.grossCents]), r.compare!.totals.grossCents],
      expected: [
        3,
        64_130,
        '2025-12-30',
        '2026-02-28',
        [
          [M1, 4, 44_770],
          [M2, 1, 6_050],
          [V1, 1, 9_680],
        ],
        60_500,
      ],
    },
    {
      // M1's hour × weekday, January–April: 5 Jan (Mon) 1.210, 20 Jan (Tue) 36.300, 20 Feb (Fri) 2.420 at 10:00;
      // 30 Mar (Mon) 7.260 at 18:00.
      name: 'heatmap of a store',
      key: 'heatmap',
      q: `from=2026-01-01&to=2026-04-30&store=${M1}`,
      pick: cells,
      expected: [
        ['10:00', 1_210, 36_300, 0, 0, 2_420, 0, 0, 39_930],
        ['18:00', 7_260, 0, 0, 0, 0, 0, 0, 7_260],
      ],
    },
    {
      // p0 in every store: M1 5 Jan (Mon) 1.210, M2 3 Mar (Tue) 8.470, V1 14 Feb (Sat) 9.680, all at 10:00.
      name: 'heatmap of a product, the network',
      key: 'heatmap',
      q: `from=2026-01-01&to=2026-04-30&product=${p0}`,
      pick: cells,
      expected: [['10:00', 1_210, 8_470, 0, 0, 0, 9_680, 0, 19_360]],
    },
    {
      // M1 by day from 10 January (a partial month: its days from the store's day rows): 20 Jan, 20 Feb, 30 Mar.
      name: 'a store by day from the 10th',
      key: 'sales-by-period',
      q: `from=2026-01-10&to=2026-03-31&store=${M1}&groupBy=day`,
      pick: (r) => [r.rows.map((x) => [x.period, x.tickets, x.units, x.netCents, x.grossCents]), r.totals.grossCents],
      expected: [
        [
          ['2026-01-20', 1, 3, 30_000, 36_300],
          ['2026-02-20', 1, 1, 2_000, 2_420],
          ['2026-03-30', 1, 1, 6_000, 7_260],
        ],
        45_980,
      ],
    },
    {
      // Margin per store from 10 January (the network; cost = half the net here): M1 20 Jan, 20 Feb, 30 Mar (5 u,
      // 38.000 net, 19.000 cost), M2 25 Jan, 3 Mar (2 u, 12.000 / 6.000), V1 14 Feb (2 u, 8.000 / 4.000); M1's 5
      // January outside. January's days from the stores' day rows once folded.
      name: 'margin per store from the 10th',
      key: 'margin',
      q: 'from=2026-01-10&to=2026-03-31&groupBy=store',
      pick: (r) => [r.rows.map((x) => [x.storeId, x.units, x.netCents, x.costCents, x.marginCents]), r.totals.marginCents],
      expected: [
        [
          [M1, 5, 38_000, 19_000, 19_000],
          [M2, 2, 12_000, 6_000, 6_000],
          [V1, 2, 8_000, 4_000, 4_000],
        ],
        29_000,
      ],
    },
    {
      // M1's category (p0, p1) by day from 10 January: p1 20 Jan (3 u, 30.000 net) and 30 Mar (1 u, 6.000); p0 of
      // 5 January outside. Folded: the product's days from the store's product-day rows.
      name: 'a store and a category by day from the 10th',
      key: 'sales-by-period',
      q: `from=2026-01-10&to=2026-03-31&store=${M1}&category=${CAT}&groupBy=day`,
      pick: (r) => [r.rows.map((x) => [x.period, x.tickets, x.units, x.netCents, x.grossCents]), r.totals.netCents],
      expected: [
        [
          ['2026-01-20', null, 3, 30_000, 36_300],
          ['2026-03-30', null, 1, 6_000, 7_260],
        ],
        36_000,
      ],
    },
    {
      // Ruiz (M1, M2) and p0 by week, January–April: M1 5 Jan (week of Monday 5 Jan, 1.210), M2 3 Mar (week of 2
      // Mar, 8.470); V1's 14 February is another company's.
      name: 'a company and a product by week',
      key: 'sales-by-period',
      q: `from=2026-01-01&to=2026-04-30&company=${F.ruiz.id}&product=${p0}&groupBy=week`,
      pick: (r) => r.rows.map((x) => [x.period, x.units, x.grossCents]),
      expected: [
        ['2026-01-05', 1, 1_210],
        ['2026-03-02', 1, 8_470],
      ],
    },
    {
      // The same by week (Mondays): 19 Jan, 16 Feb, 30 Mar.
      name: 'a store by week from the 10th',
      key: 'sales-by-period',
      q: `from=2026-01-10&to=2026-03-31&store=${M1}&groupBy=week`,
      pick: (r) => r.rows.map((x) => [x.period, x.tickets, x.grossCents]),
      expected: [
        ['2026-01-19', 1, 36_300],
        ['2026-02-16', 1, 2_420],
        ['2026-03-30', 1, 7_260],
      ],
    },
    {
      // First quarter against 2025's: M2 did not sell then, left out of both. M1 47.190 (4 tickets), V1 9.680;
      // last year M1 12.100, V1 24.200.
      name: 'last year, like-for-like stores',
      key: 'sales-by-store',
      q: 'from=2026-01-01&to=2026-03-31&compare=last_year',
      pick: (r) => [r.rows.map((x) => [x.storeId, x.tickets, x.grossCents]), r.compare!.stores, r.compare!.rows.map((x) => [x.storeId, x.grossCents]), r.compare!.totals.grossCents],
      expected: [
        [
          [M1, 4, 47_190],
          [V1, 1, 9_680],
        ],
        [M1, V1].sort(),
        [
          [M1, 12_100],
          [V1, 24_200],
        ],
        36_300,
      ],
    },
    {
      // Last year by month with a product filter: p1 in February (V1, 24.200) against none this February.
      name: 'last year by month with a product filter',
      key: 'sales-by-period',
      q: `from=2026-01-01&to=2026-03-31&product=${p1}&groupBy=month&compare=last_year`,
      pick: (r) => [r.rows.map((x) => [x.period, x.grossCents]), r.compare!.rows.map((x) => [x.period, x.grossCents])],
      expected: [
        [
          ['2026-01', 36_300],
          ['2026-03', 7_260],
        ],
        [['2025-02', 24_200]],
      ],
    },
  ];

  beforeAll(async () => {
    // No fold at start: the hour rows are written here and folded by the case.
    h = await startHarness(engine, { now: () => NOW }, { reportFoldEveryMs: 0 });
    hq = await h.login(F.hq);
    await exec(h.ds.manager, 'INSERT INTO category (id, name, parent_id, active, version) VALUES (?, ?, NULL, ?, 1)', [CAT, 'Frescos', true]);
    await exec(h.ds.manager, 'UPDATE product SET category_id = ? WHERE id IN (?, ?)', [CAT, p0, p1]);
    for (const s of SALES) await insertSale(...s);
  });
  afterAll(async () => {
    await h?.teardown();
  });
  beforeEach(() => rollupReads.clear());

  const unfolded = new Map<string, ReportResult>();

  it('before the fold: the hand-worked figures, from the hour rows', async () => {
    for (const c of CASES) expect(c.pick(await report(c.key, c.q)), c.name).toEqual(c.expected);
    for (const c of MATRIX) unfolded.set(`${c.key} ${c.f}`, await report(c.key, c.q));
    expect(readsOf(['report_sales_month', 'report_sales_month_network', 'report_ticket_month_store'])).toBe(0);
  });

  it('folded: the same figures, the whole months read from the month tables', async () => {
    await foldRollups(h.ds, NOW);
    const scope = await foldedScope(h.ds.manager, [M1]);
    expect(planPeriod('2026-01-10', '2026-03-31', scope, false, { subtract: true })).toEqual({ months: ['2026-01', '2026-02', '2026-03'], days: [], hours: [], less: [{ from: '2026-01-01', to: '2026-01-09' }] });
    for (const c of CASES) {
      rollupReads.clear();
      expect(c.pick(await report(c.key, c.q)), c.name).toEqual(c.expected);
      // Hour rows read: only the days taken away from January (M1 5 Jan: one row) and December's two days
      // of the previous period (M1 31 Dec) — never a whole month.
      expect(readsOf(HOUR_TABLES), c.name).toBeLessThanOrEqual(c.name.includes('inside January') || c.name.includes('previous') ? 2 : 0);
      expect(readsOf(FOLDED_TABLES), c.name).toBeGreaterThan(0);
    }
    // Every report and filter: the answer before the fold, and not one hour row read.
    for (const c of MATRIX) {
      const name = `${c.key} ${c.f}`;
      rollupReads.clear();
      expect(await report(c.key, c.q), name).toEqual(unfolded.get(name));
      expect(readsOf(HOUR_TABLES), name).toBe(0);
    }
    // The store's day rows and hour × weekday rows as folded, worked by hand: M1's 20 January; its Monday 18:00 of
    // March; p0's Saturday 10:00 of February at V1.
    const m = h.ds.manager;
    const num = (rows: Array<Record<string, unknown>>) => rows.map((r) => Object.values(r).map((v) => (typeof v === 'string' ? v : Number(v))));
    expect(num(await all(m, `SELECT tickets, units, gross_cents, net_cents FROM report_ticket_day_store WHERE store_id = ? AND business_date = '2026-01-20'`, [M1]))).toEqual([[1, 3, 36_300, 30_000]]);
    expect(await all(m, `SELECT COUNT(*) AS n FROM report_ticket_day_store WHERE store_id = ?`, [M1]).then((r) => Number((r[0] as { n: unknown }).n))).toBe(6);
    expect(num(await all(m, `SELECT weekday, hour, tickets, gross_cents FROM report_ticket_heat_month WHERE store_id = ? AND month = '2026-03'`, [M1]))).toEqual([[0, 18, 1, 7_260]]);
    expect(num(await all(m, `SELECT month, weekday, hour, lines, units, gross_cents, net_cents FROM report_sales_heat_month WHERE store_id = ? AND product_id = ?`, [V1, p0]))).toEqual([['2026-02', 5, 10, 1, 2, 9_680, 8_000]]);
    // The network's rows of p0 (every store's): M1 5 Jan (Mon), V1 14 Feb (Sat), M2 3 Mar (Tue), all at 10:00 —
    // and 2025's January of M1, 31 December of M1 (Wed); 14 May's month is not whole yet.
    expect(num(await all(m, `SELECT month, weekday, hour, lines, units, gross_cents FROM report_sales_heat_month_network WHERE product_id = ? ORDER BY month`, [p0]))).toEqual([
      ['2025-01', 2, 10, 1, 1, 12_100],
      ['2025-12', 2, 10, 1, 2, 4_840],
      ['2026-01', 0, 10, 1, 1, 1_210],
      ['2026-02', 5, 10, 1, 2, 9_680],
      ['2026-03', 1, 10, 1, 1, 8_470],
    ]);
    // A product's or a category's heatmap of the network reads those rows, not every store's.
    for (const q of [`product=${p0}`, `category=${CAT}`]) {
      rollupReads.clear();
      await report('heatmap', `from=2026-01-01&to=2026-04-30&${q}`);
      expect(rollupReads.get('report_sales_heat_month_network') ?? 0, q).toBeGreaterThan(0);
      expect(readsOf(['report_sales_heat_month', ...HOUR_TABLES]), q).toBe(0);
    }
    // From the 10th: January read whole from the network's rows less its first nine days from the hour rows (M1's
    // p0 of 5 January, one row), not from every store's heat rows. The category (p0, p1): M1 20 Jan (Tue 10:00)
    // 36.300, M2 3 Mar (Tue 10:00) 8.470, V1 14 Feb (Sat 10:00) 9.680, M1 30 Mar (Mon 18:00) 7.260.
    rollupReads.clear();
    expect(cells(await report('heatmap', `from=2026-01-10&to=2026-03-31&category=${CAT}`))).toEqual([
      ['10:00', 0, 44_770, 0, 0, 0, 9_680, 0, 54_450],
      ['18:00', 7_260, 0, 0, 0, 0, 0, 0, 7_260],
    ]);
    expect(rollupReads.get('report_sales_heat_month_network') ?? 0).toBeGreaterThan(0);
    expect(rollupReads.get('report_sales_heat_month') ?? 0).toBe(0);
    expect(readsOf(HOUR_TABLES)).toBe(1);
    expect(num(await all(m, `SELECT month, product_id, business_date, lines, units, gross_cents, net_cents, discount_cents FROM report_sales_day_store_product WHERE store_id = ? ORDER BY month, product_id, business_date`, [M2]))).toEqual([
      ['2026-01', p2, '2026-01-25', 1, 1, 6_050, 5_000, 0],
      ['2026-03', p0, '2026-03-03', 1, 1, 8_470, 7_000, 0],
    ]);
    expect(num(await all(m, `SELECT business_date, lines, units, gross_cents, net_cents, cost_cents FROM report_sales_day_store WHERE store_id = ? ORDER BY business_date`, [M2]))).toEqual([
      ['2026-01-25', 1, 1, 6_050, 5_000, 2_500],
      ['2026-03-03', 1, 1, 8_470, 7_000, 3_500],
    ]);
    // The like-for-like stores from the folded month rows of both periods.
    rollupReads.clear();
    await report('sales-by-store', 'from=2026-01-01&to=2026-03-31&compare=last_year');
    expect(rollupReads.get('report_ticket_hour') ?? 0).toBe(0);
  });

  it('a late ticket for folded February: read from the hour rows until folded again', async () => {
    const m = h.ds.manager;
    const sql = <R,>(text: string, params?: readonly unknown[]) => all<R>(m, text, params ?? []);
    // M1, 10 February, 3.000 net (3.630 gross), arriving on 15 May; and one of 16 May seen on 20 May, after
    // M1's folded day (14 May): in no folded table, so not marked.
    await insertSale(M1, '2026-02-10', p2, 1, 3_000);
    await markLateTickets(sql, M1, '2026-05-15', ['2026-02-10', '2026-05-15'], engine.name === 'postgres');
    await markLateTickets(sql, M1, '2026-05-20', ['2026-05-16'], engine.name === 'postgres');
    expect(await all(m, `SELECT store_id, month FROM report_fold_dirty ORDER BY month`)).toEqual([{ store_id: M1, month: '2026-02' }]);
    expect(planPeriod('2026-01-10', '2026-03-31', await foldedScope(m, [M1]), false, { subtract: true })).toEqual({
      months: ['2026-01', '2026-03'],
      days: [],
      hours: [{ from: '2026-02-01', to: '2026-02-28' }],
      less: [{ from: '2026-01-01', to: '2026-01-09' }],
    });
    const q = `from=2026-01-10&to=2026-03-31&store=${M1}`;
    // 3 + 1 tickets, 38.000 + 3.000 net, 45.980 + 3.630 gross.
    const expected = [[M1, 4, 6, 41_000, 49_610]];
    const pick = (r: ReportResult) => r.rows.map((x) => [x.storeId, x.tickets, x.units, x.netCents, x.grossCents]);
    expect(pick(await report('sales-by-store', q))).toEqual(expected);
    // Rows the hour table gave (per store): February's, and 1–9 January's taken away.
    expect(rollupReads.get('report_ticket_hour')).toBe(2);
    // p2 for the network, February: 2.000 + 3.000.
    expect((await report('sales-by-period', `from=2026-02-01&to=2026-02-28&product=${p2}&groupBy=month`)).rows.map((x) => [x.period, x.netCents])).toEqual([['2026-02', 5_000]]);
    // M1's heatmap and days: the late Tuesday 10:00 (3.630) counted, February read from the hour rows.
    const heat = ['10:00', 1_210, 36_300 + 3_630, 0, 0, 2_420, 0, 0, 39_930 + 3_630];
    const byDay = `from=2026-02-01&to=2026-02-28&store=${M1}&groupBy=day`;
    const days = (r: ReportResult) => r.rows.map((x) => [x.period, x.grossCents]);
    rollupReads.clear();
    expect(cells(await report('heatmap', `from=2026-01-01&to=2026-04-30&store=${M1}`))[0]).toEqual(heat);
    expect(days(await report('sales-by-period', byDay))).toEqual([['2026-02-10', 3_630], ['2026-02-20', 2_420]]);
    expect(readsOf(HOUR_TABLES)).toBeGreaterThan(0);

    const file = await fileOf('report_sales_month');
    const again = await foldRollups(h.ds, NOW);
    expect(again.storeMonths).toBe(1);
    // One store-month of many refolded: vacuumed in place, not rewritten.
    expect(await fileOf('report_sales_month')).toBe(file);
    expect(await all(m, `SELECT * FROM report_fold_dirty`)).toEqual([]);
    rollupReads.clear();
    expect(pick(await report('sales-by-store', q))).toEqual(expected);
    expect(rollupReads.get('report_ticket_hour')).toBe(1);
    expect((await report('sales-by-period', `from=2026-02-01&to=2026-02-28&product=${p2}&groupBy=month`)).rows.map((x) => [x.period, x.netCents])).toEqual([['2026-02', 5_000]]);
    // Refolded: the same heatmap and days, not one hour row read.
    rollupReads.clear();
    expect(cells(await report('heatmap', `from=2026-01-01&to=2026-04-30&store=${M1}`))[0]).toEqual(heat);
    expect(days(await report('sales-by-period', byDay))).toEqual([['2026-02-10', 3_630], ['2026-02-20', 2_420]]);
    expect(readsOf(HOUR_TABLES)).toBe(0);
  });

  it('upgrading a database whose months were folded before the heatmap and store-day tables existed: marked dirty, read from the hours until folded', async () => {
    const m = h.ds.manager;
    const folded = await all<{ store_id: string; month: string }>(m, `SELECT store_id, month FROM report_ticket_month_store ORDER BY store_id, month`);
    const networkFolded = await all<{ store_id: string; month: string }>(m, `SELECT DISTINCT '' AS store_id, month FROM report_sales_month_network ORDER BY month`);
    expect(folded.length).toBeGreaterThan(0);
    expect(networkFolded.length).toBeGreaterThan(0);
    const heatQ = `from=2026-01-01&to=2026-04-30&store=${M1}`;
    const daysQ = `from=2026-01-10&to=2026-03-31&store=${M1}&groupBy=day`;
    const productHeatQ = `from=2026-01-01&to=2026-04-30&product=${p0}`;
    const categoryDaysQ = `from=2026-01-10&to=2026-03-31&store=${M1}&category=${CAT}&groupBy=day`;
    const answers = async () => [await report('heatmap', heatQ), await report('sales-by-period', daysQ), await report('heatmap', productHeatQ), await report('sales-by-period', categoryDaysQ)];
    const networkHeat = await all(m, `SELECT * FROM report_sales_heat_month_network ORDER BY product_id, month, weekday, hour`);
    const storeLineDays = await all(m, `SELECT * FROM report_sales_day_store ORDER BY store_id, business_date`);
    const productDays = await all(m, `SELECT * FROM report_sales_day_store_product ORDER BY store_id, month, product_id, business_date`);
    expect(productDays.length).toBeGreaterThan(0);
    const before = await answers();

    // The database as it was before the migrations (their tables gone), then upgraded as a deployment would.
    for (let i = backofficeMigrations.indexOf(ReportStoreDaysHeatmaps1795483000001); i < backofficeMigrations.length; i++) await h.ds.undoLastMigration();
    expect(await h.ds.showMigrations()).toBe(true);
    await h.ds.runMigrations();
    // Every store-month and network month already folded is waiting for the fold; the new tables are empty.
    expect(await all(m, `SELECT store_id, month FROM report_fold_dirty ORDER BY store_id, month`)).toEqual([...networkFolded, ...folded]);
    for (const t of ['report_sales_day_store', 'report_sales_day_store_product', 'report_sales_heat_month_network', 'report_ticket_day_store', 'report_ticket_heat_month', 'report_sales_heat_month']) {
      expect(Number((await all<{ n: unknown }>(m, `SELECT COUNT(*) AS n FROM ${t}`))[0]!.n), t).toBe(0);
    }

    // Until the fold runs, the same answers from the hour rows (no month lost to an empty new table).
    rollupReads.clear();
    expect(await answers()).toEqual(before);
    expect(readsOf(HOUR_TABLES)).toBeGreaterThan(0);

    const file = await fileOf('report_sales_month');
    const refold = await foldRollups(h.ds, NOW);
    expect(refold.storeMonths).toBe(folded.length);
    // Every month refolded: on PostgreSQL the tables are rewritten compact (their old rows would stay as empty pages).
    if (engine.name === 'postgres') expect(await fileOf('report_sales_month')).not.toBe(file);
    expect(refold.networkMonths).toBe(networkFolded.length);
    expect(await all(m, `SELECT * FROM report_fold_dirty`)).toEqual([]);
    expect(await all(m, `SELECT * FROM report_sales_heat_month_network ORDER BY product_id, month, weekday, hour`)).toEqual(networkHeat);
    expect(await all(m, `SELECT * FROM report_sales_day_store ORDER BY store_id, business_date`)).toEqual(storeLineDays);
    expect(await all(m, `SELECT * FROM report_sales_day_store_product ORDER BY store_id, month, product_id, business_date`)).toEqual(productDays);
    rollupReads.clear();
    expect(await answers()).toEqual(before);
    expect(readsOf(HOUR_TABLES)).toBe(0);
  });
});
