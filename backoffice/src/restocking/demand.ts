/**
 * Restocking's demand statistics: what a proposal needs of the `sales_week` rollup, per store and product, kept
 * in `restock_demand` by a refresh job, so that a proposal of 500 stores × 5,000 products reads one row per pair
 * instead of summing 17.6 million rollup rows — and reads only the pairs that may order.
 *
 * What is kept, per (store, product) with rollup rows in the weeks a proposal of `week` reads (windowsOf):
 * Σ q and Σ q² of the recent weeks, last year's same weeks, the weeks after them — exactly the sums of the
 * straight query (`SALES_OF_STORE`) — and `default_rop`, the reorder point of the default rule from those sums
 * (`suggest(DEFAULT_RULE, …)`, the same function the proposal runs).
 *
 * Why a proposal may leave pairs out. A pair without a rule follows DEFAULT_RULE (days of cover from the
 * warehouse, whatever purchasing says), so it orders exactly when its position P < ROP. Without open orders or
 * goods in transit P = on hand; so a pair with no rule, no incoming goods and on hand ≥ its `default_rop` (or,
 * without rollup rows, on hand ≥ 0 = its ROP) orders nothing. Every other pair is computed in full by the same
 * `suggest` as before: pairs with a rule, with incoming goods, below their default ROP, without a stock row, with
 * negative stock, and the stale ones below.
 *
 * Keeping it right:
 * - A store's rows hold for one week (`restock_demand_store.week`, the Monday of the proposal's date) and one
 *   version of the formulas (`DEMAND_VERSION`); a proposal for a store without current rows reads the rollup
 *   straight (the old way, same lines). The refresh job (`restocking.demand.refresh`, weekly, and first thing
 *   in the proposals job) recomputes the stores that are not current.
 * - The rollup changes for a past week only through a late ticket (the ingest marks its pairs in
 *   `restock_demand_stale` in the ticket's transaction: a ticket dated before the week HQ's clock is in) or
 *   the rollup's rebuild (which makes its stores not current). A proposal recomputes the stale pairs from
 *   `sales_week`; the refresh folds them back into `restock_demand` and clears the marks.
 * - A refresh computes week W only from 15 minutes into it (`demandWeekOf`): a ticket the ingest judged "this
 *   week" before Monday 00:00 UTC has committed by then, so the refresh sees it; later ones are marked stale.
 *   The refresh clears a store's marks before it reads the rollup (a mark committed after that survives).
 * - A proposal reads a group's state, statistics and marks in one snapshot (a read transaction; REPEATABLE
 *   READ on PostgreSQL), so a refresh committing in between cannot make it miss a mark.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { PoolClient } from 'pg';
import type { Clock } from '@tpv/shared/clock';
import { engineOfDs, pgPool, sqliteDb, writeTransaction } from '../persistence/raw';
import { DEFAULT_RULE, RECENT_WEEKS, SEASON_AHEAD_WEEKS, YEAR_WEEKS, suggest, type SalesFigures } from './formulas';
import { PG_SALES_OF_STORES, RULE_COLUMNS, SALES_OF_STORE, ruleOf, salesParams, type RawRule, type SalesWindows, type StoreInputs } from './repository';
import { addWeeks, weekOf } from './weeks';

/** Changes when the formulas behind `default_rop` or the windows change: rows of another version are not used. */
export const DEMAND_VERSION = `1;w${RECENT_WEEKS}/${SEASON_AHEAD_WEEKS}/${YEAR_WEEKS};${JSON.stringify(DEFAULT_RULE)}`;

/** A refresh computes a week only this long after it began (see the header). */
export const REFRESH_MARGIN_MS = 15 * 60_000;

/** The week a refresh made at `nowMs` computes. */
export const demandWeekOf = (nowMs: number) => weekOf(new Date(nowMs - REFRESH_MARGIN_MS).toISOString().slice(0, 10));

/** The reorder point of a pair without a rule, from its rollup sums (what the filter compares on hand with). */
export const defaultReorderPoint = (f: SalesFigures) => suggest(DEFAULT_RULE, f, { onHand: 0, openOrders: 0, inTransit: 0 }).reorderPoint;

