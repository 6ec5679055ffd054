/**
 * The dashboard's figures: per store, today's (the store's local business date) sales, tickets, returns and
 * units, and the same weekday last year (364 days before), read from the reports' hourly rollup the ingest
 * keeps in the ticket's transaction (`report_ticket_hour`: the same figures the sales reports show) — never
 * ticket lines, so a read is one indexed read of ≤ 24 rows per store and date. `LiveFigures` keeps them in
 * memory between reads, moved by each applied ticket exactly as the rollup step moves the rollup.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { DayFigures, StoreFigures } from '@tpv/shared/wire/http/dashboard';
import { all, inList } from '../persistence/sql';
import type { TicketFigures } from '../sales-ingest/apply';

export interface StoreInfo {
  id: string;
  code: string;
  name: string;
  companyId: string;
  timezone: string;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** The local calendar date (yyyy-mm-dd) of an instant in a time zone (en-CA formats as ISO). */
export function localDate(ms: number, timeZone: string): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      f = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
    }
    dateFormats.set(timeZone, f);
  }
  return f.format(ms);
}

/** Same weekday last year: 52 weeks back (a date 364 days before falls on the same weekday). */
export function sameWeekdayLastYear(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 364);
  return d.toISOString().slice(0, 10);
}

export async function storesOf(m: EntityManager, storeIds: readonly string[] | null): Promise<StoreInfo[]> {
  if (storeIds !== null && storeIds.length === 0) return [];
  const where = storeIds === null ? '' : ` WHERE id IN (${inList(storeIds.length)})`;
  const rows = await all<{ id: string; code: string; name: string; company_id: string; timezone: string | null }>(
    m, `SELECT id, code, name, company_id, timezone FROM store${where} ORDER BY code`, storeIds ?? []);
  return rows.map((r) => ({ id: r.id, code: r.code, name: r.name, companyId: r.company_id, timezone: r.timezone || 'Europe/Madrid' }));
}

const zero = (): DayFigures => ({ salesCents: 0, tickets: 0, returns: 0, units: 0 });

/** Figures of these stores at instant `now` (each store's own business date): one grouped read of the hourly rollup. */
export async function figuresOf(m: EntityManager, stores: readonly StoreInfo[], now: number): Promise<StoreFigures[]> {
  if (stores.length === 0) return [];
  const today = new Map(stores.map((s) => [s.id, localDate(now, s.timezone)]));
  const dates = [...new Set([...today.values()].flatMap((d) => [d, sameWeekdayLastYear(d)]))];
  const ids = stores.map((s) => s.id);
  const rows = await all<{ store_id: string; business_date: string; tickets: unknown; returns: unknown; units: unknown; gross: unknown }>(
    m,
    `SELECT store_id, business_date, SUM(tickets) AS tickets, SUM(returns_tickets) AS returns, SUM(units) AS units, SUM(gross_cents) AS gross
       FROM report_ticket_hour WHERE store_id IN (${inList(ids.length)}) AND business_date IN (${inList(dates.length)})
      GROUP BY store_id, business_date`,
    [...ids, ...dates],
  );
  const key = (s: string, d: string) => `${s}|${d}`;
  const got = new Map<string, DayFigures>();
  for (const r of rows) {
    got.set(key(r.store_id, r.business_date), { salesCents: Number(r.gross), tickets: Number(r.tickets), returns: Number(r.returns), units: Number(r.units) });
  }
  return stores.map((s) => {
    const d = today.get(s.id)!;
    return {
      storeId: s.id, storeCode: s.code, storeName: s.name, companyId: s.companyId, businessDate: d,
      today: got.get(key(s.id, d)) ?? zero(),
      lastYear: got.get(key(s.id, sameWeekdayLastYear(d))) ?? null,
    };
  });
}

export const figuresFor = (ds: DataSource, stores: readonly StoreInfo[], now: number) => figuresOf(ds.manager, stores, now);

/** An applied ticket's figures and its store. */
export interface TicketDelta extends TicketFigures {
  storeId: string;
}

const copy = (f: StoreFigures): StoreFigures => ({ ...f, today: { ...f.today }, lastYear: f.lastYear ? { ...f.lastYear } : null });
const sameDay = (a: DayFigures | null, b: DayFigures | null) =>
  a === b || (!!a && !!b && a.salesCents === b.salesCents && a.tickets === b.tickets && a.returns === b.returns && a.units === b.units);

/**
 * Today's figures of the stores a dashboard watches, in memory. `add` counts a ticket the way the rollup step
 * does (`reports/rollups.ts` addTicket: its store's local date of issue; a return counts in `returns`, its
 * negative total and units as they are); `version` counts the tickets seen per store, so that a reader can
 * tell whether any came while it read the rollups.
 */
export class LiveFigures {
  private readonly held = new Map<string, { info: StoreInfo; f: StoreFigures }>();
  private readonly versions = new Map<string, number>();

  version(storeId: string): number {
    return this.versions.get(storeId) ?? 0;
  }
  holds(storeId: string): boolean {
    return this.held.has(storeId);
  }
  storeIds(): string[] {
    return [...this.held.keys()];
  }
  clear(): void {
    this.held.clear();
  }

  /** 'counted' (today or last year's same weekday moved), 'other-day' (a day not shown), 'unknown' (store not held). */
  add(d: TicketDelta): 'counted' | 'other-day' | 'unknown' {
    this.versions.set(d.storeId, this.version(d.storeId) + 1);
    const h = this.held.get(d.storeId);
    if (!h) return 'unknown';
    const date = localDate(Date.parse(d.issuedAt), h.info.timezone);
    const day = date === h.f.businessDate ? h.f.today : date === sameWeekdayLastYear(h.f.businessDate) ? (h.f.lastYear ??= zero()) : null;
    if (!day) return 'other-day';
    if (d.isReturn) day.returns++;
    else day.tickets++;
    day.salesCents += d.grossCents;
    day.units += d.units;
    return 'counted';
  }

  /**
   * Figures read from the rollups. `unsure`: the read may have missed or doubled a ticket the memory counted —
   * then a store held for the same day keeps what it has. True when figures held before changed.
   */
  install(info: StoreInfo, f: StoreFigures, unsure: boolean): boolean {
    const h = this.held.get(f.storeId);
    if (h && unsure && h.f.businessDate === f.businessDate) return false;
    const changed = !!h && (h.f.businessDate !== f.businessDate || !sameDay(h.f.today, f.today) || !sameDay(h.f.lastYear, f.lastYear) || h.f.storeName !== f.storeName);
    this.held.set(f.storeId, { info, f: copy(f) });
    return changed;
  }

  /** A copy of a store's figures at `now`; undefined when not held or its business day has turned since. */
  figures(storeId: string, now: number): StoreFigures | undefined {
    const h = this.held.get(storeId);
    if (!h || localDate(now, h.info.timezone) !== h.f.businessDate) return undefined;
    return copy(h.f);
  }
}
