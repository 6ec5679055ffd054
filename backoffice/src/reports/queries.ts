/**
 * The management reports' figures, read from the rollups only (reports/rollups.ts), never from ticket lines.
 * Each report gets the period, the stores in scope (null: every store) and the other filters, and answers its
 * columns and rows; totals are summed by the caller (service.ts) and the ratios recomputed by `finish`.
 */
import type { ReportColumn, ReportKey, ReportRow } from '@tpv/shared/wire/http/reports';
import { all, inList, isPostgres, type Db } from '../persistence/sql';
import { supervisorsPerCashier } from './cashier-events';
import { COL } from './catalogue';
import { addFilters, where, type FilterScope } from './filters';
import { foldedScope, monthBit, monthEnd, monthOf, monthsBetween, workedMs, type FoldedScope } from './fold';

/** A report's question: the filters (period, stores in scope after the company/store filters, …) and grouping. */
export interface ReportCtx extends FilterScope {
  m: Db;
  groupBy: string | null;
}

export interface ReportTable {
  columns: ReportColumn[];
  rows: ReportRow[];
  /** Recomputes ratio columns of the totals row from its sums (average ticket, %, …). */
  finish?: (totals: ReportRow) => void;
  /** Columns not summed into totals (per-row ratios without a meaningful total, ranks). */
  noTotal?: string[];
}

const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
export const ratio = (a: number, b: number) => (b === 0 ? null : Math.round(a / b));
export const pct = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 100);