/** The weeks of the windows, listed (recent, last year's same and after). */
export function windowWeeks(w: SalesWindows): string[] {
  const out: string[] = [];
  for (let x = w.recentFrom; x < w.recentTo; x = addWeeks(x, 1)) out.push(x);
  for (let x = w.lastYearFrom; x < w.lastYearTo; x = addWeeks(x, 1)) out.push(x);
  return out;
}

const figures = (s: unknown, sq: unknown, ly: unknown, la: unknown): SalesFigures => ({ sum: Number(s), sumSq: Number(sq), lastYearSame: Number(ly), lastYearAhead: Number(la) });

/** Σ per week class of one pair's rows (straight from the rollup), undefined when it has none in the windows. */
function pairSums(rows: Array<[string, unknown]>, w: SalesWindows): SalesFigures | undefined {
  if (rows.length === 0) return undefined;
  const f: SalesFigures = { sum: 0, sumSq: 0, lastYearSame: 0, lastYearAhead: 0 };
  for (const [week, qty] of rows) {
    const q = Number(qty);
    if (week >= w.recentFrom) {
      f.sum += q;
      f.sumSq += q * q;
    } else if (week < w.lastYearMid) f.lastYearSame += q;
    else f.lastYearAhead += q;
  }
  return f;
}

/** What the fast path reads of a store, before the pairs outside `onHand` are counted. */
interface FastStore extends StoreInputs {
  /** Pairs with a stock row, all (the filter leaves most of them out of `onHand`). */
  stocked: number;
  /** …of them, of inactive products. */
  stockedInactive: number;
  /** Pairs of the union without a stock row (rules, rollup rows, incoming goods). */
  unstocked: Set<string>;
}

const emptyFast = (): FastStore => ({ onHand: new Map(), rules: new Map(), sales: new Map(), stocked: 0, stockedInactive: 0, unstocked: new Set() });

/**
 * The fast path's inputs of the stores whose statistics are current for these windows (the others are left
 * out of the answer: the caller reads them straight). `incoming` names, per store, the products with open
 * orders or goods in transit (they are always computed); `inactive` the products proposals skip.
 */
