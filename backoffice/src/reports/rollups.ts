/**
 * The reports' rollups (migration 1795470000001): a ticket's part of each, added in the ingest's transaction
 * by the `reports.rollups` posting step, and recomputed from `sale_ticket` by the rebuild job — both through
 * `addTicket`, so a rebuild gives the same rows as the ingest did.
 *
 * Date and hour are the store's local time (store.timezone, Europe/Madrid by default). Net figures carry
 * returns negative (as their tickets); `returns_*` are positive. A line's base without IVA is its total less the
 * IVA in it (line total × rate / (1 + rate), rounded): per line, so a product's base can differ from the
 * ticket's by a rounding cent — the ticket-level rollup keeps the exact base (total − taxTotal).
 */
import type { TicketDocument } from '@tpv/shared/wire/ticket';
import type { TicketStep, TicketStepContext } from '../sales-ingest/steps';
import { localToday, markLateTickets } from './fold';

type Sql = TicketStepContext['sql'];
type Engine = 'sqlite' | 'postgres';

export interface SalesHourRow { business_date: string; store_id: string; hour: number; product_id: string; lines: number; units: number; grams: number; gross_cents: number; net_cents: number; discount_cents: number; returns_units: number; returns_cents: number; cost_cents: number }
export interface TicketHourRow { store_id: string; business_date: string; hour: number; tickets: number; returns_tickets: number; units: number; gross_cents: number; net_cents: number; discount_cents: number; returns_cents: number }
export interface CashierDayRow { store_id: string; business_date: string; cashier_id: string; cashier_name: string; tickets: number; returns_tickets: number; units: number; gross_cents: number; net_cents: number; discount_cents: number; returns_cents: number; first_at: string; last_at: string }
export interface PaymentDayRow { store_id: string; business_date: string; method: string; tickets: number; amount_cents: number }
export interface PromotionDayRow { store_id: string; business_date: string; promotion_id: string; product_id: string; name: string; lines: number; units: number; savings_cents: number; gross_cents: number }

export class Rollups {
  readonly sales = new Map<string, SalesHourRow>();
  readonly tickets = new Map<string, TicketHourRow>();
  readonly cashiers = new Map<string, CashierDayRow>();
  readonly payments = new Map<string, PaymentDayRow>();
  readonly promotions = new Map<string, PromotionDayRow>();
  get empty() {
    return this.tickets.size === 0;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
    } catch {
      f = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** yyyy-mm-dd and hour (0–23) of an instant in a time zone, asked of Intl (~16 µs: a third of the rollups' CPU). */
export function intlDateHour(ms: number, timeZone: string): { date: string; hour: number } {
  const p: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) p[part.type] = part.value;
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) % 24 };
}

/**
 * Every UTC offset and every change of one since the 1980s falls on a quarter hour (Kathmandu +5:45, Lord Howe's
 * half-hour DST), so an instant's local date and hour are the same for its whole UTC quarter hour: asked once per
 * zone and quarter (a batch's tickets share a few), not once per ticket.
 */
const QUARTER_MS = 15 * 60_000;
const quarters = new Map<string, Map<number, { date: string; hour: number }>>();

/** yyyy-mm-dd and hour (0–23) of an instant in a time zone. */
export function localDateHour(iso: string, timeZone: string): { date: string; hour: number } {
  const ms = Date.parse(iso);
  // Not a date: Intl's RangeError, as before.
  if (Number.isNaN(ms)) return intlDateHour(ms, timeZone);
  let zone = quarters.get(timeZone);
  if (!zone) quarters.set(timeZone, (zone = new Map()));
  const q = Math.floor(ms / QUARTER_MS);
  let hit = zone.get(q);
  if (!hit) {
    if (zone.size >= 4096) zone.clear();
    zone.set(q, (hit = intlDateHour(ms, timeZone)));
  }
  return { date: hit.date, hour: hit.hour };
}

/** The IVA inside a line's total (rate in basis points), rounded half away from zero. */
export function lineBase(total: number, rateBp: number): number {
  const tax = Math.sign(total) * Math.round((Math.abs(total) * rateBp) / (10_000 + rateBp));
  return total - tax;
}

/** Cents of `qty` stock units at an average cost in micros per unit. */
export const costCents = (qty: number, micros: number) => Math.sign(qty) * Math.round((Math.abs(qty) * micros) / 10_000);