export function dayDiff(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
export function shiftDay(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
/** Monday of the ISO week of a date. */
export function weekStart(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  return shiftDay(isoDate, -((d.getUTCDay() + 6) % 7));
}
/** 0 = Monday … 6 = Sunday. */
export const weekdayOf = (isoDate: string) => (new Date(`${isoDate}T00:00:00Z`).getUTCDay() + 6) % 7;

const byLines = (ctx: ReportCtx) => Boolean(ctx.product || ctx.category);

async function storeNames(m: Db, ids: string[]): Promise<Map<string, { code: string; name: string; area: number | null; hours: string | null }>> {
  const out = new Map<string, { code: string; name: string; area: number | null; hours: string | null }>();
  if (ids.length === 0) return out;
  const rows = await all<{ id: string; code: string; name: string; sales_area_m2: unknown; opening_hours: string | null }>(m, `SELECT id, code, name, sales_area_m2, opening_hours FROM store WHERE id IN (${inList(ids.length)})`, ids);
  for (const r of rows) out.set(r.id, { code: r.code, name: r.name, area: r.sales_area_m2 == null ? null : Number(r.sales_area_m2), hours: r.opening_hours });
  return out;
}

async function productNames(m: Db, ids: string[]): Promise<Map<string, { sku: string; name: string; categoryId: string | null; weighed: boolean }>> {
  const out = new Map<string, { sku: string; name: string; categoryId: string | null; weighed: boolean }>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const rows = await all<{ id: string; sku: string; name: string; category_id: string | null; weighed: unknown }>(m, `SELECT id, sku, name, category_id, weighed FROM product WHERE id IN (${inList(part.length)})`, part);
    for (const r of rows) out.set(r.id, { sku: r.sku, name: r.name, categoryId: r.category_id, weighed: r.weighed === true || r.weighed === 1 || r.weighed === '1' });
  }
  return out;
}

async function categoryNames(m: Db, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  for (const r of await all<{ id: string; name: string }>(m, `SELECT id, name FROM category WHERE id IN (${inList(ids.length)})`, ids)) out.set(r.id, r.name);
  return out;
}

const storeLabel = (s: { code: string; name: string } | undefined, id: string) => (s ? `${s.code} ${s.name}` : id);
const NO_CATEGORY = 'Sin categoría / No category';

// ---- reading a plan's parts: rows added per key, the complement of a month read whole subtracted ----

/**
 * Rows read from the rollup tables per table since the process started (tests: which tables a report read, and
 * how many rows — the proof that a long period reads the month tables, not the hour rows).
 */
export const rollupReads = new Map<string, number>();

async function readRollup(m: Db, table: string, text: string, params: unknown[]): Promise<Array<Record<string, unknown>>> {
  const rows = await all<Record<string, unknown>>(m, text, params);
  rollupReads.set(table, (rollupReads.get(table) ?? 0) + rows.length);
  return rows;
}

/**
 * Sums per key: numbers added (times `sign`: −1 takes away the days of a month read whole that are outside the
 * period), `texts` kept as their greatest value (SQL MAX).
 */
class KeyedSums {
  readonly rows = new Map<string, Record<string, unknown>>();
  constructor(
    private readonly keys: readonly string[],
    private readonly texts: readonly string[] = [],
  ) {}
  add(rows: Array<Record<string, unknown>>, sign: 1 | -1 = 1) {
    for (const r of rows) {
      const k = this.keys.map((c) => String(r[c])).join('|');
      let o = this.rows.get(k);
      if (!o) {
        o = {};
        for (const c of this.keys) o[c] = r[c];
        this.rows.set(k, o);
      }
      for (const [c, v] of Object.entries(r)) {
        if (this.keys.includes(c)) continue;
        if (this.texts.includes(c)) {
          // A name of the days taken away does not lower the month's (a rename within the month keeps the later).
          if (sign === 1 && (o[c] === undefined || String(v) > String(o[c]))) o[c] = v;
        }
        else o[c] = n(o[c]) + sign * n(v);
      }
    }
  }
  /** The keys left with no row after a subtraction (`count`: a column ≥ 1 on every rollup row) dropped. */
  values(count?: string): Array<Record<string, unknown>> {
    const out = [...this.rows.values()];
    return count ? out.filter((r) => n(r[count]) !== 0) : out;
  }
}

// ---- ticket-level sums: folded months and network days, the rest from report_ticket_hour ----

/**
 * Σ of ticket-level columns (`sums`: alias → column of report_ticket_hour) grouped by `keys`, over the period:
 * grouped by store (or by month with `byMonth`), whole folded months from `report_ticket_month_store` (a partial
 * month too when its days outside the period are fewer: read whole, those days taken away); otherwise, without a
 * store filter, the network's folded days from `report_ticket_day_network`; per day of a store scope, its folded
 * months' days from `report_ticket_day_store`; the rest from `report_ticket_hour`.
 */
async function ticketSums(ctx: ReportCtx, keys: Array<'store_id' | 'business_date' | 'hour' | 'month'>, sums: Record<string, string>, extra: { from?: string; to?: string } = {}): Promise<Array<Record<string, unknown>>> {
  const from = extra.from ?? ctx.from;
  const to = extra.to ?? ctx.to;
  // `month` of a day row: its business date's yyyy-mm.
  const cols = (month: boolean) => keys.map((c) => (c === 'month' && !month ? `substr(business_date, 1, 7) AS month` : c)).join(', ');
  const group = (month: boolean) => keys.map((c) => (c === 'month' && !month ? `substr(business_date, 1, 7)` : c)).join(', ');
  const select = (month: boolean) => `${cols(month)}, ${Object.entries({ ...sums, n_rows: 'tickets + returns_tickets' }).map(([alias, col]) => `SUM(${col}) AS ${alias}`).join(', ')}`;
  const out = new KeyedSums(keys);
  const hours = async (ranges: Array<{ from: string; to: string }>, sign: 1 | -1 = 1) => {
    for (const part of ranges) {
      const w = where(ctx, { from: part.from, to: part.to });
      out.add(await readRollup(ctx.m, 'report_ticket_hour', `SELECT ${select(false)} FROM report_ticket_hour WHERE ${w.sql} GROUP BY ${group(false)}`, w.params), sign);
    }
  };
  const perStore = keys.every((k) => k === 'store_id' || k === 'month');
  if (perStore && (ctx.stores !== null || keys.includes('store_id'))) {
    const plan = planPeriod(from, to, await foldedScope(ctx.m, ctx.stores), false, { subtract: true });
    await hours(plan.hours);
    if (plan.months.length > 0) {
      const w = whereMonths(ctx, plan.months, { product: false, store: true, alias: 'r' });
      out.add(await readRollup(ctx.m, 'report_ticket_month_store', `SELECT ${select(true)} FROM report_ticket_month_store r WHERE ${w.sql} GROUP BY ${group(true)}`, w.params));
    }
    await hours(plan.less ?? [], -1);
  } else if ((ctx.stores !== null || keys.includes('store_id')) && !keys.includes('hour')) {
    // Per day of a store scope: its folded months' days from report_ticket_day_store, whole or in part.
    const plan = planPeriod(from, to, await foldedScope(ctx.m, ctx.stores), false, { storeDays: true });
    await hours(plan.hours);
    for (const part of [...plan.months.map((ym) => ({ from: `${ym}-01`, to: monthEnd(ym) })), ...plan.days]) {
      const w = where(ctx, { from: part.from, to: part.to });
      out.add(await readRollup(ctx.m, 'report_ticket_day_store', `SELECT ${select(false)} FROM report_ticket_day_store WHERE ${w.sql} GROUP BY ${group(false)}`, w.params));
    }
  } else if (ctx.stores === null && !keys.includes('store_id')) {
    const plan = planPeriod(from, to, await foldedScope(ctx.m, null), true);
    await hours(plan.hours);
    for (const part of [...plan.months.map((ym) => ({ from: `${ym}-01`, to: monthEnd(ym) })), ...plan.days]) {
      out.add(await readRollup(ctx.m, 'report_ticket_day_network', `SELECT ${select(false)} FROM report_ticket_day_network WHERE business_date >= ? AND business_date <= ? GROUP BY ${group(false)}`, [part.from, part.to]));
    }
  } else await hours([{ from, to }]);
  return out.values('n_rows');
}

// ---- sales ----

interface Sums { tickets: number | null; units: number; gross: number; net: number; discount: number }

/**
 * Sales per day, or per month (`byMonth`: whole folded months from the month tables): from the ticket rollups (per
 * day of a store scope: `report_ticket_day_store`), the lines' when filtered by product/category, the cashiers' when
 * by cashier (from their day rows). Per day with a store filter AND a product/category: the folded months' days of
 * the products from `report_sales_day_store_product`, the rest from the hour rows.
 */
async function salesSums(ctx: ReportCtx, byMonth: boolean): Promise<Map<string, Sums>> {
  const out = new Map<string, Sums>();
  let rows: Array<Record<string, unknown>>;
  const k = (a: string) => (byMonth ? `substr(${a}business_date, 1, 7)` : `${a}business_date`);
  if (ctx.cashier) {
    const SUMS = `SUM(r.tickets) AS tickets, SUM(r.units) AS units, SUM(r.gross_cents) AS gross, SUM(r.net_cents) AS net, SUM(r.discount_cents) AS discount, SUM(r.tickets + r.returns_tickets) AS n_rows`;
    const acc = new KeyedSums(['k']);
    const plan = byMonth ? planPeriod(ctx.from, ctx.to, await foldedScope(ctx.m, ctx.stores), false, { subtract: true }) : { months: [], days: [], hours: [{ from: ctx.from, to: ctx.to }], less: [] };
    const days = async (ranges: Array<{ from: string; to: string }>, sign: 1 | -1) => {
      for (const part of ranges) {
        const w = where(ctx, { cashier: true, from: part.from, to: part.to, alias: 'r' });
        acc.add(await readRollup(ctx.m, 'report_cashier_day', `SELECT ${k('r.')} AS k, ${SUMS} FROM report_cashier_day r WHERE ${w.sql} GROUP BY ${k('r.')}`, w.params), sign);
      }
    };
    await days(plan.hours, 1);
    if (plan.months.length > 0) {
      const w = whereMonths(ctx, plan.months, { product: false, store: true, cashier: true, alias: 'r' });
      acc.add(await readRollup(ctx.m, 'report_cashier_month', `SELECT r.month AS k, ${SUMS} FROM report_cashier_month r WHERE ${w.sql} GROUP BY r.month`, w.params));
    }
    await days(plan.less ?? [], -1);
    rows = acc.values('n_rows');
  } else if (byLines(ctx)) {
    const SUMS = `SUM(r.units) AS units, SUM(r.gross_cents) AS gross, SUM(r.net_cents) AS net, SUM(r.discount_cents) AS discount, SUM(r.lines) AS n_rows`;
    const acc = new KeyedSums(['k']);
    const network = ctx.stores === null;
    // Per day of a store scope: the folded months' days of its products from `report_sales_day_store_product`.
    const storeDays = !byMonth && !network;
    const plan = planPeriod(ctx.from, ctx.to, await foldedScope(ctx.m, ctx.stores), network, storeDays ? { storeDays: true } : { subtract: true });
    const read = async (table: string, ranges: Array<{ from: string; to: string }>, sign: 1 | -1) => {
      for (const part of ranges) {
        const w = where(ctx, { product: true, from: part.from, to: part.to, alias: 'r' });
        acc.add(await readRollup(ctx.m, table, `SELECT ${k('r.')} AS k, ${SUMS} FROM ${table} r WHERE ${w.sql} GROUP BY ${k('r.')}`, w.params), sign);
      }
    };
    await read('report_sales_hour', plan.hours, 1);
    if (storeDays) {
      // Its key leads with the month: each folded range's months named, so a read seeks (store, month, product).
      for (const part of mergeRanges([...plan.months.map((ym) => ({ from: `${ym}-01`, to: monthEnd(ym) })), ...plan.days])) {
        const w = where(ctx, { product: true, from: part.from, to: part.to, alias: 'r' });
        const months = monthsBetween(monthOf(part.from), monthOf(part.to));
        acc.add(await readRollup(ctx.m, 'report_sales_day_store_product', `SELECT ${k('r.')} AS k, ${SUMS} FROM report_sales_day_store_product r WHERE r.month IN (${inList(months.length)}) AND ${w.sql} GROUP BY ${k('r.')}`, [...months, ...w.params]));
      }
      plan.months = [];
    } else await read('report_sales_day_network', plan.days, 1);
    if (plan.months.length > 0) {
      if (!byMonth) await read('report_sales_day_network', plan.months.map((ym) => ({ from: `${ym}-01`, to: monthEnd(ym) })), 1);
      else {
        const table = network ? 'report_sales_month_network' : 'report_sales_month';
        const w = whereMonths(ctx, plan.months, { product: true, store: !network, alias: 'r' });
        acc.add(await readRollup(ctx.m, table, `SELECT r.month AS k, ${SUMS} FROM ${table} r WHERE ${w.sql} GROUP BY r.month`, w.params));
      }
    }
    await read('report_sales_hour', plan.less ?? [], -1);
    rows = acc.values('n_rows').map((r) => ({ ...r, tickets: null }));
  } else {
    const key = byMonth ? 'month' : 'business_date';
    rows = (await ticketSums(ctx, [key], { tickets: 'tickets', units: 'units', gross: 'gross_cents', net: 'net_cents', discount: 'discount_cents' })).map((r) => ({ ...r, k: r[key] }));
  }
  for (const r of rows) out.set(String(r.k), { tickets: r.tickets == null ? null : n(r.tickets), units: n(r.units), gross: n(r.gross), net: n(r.net), discount: n(r.discount) });
  return out;
}

const SALES_COLS = [COL.tickets, COL.units, COL.gross, COL.net, COL.discount, COL.avgTicket];
const salesRow = (s: Sums) => ({ tickets: s.tickets, units: s.units, grossCents: s.gross, netCents: s.net, discountCents: s.discount, avgTicketCents: s.tickets ? ratio(s.gross, s.tickets) : null });
const finishSales = (t: ReportRow) => {
  t.avgTicketCents = typeof t.tickets === 'number' && t.tickets > 0 ? ratio(Number(t.grossCents), t.tickets) : null;
};

async function salesByPeriod(ctx: ReportCtx): Promise<ReportTable> {
  const g = ctx.groupBy ?? 'day';
  // By month: whole folded months read as months; by day or week the days are needed.
  const days = await salesSums(ctx, g === 'month');
  const buckets = new Map<string, Sums>();
  for (const [day, s] of days) {
    const k = g === 'month' ? day.slice(0, 7) : g === 'week' ? weekStart(day) : day;
    const b = buckets.get(k) ?? { tickets: s.tickets === null ? null : 0, units: 0, gross: 0, net: 0, discount: 0 };
    if (b.tickets !== null && s.tickets !== null) b.tickets += s.tickets;
    b.units += s.units;
    b.gross += s.gross;
    b.net += s.net;
    b.discount += s.discount;
    buckets.set(k, b);
  }
  const label = g === 'month' ? COL.col('period', 'Mes', 'Month', 'text') : g === 'week' ? COL.col('period', 'Semana (lunes)', 'Week (Monday)', 'date') : COL.col('period', 'Día', 'Day', 'date');
  return {
    columns: [label, ...SALES_COLS],
    rows: [...buckets.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, s]) => ({ period: k, ...salesRow(s) })),
    finish: finishSales,
  };
}