export async function fastInputs(
  ds: DataSource,
  storeIds: readonly string[],
  w: SalesWindows,
  incoming: ReadonlyMap<string, ReadonlyMap<string, unknown>>,
  inactive: ReadonlySet<string>,
): Promise<Map<string, StoreInputs>> {
  const out = new Map<string, FastStore>();
  if (storeIds.length === 0) return out;
  const weeks = windowWeeks(w);
  const inactiveJson = JSON.stringify([...inactive]);
  if (engineOfDs(ds) === 'sqlite') {
    const db = sqliteDb(ds);
    const st = {
      current: db.prepare('SELECT 1 FROM restock_demand_store WHERE location_id = ? AND week = ? AND version = ?').pluck(),
      stocked: db.prepare('SELECT COUNT(*) FROM stock_level WHERE location_id = ?').pluck(),
      stockedInactive: db.prepare('SELECT COUNT(*) FROM stock_level WHERE location_id = ? AND product_id IN (SELECT value FROM json_each(?))').pluck(),
      demand: db
        .prepare(
          `SELECT d.product_id, l.quantity, d.sum_qty, d.sum_sq, d.last_year_same, d.last_year_ahead
             FROM restock_demand d LEFT JOIN stock_level l ON l.location_id = d.location_id AND l.product_id = d.product_id
            WHERE d.location_id = ? AND (l.quantity IS NULL OR l.quantity < d.default_rop)`,
        )
        .raw(),
      negative: db
        .prepare(
          `SELECT l.product_id, l.quantity FROM stock_level l
            WHERE l.location_id = ? AND l.quantity < 0
              AND NOT EXISTS (SELECT 1 FROM restock_demand d WHERE d.location_id = l.location_id AND d.product_id = l.product_id)`,
        )
        .raw(),
      rules: db.prepare(
        `SELECT ${RULE_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')}, l.quantity AS on_hand, d.product_id AS demand_of, d.sum_qty, d.sum_sq, d.last_year_same, d.last_year_ahead
           FROM restock_rule r LEFT JOIN stock_level l ON l.location_id = r.location_id AND l.product_id = r.product_id
           LEFT JOIN restock_demand d ON d.location_id = r.location_id AND d.product_id = r.product_id
          WHERE r.location_id = ?`,
      ),
      stale: db.prepare('SELECT product_id FROM restock_demand_stale WHERE location_id = ?').pluck(),
      stockOf: db.prepare('SELECT quantity FROM stock_level WHERE location_id = ? AND product_id = ?').pluck(),
      demandOf: db.prepare('SELECT sum_qty, sum_sq, last_year_same, last_year_ahead FROM restock_demand WHERE location_id = ? AND product_id = ?').raw(),
      weeksOf: db.prepare(`SELECT week, quantity FROM sales_week WHERE location_id = ? AND week IN (${weeks.map(() => '?').join(', ')}) AND product_id = ?`).raw(),
    };
    // One read transaction: state, statistics and marks of a store from the same snapshot.
    db.transaction(() => {
      for (const id of storeIds) {
        if (!st.current.get(id, w.recentTo, DEMAND_VERSION)) continue;
        const f = emptyFast();
        f.stocked = Number(st.stocked.get(id));
        f.stockedInactive = inactive.size ? Number(st.stockedInactive.get(id, inactiveJson)) : 0;
        const stale = new Set(st.stale.all(id) as string[]);
        for (const [p, q, s, sq, ly, la] of st.demand.all(id) as Array<[string, number | null, number, number, number, number]>) {
          if (stale.has(p)) continue;
          if (q === null) f.unstocked.add(p);
          else f.onHand.set(p, Number(q));
          f.sales.set(p, figures(s, sq, ly, la));
        }
        for (const [p, q] of st.negative.all(id) as Array<[string, number]>) f.onHand.set(p, Number(q));
        for (const r of st.rules.all(id) as Array<RawRule & { on_hand: number | null; demand_of: string | null; sum_qty: number; sum_sq: number; last_year_same: number; last_year_ahead: number }>) {
          f.rules.set(r.product_id, ruleOf(r));
          if (r.on_hand !== null) f.onHand.set(r.product_id, Number(r.on_hand));
          else f.unstocked.add(r.product_id);
          if (r.demand_of !== null && !stale.has(r.product_id)) f.sales.set(r.product_id, figures(r.sum_qty, r.sum_sq, r.last_year_same, r.last_year_ahead));
        }
        // Incoming and stale pairs not seen yet: looked up one by one (a handful per store).
        for (const p of new Set([...(incoming.get(id)?.keys() ?? []), ...stale])) {
          const isStale = stale.has(p);
          if (!isStale && (f.onHand.has(p) || f.unstocked.has(p) || f.sales.has(p))) continue;
          const sales = isStale
            ? pairSums(st.weeksOf.all(id, ...weeks, p) as Array<[string, unknown]>, w)
            : ((r) => (r ? figures(...(r as [unknown, unknown, unknown, unknown])) : undefined))(st.demandOf.get(id, p));
          if (sales) f.sales.set(p, sales);
          else f.sales.delete(p);
          const q = st.stockOf.get(id, p) as number | undefined;
          if (q !== undefined) {
            f.onHand.set(p, Number(q));
            f.unstocked.delete(p);
          } else if (sales || f.rules.has(p) || incoming.get(id)?.has(p)) f.unstocked.add(p);
          else f.unstocked.delete(p);
        }
        out.set(id, f);
      }
    })();
    return finish(out, inactive);
  }
  const client = await pgPool(ds).connect();
  const ids = [...storeIds];
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query('SET LOCAL jit = off');
    const current = await client.query<[string]>({
      text: 'SELECT location_id FROM restock_demand_store WHERE location_id = ANY($1) AND week = $2 AND version = $3',
      values: [ids, w.recentTo, DEMAND_VERSION],
      rowMode: 'array',
    });
    const fast = current.rows.map((r) => r[0]);
    for (const id of fast) out.set(id, emptyFast());
    if (fast.length > 0) await readPostgres(client, fast, out, w, weeks, incoming, inactive);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
  return finish(out, inactive);
}