/**
 * A ticket's part of the rollups. `costOf`: the average cost (micros per stock unit: a unit or a gram) of a
 * product at the time; undefined counts as 0. F3 substitutions carry no figures (their ticket was counted).
 */
export function addTicket(r: Rollups, storeId: string, timeZone: string, d: TicketDocument, costOf: (productId: string) => number | undefined): void {
  if (d.substitutes !== undefined) return;
  const { date, hour } = localDateHour(d.issuedAt, timeZone);
  const isReturn = d.kind === 'return';
  const gross = d.totals.total;
  const net = d.totals.total - d.totals.taxTotal;
  let units = 0;
  for (const l of d.lines) {
    const u = l.quantity.kind === 'units' ? l.quantity.units : Math.sign(l.quantity.grams);
    const grams = l.quantity.kind === 'weight' ? l.quantity.grams : 0;
    const stockQty = l.quantity.kind === 'units' ? l.quantity.units : l.quantity.grams;
    units += u;
    const key = `${date}|${hour}|${l.productId}`;
    let s = r.sales.get(key);
    if (!s) {
      s = { business_date: date, store_id: storeId, hour, product_id: l.productId, lines: 0, units: 0, grams: 0, gross_cents: 0, net_cents: 0, discount_cents: 0, returns_units: 0, returns_cents: 0, cost_cents: 0 };
      r.sales.set(key, s);
    }
    s.lines++;
    s.units += u;
    s.grams += grams;
    s.gross_cents += l.total;
    s.net_cents += lineBase(l.total, l.taxRate);
    s.discount_cents += l.lineDiscount + (l.benefitDiscount ?? 0) + l.ticketDiscountShare;
    if (u < 0) {
      s.returns_units += -u;
      s.returns_cents += -l.total;
    }
    s.cost_cents += costCents(stockQty, costOf(l.productId) ?? 0);
    for (const b of l.benefits ?? []) {
      if (b.kind !== 'promotion') continue;
      const pkey = `${date}|${b.id}|${l.productId}`;
      let p = r.promotions.get(pkey);
      if (!p) {
        const name = d.benefits?.find((x) => x.kind === 'promotion' && x.id === b.id)?.name ?? b.id;
        p = { store_id: storeId, business_date: date, promotion_id: b.id, product_id: l.productId, name: name.slice(0, 120), lines: 0, units: 0, savings_cents: 0, gross_cents: 0 };
        r.promotions.set(pkey, p);
      }
      p.lines++;
      p.units += u;
      // A line's benefit cents are positive; on a return they give the saving back.
      p.savings_cents += isReturn ? -b.cents : b.cents;
      p.gross_cents += l.total;
    }
  }
  const tkey = `${date}|${hour}`;
  let t = r.tickets.get(tkey);
  if (!t) {
    t = { store_id: storeId, business_date: date, hour, tickets: 0, returns_tickets: 0, units: 0, gross_cents: 0, net_cents: 0, discount_cents: 0, returns_cents: 0 };
    r.tickets.set(tkey, t);
  }
  if (isReturn) t.returns_tickets++;
  else t.tickets++;
  t.units += units;
  t.gross_cents += gross;
  t.net_cents += net;
  t.discount_cents += d.totals.discountTotal;
  if (isReturn) t.returns_cents += -gross;

  const at = new Date(d.issuedAt).toISOString();
  const ckey = `${date}|${d.cashier.id}`;
  let c = r.cashiers.get(ckey);
  if (!c) {
    c = { store_id: storeId, business_date: date, cashier_id: d.cashier.id, cashier_name: d.cashier.name, tickets: 0, returns_tickets: 0, units: 0, gross_cents: 0, net_cents: 0, discount_cents: 0, returns_cents: 0, first_at: at, last_at: at };
    r.cashiers.set(ckey, c);
  }
  if (isReturn) c.returns_tickets++;
  else c.tickets++;
  c.units += units;
  c.gross_cents += gross;
  c.net_cents += net;
  c.discount_cents += d.totals.discountTotal;
  if (isReturn) c.returns_cents += -gross;
  if (at < c.first_at) c.first_at = at;
  if (at > c.last_at) c.last_at = at;
  c.cashier_name = d.cashier.name;

  // What paid: cash is the total less the other methods (tendered cash less change), as accounting counts it.
  const methods = new Map<string, number>();
  let others = 0;
  for (const p of d.payments) {
    if (p.method === 'cash') continue;
    others += p.amount;
    methods.set(p.method, (methods.get(p.method) ?? 0) + p.amount);
  }
  if (gross - others !== 0 || d.payments.some((p) => p.method === 'cash')) methods.set('cash', gross - others);
  for (const [method, amount] of methods) {
    const key = `${date}|${method}`;
    let p = r.payments.get(key);
    if (!p) {
      p = { store_id: storeId, business_date: date, method, tickets: 0, amount_cents: 0 };
      r.payments.set(key, p);
    }
    p.tickets++;
    p.amount_cents += amount;
  }
}