const WEEKDAYS = [
  ['mon', 'Lun', 'Mon'],
  ['tue', 'Mar', 'Tue'],
  ['wed', 'Mié', 'Wed'],
  ['thu', 'Jue', 'Thu'],
  ['fri', 'Vie', 'Fri'],
  ['sat', 'Sáb', 'Sat'],
  ['sun', 'Dom', 'Sun'],
] as const;

/**
 * Sales with IVA per hour of day (rows) and weekday (columns). The network's from the ticket rollups (folded days:
 * `report_ticket_day_network`); a store scope's from its month × weekday × hour rows (`report_ticket_heat_month`),
 * by product or category from the lines' (`report_sales_heat_month`, category joined through `product`; the
 * network's whole folded months from `report_sales_heat_month_network`): whole folded months, a partial one read
 * whole less its other days from the hours (`planPeriod`), the rest the hours.
 */
async function heatmap(ctx: ReportCtx): Promise<ReportTable> {
  const lines = byLines(ctx);
  let rows: Array<{ weekday: number; hour: unknown; gross: unknown }>;
  const withWeekday = (r: Array<Record<string, unknown>>) => r.map(({ business_date, ...x }) => ({ ...x, weekday: weekdayOf(String(business_date)) }));
  if (!lines && ctx.stores === null) rows = withWeekday(await ticketSums(ctx, ['business_date', 'hour'], { gross: 'gross_cents' })) as typeof rows;
  else {
    // `n_rows`: ≥ 1 on every rollup row, so a cell whose days were all taken away is dropped (as SQL would).
    const [hourTable, monthTable, count] = lines ? ['report_sales_hour', 'report_sales_heat_month', 'r.lines'] : ['report_ticket_hour', 'report_ticket_heat_month', 'r.tickets + r.returns_tickets'];
    const acc = new KeyedSums(['weekday', 'hour']);
    const scope = await foldedScope(ctx.m, ctx.stores);
    const plan = planPeriod(ctx.from, ctx.to, scope, false, { subtract: true });
    // The network by product or category: the months it has folded whole from the network's own rows (a product's
    // rows of every store summed when folded) — a partial one too, less its other days from the hour rows as for a
    // store scope (the last 30 days: the month before read whole less a few days, not every store's heat rows);
    // the other months as a store scope's.
    const networkTo = scope.networkTo;
    const networkMonths = new Set(lines && ctx.stores === null && networkTo !== null ? plan.months.filter((ym) => monthEnd(ym) <= networkTo) : []);
    const viaNetwork = plan.months.filter((ym) => networkMonths.has(ym));
    if (viaNetwork.length > 0) {
      const w = whereMonths(ctx, viaNetwork, { product: true, store: false, alias: 'r' });
      acc.add(await readRollup(ctx.m, 'report_sales_heat_month_network', `SELECT r.weekday, r.hour, SUM(r.gross_cents) AS gross, SUM(r.lines) AS n_rows FROM report_sales_heat_month_network r WHERE ${w.sql} GROUP BY r.weekday, r.hour`, w.params));
      plan.months = plan.months.filter((ym) => !networkMonths.has(ym));
    }
    const hours = async (ranges: Array<{ from: string; to: string }>, sign: 1 | -1) => {
      for (const part of ranges) {
        const w = where(ctx, { product: lines, from: part.from, to: part.to, alias: 'r' });
        const got = await readRollup(ctx.m, hourTable, `SELECT r.business_date, r.hour, SUM(r.gross_cents) AS gross, SUM(${count}) AS n_rows FROM ${hourTable} r WHERE ${w.sql} GROUP BY r.business_date, r.hour`, w.params);
        acc.add(withWeekday(got), sign);
      }
    };
    await hours(plan.hours, 1);
    if (plan.months.length > 0) {
      const w = whereMonths(ctx, plan.months, { product: lines, store: true, alias: 'r' });
      acc.add(await readRollup(ctx.m, monthTable, `SELECT r.weekday, r.hour, SUM(r.gross_cents) AS gross, SUM(${count}) AS n_rows FROM ${monthTable} r WHERE ${w.sql} GROUP BY r.weekday, r.hour`, w.params));
    }
    await hours(plan.less ?? [], -1);
    rows = acc.values('n_rows') as typeof rows;
  }
  const grid = new Map<number, number[]>();
  for (const r of rows) {
    const h = n(r.hour);
    const cells = grid.get(h) ?? [0, 0, 0, 0, 0, 0, 0];
    cells[n(r.weekday)]! += n(r.gross);
    grid.set(h, cells);
  }
  return {
    columns: [COL.col('hour', 'Hora', 'Hour', 'text'), ...WEEKDAYS.map(([k, es, en]) => COL.col(k, es, en, 'cents')), COL.col('total', 'Total', 'Total', 'cents')],
    rows: [...grid.entries()]
      .sort(([a], [b]) => a - b)
      .map(([h, cells]) => ({ hour: `${String(h).padStart(2, '0')}:00`, ...Object.fromEntries(WEEKDAYS.map(([k], i) => [k, cells[i]!])), total: cells.reduce((a, b) => a + b, 0) })),
  };
}

async function salesByStore(ctx: ReportCtx): Promise<ReportTable> {
  const rows = await ticketSums(ctx, ['store_id'], { tickets: 'tickets', returns: 'returns_tickets', units: 'units', gross: 'gross_cents', net: 'net_cents', discount: 'discount_cents' });
  const names = await storeNames(ctx.m, rows.map((r) => String(r.store_id)));
  return {
    columns: [COL.store, COL.tickets, COL.returnsTickets, COL.units, COL.gross, COL.net, COL.discount, COL.avgTicket],
    rows: rows
      .map((r) => ({ store: storeLabel(names.get(String(r.store_id)), String(r.store_id)), storeId: String(r.store_id), returnsTickets: n(r.returns), ...salesRow({ tickets: n(r.tickets), units: n(r.units), gross: n(r.gross), net: n(r.net), discount: n(r.discount) }) }))
      .sort((a, b) => (a.store < b.store ? -1 : 1)),
    finish: finishSales,
  };
}

interface LineSums { units: number; grams: number; gross: number; net: number; discount: number; cost: number; returnsUnits: number; returnsCents: number }

/** A period split by where its figures are read from (reports/fold.ts): see `planPeriod`. */
export interface PeriodPlan {
  /** Whole months folded for every store in scope (yyyy-mm): the month tables. */
  months: string[];
  /** Days folded: the network's day tables, or with `storeDays` a store scope's (`report_ticket_day_store`). */
  days: Array<{ from: string; to: string }>;
  /** Everything else: the hour table. */
  hours: Array<{ from: string; to: string }>;
  /** With `subtract`: days of `months` outside the period, read from the hour table and taken away. */
  less?: Array<{ from: string; to: string }>;
}

/**
 * Splits [from, to] (business dates): each whole month folded (its last day ≤ the scope's folded day) and not dirty
 * reads the month tables; with `network` (no store/company filter) the folded days of the other months read the
 * network's day table; the rest (today, the days not yet folded, dirty months) reads the hour table. Adjacent
 * ranges are merged. With `subtract` (sums per store scope, which has no day table), a folded month the period
 * covers only in part is read whole from the month tables less its other days from the hours when those are
 * fewer than the period's (10 to 31 January: the month less 1 to 9 January). With `storeDays` (a store scope's
 * day table, `report_ticket_day_store`, kept for its whole folded months) the period's days of such a month are
 * `days` instead.
 */