async function readPostgres(
  client: PoolClient,
  ids: string[],
  out: Map<string, FastStore>,
  w: SalesWindows,
  weeks: string[],
  incoming: ReadonlyMap<string, ReadonlyMap<string, unknown>>,
  inactive: ReadonlySet<string>,
) {
  const q = <R extends unknown[]>(text: string, values: unknown[]) => client.query<R>({ text, values, rowMode: 'array' }).then((r) => r.rows);
  for (const [l, n] of await q<[string, string]>('SELECT location_id, COUNT(*) FROM stock_level WHERE location_id = ANY($1) GROUP BY location_id', [ids])) out.get(l)!.stocked = Number(n);
  if (inactive.size > 0) {
    for (const [l, n] of await q<[string, string]>('SELECT location_id, COUNT(*) FROM stock_level WHERE location_id = ANY($1) AND product_id = ANY($2) GROUP BY location_id', [ids, [...inactive]])) {
      out.get(l)!.stockedInactive = Number(n);
    }
  }
  const stale = new Map<string, Set<string>>(ids.map((id) => [id, new Set()]));
  for (const [l, p] of await q<[string, string]>('SELECT location_id, product_id FROM restock_demand_stale WHERE location_id = ANY($1)', [ids])) stale.get(l)!.add(p);
  // `l.location_id = ANY($1)` in the join too: PostgreSQL does not carry an ANY over a join's equality, and
  // without it hashed the whole stock_level (2.5 M rows, spilled to disk) for every group of 25 stores.
  const demand = await q<[string, string, string | null, string, string, string, string]>(
    `SELECT d.location_id, d.product_id, l.quantity, d.sum_qty, d.sum_sq, d.last_year_same, d.last_year_ahead
       FROM restock_demand d LEFT JOIN stock_level l ON l.location_id = d.location_id AND l.product_id = d.product_id AND l.location_id = ANY($1)
      WHERE d.location_id = ANY($1) AND (l.quantity IS NULL OR l.quantity < d.default_rop)`,
    [ids],
  );
  for (const [l, p, qty, s, sq, ly, la] of demand) {
    if (stale.get(l)!.has(p)) continue;
    const f = out.get(l)!;
    if (qty === null) f.unstocked.add(p);
    else f.onHand.set(p, Number(qty));
    f.sales.set(p, figures(s, sq, ly, la));
  }
  const negative = await q<[string, string, string]>(
    `SELECT l.location_id, l.product_id, l.quantity FROM stock_level l
      WHERE l.location_id = ANY($1) AND l.quantity < 0
        AND NOT EXISTS (SELECT 1 FROM restock_demand d WHERE d.location_id = l.location_id AND d.product_id = l.product_id)`,
    [ids],
  );
  for (const [l, p, qty] of negative) out.get(l)!.onHand.set(p, Number(qty));
  const rules = await client.query<RawRule & { on_hand: string | null; demand_of: string | null; sum_qty: string; sum_sq: string; last_year_same: string; last_year_ahead: string }>(
    `SELECT ${RULE_COLUMNS.split(', ').map((c) => `r.${c}`).join(', ')}, l.quantity AS on_hand, d.product_id AS demand_of, d.sum_qty, d.sum_sq, d.last_year_same, d.last_year_ahead
       FROM restock_rule r LEFT JOIN stock_level l ON l.location_id = r.location_id AND l.product_id = r.product_id AND l.location_id = ANY($1)
       LEFT JOIN restock_demand d ON d.location_id = r.location_id AND d.product_id = r.product_id AND d.location_id = ANY($1)
      WHERE r.location_id = ANY($1)`,
    [ids],
  );
  for (const r of rules.rows) {
    const f = out.get(r.location_id)!;
    f.rules.set(r.product_id, ruleOf(r));
    if (r.on_hand !== null) f.onHand.set(r.product_id, Number(r.on_hand));
    else f.unstocked.add(r.product_id);
    if (r.demand_of !== null && !stale.get(r.location_id)!.has(r.product_id)) f.sales.set(r.product_id, figures(r.sum_qty, r.sum_sq, r.last_year_same, r.last_year_ahead));
  }
  // Incoming and stale pairs not seen yet, looked up together.
  const extra: Array<[string, string, boolean]> = [];
  for (const id of ids) {
    const f = out.get(id)!;
    const st = stale.get(id)!;
    for (const p of new Set([...(incoming.get(id)?.keys() ?? []), ...st])) {
      if (!st.has(p) && (f.onHand.has(p) || f.unstocked.has(p) || f.sales.has(p))) continue;
      extra.push([id, p, st.has(p)]);
    }
  }
  if (extra.length === 0) return;
  const ls = extra.map((e) => e[0]);
  const ps = extra.map((e) => e[1]);
  const stock = new Map<string, number>();
  for (const [l, p, qty] of await q<[string, string, string]>(
    'SELECT l.location_id, l.product_id, l.quantity FROM unnest($1::varchar[], $2::varchar[]) x(l, p) JOIN stock_level l ON l.location_id = x.l AND l.product_id = x.p',
    [ls, ps],
  )) {
    stock.set(`${l}|${p}`, Number(qty));
  }
  const demandOf = new Map<string, SalesFigures>();
  for (const [l, p, s, sq, ly, la] of await q<[string, string, string, string, string, string]>(
    `SELECT d.location_id, d.product_id, d.sum_qty, d.sum_sq, d.last_year_same, d.last_year_ahead
       FROM unnest($1::varchar[], $2::varchar[]) x(l, p) JOIN restock_demand d ON d.location_id = x.l AND d.product_id = x.p`,
    [ls, ps],
  )) {
    demandOf.set(`${l}|${p}`, figures(s, sq, ly, la));
  }
  const rows = new Map<string, Array<[string, unknown]>>();
  for (const [l, p, week, qty] of await q<[string, string, string, string]>(
    `SELECT w.location_id, w.product_id, w.week, w.quantity
       FROM unnest($1::varchar[], $2::varchar[]) x(l, p) JOIN sales_week w ON w.location_id = x.l AND w.week = ANY($3::varchar[]) AND w.product_id = x.p`,
    [ls, ps, weeks],
  )) {
    const k = `${l}|${p}`;
    rows.set(k, [...(rows.get(k) ?? []), [week, qty]]);
  }
  for (const [id, p, isStale] of extra) {
    const f = out.get(id)!;
    const k = `${id}|${p}`;
    const sales = isStale ? pairSums(rows.get(k) ?? [], w) : demandOf.get(k);
    if (sales) f.sales.set(p, sales);
    else f.sales.delete(p);
    const qty = stock.get(k);
    if (qty !== undefined) {
      f.onHand.set(p, qty);
      f.unstocked.delete(p);
    } else if (sales || f.rules.has(p) || incoming.get(id)?.has(p)) f.unstocked.add(p);
    else f.unstocked.delete(p);
  }
}