// ---- writing ----

/**
 * Rows per statement: a few fixed sizes, so each table has at most four statement texts and the ingest's
 * per-text prepared-statement cache keeps them (a text per row count would be prepared for nearly every batch).
 */
const CHUNKS = [200, 40, 8, 1];

function* chunksOf<T>(rows: T[]): Generator<T[]> {
  let i = 0;
  for (const size of CHUNKS) {
    while (rows.length - i >= size) {
      yield rows.slice(i, i + size);
      i += size;
    }
  }
}

async function upsert<T extends object>(sql: Sql, table: string, keys: string[], rows: T[], adds: string[], extra: Record<string, (t: string) => string> = {}): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!) as Array<keyof T & string>;
  const set = [...adds.map((c) => `${c} = ${table}.${c} + excluded.${c}`), ...Object.entries(extra).map(([c, f]) => `${c} = ${f(table)}`)].join(', ');
  for (const part of chunksOf(rows)) {
    const params: unknown[] = [];
    for (const r of part) for (const c of cols) params.push(r[c]);
    await sql(
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES ${part.map(() => `(${cols.map(() => '?').join(', ')})`).join(', ')}
       ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${set}`,
      params,
    );
  }
}

const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);

/** Adds the rollups to the tables (rows sorted by key: concurrent batches lock in the same order). */
/** `db`: the database's identity, for the partitions already seen (`ensureMonthPartitions`). */
export async function writeRollups(sql: Sql, engine: Engine, r: Rollups, db?: object): Promise<void> {
  if (r.empty) return;
  const sales = sorted(r.sales);
  if (engine === 'postgres') await ensureMonthPartitions(sql, sales.map((s) => s.business_date), db);
  const least = engine === 'postgres' ? 'LEAST' : 'MIN';
  const greatest = engine === 'postgres' ? 'GREATEST' : 'MAX';
  await upsert(sql, 'report_sales_hour', ['business_date', 'store_id', 'hour', 'product_id'], sales, ['lines', 'units', 'grams', 'gross_cents', 'net_cents', 'discount_cents', 'returns_units', 'returns_cents', 'cost_cents']);
  await upsert(sql, 'report_ticket_hour', ['store_id', 'business_date', 'hour'], sorted(r.tickets), ['tickets', 'returns_tickets', 'units', 'gross_cents', 'net_cents', 'discount_cents', 'returns_cents']);
  await upsert(sql, 'report_cashier_day', ['store_id', 'business_date', 'cashier_id'], sorted(r.cashiers), ['tickets', 'returns_tickets', 'units', 'gross_cents', 'net_cents', 'discount_cents', 'returns_cents'], {
    first_at: (t) => `${least}(${t}.first_at, excluded.first_at)`,
    last_at: (t) => `${greatest}(${t}.last_at, excluded.last_at)`,
    cashier_name: () => 'excluded.cashier_name',
  });
  await upsert(sql, 'report_payment_day', ['store_id', 'business_date', 'method'], sorted(r.payments), ['tickets', 'amount_cents']);
  await upsert(sql, 'report_promotion_day', ['store_id', 'business_date', 'promotion_id', 'product_id'], sorted(r.promotions), ['lines', 'units', 'savings_cents', 'gross_cents']);
}

// ---- PostgreSQL month partitions of report_sales_hour ----

/** The month partitions known to exist, per database (one process may serve several: the tests' schemas). */
let knownPartitions = new WeakMap<object, Set<string>>();
const monthStart = (ym: string) => `${ym}-01`;
function nextMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
export const partitionName = (ym: string) => `report_sales_hour_y${ym.slice(0, 4)}m${ym.slice(5, 7)}`;

/**
 * Creates the month partitions the dates fall in, once per database `db` (an identity such as its DataSource;
 * without one the catalogue is asked every time). Serialised by an advisory lock; a month whose rows already sit
 * in the default partition (inserted before its partition existed) keeps them there — creating the partition
 * would fail — and that is still read by every query.
 */
export async function ensureMonthPartitions(sql: Sql, dates: Iterable<string>, db?: object): Promise<void> {
  let known = db ? knownPartitions.get(db) : undefined;
  if (db && !known) knownPartitions.set(db, (known = new Set()));
  const months = [...new Set([...dates].map((d) => d.slice(0, 7)))].filter((ym) => !known?.has(ym)).sort();
  for (const ym of months) {
    const name = partitionName(ym);
    const exists = async () => (await sql<{ r: unknown }>(`SELECT to_regclass(?) AS r`, [name]))[0]?.r != null;
    if (!(await exists())) {
      await sql(`SELECT pg_advisory_xact_lock(hashtext('report_sales_hour_partitions'))`);
      if (!(await exists())) {
        const inDefault = await sql(`SELECT 1 FROM report_sales_hour_default WHERE business_date >= ? AND business_date < ? LIMIT 1`, [monthStart(ym), monthStart(nextMonth(ym))]);
        if (inDefault.length > 0) continue;
        await sql(`CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF report_sales_hour FOR VALUES FROM ('${monthStart(ym)}') TO ('${monthStart(nextMonth(ym))}')`);
      }
    }
    known?.add(ym);
  }
}

/** Forgets the partitions seen (a test that drops its database, the bench between runs). */
export const forgetPartitions = () => {
  knownPartitions = new WeakMap();
};

// ---- the ingest step ----

/**
 * Store time zones read in the last minute, per database (`cacheIn`: an identity such as its DataSource; a
 * process may serve several). A batch should not pay a query for what changes once in years; without `cacheIn`
 * the store row is read.
 */
const zones = new WeakMap<object, Map<string, { tz: string; at: number }>>();
const ZONE_TTL_MS = 60_000;

export async function storeTimeZone(sql: Sql, storeId: string, cacheIn?: object): Promise<string> {
  let cache = cacheIn ? zones.get(cacheIn) : undefined;
  if (cacheIn && !cache) zones.set(cacheIn, (cache = new Map()));
  const hit = cache?.get(storeId);
  if (hit && Date.now() - hit.at < ZONE_TTL_MS) return hit.tz;
  const row = (await sql<{ timezone: string | null }>(`SELECT timezone FROM store WHERE id = ?`, [storeId]))[0];
  const tz = row?.timezone || 'Europe/Madrid';
  if (cache) {
    if (cache.size > 10_000) cache.clear();
    cache.set(storeId, { tz, at: Date.now() });
  }
  return tz;
}

/** Current average costs of the company's products (micros per stock unit). */
export async function currentCosts(sql: Sql, companyId: string, productIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const ids = [...new Set(productIds)];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const rows = await sql<{ product_id: string; avg_cost_micros: unknown }>(
      `SELECT product_id, avg_cost_micros FROM stock_cost WHERE company_id = ? AND product_id IN (${part.map(() => '?').join(', ')})`,
      [companyId, ...part],
    );
    for (const r of rows) out.set(r.product_id, Number(r.avg_cost_micros));
  }
  return out;
}

/**
 * The posting step: the batch's tickets added to the rollups, valued at the company's current average cost; a
 * ticket of a day before today (the store's zone, HQ's clock) marks its month for the fold job (reports/fold.ts).
 */
export const rollupStep: TicketStep = {
  id: 'reports.rollups',
  async apply(ctx, tickets) {
    const tz = await storeTimeZone(ctx.sql, ctx.storeId, ctx.db);
    const costs = await currentCosts(ctx.sql, ctx.companyId, tickets.flatMap((d) => d.lines.map((l) => l.productId)));
    const r = new Rollups();
    for (const d of tickets) addTicket(r, ctx.storeId, tz, d, (p) => costs.get(p));
    await writeRollups(ctx.sql, ctx.engine, r, ctx.db);
    await markLateTickets(ctx.sql, ctx.storeId, localToday(Date.parse(ctx.now), tz), [...r.tickets.values()].map((t) => t.business_date), ctx.engine === 'postgres');
  },
};