export function planPeriod(from: string, to: string, f: FoldedScope, network: boolean, opts: { subtract?: boolean; storeDays?: boolean } = {}): PeriodPlan {
  const plan: PeriodPlan = { months: [], days: [], hours: [], ...(opts.subtract ? { less: [] } : {}) };
  const push = (list: Array<{ from: string; to: string }>, a: string, b: string) => {
    const last = list[list.length - 1];
    if (last && shiftDay(last.to, 1) === a) last.to = b;
    else list.push({ from: a, to: b });
  };
  const limit = network ? f.networkTo : f.monthsTo;
  for (let start = from; start <= to; ) {
    const ym = start.slice(0, 7);
    const first = `${ym}-01`;
    const end = monthEnd(ym) < to ? monthEnd(ym) : to;
    const clean = limit !== null && !f.dirty.has(ym);
    const inside = dayDiff(start, end) + 1;
    const outside = dayDiff(first, monthEnd(ym)) + 1 - inside;
    if (clean && start === first && end === monthEnd(ym) && end <= limit) plan.months.push(ym);
    else if (clean && network && start <= limit) {
      const foldedEnd = end < limit ? end : limit;
      push(plan.days, start, foldedEnd);
      if (foldedEnd < end) push(plan.hours, shiftDay(foldedEnd, 1), end);
    } else if (clean && opts.storeDays && !network && monthEnd(ym) <= limit) push(plan.days, start, end);
    else if (clean && plan.less && !network && monthEnd(ym) <= limit && outside < inside) {
      plan.months.push(ym);
      if (start > first) push(plan.less, first, shiftDay(start, -1));
      if (end < monthEnd(ym)) push(plan.less, shiftDay(end, 1), monthEnd(ym));
    } else push(plan.hours, start, end);
    start = shiftDay(end, 1);
  }
  return plan;
}

/** Date ranges sorted and joined where one ends the day before the next starts. */
function mergeRanges(ranges: Array<{ from: string; to: string }>): Array<{ from: string; to: string }> {
  const out: Array<{ from: string; to: string }> = [];
  for (const r of [...ranges].sort((a, b) => (a.from < b.from ? -1 : 1))) {
    const last = out[out.length - 1];
    if (last && shiftDay(last.to, 1) >= r.from) {
      if (r.to > last.to) last.to = r.to;
    } else out.push({ ...r });
  }
  return out;
}

const LINE_SUMS = (a: string) =>
  `SUM(${a}units) AS units, SUM(${a}grams) AS grams, SUM(${a}gross_cents) AS gross, SUM(${a}net_cents) AS net, SUM(${a}discount_cents) AS discount, SUM(${a}cost_cents) AS cost, SUM(${a}returns_units) AS ru, SUM(${a}returns_cents) AS rc, SUM(${a}lines) AS lines`;

/**
 * Sums of the lines per product, store or category over the period: whole folded months from the month tables
 * (the network's without a store filter, per store's otherwise; a partial month of a store scope read whole less
 * its other days, `planPeriod`), folded days of the network from its day table (per store without a product
 * filter: the stores' day table, `report_sales_day_store`), the rest from `report_sales_hour`
 * — added up here, so the figures are the hour table's to the cent. Category: a product's, joined at read time.
 */
async function lineSums(ctx: ReportCtx, key: 'product_id' | 'store_id' | 'category', extra: { from?: string; to?: string; stores?: string[] | null; products?: string[] } = {}): Promise<Map<string, LineSums>> {
  const c = extra.stores !== undefined ? { ...ctx, stores: extra.stores } : ctx;
  const out = new Map<string, LineSums>();
  if (extra.products && extra.products.length === 0) return out;
  const network = c.stores === null && key !== 'store_id';
  // Per store without a product filter: whole months from the stores' month rows, the folded days of a partial
  // month from the stores' day rows (`report_sales_day_store`), not the hour rows.
  const perStoreOnly = key === 'store_id' && !byLines(ctx) && !extra.products;
  const plan = planPeriod(extra.from ?? ctx.from, extra.to ?? ctx.to, await foldedScope(ctx.m, c.stores), network, perStoreOnly ? { storeDays: true } : { subtract: true });
  const k = key === 'category' ? `COALESCE(p.category_id, '')` : `r.${key}`;
  const join = key === 'category' ? ' LEFT JOIN product p ON p.id = r.product_id' : '';
  const acc = new KeyedSums(['k']);
  const only = (w: { sql: string; params: unknown[] }) => {
    if (!extra.products) return w;
    return { sql: `${w.sql} AND r.product_id IN (${inList(extra.products.length)})`, params: [...w.params, ...extra.products] };
  };
  const read = async (table: string, ranges: Array<{ from: string; to: string }>, sign: 1 | -1) => {
    for (const part of ranges) {
      const w = only(where(c, { product: true, from: part.from, to: part.to, alias: 'r' }));
      acc.add(await readRollup(ctx.m, table, `SELECT ${k} AS k, ${LINE_SUMS('r.')} FROM ${table} r${join} WHERE ${w.sql} GROUP BY ${k}`, w.params), sign);
    }
  };
  await read('report_sales_hour', plan.hours, 1);
  await read(perStoreOnly ? 'report_sales_day_store' : 'report_sales_day_network', plan.days, 1);
  if (plan.months.length > 0) {
    const table = network ? 'report_sales_month_network' : perStoreOnly ? 'report_sales_month_store' : 'report_sales_month';
    const w = only(whereMonths(c, plan.months, { product: !perStoreOnly, store: !network, alias: 'r' }));
    acc.add(await readRollup(ctx.m, table, `SELECT ${k} AS k, ${LINE_SUMS('r.')} FROM ${table} r${join} WHERE ${w.sql} GROUP BY ${k}`, w.params));
  }
  await read('report_sales_hour', plan.less ?? [], -1);
  for (const r of acc.values('lines')) {
    out.set(String(r.k), { units: n(r.units), grams: n(r.grams), gross: n(r.gross), net: n(r.net), discount: n(r.discount), cost: n(r.cost), returnsUnits: n(r.ru), returnsCents: n(r.rc) });
  }
  return out;
}

/** WHERE of the month tables: the months, the stores in scope (tables with a store), product/category filters. */
function whereMonths(ctx: ReportCtx, months: string[], opts: { product: boolean; store: boolean; alias: string; cashier?: boolean | undefined }) {
  const a = `${opts.alias}.`;
  const parts = [`${a}month IN (${inList(months.length)})`];
  const params: unknown[] = [...months];
  addFilters(ctx, a, opts, parts, params);
  return { sql: parts.join(' AND '), params };
}

function withShare<T extends { grossCents: number }>(rows: T[]): Array<T & { sharePct: number | null }> {
  const total = rows.reduce((a, r) => a + r.grossCents, 0);
  return rows.map((r) => ({ ...r, sharePct: pct(r.grossCents, total) }));
}
const finishShare = (t: ReportRow) => {
  t.sharePct = 100;
};

async function salesByCategory(ctx: ReportCtx): Promise<ReportTable> {
  const sums = await lineSums(ctx, 'category');
  const names = await categoryNames(ctx.m, [...sums.keys()].filter(Boolean));
  const rows = [...sums.entries()].map(([id, s]) => ({ category: id ? (names.get(id) ?? id) : NO_CATEGORY, categoryId: id || null, units: s.units, grossCents: s.gross, netCents: s.net, discountCents: s.discount }));
  return {
    columns: [COL.col('category', 'Categoría', 'Category', 'text'), COL.units, COL.gross, COL.net, COL.discount, COL.share],
    rows: withShare(rows).sort((a, b) => b.grossCents - a.grossCents),
    finish: finishShare,
  };
}

async function salesByProduct(ctx: ReportCtx): Promise<ReportTable> {
  const sums = await lineSums(ctx, 'product_id');
  const names = await productNames(ctx.m, [...sums.keys()]);
  const rows = [...sums.entries()].map(([id, s]) => ({ sku: names.get(id)?.sku ?? '', product: names.get(id)?.name ?? id, productId: id, units: s.units, grossCents: s.gross, netCents: s.net, discountCents: s.discount }));
  return {
    columns: [COL.col('sku', 'SKU', 'SKU', 'text'), COL.col('product', 'Producto', 'Product', 'text'), COL.units, COL.gross, COL.net, COL.discount, COL.share],
    rows: withShare(rows).sort((a, b) => b.grossCents - a.grossCents || (a.sku < b.sku ? -1 : 1)),
    finish: finishShare,
  };
}