/** The count of pairs a straight proposal would have computed: stocked (active) + the active ones without stock. */
function finish(out: Map<string, FastStore>, inactive: ReadonlySet<string>): Map<string, StoreInputs> {
  const res = new Map<string, StoreInputs>();
  for (const [id, f] of out) {
    let pairs = f.stocked - f.stockedInactive;
    for (const p of f.unstocked) if (!inactive.has(p)) pairs++;
    res.set(id, { onHand: f.onHand, rules: f.rules, sales: f.sales, pairs });
  }
  return res;
}

// ---- the refresh ----

export interface RefreshOptions {
  /** null: every open store. */
  storeIds: readonly string[] | null;
  /** Recompute current stores too (not only those of another week or version, and the stale pairs). */
  full?: boolean;
  /** Stores per transaction. */
  group?: number;
  onProgress?: (done: number, total: number) => Promise<void> | void;
}

export interface Refreshed {
  week: string;
  /** Stores recomputed in full. */
  stores: number;
  /** Rows written by the full recomputations. */
  rows: number;
  /** Stale pairs folded back into current stores. */
  folded: number;
}

/**
 * Brings the stores' demand statistics to the week of `clock` (demandWeekOf): stores of another week or
 * version (or all, with `full`) recomputed from `sales_week`, current stores get their stale pairs folded back.
 * One write transaction per group of stores: the ingest waits at most one group (SQLite's single writer).
 */
