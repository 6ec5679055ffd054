/**
 * Folding the hour rollups into the month and network tables (migration 1795475000001), so a report over a month or
 * a year reads thousands of rows instead of millions (queries.ts `planPeriod`).
 *
 * The `reports.rollups.fold` job (nightly, at start when due, after a rebuild, or POST /api/reports/fold):
 * 1. per store, advances `folded_to` to yesterday in the store's time zone: every month completed on the way is
 *    summed from `report_sales_hour` into `report_sales_month` (store/month/product) and `report_sales_month_store`
 *    (and the month's bit of `report_sales_pair_year`, store/product/year, set or cleared with its rows), a store's
 *    days (`report_ticket_day_store`, its lines' `report_sales_day_store`, per product `report_sales_day_store_product`)
 *    and hour × weekday (`report_ticket_heat_month`, by product `report_sales_heat_month`);
 *    each dirty month of the store is folded again (whole months) and its mark cleared. Whatever it touches marks
 *    the network's month ('' store) dirty.
 * 2. the network (`folded_to` of store '') advances to the earliest store's `folded_to`; each month with a network
 *    mark (and each month the advance reaches) gets its `report_sales_day_network` rows for the folded days, and its
 *    `report_sales_month_network` and `report_sales_heat_month_network` rows when the whole month is folded.
 *
 * The ingest's only part (`markLateTickets`, in the batch's transaction): a ticket of a day before today (in the
 * store's zone, HQ's clock) and on or before the store's `folded_to` marks its (store, month) dirty — nothing for
 * the day's tickets. Dirty months are read from the hour table until refolded, so a report never misses a ticket.
 * The fold moves `folded_to` and marks the months it will fold before it reads them, and deletes a mark before it
 * reads the hour rows: a ticket committed after that read leaves its mark.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { all, inList } from '../persistence/sql';
import { engineOfDs, writeTransaction } from '../persistence/raw';
import { localDateHour } from './rollups';

type Sql = <R = Record<string, unknown>>(text: string, params?: readonly unknown[]) => Promise<R[]>;

export const NETWORK = '';
const SUMS = ['lines', 'units', 'grams', 'gross_cents', 'net_cents', 'discount_cents', 'returns_units', 'returns_cents', 'cost_cents'];
const SUM_LIST = SUMS.join(', ');
const SUM_OF = SUMS.map((c) => `SUM(${c})`).join(', ');
export const TICKET_SUMS = ['tickets', 'returns_tickets', 'units', 'gross_cents', 'net_cents', 'discount_cents', 'returns_cents'];
const T_LIST = TICKET_SUMS.join(', ');
const T_OF = TICKET_SUMS.map((c) => `SUM(${c})`).join(', ');

/** The sums of `report_sales_heat_month` (the heatmap by product or category: sales with IVA; lines count its rows). */
export const HEAT_SUMS = ['lines', 'units', 'gross_cents', 'net_cents'];
const HEAT_LIST = HEAT_SUMS.join(', ');
const HEAT_OF = HEAT_SUMS.map((c) => `SUM(${c})`).join(', ');

/** The sums of `report_sales_day_store_product` (sales by day of a product in a store scope). */
const DAY_PRODUCT_SUMS = ['lines', 'units', 'gross_cents', 'net_cents', 'discount_cents'];
const DAY_PRODUCT_LIST = DAY_PRODUCT_SUMS.join(', ');
const DAY_PRODUCT_OF = DAY_PRODUCT_SUMS.map((c) => `SUM(${c})`).join(', ');

/** The weekday of `business_date` (yyyy-mm-dd), 0 = Monday … 6 = Sunday (queries.ts `weekdayOf`). */
export const weekdayOfDate = (pg: boolean) =>
  pg ? `CAST(EXTRACT(ISODOW FROM CAST(business_date AS date)) - 1 AS smallint)` : `((CAST(strftime('%w', business_date) AS integer) + 6) % 7)`;