/**
 * Sums over cells of a day table and its month table (whole folded months; a partial one read whole less its other
 * days, `planPeriod`), merged per key: numbers added, text columns (`texts`) the greatest (as SQL MAX).
 * `select(monthTable)` gives the SELECT list for either table; `count`, a column ≥ 1 on every row of both.
 */
async function dayMonthSums(
  ctx: ReportCtx,
  t: { day: string; month: string; key: string[]; texts: string[]; count: string; select: (month: boolean) => string; product?: boolean; cashier?: boolean },
): Promise<Array<Record<string, unknown>>> {
  const plan = planPeriod(ctx.from, ctx.to, await foldedScope(ctx.m, ctx.stores), false, { subtract: true });
  const acc = new KeyedSums(t.key, t.texts);
  const days = async (ranges: Array<{ from: string; to: string }>, sign: 1 | -1) => {
    for (const part of ranges) {
      const w = where(ctx, { product: t.product, cashier: t.cashier, from: part.from, to: part.to, alias: 'r' });
      acc.add(await readRollup(ctx.m, t.day, `SELECT ${t.select(false)} FROM ${t.day} r WHERE ${w.sql} GROUP BY ${t.key.map((c) => `r.${c}`).join(', ')}`, w.params), sign);
    }
  };
  await days(plan.hours, 1);
  if (plan.months.length > 0) {
    const w = whereMonths(ctx, plan.months, { product: Boolean(t.product), store: true, alias: 'r', cashier: t.cashier });
    acc.add(await readRollup(ctx.m, t.month, `SELECT ${t.select(true)} FROM ${t.month} r WHERE ${w.sql} GROUP BY ${t.key.map((c) => `r.${c}`).join(', ')}`, w.params));
  }
  await days(plan.less ?? [], -1);
  return acc.values(t.count);
}

/** Per cashier: the day sums and the time selling (ms), whole folded months from report_cashier_month. */
async function cashierRows(ctx: ReportCtx) {
  const worked = workedMs(isPostgres(ctx.m));
  return dayMonthSums(ctx, {
    day: 'report_cashier_day',
    month: 'report_cashier_month',
    key: ['cashier_id'],
    texts: ['name'],
    count: 'n_rows',
    cashier: true,
    select: (month) =>
      `r.cashier_id, MAX(r.cashier_name) AS name, SUM(r.tickets) AS tickets, SUM(r.returns_tickets) AS returns, SUM(r.units) AS units, SUM(r.gross_cents) AS gross, SUM(r.net_cents) AS net,
       SUM(r.discount_cents) AS discount, SUM(r.returns_cents) AS rc, SUM(${month ? 'r.worked_ms' : worked}) AS worked, SUM(r.tickets + r.returns_tickets) AS n_rows`,
  });
}

async function salesByCashier(ctx: ReportCtx): Promise<ReportTable> {
  const rows = await cashierRows(ctx);
  return {
    columns: [COL.col('cashier', 'Cajero', 'Cashier', 'text'), COL.tickets, COL.returnsTickets, COL.units, COL.gross, COL.net, COL.discount, COL.avgTicket],
    rows: rows
      .map((r) => ({ cashier: String(r.name), cashierId: String(r.cashier_id), returnsTickets: n(r.returns), ...salesRow({ tickets: n(r.tickets), units: n(r.units), gross: n(r.gross), net: n(r.net), discount: n(r.discount) }) }))
      .sort((a, b) => b.grossCents - a.grossCents),
    finish: finishSales,
  };
}

const METHODS: Record<string, string> = { cash: 'Efectivo / Cash', card: 'Tarjeta / Card', voucher: 'Vale / Voucher', on_account: 'A cuenta / On account' };

async function salesByPayment(ctx: ReportCtx): Promise<ReportTable> {
  const w = where(ctx);
  const rows = await readRollup(ctx.m, 'report_payment_day', `SELECT method, SUM(tickets) AS tickets, SUM(amount_cents) AS amount FROM report_payment_day WHERE ${w.sql} GROUP BY method`, w.params);
  const total = rows.reduce((a, r) => a + n(r.amount), 0);
  return {
    columns: [COL.col('method', 'Forma de pago', 'Payment method', 'text'), COL.tickets, COL.col('amountCents', 'Importe', 'Amount', 'cents'), COL.share],
    rows: rows.map((r) => ({ method: METHODS[String(r.method)] ?? String(r.method), methodKey: String(r.method), tickets: n(r.tickets), amountCents: n(r.amount), sharePct: pct(n(r.amount), total) })).sort((a, b) => b.amountCents - a.amountCents),
    finish: finishShare,
  };
}

async function returnsDiscounts(ctx: ReportCtx): Promise<ReportTable> {
  const rows = await ticketSums(ctx, ['store_id'], { tickets: 'tickets', returns: 'returns_tickets', rc: 'returns_cents', gross: 'gross_cents', discount: 'discount_cents' });
  const units = await lineSums(ctx, 'store_id');
  const names = await storeNames(ctx.m, rows.map((r) => String(r.store_id)));
  return {
    columns: [COL.store, COL.tickets, COL.returnsTickets, COL.returnsUnits, COL.returnsCents, COL.discount, COL.col('discountPct', 'Descuento %', 'Discount %', 'pct')],
    rows: rows
      .map((r) => {
        const id = String(r.store_id);
        return {
          store: storeLabel(names.get(id), id),
          storeId: id,
          tickets: n(r.tickets),
          returnsTickets: n(r.returns),
          returnsUnits: units.get(id)?.returnsUnits ?? 0,
          returnsCents: n(r.rc),
          discountCents: n(r.discount),
          grossCents: n(r.gross),
          discountPct: pct(n(r.discount), n(r.gross) + n(r.discount)),
        };
      })
      .sort((a, b) => (a.store < b.store ? -1 : 1)),
    finish: (t) => {
      t.discountPct = pct(Number(t.discountCents), Number(t.grossCents) + Number(t.discountCents));
    },
  };
}

// ---- margin and ABC ----

const finishMargin = (t: ReportRow) => {
  t.marginPct = pct(Number(t.marginCents), Number(t.netCents));
};

async function marginRows(ctx: ReportCtx, by: string): Promise<Array<{ label: string; id: string; sku?: string; units: number; netCents: number; costCents: number; marginCents: number; marginPct: number | null }>> {
  const key = by === 'store' ? 'store_id' : by === 'category' ? 'category' : 'product_id';
  const sums = await lineSums(ctx, key);
  const ids = [...sums.keys()];
  const labels = new Map<string, { label: string; sku?: string }>();
  if (key === 'store_id') for (const [id, s] of await storeNames(ctx.m, ids)) labels.set(id, { label: storeLabel(s, id) });
  else if (key === 'category') for (const [id, name] of await categoryNames(ctx.m, ids.filter(Boolean))) labels.set(id, { label: name });
  else for (const [id, p] of await productNames(ctx.m, ids)) labels.set(id, { label: p.name, sku: p.sku });
  return ids.map((id) => {
    const s = sums.get(id)!;
    const l = labels.get(id);
    return { label: l?.label ?? (id ? id : NO_CATEGORY), id, ...(key === 'product_id' ? { sku: l?.sku ?? '' } : {}), units: s.units, netCents: s.net, costCents: s.cost, marginCents: s.net - s.cost, marginPct: pct(s.net - s.cost, s.net) };
  });
}

async function margin(ctx: ReportCtx): Promise<ReportTable> {
  const by = ctx.groupBy ?? 'store';
  const head = by === 'store' ? COL.store : by === 'category' ? COL.col('label', 'Categoría', 'Category', 'text') : COL.col('label', 'Producto', 'Product', 'text');
  const rows = (await marginRows(ctx, by)).map(({ label, id, sku, ...r }) => (by === 'store' ? { store: label, storeId: id, ...r } : by === 'product' ? { sku: sku ?? '', label, productId: id, ...r } : { label, categoryId: id || null, ...r }));
  return {
    columns: [...(by === 'product' ? [COL.col('sku', 'SKU', 'SKU', 'text')] : []), head, COL.units, COL.net, COL.cost, COL.margin, COL.marginPct],
    rows: rows.sort((a, b) => b.marginCents - a.marginCents),
    finish: finishMargin,
  };
}