export async function refreshDemand(ds: DataSource, clock: Clock, o: RefreshOptions, windowsOf: (week: string) => SalesWindows): Promise<Refreshed> {
  const week = demandWeekOf(clock.now());
  const w = windowsOf(week);
  const weeks = windowWeeks(w);
  const all = (await ds.query(`SELECT id FROM store WHERE archived_at IS NULL ORDER BY id`)) as Array<{ id: string }>;
  const wanted = o.storeIds === null ? all.map((s) => s.id) : all.map((s) => s.id).filter((id) => o.storeIds!.includes(id));
  const group = o.group ?? 25;
  const now = new Date(clock.now()).toISOString();
  const res: Refreshed = { week, stores: 0, rows: 0, folded: 0 };
  const pg = engineOfDs(ds) === 'postgres';
  for (let i = 0; i < wanted.length; i += group) {
    const ids = wanted.slice(i, i + group);
    await writeTransaction(ds, async (m) => {
      const current = new Set(
        o.full ? [] : ((await m.query(`SELECT location_id FROM restock_demand_store WHERE location_id IN (${ph(pg, ids.length)}) AND week = ${pg ? `$${ids.length + 1}` : '?'} AND version = ${pg ? `$${ids.length + 2}` : '?'}`, [...ids, week, DEMAND_VERSION])) as Array<{ location_id: string }>).map((r) => r.location_id),
      );
      const whole = ids.filter((id) => !current.has(id));
      const fold = ids.filter((id) => current.has(id));
      // The marks go first: one committed after this statement survives for the next proposal.
      const marked = ids.length ? await deleteMarks(m, pg, ids) : [];
      if (whole.length > 0) {
        await execIn(m, pg, 'DELETE FROM restock_demand WHERE location_id IN', whole);
        const rows = await sumsOf(m, pg, whole, w);
        await insertDemand(m, pg, rows);
        const perStore = new Map<string, number>(whole.map((id) => [id, 0]));
        for (const r of rows) perStore.set(r[0], perStore.get(r[0])! + 1);
        for (const [id, n] of perStore) await upsertState(m, pg, id, week, n, now);
        res.stores += whole.length;
        res.rows += rows.length;
      }
      const toFold = marked.filter(([l]) => current.has(l) && fold.includes(l));
      if (toFold.length > 0) {
        const sums = await pairRowsOf(m, pg, toFold, weeks);
        for (const [l, p] of toFold) {
          await exec2(m, pg, 'DELETE FROM restock_demand WHERE location_id = ? AND product_id = ?', [l, p]);
          const f = pairSums(sums.get(`${l}|${p}`) ?? [], w);
          if (f) await insertDemand(m, pg, [[l, p, f.sum, f.sumSq, f.lastYearSame, f.lastYearAhead, defaultReorderPoint(f)]]);
        }
        res.folded += toFold.length;
      }
    });
    await o.onProgress?.(Math.min(i + group, wanted.length), wanted.length);
  }
  return res;
}

/** A store's statistics are not current any more (the rollup's rebuild): proposals read it straight until refreshed. */
export async function forgetDemand(m: EntityManager, storeIds: readonly string[] | null): Promise<void> {
  const pg = m.connection.options.type === 'postgres';
  if (storeIds === null) await m.query('DELETE FROM restock_demand_store');
  else if (storeIds.length > 0) await execIn(m, pg, 'DELETE FROM restock_demand_store WHERE location_id IN', storeIds);
}

type DemandRow = [string, string, number, number, number, number, number];

const ph = (pg: boolean, n: number, from = 1) => Array.from({ length: n }, (_, i) => (pg ? `$${from + i}` : '?')).join(', ');
const exec2 = (m: EntityManager, pg: boolean, sql: string, params: unknown[]) => {
  let i = 0;
  return m.query(pg ? sql.replace(/\?/g, () => `$${++i}`) : sql, params);
};
const execIn = (m: EntityManager, pg: boolean, head: string, ids: readonly string[]) => m.query(`${head} (${ph(pg, ids.length)})`, [...ids]);

async function deleteMarks(m: EntityManager, pg: boolean, ids: readonly string[]): Promise<Array<[string, string]>> {
  const rows = (await m.query(`SELECT location_id, product_id FROM restock_demand_stale WHERE location_id IN (${ph(pg, ids.length)})`, [...ids])) as Array<{ location_id: string; product_id: string }>;
  if (rows.length === 0) return [];
  if (pg) {
    // Only the marks read: one committed in between stays for the next proposal and refresh.
    await m.query('DELETE FROM restock_demand_stale s USING unnest($1::varchar[], $2::varchar[]) x(l, p) WHERE s.location_id = x.l AND s.product_id = x.p', [
      rows.map((r) => r.location_id),
      rows.map((r) => r.product_id),
    ]);
  } else await execIn(m, pg, 'DELETE FROM restock_demand_stale WHERE location_id IN', ids);
  return rows.map((r) => [r.location_id, r.product_id]);
}