/** A cashier day's time selling in ms: last − first ticket, at least a quarter of an hour (exact integers). */
export const workedMs = (pg: boolean) =>
  pg
    ? `GREATEST(900000, ROUND(EXTRACT(EPOCH FROM (last_at::timestamptz - first_at::timestamptz)) * 1000))`
    : `MAX(900000, CAST(ROUND((julianday(last_at) - julianday(first_at)) * 86400000) AS INTEGER))`;

export const monthOf = (isoDate: string) => isoDate.slice(0, 7);
export function nextMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
export function prevMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
/** Last day of a month (yyyy-mm → yyyy-mm-dd). */
export function monthEnd(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return `${ym}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}
function shiftDay(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
/** A month's bit in `report_sales_pair_year.months` (January: 1, December: 2048). */
export const monthBit = (ym: string) => 1 << (Number(ym.slice(5, 7)) - 1);
/** Months from `a` to `b` inclusive (yyyy-mm). */
export function monthsBetween(a: string, b: string): string[] {
  const out: string[] = [];
  for (let m = a; m <= b; m = nextMonth(m)) out.push(m);
  return out;
}

/** The store's local date at an instant (yyyy-mm-dd). */
export const localToday = (nowMs: number, timeZone: string) => localDateHour(new Date(nowMs).toISOString(), timeZone).date;

/** The last complete local day at an instant: yesterday in the store's time zone. */
export const lastCompleteDay = (nowMs: number, timeZone: string) => shiftDay(localToday(nowMs, timeZone), -1);

/**
 * The ingest's part (in the batch's transaction): the months of tickets dated before today (local) and on or before
 * the store's `folded_to` marked dirty — a later day is in no folded table yet (the fold reaches it anyway). `today`
 * is the store's local date at HQ's clock; `dates` the tickets' business dates. The day's tickets read nothing.
 * `folded_to` is read FOR SHARE on PostgreSQL: the fold moves it (and marks the months it is about to fold) before
 * it reads their hour rows, so a batch either sees the new value and marks, or commits before the fold reads.
 * A store never folded has no row to lock: its late months are all marked (its first fold may be reading now).
 */
export async function markLateTickets(sql: Sql, storeId: string, today: string, dates: Iterable<string>, pg: boolean): Promise<void> {
  const late = [...dates].filter((d) => d < today);
  if (late.length === 0) return;
  const state = (await sql<{ folded_to: string }>(`SELECT folded_to FROM report_fold_state WHERE store_id = ?${pg ? ' FOR SHARE' : ''}`, [storeId]))[0];
  const foldedTo = state?.folded_to ?? null;
  await markDirty(sql, storeId, [...new Set(late.filter((d) => foldedTo === null || d <= foldedTo).map(monthOf))].sort());
}

/** Marks months of a store dirty (a rebuild rewrote their hour rows, a late ticket arrived, the fold is about to fold them). */
export async function markDirty(sql: Sql, storeId: string, months: Iterable<string>): Promise<void> {
  for (const m of months) await sql(`INSERT INTO report_fold_dirty (store_id, month) VALUES (?, ?) ON CONFLICT (store_id, month) DO NOTHING`, [storeId, m]);
}

async function setFoldedTo(sql: Sql, storeId: string, day: string, at: string): Promise<void> {
  await sql(
    `INSERT INTO report_fold_state (store_id, folded_to, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (store_id) DO UPDATE SET folded_to = excluded.folded_to, updated_at = excluded.updated_at`,
    [storeId, day, at],
  );
}

/**
 * Some stores' month summed again from the hour rows (`whole`: a whole month; else only their rows and marks
 * cleared), their marks cleared, the network's set. One statement for all the stores: a month is read once.
 */
async function foldStoresMonth(sql: Sql, storeIds: string[], ym: string, whole: boolean, pg: boolean): Promise<void> {
  for (let i = 0; i < storeIds.length; i += 200) {
    const part = storeIds.slice(i, i + 200);
    const inStores = `store_id IN (${inList(part.length)})`;
    // The month's rows by primary key (business_date first), not one store-index lookup per row (SQLite: `+`).
    const inStoresScan = `${pg ? '' : '+'}store_id IN (${inList(part.length)})`;
    await sql(`DELETE FROM report_fold_dirty WHERE month = ? AND ${inStores}`, [ym, ...part]);
    await sql(`DELETE FROM report_sales_month WHERE month = ? AND ${inStores}`, [ym, ...part]);
    // The month's bit of the stores' pairs follows its rows: cleared here, set again below from the rows written.
    await sql(`UPDATE report_sales_pair_year SET months = months & CAST(? AS integer) WHERE year = ? AND ${inStores} AND (months & CAST(? AS integer)) <> 0`, [
      4095 & ~monthBit(ym),
      ym.slice(0, 4),
      ...part,
      monthBit(ym),
    ]);
    await sql(`DELETE FROM report_sales_month_store WHERE month = ? AND ${inStores}`, [ym, ...part]);
    await sql(`DELETE FROM report_ticket_month_store WHERE month = ? AND ${inStores}`, [ym, ...part]);
    await sql(`DELETE FROM report_cashier_month WHERE month = ? AND ${inStores}`, [ym, ...part]);
    await sql(`DELETE FROM report_promotion_month WHERE month = ? AND ${inStores}`, [ym, ...part]);
    await sql(`DELETE FROM report_ticket_day_store WHERE business_date >= ? AND business_date <= ? AND ${inStores}`, [`${ym}-01`, monthEnd(ym), ...part]);
    await sql(`DELETE FROM report_ticket_heat_month WHERE month = ? AND ${inStores}`, [ym, ...part]);
    await sql(`DELETE FROM report_sales_heat_month WHERE month = ? AND ${inStores}`, [ym, ...part]);
    await sql(`DELETE FROM report_sales_day_store WHERE business_date >= ? AND business_date <= ? AND ${inStores}`, [`${ym}-01`, monthEnd(ym), ...part]);
    await sql(`DELETE FROM report_sales_day_store_product WHERE ${inStores} AND month = ?`, [...part, ym]);
    if (!whole) continue;
    const days = [`${ym}-01`, monthEnd(ym)];
    // A store's days and its hour × weekday (sales by day with a store filter, the filtered heatmap).
    await sql(
      `INSERT INTO report_ticket_day_store (store_id, business_date, ${T_LIST})
       SELECT store_id, business_date, ${T_OF} FROM report_ticket_hour WHERE ${inStores} AND business_date >= ? AND business_date <= ? GROUP BY store_id, business_date`,
      [...part, ...days],
    );
    await sql(
      `INSERT INTO report_ticket_heat_month (store_id, month, weekday, hour, ${T_LIST})
       SELECT store_id, CAST(? AS varchar(7)), ${weekdayOfDate(pg)}, hour, ${T_OF} FROM report_ticket_hour
        WHERE ${inStores} AND business_date >= ? AND business_date <= ? GROUP BY store_id, ${weekdayOfDate(pg)}, hour`,
      [ym, ...part, ...days],
    );
    await sql(
      `INSERT INTO report_sales_heat_month (store_id, month, product_id, weekday, hour, ${HEAT_LIST})
       SELECT store_id, CAST(? AS varchar(7)), product_id, ${weekdayOfDate(pg)}, hour, ${HEAT_OF} FROM report_sales_hour
        WHERE business_date >= ? AND business_date <= ? AND ${inStoresScan} GROUP BY store_id, product_id, ${weekdayOfDate(pg)}, hour`,
      [ym, ...days, ...part],
    );
    // A store's lines per day (per-store line sums over partial months: margin, returns, the benchmark).
    await sql(
      `INSERT INTO report_sales_day_store (store_id, business_date, ${SUM_LIST})
       SELECT store_id, business_date, ${SUM_OF} FROM report_sales_hour
        WHERE business_date >= ? AND business_date <= ? AND ${inStoresScan} GROUP BY store_id, business_date`,
      [...days, ...part],
    );
    // A store's product per day (sales by day or week with a store and a product or category filter).
    await sql(
      `INSERT INTO report_sales_day_store_product (store_id, month, product_id, business_date, ${DAY_PRODUCT_LIST})
       SELECT store_id, CAST(? AS varchar(7)), product_id, business_date, ${DAY_PRODUCT_OF} FROM report_sales_hour
        WHERE business_date >= ? AND business_date <= ? AND ${inStoresScan} GROUP BY store_id, product_id, business_date`,
      [ym, ...days, ...part],
    );
    await sql(
      `INSERT INTO report_cashier_month (store_id, month, cashier_id, cashier_name, ${T_LIST}, worked_ms)
       SELECT store_id, CAST(? AS varchar(7)), cashier_id, MAX(cashier_name), ${T_OF}, SUM(${workedMs(pg)}) FROM report_cashier_day
        WHERE ${inStores} AND business_date >= ? AND business_date <= ? GROUP BY store_id, cashier_id`,
      [ym, ...part, ...days],
    );
    await sql(
      `INSERT INTO report_promotion_month (store_id, month, promotion_id, product_id, name, lines, units, savings_cents, gross_cents)
       SELECT store_id, CAST(? AS varchar(7)), promotion_id, product_id, MAX(name), SUM(lines), SUM(units), SUM(savings_cents), SUM(gross_cents) FROM report_promotion_day
        WHERE ${inStores} AND business_date >= ? AND business_date <= ? GROUP BY store_id, promotion_id, product_id`,
      [ym, ...part, ...days],
    );
    await sql(
      `INSERT INTO report_ticket_month_store (store_id, month, ${T_LIST})
       SELECT store_id, CAST(? AS varchar(7)), ${T_OF} FROM report_ticket_hour WHERE ${inStores} AND business_date >= ? AND business_date <= ? GROUP BY store_id`,
      [ym, ...part, `${ym}-01`, monthEnd(ym)],
    );
    await sql(
      `INSERT INTO report_sales_month (store_id, product_id, month, ${SUM_LIST})
       SELECT store_id, product_id, CAST(? AS varchar(7)), ${SUM_OF} FROM report_sales_hour
        WHERE business_date >= ? AND business_date <= ? AND ${inStoresScan} GROUP BY store_id, product_id`,
      [ym, `${ym}-01`, monthEnd(ym), ...part],
    );
    await sql(
      `INSERT INTO report_sales_pair_year (store_id, product_id, year, months)
       SELECT store_id, product_id, CAST(? AS varchar(4)), CAST(? AS integer) FROM report_sales_month WHERE month = ? AND ${inStores}
       ON CONFLICT (store_id, product_id, year) DO UPDATE SET months = report_sales_pair_year.months | excluded.months`,
      [ym.slice(0, 4), monthBit(ym), ym, ...part],
    );
    // A store's month from its ~30 day rows just written, not its ~2,000 product rows of the month (the same sums).
    await sql(
      `INSERT INTO report_sales_month_store (store_id, month, ${SUM_LIST})
       SELECT store_id, CAST(? AS varchar(7)), ${SUM_OF} FROM report_sales_day_store WHERE ${inStores} AND business_date >= ? AND business_date <= ? GROUP BY store_id`,
      [ym, ...part, ...days],
    );
  }
  await sql(`INSERT INTO report_fold_dirty (store_id, month) VALUES (?, ?) ON CONFLICT (store_id, month) DO NOTHING`, [NETWORK, ym]);
}

/** The network's rows of a month: its days up to `to` from the hour rows, the month from those days when whole. */
async function foldNetworkMonth(sql: Sql, ym: string, to: string, pg: boolean): Promise<void> {
  // Two folds at once (a second node, a rebuild's) take turns month by month on PostgreSQL (SQLite: one writer).
  if (pg) await sql(`SELECT pg_advisory_xact_lock(hashtext('reports.rollups.fold'))`);
  await sql(`DELETE FROM report_fold_dirty WHERE store_id = ? AND month = ?`, [NETWORK, ym]);
  await sql(`DELETE FROM report_sales_day_network WHERE business_date >= ? AND business_date <= ?`, [`${ym}-01`, monthEnd(ym)]);
  await sql(`DELETE FROM report_sales_month_network WHERE month = ?`, [ym]);
  await sql(`DELETE FROM report_ticket_day_network WHERE business_date >= ? AND business_date <= ?`, [`${ym}-01`, monthEnd(ym)]);
  await sql(`DELETE FROM report_sales_heat_month_network WHERE month = ?`, [ym]);
  const last = monthEnd(ym) < to ? monthEnd(ym) : to;
  if (last < `${ym}-01`) return;
  await sql(
    `INSERT INTO report_ticket_day_network (business_date, hour, ${T_LIST})
     SELECT business_date, hour, ${T_OF} FROM report_ticket_hour WHERE business_date >= ? AND business_date <= ? GROUP BY business_date, hour`,
    [`${ym}-01`, last],
  );
  await sql(
    `INSERT INTO report_sales_day_network (business_date, product_id, ${SUM_LIST})
     SELECT business_date, product_id, ${SUM_OF} FROM report_sales_hour WHERE business_date >= ? AND business_date <= ? GROUP BY business_date, product_id`,
    [`${ym}-01`, last],
  );
  if (last === monthEnd(ym)) {
    // The month of the network: its days' rows just written (a range of the day table's primary key).
    await sql(
      `INSERT INTO report_sales_month_network (month, product_id, ${SUM_LIST})
       SELECT CAST(? AS varchar(7)), product_id, ${SUM_OF} FROM report_sales_day_network WHERE business_date >= ? AND business_date <= ? GROUP BY product_id`,
      [ym, `${ym}-01`, last],
    );
    // The network's hour × weekday per product (the heatmap by product or category), from the hour rows: a store's
    // heat rows may be waiting for their refold (dirty), the hour rows never are.
    await sql(
      `INSERT INTO report_sales_heat_month_network (product_id, month, weekday, hour, ${HEAT_LIST})
       SELECT product_id, CAST(? AS varchar(7)), ${weekdayOfDate(pg)}, hour, ${HEAT_OF} FROM report_sales_hour
        WHERE business_date >= ? AND business_date <= ? GROUP BY product_id, ${weekdayOfDate(pg)}, hour`,
      [ym, `${ym}-01`, last],
    );
  }
}

/** The tables the fold writes. */
const FOLDED_TABLES = [
  'report_sales_month',
  'report_sales_month_store',
  'report_sales_month_network',
  'report_sales_day_network',
  'report_ticket_month_store',
  'report_ticket_day_network',
  'report_cashier_month',
  'report_promotion_month',
  'report_sales_pair_year',
  'report_ticket_day_store',
  'report_ticket_heat_month',
  'report_sales_heat_month',
  'report_sales_heat_month_network',
  'report_sales_day_store',
  'report_sales_day_store_product',
];

export interface FoldOutcome {
  stores: number;
  /** Store-months folded (new or dirty). */
  storeMonths: number;
  /** Network months recomputed. */
  networkMonths: number;
  /** The network's folded_to after the run (null: a store has none yet). */
  networkTo: string | null;
}

const sqlOf = (m: EntityManager): Sql => (text, params) => all(m, text, params ?? []);

/** The fold job's work at `nowMs` (HQ's clock), for every store. */
export async function foldRollups(ds: DataSource, nowMs: number, progress?: (done: number, total: number) => Promise<void>): Promise<FoldOutcome> {
  const at = new Date(nowMs).toISOString();
  const q = sqlOf(ds.manager);
  const pg = engineOfDs(ds) === 'postgres';
  const stores = await q<{ id: string; timezone: string | null; folded_to: string | null }>(
    `SELECT s.id, s.timezone, f.folded_to FROM store s LEFT JOIN report_fold_state f ON f.store_id = s.id ORDER BY s.id`,
  );
  let storeMonths = 0;
  // Per store: how far it folds and which months; then month by month, all its stores in one transaction.
  const plans: Array<{ id: string; to: string; before: string | null; months: string[] }> = [];
  const byMonth = new Map<string, { whole: string[]; part: string[] }>();
  for (const s of stores) {
    const target = lastCompleteDay(nowMs, s.timezone || 'Europe/Madrid');
    let from = s.folded_to;
    if (from === null) {
      // First fold: from the store's first day with sales (none yet: folded up to yesterday straight away).
      const first = (await q<{ d: string | null }>(`SELECT MIN(business_date) AS d FROM report_sales_hour WHERE store_id = ?`, [s.id]))[0]?.d ?? null;
      from = first === null || first > target ? target : shiftDay(first, -1);
    }
    const to = from > target ? from : target;
    const months = new Set<string>();
    // The months the advance reaches (the one `from` is in again when it was left mid-month) and the dirty ones.
    if (from < to) for (const ym of monthsBetween(monthOf(shiftDay(from, 1)), monthOf(to))) months.add(ym);
    for (const d of await q<{ month: string }>(`SELECT month FROM report_fold_dirty WHERE store_id = ?`, [s.id])) months.add(d.month);
    for (const ym of months) {
      const b = byMonth.get(ym) ?? { whole: [], part: [] };
      (monthEnd(ym) <= to ? b.whole : b.part).push(s.id);
      byMonth.set(ym, b);
    }
    plans.push({ id: s.id, to, before: s.folded_to, months: [...months].sort() });
  }
  // `folded_to` moved first, with the months about to be folded marked dirty (reports read them from the hours
  // until each is folded, as before): a late ticket committed from here on sees the new day and marks its month
  // again (markLateTickets), one still open holds the row and is waited for. A fold cut short leaves its marks.
  const moved = plans.filter((p) => p.before !== p.to);
  if (moved.length) await writeTransaction(ds, async (m) => {
    for (const p of moved) {
      // The state row first: it waits for the batches reading it; they never wait for this transaction's marks.
      await setFoldedTo(sqlOf(m), p.id, p.to, at);
      await markDirty(sqlOf(m), p.id, p.months);
    }
  });
  let done = 0;
  const months = [...byMonth.keys()].sort();
  for (const ym of months) {
    const b = byMonth.get(ym)!;
    await writeTransaction(ds, async (m) => {
      const sql = sqlOf(m);
      if (pg) await sql(`SELECT pg_advisory_xact_lock(hashtext('reports.rollups.fold'))`);
      if (b.whole.length) await foldStoresMonth(sql, b.whole, ym, true, pg);
      if (b.part.length) await foldStoresMonth(sql, b.part, ym, false, pg);
    });
    storeMonths += b.whole.length + b.part.length;
    await progress?.(++done, months.length + 1);
  }

  // The network: up to the earliest store's folded day.
  const state = await q<{ store_id: string; folded_to: string }>(`SELECT store_id, folded_to FROM report_fold_state`);
  const byStore = new Map(state.map((r) => [r.store_id, r.folded_to]));
  const ends = stores.map((s) => byStore.get(s.id) ?? null);
  const networkTo = ends.length === 0 || ends.some((e) => e === null) ? null : (ends as string[]).reduce((a, b) => (a < b ? a : b));
  let networkMonths = 0;
  if (networkTo !== null) {
    const before = byStore.get(NETWORK) ?? null;
    const months = new Set<string>();
    if (before === null) {
      const first = (await q<{ d: string | null }>(`SELECT MIN(business_date) AS d FROM report_sales_hour`))[0]?.d ?? null;
      if (first !== null && first <= networkTo) for (const ym of monthsBetween(monthOf(first), monthOf(networkTo))) months.add(ym);
    } else if (before < networkTo) for (const ym of monthsBetween(monthOf(shiftDay(before, 1)), monthOf(networkTo))) months.add(ym);
    for (const d of await q<{ month: string }>(`SELECT month FROM report_fold_dirty WHERE store_id = ?`, [NETWORK])) months.add(d.month);
    for (const ym of [...months].sort()) {
      await writeTransaction(ds, (m) => foldNetworkMonth(sqlOf(m), ym, networkTo, pg));
      networkMonths++;
    }
    if (before !== networkTo) await writeTransaction(ds, (m) => setFoldedTo(sqlOf(m), NETWORK, networkTo, at));
  }
  // PostgreSQL plans the month tables by their statistics: after a fold that wrote months, fresh ones (autovacuum
  // would take its time; stock-no-sales over a year went from a 2.6 s hash semi-join to a nested loop of seeks).
  // VACUUM too: a refold replaces its months' rows, and a big one left half of each table dead until autovacuum came
  // (at 10M tickets the filtered reports' p95 422 ms). The visibility map lets it skip the pages a small fold did not
  // touch. A refold of most months (an upgrade's migration, a rebuild) leaves every old row dead in front of the new
  // ones: VACUUM frees them, but the table keeps its size and a scan reads twice the pages (a franchisee's line
  // reports over a year 180 → 400 ms), so it is rewritten compact (VACUUM FULL: reports wait for its lock; its time
  // at 10M tickets is not measured yet). Outside any transaction (autocommit).
  if (pg && storeMonths + networkMonths > 0) {
    const total = Number((await q<{ n: unknown }>(`SELECT COUNT(*) AS n FROM report_sales_month_store`))[0]?.n ?? 0);
    const compact = storeMonths * 2 >= total;
    for (const t of FOLDED_TABLES) await q(`VACUUM (${compact ? 'FULL, ' : ''}ANALYZE) ${t}`);
  }
  await progress?.(months.length + 1, months.length + 1);
  return { stores: stores.length, storeMonths, networkMonths, networkTo };
}

/**
 * Whether the fold has something to do at `nowMs`: a dirty month, or a store with hour rows on complete days past
 * its `folded_to` (a database without tickets has nothing to fold: no job).
 */
export async function foldDue(ds: DataSource, nowMs: number): Promise<boolean> {
  const q = sqlOf(ds.manager);
  if ((await q(`SELECT 1 AS x FROM report_fold_dirty LIMIT 1`)).length > 0) return true;
  const stores = await q<{ id: string; timezone: string | null; folded_to: string | null }>(`SELECT s.id, s.timezone, f.folded_to FROM store s LEFT JOIN report_fold_state f ON f.store_id = s.id`);
  for (const s of stores) {
    const target = lastCompleteDay(nowMs, s.timezone || 'Europe/Madrid');
    if (s.folded_to !== null && s.folded_to >= target) continue;
    const rows = await q(`SELECT 1 AS x FROM report_sales_hour WHERE store_id = ? AND business_date > ? AND business_date <= ? LIMIT 1`, [s.id, s.folded_to ?? '', target]);
    if (rows.length > 0) return true;
  }
  return false;
}

/**
 * What reports may read from the folded tables for some stores (null: every store): whole months ≤ `monthsTo`
 * and, for the network, days ≤ `daysTo`, except the dirty months.
 */
export interface FoldedScope {
  /** Last day whose month, when whole, is in the month tables of every store in scope (null: none). */
  monthsTo: string | null;
  /** Network only: last day in `report_sales_day_network` / `report_sales_month_network` (null: none). */
  networkTo: string | null;
  dirty: Set<string>;
}

export async function foldedScope(m: EntityManager, stores: string[] | null): Promise<FoldedScope> {
  const q = sqlOf(m);
  if (stores !== null && stores.length === 0) return { monthsTo: null, networkTo: null, dirty: new Set() };
  const rows = await q<{ id: string; folded_to: string | null }>(
    `SELECT s.id, f.folded_to FROM store s LEFT JOIN report_fold_state f ON f.store_id = s.id${stores === null ? '' : ` WHERE s.id IN (${inList(stores.length)})`}`,
    stores ?? [],
  );
  const ends = rows.map((r) => r.folded_to);
  const monthsTo = ends.length === 0 || ends.some((e) => e === null) ? null : (ends as string[]).reduce((a, b) => (a < b ? a : b));
  let networkTo: string | null = null;
  if (stores === null) {
    const n = (await q<{ folded_to: string }>(`SELECT folded_to FROM report_fold_state WHERE store_id = ?`, [NETWORK]))[0];
    networkTo = n ? n.folded_to : null;
  }
  const dirty = new Set(
    (stores === null
      ? await q<{ month: string }>(`SELECT DISTINCT month FROM report_fold_dirty`)
      : await q<{ month: string }>(`SELECT DISTINCT month FROM report_fold_dirty WHERE store_id IN (${inList(stores.length)})`, stores)
    ).map((r) => r.month),
  );
  return { monthsTo, networkTo, dirty };
}