/** Class of a row by the cumulative share BEFORE it: A while < 80 %, B while < 95 %, else C (the row that crosses 80 % is A). */
export function abcClass(cumulativeBeforePct: number): 'A' | 'B' | 'C' {
  return cumulativeBeforePct < 80 ? 'A' : cumulativeBeforePct < 95 ? 'B' : 'C';
}

async function abc(ctx: ReportCtx): Promise<ReportTable> {
  const by = ctx.groupBy ?? 'sales';
  const rows = await marginRows(ctx, 'product');
  const value = (r: (typeof rows)[number]) => (by === 'margin' ? r.marginCents : r.netCents);
  const ranked = rows.filter((r) => value(r) > 0).sort((a, b) => value(b) - value(a) || (a.sku! < b.sku! ? -1 : 1));
  const total = ranked.reduce((a, r) => a + value(r), 0);
  let cum = 0;
  const out = ranked.map((r, i) => {
    const before = total === 0 ? 0 : (cum / total) * 100;
    cum += value(r);
    return { rank: i + 1, sku: r.sku ?? '', product: r.label, productId: r.id, valueCents: value(r), sharePct: pct(value(r), total), cumulativePct: pct(cum, total), class: abcClass(before) };
  });
  return {
    columns: [
      COL.col('rank', 'Posición', 'Rank', 'int'),
      COL.col('sku', 'SKU', 'SKU', 'text'),
      COL.col('product', 'Producto', 'Product', 'text'),
      by === 'margin' ? COL.col('valueCents', 'Margen', 'Margin', 'cents') : COL.col('valueCents', 'Ventas netas', 'Net sales', 'cents'),
      COL.share,
      COL.col('cumulativePct', '% acumulado', 'Cumulative %', 'pct'),
      COL.col('class', 'Clase', 'Class', 'text'),
    ],
    rows: out,
    noTotal: ['rank', 'cumulativePct'],
    finish: (t) => {
      t.sharePct = out.length ? 100 : null;
      t.cumulativePct = null;
    },
  };
}

// ---- stock ----

/** The stocked pairs in scope; `sold`: a 0/1 expression over `l` (the row), read in the same pass (its params first). */
async function stockLevels(ctx: ReportCtx, sold?: { sql: string; params: unknown[] }): Promise<Array<{ store_id: string; product_id: string; q: number; sold: boolean }>> {
  const parts = ['quantity > 0'];
  const params: unknown[] = [...(sold?.params ?? [])];
  if (ctx.stores !== null) {
    if (ctx.stores.length === 0) return [];
    parts.push(`location_id IN (${inList(ctx.stores.length)})`);
    params.push(...ctx.stores);
  } else parts.push('location_id IN (SELECT id FROM store)');
  if (ctx.product) {
    parts.push('product_id = ?');
    params.push(ctx.product);
  }
  if (ctx.category) {
    parts.push('product_id IN (SELECT id FROM product WHERE category_id = ?)');
    params.push(ctx.category);
  }
  const rows = await all<{ location_id: string; product_id: string; quantity: unknown; sold: unknown }>(
    ctx.m,
    `SELECT location_id, product_id, quantity, ${sold ? `(${sold.sql})` : '0'} AS sold FROM stock_level l WHERE ${parts.join(' AND ')}`,
    params,
  );
  return rows.map((r) => ({ store_id: r.location_id, product_id: r.product_id, q: n(r.quantity), sold: n(r.sold) === 1 }));
}

/** Units sold in the period against the stock on hand now (Σ of the stores in scope), and the days it covers. */
async function stockRotation(ctx: ReportCtx): Promise<ReportTable> {
  const days = dayDiff(ctx.from, ctx.to) + 1;
  const stock = new Map<string, number>();
  for (const s of await stockLevels(ctx)) stock.set(s.product_id, (stock.get(s.product_id) ?? 0) + s.q);
  const sold = await lineSums(ctx, 'product_id');
  const ids = [...new Set([...stock.keys(), ...sold.keys()])];
  const names = await productNames(ctx.m, ids);
  const rows = ids.map((id) => {
    const p = names.get(id);
    const s = sold.get(id);
    // Weighed products are stocked in grams.
    const out = s ? (p?.weighed ? s.grams : s.units) : 0;
    const onHand = stock.get(id) ?? 0;
    const perDay = out / days;
    return {
      sku: p?.sku ?? '',
      product: p?.name ?? id,
      productId: id,
      soldQty: out,
      stockQty: onHand,
      rotation: onHand > 0 ? Math.round((out / onHand) * 100) / 100 : null,
      daysOfCover: perDay > 0 ? Math.round((onHand / perDay) * 10) / 10 : null,
    };
  });
  return {
    columns: [
      COL.col('sku', 'SKU', 'SKU', 'text'),
      COL.col('product', 'Producto', 'Product', 'text'),
      COL.col('soldQty', 'Vendido (uds/g)', 'Sold (units/g)', 'int'),
      COL.col('stockQty', 'Stock (uds/g)', 'Stock (units/g)', 'int'),
      COL.col('rotation', 'Rotación', 'Turnover', 'pct'),
      COL.col('daysOfCover', 'Días de cobertura', 'Days of cover', 'pct'),
    ],
    rows: rows.sort((a, b) => (a.daysOfCover ?? Infinity) - (b.daysOfCover ?? Infinity) || (a.sku < b.sku ? -1 : 1)),
    noTotal: ['rotation', 'daysOfCover'],
    finish: (t) => {
      t.rotation = null;
      t.daysOfCover = null;
    },
  };
}

async function stockNoSales(ctx: ReportCtx): Promise<ReportTable> {
  const plan = planPeriod(ctx.from, ctx.to, await foldedScope(ctx.m, ctx.stores), false, { storeDays: true });
  // Read with the stocked pairs (few), one seek each, as scalar subqueries tried in turn (COALESCE stops at the
  // first that finds a sale), not EXISTS: PostgreSQL would turn EXISTS into a hash semi-join that reads and
  // de-duplicates every pair's rows first.
  const checks: string[] = [];
  const params: unknown[] = [];
  if (plan.months.length > 0) {
    // Whole folded months: the small per-year month masks (fold.ts keeps them with the month rows) — a pair sold in a
    // whole month of the period has that month's bit.
    const masks = new Map<string, number>();
    for (const ym of plan.months) masks.set(ym.slice(0, 4), (masks.get(ym.slice(0, 4)) ?? 0) | monthBit(ym));
    const years = [...masks.entries()];
    checks.push(`SELECT 1 FROM report_sales_pair_year p WHERE p.store_id = l.location_id AND p.product_id = l.product_id
                   AND (${years.map(() => '(p.year = ? AND (p.months & CAST(? AS integer)) <> 0)').join(' OR ')}) LIMIT 1`);
    params.push(...years.flat());
  }
  for (const part of plan.days) {
    // The period's days of a partial folded month (the last 30 days: both months): the pair's product days.
    const months = monthsBetween(monthOf(part.from), monthOf(part.to));
    checks.push(`SELECT 1 FROM report_sales_day_store_product d WHERE d.store_id = l.location_id AND d.month IN (${inList(months.length)}) AND d.product_id = l.product_id
                   AND d.business_date >= ? AND d.business_date <= ? LIMIT 1`);
    params.push(...months, part.from, part.to);
  }
  const levels = await stockLevels(ctx, checks.length ? { sql: `SELECT COALESCE(${checks.map((c) => `(${c})`).join(', ')}, 0)`, params } : undefined);
  const soldPairs = new Set<string>();
  for (const l of levels) if (l.sold) soldPairs.add(`${l.store_id}|${l.product_id}`);
  // Days not folded yet (today, a dirty month): the hour rows. Only the pairs that have stock matter: the semi-join
  // keeps the distinct set small.
  const stocked = '(r.store_id, r.product_id) IN (SELECT location_id, product_id FROM stock_level WHERE quantity > 0)';
  for (const part of plan.hours) {
    const w = where(ctx, { product: true, from: part.from, to: part.to, alias: 'r' });
    for (const r of await readRollup(ctx.m, 'report_sales_hour', `SELECT DISTINCT r.store_id, r.product_id FROM report_sales_hour r WHERE ${w.sql} AND ${stocked}`, w.params)) soldPairs.add(`${String(r.store_id)}|${String(r.product_id)}`);
  }
  const idle = levels.filter((l) => !soldPairs.has(`${l.store_id}|${l.product_id}`));
  const stores = await storeNames(ctx.m, [...new Set(idle.map((l) => l.store_id))]);
  const products = await productNames(ctx.m, [...new Set(idle.map((l) => l.product_id))]);
  return {
    columns: [COL.store, COL.col('sku', 'SKU', 'SKU', 'text'), COL.col('product', 'Producto', 'Product', 'text'), COL.col('stockQty', 'Stock (uds/g)', 'Stock (units/g)', 'int')],
    rows: idle
      .map((l) => ({ store: storeLabel(stores.get(l.store_id), l.store_id), storeId: l.store_id, sku: products.get(l.product_id)?.sku ?? '', product: products.get(l.product_id)?.name ?? l.product_id, productId: l.product_id, stockQty: l.q }))
      .sort((a, b) => (a.store !== b.store ? (a.store < b.store ? -1 : 1) : a.sku < b.sku ? -1 : 1)),
  };
}