/** The straight sums of the stores, with each pair's default reorder point. */
async function sumsOf(m: EntityManager, pg: boolean, ids: readonly string[], w: SalesWindows): Promise<DemandRow[]> {
  const out: DemandRow[] = [];
  const push = (l: string, p: string, s: unknown, sq: unknown, ly: unknown, la: unknown) => {
    const f = figures(s, sq, ly, la);
    out.push([l, p, f.sum, f.sumSq, f.lastYearSame, f.lastYearAhead, defaultReorderPoint(f)]);
  };
  if (!pg) {
    const db = sqliteDb(m.connection);
    const st = db.prepare(SALES_OF_STORE).raw();
    for (const id of ids) {
      for (const [p, s, sq, ly, la] of st.all(...salesParams(w, id)) as Array<[string, number, number, number, number]>) {
        push(id, p, s, sq, ly, la);
      }
    }
    return out;
  }
  const client = (m.queryRunner as unknown as { databaseConnection: PoolClient }).databaseConnection;
  await client.query("SET LOCAL work_mem = '64MB'");
  await client.query('SET LOCAL jit = off');
  const res = await client.query<[string, string, string, string, string, string]>({ text: PG_SALES_OF_STORES, values: [w.recentFrom, w.lastYearMid, w.lastYearTo, [...ids], w.recentTo, w.lastYearFrom], rowMode: 'array' });
  for (const [l, p, s, sq, ly, la] of res.rows) push(l, p, s, sq, ly, la);
  return out;
}


async function pairRowsOf(m: EntityManager, pg: boolean, pairs: Array<[string, string]>, weeks: string[]): Promise<Map<string, Array<[string, unknown]>>> {
  const out = new Map<string, Array<[string, unknown]>>();
  const add = (l: string, p: string, week: string, q: unknown) => out.set(`${l}|${p}`, [...(out.get(`${l}|${p}`) ?? []), [week, q]]);
  if (pg) {
    const rows = (await m.query(
      `SELECT w.location_id, w.product_id, w.week, w.quantity FROM unnest($1::varchar[], $2::varchar[]) x(l, p)
         JOIN sales_week w ON w.location_id = x.l AND w.week = ANY($3::varchar[]) AND w.product_id = x.p`,
      [pairs.map((x) => x[0]), pairs.map((x) => x[1]), weeks],
    )) as Array<{ location_id: string; product_id: string; week: string; quantity: unknown }>;
    for (const r of rows) add(r.location_id, r.product_id, r.week, r.quantity);
    return out;
  }
  const st = sqliteDb(m.connection).prepare(`SELECT week, quantity FROM sales_week WHERE location_id = ? AND week IN (${weeks.map(() => '?').join(', ')}) AND product_id = ?`).raw();
  for (const [l, p] of pairs) for (const [week, q] of st.all(l, ...weeks, p) as Array<[string, unknown]>) add(l, p, week, q);
  return out;
}

async function insertDemand(m: EntityManager, pg: boolean, rows: readonly DemandRow[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = 'location_id, product_id, sum_qty, sum_sq, last_year_same, last_year_ahead, default_rop';
  if (pg) {
    for (let i = 0; i < rows.length; i += 50_000) {
      const part = rows.slice(i, i + 50_000);
      await m.query(
        `INSERT INTO restock_demand (${cols}) SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])`,
        [0, 1, 2, 3, 4, 5, 6].map((k) => part.map((r) => r[k])),
      );
    }
    return;
  }
  const db = sqliteDb(m.connection);
  const n = 500;
  const full = db.prepare(`INSERT INTO restock_demand (${cols}) VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`);
  const one = db.prepare(`INSERT INTO restock_demand (${cols}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  let i = 0;
  for (; i + n <= rows.length; i += n) full.run(rows.slice(i, i + n).flat());
  for (; i < rows.length; i++) one.run(rows[i]!);
}

async function upsertState(m: EntityManager, pg: boolean, id: string, week: string, pairs: number, now: string): Promise<void> {
  await exec2(
    m,
    pg,
    `INSERT INTO restock_demand_store (location_id, week, version, pairs, refreshed_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (location_id) DO UPDATE SET week = excluded.week, version = excluded.version, pairs = excluded.pairs, refreshed_at = excluded.refreshed_at`,
    [id, week, DEMAND_VERSION, pairs, now],
  );
}