// ---- benchmark ----

/** Opening hours of a store over the dates (its weekly timetable; none recorded: null). */
export function openingHoursIn(hoursJson: string | null, from: string, to: string): number | null {
  if (!hoursJson) return null;
  let week: Record<string, Array<{ from: string; to: string }>>;
  try {
    week = JSON.parse(hoursJson) as typeof week;
  } catch {
    return null;
  }
  const keys = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const mins = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
  const perDay = keys.map((k) => (week[k] ?? []).reduce((a, iv) => a + Math.max(0, mins(iv.to) - mins(iv.from)), 0));
  if (perDay.every((m) => m === 0)) return null;
  let total = 0;
  for (let d = from; d <= to; d = shiftDay(d, 1)) total += perDay[weekdayOf(d)]!;
  return total / 60;
}

/** The value at the 75th percentile (linear interpolation), of the values known. */
export function bestQuartile(values: Array<number | null>): number | null {
  const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const pos = 0.75 * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round((v[lo]! + (v[hi]! - v[lo]!) * (pos - lo)) * 100) / 100;
}

async function benchmark(ctx: ReportCtx): Promise<ReportTable> {
  const rows = await ticketSums(ctx, ['store_id'], { tickets: 'tickets', gross: 'gross_cents', net: 'net_cents' });
  const lines = await lineSums(ctx, 'store_id');
  const names = await storeNames(ctx.m, rows.map((r) => String(r.store_id)));
  const stores = rows.map((r) => {
    const id = String(r.store_id);
    const s = names.get(id);
    const hours = openingHoursIn(s?.hours ?? null, ctx.from, ctx.to);
    const net = n(r.net);
    const l = lines.get(id);
    return {
      store: storeLabel(s, id),
      storeId: id,
      rowKind: 'store',
      tickets: n(r.tickets),
      netCents: net,
      areaM2: s?.area ?? null,
      netPerM2Cents: s?.area ? Math.round(net / s.area) : null,
      openHours: hours === null ? null : Math.round(hours * 10) / 10,
      netPerHourCents: hours ? Math.round(net / hours) : null,
      avgTicketCents: ratio(n(r.gross), n(r.tickets)),
      marginPct: l ? pct(l.net - l.cost, l.net) : null,
      marginCents: l ? l.net - l.cost : 0,
      lineNetCents: l ? l.net : 0,
    };
  });
  stores.sort((a, b) => (a.store < b.store ? -1 : 1));
  const metrics = ['netPerM2Cents', 'netPerHourCents', 'avgTicketCents', 'marginPct'] as const;
  const avg = (k: (typeof metrics)[number]) => {
    const v = stores.map((s) => s[k]).filter((x): x is number => x !== null);
    return v.length ? Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 100) / 100 : null;
  };
  const summary = (kind: 'average' | 'best_quartile', label: string) => ({
    store: label,
    storeId: null,
    rowKind: kind,
    tickets: null,
    netCents: null,
    areaM2: null,
    openHours: null,
    ...Object.fromEntries(metrics.map((k) => [k, kind === 'average' ? avg(k) : bestQuartile(stores.map((s) => s[k]))])),
  });
  return {
    columns: [
      COL.store,
      COL.tickets,
      COL.net,
      COL.col('areaM2', 'Superficie m²', 'Area m²', 'int'),
      COL.col('netPerM2Cents', 'Ventas netas por m²', 'Net sales per m²', 'cents'),
      COL.col('openHours', 'Horas de apertura', 'Opening hours', 'pct'),
      COL.col('netPerHourCents', 'Ventas netas por hora', 'Net sales per hour', 'cents'),
      COL.avgTicket,
      COL.marginPct,
    ],
    // The network's average and best quartile (75th percentile of the stores) follow the stores.
    rows: [
      ...stores.map(({ marginCents: _m, lineNetCents: _n, ...s }) => s),
      summary('average', 'Media de la red / Network average'),
      summary('best_quartile', 'Mejor cuartil / Best quartile'),
    ],
    noTotal: ['areaM2', 'netPerM2Cents', 'openHours', 'netPerHourCents', 'avgTicketCents', 'marginPct'],
    finish: (t) => {
      const area = stores.reduce((a, s) => a + (s.areaM2 ?? 0), 0);
      const withArea = stores.filter((s) => s.areaM2).reduce((a, s) => a + s.netCents, 0);
      const hours = stores.reduce((a, s) => a + (s.openHours ?? 0), 0);
      const withHours = stores.filter((s) => s.openHours).reduce((a, s) => a + s.netCents, 0);
      t.tickets = stores.reduce((a, s) => a + s.tickets, 0);
      t.netCents = stores.reduce((a, s) => a + s.netCents, 0);
      t.areaM2 = area || null;
      t.netPerM2Cents = area ? Math.round(withArea / area) : null;
      t.openHours = hours || null;
      t.netPerHourCents = hours ? Math.round(withHours / hours) : null;
      t.avgTicketCents = ratio(stores.reduce((a, s) => a + (s.avgTicketCents ?? 0) * s.tickets, 0), t.tickets);
      const m = stores.reduce((a, s) => a + s.marginCents, 0);
      const ln = stores.reduce((a, s) => a + s.lineNetCents, 0);
      t.marginPct = pct(m, ln);
    },
  };
}

// ---- cashiers ----

async function cashiers(ctx: ReportCtx): Promise<ReportTable> {
  // Time worked per day: first to last ticket (at least a quarter of an hour, so one ticket is not infinite speed),
  // summed in whole ms by the database (fold.ts workedMs).
  const rows = await cashierRows(ctx);
  // Voids and cash differences: the tills' `sales.void` / `cash.close` documents (reports/cashier-events.ts),
  // per store/day/cashier (a few rows a day: read for any period without a month table).
  const w = where(ctx, { cashier: true });
  const events = await all<Record<string, unknown>>(
    ctx.m,
    `SELECT cashier_id, MAX(cashier_name) AS name, SUM(voids) AS voids, SUM(void_cents) AS void_cents, SUM(carts_voided) AS carts, SUM(cash_closes) AS closes,
            SUM(cash_difference_cents) AS difference, SUM(tickets_cancelled) AS cancels, SUM(cancelled_cents) AS cancelled_cents
       FROM report_cashier_event_day WHERE ${w.sql} GROUP BY cashier_id`,
    w.params,
  );
  const byCashier = new Map(events.map((e) => [String(e.cashier_id), e]));
  // Who authorised the voids and cancels and who confirmed the differences: from the raw events (few a day).
  const who = await supervisorsPerCashier(ctx.m, { from: ctx.from, to: ctx.to, stores: ctx.stores, cashierId: ctx.cashier });
  // A cashier who only voided or closed a drawer in the period has a row too (no tickets).
  for (const e of events) if (!rows.some((r) => String(r.cashier_id) === String(e.cashier_id))) rows.push({ cashier_id: e.cashier_id, name: e.name });
  return {
    columns: [
      COL.col('cashier', 'Cajero', 'Cashier', 'text'),
      COL.tickets,
      COL.returnsTickets,
      COL.returnsCents,
      COL.units,
      COL.gross,
      COL.discount,
      COL.col('hoursWorked', 'Horas con ventas', 'Hours selling', 'pct'),
      COL.col('ticketsPerHour', 'Tickets por hora', 'Tickets per hour', 'pct'),
      COL.col('voids', 'Líneas anuladas', 'Voided lines', 'int'),
      COL.col('voidCents', 'Importe de líneas anuladas', 'Voided lines amount', 'cents'),
      COL.col('cartsVoided', 'Tickets anulados', 'Tickets cancelled', 'int'),
      COL.col('ticketsCancelled', 'Tickets anulados enteros', 'Whole tickets cancelled', 'int'),
      COL.col('cancelledCents', 'Importe de tickets anulados enteros', 'Whole tickets cancelled amount', 'cents'),
      COL.col('voidsAuthorisedBy', 'Anulaciones autorizadas por', 'Voids authorised by', 'text'),
      COL.col('cashCloses', 'Cierres de caja', 'Cash closes', 'int'),
      COL.col('cashDifferenceCents', 'Descuadre de caja', 'Cash difference', 'cents'),
      COL.col('differencesConfirmedBy', 'Descuadres confirmados por', 'Differences confirmed by', 'text'),
    ],
    rows: rows
      .map((r) => {
        const h = Math.round((n(r.worked) / 3_600_000) * 100) / 100;
        const e = byCashier.get(String(r.cashier_id));
        return {
          cashier: String(r.name),
          cashierId: String(r.cashier_id),
          tickets: n(r.tickets),
          returnsTickets: n(r.returns),
          returnsCents: n(r.rc),
          units: n(r.units),
          grossCents: n(r.gross),
          discountCents: n(r.discount),
          hoursWorked: h,
          ticketsPerHour: h > 0 ? Math.round((n(r.tickets) / h) * 10) / 10 : null,
          voids: n(e?.voids),
          voidCents: n(e?.void_cents),
          // Carts emptied by voiding their last line and whole tickets cancelled in one action ("Anular ticket").
          cartsVoided: n(e?.carts),
          ticketsCancelled: n(e?.cancels),
          cancelledCents: n(e?.cancelled_cents),
          voidsAuthorisedBy: who.get(String(r.cashier_id))?.voids ?? '',
          cashCloses: n(e?.closes),
          // counted − expected, summed over the sessions the cashier closed: negative = short.
          cashDifferenceCents: n(e?.difference),
          differencesConfirmedBy: who.get(String(r.cashier_id))?.differences ?? '',
        };
      })
      .sort((a, b) => (a.cashier < b.cashier ? -1 : 1)),
    noTotal: ['ticketsPerHour'],
    finish: (t) => {
      const h = Number(t.hoursWorked);
      t.hoursWorked = Math.round(h * 100) / 100;
      t.ticketsPerHour = h > 0 ? Math.round((Number(t.tickets) / h) * 10) / 10 : null;
    },
  };
}

// ---- promotions ----

const UPLIFT_DAYS = 28;

async function promotions(ctx: ReportCtx): Promise<ReportTable> {
  const rows = await dayMonthSums(ctx, {
    day: 'report_promotion_day',
    month: 'report_promotion_month',
    key: ['promotion_id', 'product_id'],
    texts: ['name'],
    count: 'lines',
    product: true,
    select: () => `r.promotion_id, r.product_id, MAX(r.name) AS name, SUM(r.lines) AS lines, SUM(r.units) AS units, SUM(r.savings_cents) AS savings, SUM(r.gross_cents) AS gross`,
  });
  const promos = new Map<string, { name: string; products: Set<string>; lines: number; units: number; savings: number; gross: number }>();
  for (const r of rows) {
    const id = String(r.promotion_id);
    const p = promos.get(id) ?? { name: String(r.name), products: new Set<string>(), lines: 0, units: 0, savings: 0, gross: 0 };
    p.products.add(String(r.product_id));
    p.lines += n(r.lines);
    p.units += n(r.units);
    p.savings += n(r.savings);
    p.gross += n(r.gross);
    promos.set(id, p);
  }
  // Uplift: units per day of the promotion's products in the period against the 4 weeks before it.
  const days = dayDiff(ctx.from, ctx.to) + 1;
  // Only the promoted products' units are compared.
  const promoted = [...new Set([...promos.values()].flatMap((p) => [...p.products]))];
  const during = await lineSums(ctx, 'product_id', { products: promoted });
  const before = await lineSums(ctx, 'product_id', { from: shiftDay(ctx.from, -UPLIFT_DAYS), to: shiftDay(ctx.from, -1), products: promoted });
  const out = [...promos.entries()].map(([id, p]) => {
    const u = [...p.products].reduce((a, pid) => a + (during.get(pid)?.units ?? 0), 0) / days;
    const b = [...p.products].reduce((a, pid) => a + (before.get(pid)?.units ?? 0), 0) / UPLIFT_DAYS;
    return {
      promotion: p.name,
      promotionId: id,
      products: p.products.size,
      lines: p.lines,
      units: p.units,
      savingsCents: p.savings,
      grossCents: p.gross,
      unitsPerDay: Math.round(u * 100) / 100,
      unitsPerDayBefore: Math.round(b * 100) / 100,
      upliftPct: b > 0 ? Math.round((u / b - 1) * 10_000) / 100 : null,
    };
  });
  return {
    columns: [
      COL.col('promotion', 'Promoción', 'Promotion', 'text'),
      COL.col('products', 'Productos', 'Products', 'int'),
      COL.col('lines', 'Líneas', 'Lines', 'int'),
      COL.units,
      COL.col('savingsCents', 'Ahorro del cliente', 'Customer savings', 'cents'),
      COL.col('grossCents', 'Ventas con promoción', 'Promoted sales', 'cents'),
      COL.col('unitsPerDay', 'Uds/día (periodo)', 'Units/day (period)', 'pct'),
      COL.col('unitsPerDayBefore', 'Uds/día (4 semanas antes)', 'Units/day (4 weeks before)', 'pct'),
      COL.col('upliftPct', 'Incremento %', 'Uplift %', 'pct'),
    ],
    rows: out.sort((a, b) => b.savingsCents - a.savingsCents),
    noTotal: ['products', 'unitsPerDay', 'unitsPerDayBefore', 'upliftPct'],
    finish: (t) => {
      t.products = null;
      t.unitsPerDay = null;
      t.unitsPerDayBefore = null;
      t.upliftPct = null;
    },
  };
}

export const REPORT_QUERIES: Record<ReportKey, (ctx: ReportCtx) => Promise<ReportTable>> = {
  'sales-by-period': salesByPeriod,
  heatmap,
  'sales-by-store': salesByStore,
  'sales-by-category': salesByCategory,
  'sales-by-product': salesByProduct,
  'sales-by-cashier': salesByCashier,
  'sales-by-payment': salesByPayment,
  'returns-discounts': returnsDiscounts,
  margin,
  abc,
  'stock-rotation': stockRotation,
  'stock-no-sales': stockNoSales,
  benchmark,
  cashiers,
  promotions,
};

/**
 * Stores (of a set; null = all) with any ticket in the dates: the like-for-like base. Whole folded months from
 * `report_ticket_month_store` (a store has a month row when it has an hour row that month), the rest from the hours.
 */
export async function storesWithSales(m: Db, stores: string[] | null, from: string, to: string): Promise<Set<string>> {
  const ctx: ReportCtx = { m, from, to, stores, groupBy: null };
  const out = new Set<string>();
  const plan = planPeriod(from, to, await foldedScope(m, stores), false);
  if (plan.months.length > 0) {
    const w = whereMonths(ctx, plan.months, { product: false, store: true, alias: 'r' });
    for (const r of await readRollup(m, 'report_ticket_month_store', `SELECT DISTINCT r.store_id FROM report_ticket_month_store r WHERE ${w.sql}`, w.params)) out.add(String(r.store_id));
  }
  for (const part of plan.hours) {
    const w = where(ctx, { from: part.from, to: part.to });
    for (const r of await readRollup(m, 'report_ticket_hour', `SELECT DISTINCT store_id FROM report_ticket_hour WHERE ${w.sql}`, w.params)) out.add(String(r.store_id));
  }
  return out;
}
