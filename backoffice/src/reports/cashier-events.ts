/**
 * Cashier figures the tickets do not carry (issue 18): voids ("anulaciones") and cash differences. The tills
 * send them up through their document outbox (`sales.void` with each line voided before payment and the
 * supervisor who authorised it; `cash.close` with each session's blind count), HQ applies each document once
 * (till/upward.ts: upward_document) and this handler, in that same transaction, keeps the raw event
 * (`till_cashier_event`) and adds it to the rollup per store / business date / cashier
 * (`report_cashier_event_day`, migration 1795478000001). The rollups rebuild job recomputes the rollup from
 * the raw events with the same `addCashierEvent`, so a rebuild gives the rows the documents left.
 *
 * A whole ticket cancelled at the till in one action ("Anular ticket") is one `sales.void` document with a
 * `lineCount` and no line: ONE event (`ticket_cancel` = 1, `line_count` its lines) that counts as one cancelled
 * ticket (`carts_voided`, as a cart emptied by voiding its last line always did) and goes to its own sums
 * (`tickets_cancelled`, `cancelled_cents`, `cancelled_lines`), not to the line voids'. A line void is counted
 * as it always was (migration 1795482000001).
 *
 * Dates are the store's local time, as every rollup. A cash close's difference belongs to the cashier who
 * CLOSED the session, on the local date of the close: the closer made the blind count and answers for the
 * drawer as it stood then (the till lets another cashier take over an open drawer without a count, so the
 * opener may have left hours before), and the day the count was made is the day the difference became known —
 * a late close never changes figures of days a manager already looked at. The opener is kept in the event's
 * detail.
 */
import type { EntityManager } from 'typeorm';
import type { CashierEvent } from '@tpv/shared/wire/http/reports';
import type { TillCashClose, TillVoid } from '@tpv/shared/wire/upward';
import type { UpwardHandler, UpwardTill } from '../modules/types';
import { all, exec } from '../persistence/sql';
import { where } from './filters';
import { localDateHour, storeTimeZone } from './rollups';

export interface CashierEventRow {
  id: string;
  kind: 'void' | 'cash_close';
  terminal_id: string;
  store_id: string;
  business_date: string;
  at: string;
  cashier_id: string;
  cashier_name: string;
  supervisor_id: string | null;
  /** A void: the line's gross; a close: counted − expected (negative = short). */
  cents: number;
  cart_emptied: number;
  /** 1: a whole ticket cancelled in one action (kind 'void'). */
  ticket_cancel: number;
  /** A ticket cancel's lines; 1 for a line void; 0 for a close. */
  line_count: number;
  detail: string;
}

export interface CashierEventDayRow {
  store_id: string;
  business_date: string;
  cashier_id: string;
  cashier_name: string;
  voids: number;
  void_cents: number;
  carts_voided: number;
  cash_closes: number;
  cash_difference_cents: number;
  cash_short_cents: number;
  cash_over_cents: number;
  tickets_cancelled: number;
  cancelled_cents: number;
  cancelled_lines: number;
}

const ADDED = ['voids', 'void_cents', 'carts_voided', 'cash_closes', 'cash_difference_cents', 'cash_short_cents', 'cash_over_cents', 'tickets_cancelled', 'cancelled_cents', 'cancelled_lines'] as const;

/** An event's part of the rollup (keyed by date and cashier: one store at a time). */
export function addCashierEvent(
  days: Map<string, CashierEventDayRow>,
  e: Pick<CashierEventRow, 'kind' | 'store_id' | 'business_date' | 'cashier_id' | 'cashier_name' | 'cents' | 'cart_emptied' | 'ticket_cancel' | 'line_count'>,
): void {
  const key = `${e.business_date}|${e.cashier_id}`;
  let d = days.get(key);
  if (!d) {
    d = { store_id: e.store_id, business_date: e.business_date, cashier_id: e.cashier_id, cashier_name: e.cashier_name, voids: 0, void_cents: 0, carts_voided: 0, cash_closes: 0, cash_difference_cents: 0, cash_short_cents: 0, cash_over_cents: 0, tickets_cancelled: 0, cancelled_cents: 0, cancelled_lines: 0 };
    days.set(key, d);
  }
  d.cashier_name = e.cashier_name;
  if (e.kind === 'void' && e.ticket_cancel) {
    d.carts_voided++;
    d.tickets_cancelled++;
    d.cancelled_cents += e.cents;
    d.cancelled_lines += e.line_count;
  } else if (e.kind === 'void') {
    d.voids++;
    d.void_cents += e.cents;
    if (e.cart_emptied) d.carts_voided++;
  } else {
    d.cash_closes++;
    d.cash_difference_cents += e.cents;
    if (e.cents < 0) d.cash_short_cents += -e.cents;
    else d.cash_over_cents += e.cents;
  }
}

/** Adds the rows to `report_cashier_event_day` (sorted by key: concurrent writers lock in the same order). */
export async function writeCashierEventDays(m: EntityManager, days: Map<string, CashierEventDayRow>): Promise<void> {
  const rows = [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  for (const r of rows) {
    const cols = Object.keys(r) as Array<keyof CashierEventDayRow>;
    await exec(
      m,
      `INSERT INTO report_cashier_event_day (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})
       ON CONFLICT (store_id, business_date, cashier_id) DO UPDATE SET cashier_name = excluded.cashier_name, ${ADDED.map((c) => `${c} = report_cashier_event_day.${c} + excluded.${c}`).join(', ')}`,
      cols.map((c) => r[c]),
    );
  }
}

async function insertEvent(m: EntityManager, e: CashierEventRow): Promise<void> {
  const cols = Object.keys(e) as Array<keyof CashierEventRow>;
  await exec(m, `INSERT INTO till_cashier_event (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((c) => e[c]));
}

const sqlOf = (m: EntityManager) => <R = Record<string, unknown>>(text: string, params?: readonly unknown[]) => all<R>(m, text, params ?? []);

async function record(m: EntityManager, e: CashierEventRow): Promise<void> {
  await insertEvent(m, e);
  const days = new Map<string, CashierEventDayRow>();
  addCashierEvent(days, e);
  await writeCashierEventDays(m, days);
}

export function voidEvent(till: UpwardTill, id: string, v: TillVoid, timeZone: string): CashierEventRow {
  return {
    id, kind: 'void', terminal_id: till.terminalId, store_id: till.storeId, business_date: localDateHour(v.at, timeZone).date, at: new Date(v.at).toISOString(),
    cashier_id: v.cashierId, cashier_name: v.cashierName, supervisor_id: v.authorisedBy, cents: v.cents, cart_emptied: v.cartEmptied ? 1 : 0,
    ticket_cancel: v.lineCount === undefined ? 0 : 1, line_count: v.lineCount ?? 1,
    detail: JSON.stringify(v.lineCount === undefined ? { cartId: v.cartId, lineId: v.lineId, productId: v.productId } : { cartId: v.cartId, lineCount: v.lineCount }),
  };
}

export function closeEvent(till: UpwardTill, id: string, c: TillCashClose, timeZone: string): CashierEventRow {
  return {
    id, kind: 'cash_close', terminal_id: till.terminalId, store_id: till.storeId, business_date: localDateHour(c.closedAt, timeZone).date, at: new Date(c.closedAt).toISOString(),
    cashier_id: c.closedBy, cashier_name: c.closedByName, supervisor_id: c.authorisedBy ?? null, cents: c.differenceCents, cart_emptied: 0, ticket_cancel: 0, line_count: 0,
    detail: JSON.stringify({ sessionId: c.sessionId, number: c.number, openedAt: c.openedAt, openedBy: c.openedBy, expectedCents: c.expectedCents, countedCents: c.countedCents }),
  };
}

const euros = (c: number) => `${c < 0 ? '−' : ''}${Math.floor(Math.abs(c) / 100)},${String(Math.abs(c) % 100).padStart(2, '0')} €`;

/** The reports module's handlers of the tills' `sales.void` and `cash.close` documents. */
export const cashierEventHandlers: Record<'sales.void' | 'cash.close', UpwardHandler> = {
  async 'sales.void'(m, _ctx, till, doc) {
    const v = doc.payload as TillVoid;
    const tz = await storeTimeZone(sqlOf(m), till.storeId, m.connection);
    await record(m, voidEvent(till, doc.id, v, tz));
    if (v.lineCount !== undefined) return { reference: `ticket anulado registrado · cancelled ticket recorded (${v.lineCount} líneas · lines, ${euros(v.cents)})` };
    return { reference: `anulación registrada · void recorded (${euros(v.cents)})` };
  },
  async 'cash.close'(m, _ctx, till, doc) {
    const c = doc.payload as TillCashClose;
    if (c.differenceCents !== c.countedCents - c.expectedCents) {
      return { rejected: `differenceCents ${c.differenceCents} is not countedCents − expectedCents (${c.countedCents - c.expectedCents})` };
    }
    const tz = await storeTimeZone(sqlOf(m), till.storeId, m.connection);
    await record(m, closeEvent(till, doc.id, c, tz));
    return { reference: `cierre Z ${c.number} registrado · Z ${c.number} recorded (${euros(c.differenceCents)})` };
  },
};

function shiftDay(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The rebuild job's part (reports/rebuild.ts, inside its per-store transaction): the store's cashier-event rollup
 * rows in the dates deleted and recomputed from `till_cashier_event`, dated again in the store's time zone.
 */
export async function rebuildCashierEvents(m: EntityManager, storeId: string, from: string, to: string, timeZone: string): Promise<number> {
  await exec(m, `DELETE FROM report_cashier_event_day WHERE store_id = ? AND business_date >= ? AND business_date <= ?`, [storeId, from, to]);
  // The stored date is the store's local date when it arrived: a day either side covers a changed time zone.
  const events = await all<CashierEventRow>(
    m,
    `SELECT kind, store_id, at, cashier_id, cashier_name, cents, cart_emptied, ticket_cancel, line_count FROM till_cashier_event
      WHERE store_id = ? AND business_date >= ? AND business_date <= ? ORDER BY at, id`,
    [storeId, shiftDay(from, -1), shiftDay(to, 1)],
  );
  const days = new Map<string, CashierEventDayRow>();
  let count = 0;
  for (const e of events) {
    const date = localDateHour(e.at, timeZone).date;
    if (date < from || date > to) continue;
    addCashierEvent(days, { ...e, business_date: date, cents: Number(e.cents), cart_emptied: Number(e.cart_emptied), ticket_cancel: Number(e.ticket_cancel), line_count: Number(e.line_count) });
    count++;
  }
  await writeCashierEventDays(m, days);
  return count;
}

// ---- reading the events: who authorised, and one cashier's drill-down ----

/** Where an event query looks: the period, the stores in scope (null: all) and optionally one cashier. */
export interface CashierEventScope {
  from: string;
  to: string;
  stores: string[] | null;
  cashierId?: string | undefined;
}

/** The reports' own filter builder: the drill-down's period, stores and cashier mean what the reports' do. */
const scopeWhere = (s: CashierEventScope) => where({ from: s.from, to: s.to, stores: s.stores, cashier: s.cashierId }, { cashier: true, alias: 'e' });

const names = (rows: Array<{ name: string; n: number }>) => rows.sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : 1)).map((r) => `${r.name} ×${r.n}`).join(', ');

/**
 * Per cashier: who authorised their voids and cancelled tickets, and who confirmed their cash differences, as
 * "Name ×count, …" (the staff member's name at HQ; the id when HQ does not know it).
 */
export async function supervisorsPerCashier(m: EntityManager, s: CashierEventScope): Promise<Map<string, { voids: string; differences: string }>> {
  const w = scopeWhere(s);
  const rows = await all<{ cashier_id: string; kind: string; supervisor_id: string; name: string | null; n: unknown }>(
    m,
    `SELECT e.cashier_id, e.kind, e.supervisor_id, MAX(st.name) AS name, COUNT(*) AS n
       FROM till_cashier_event e LEFT JOIN staff st ON st.id = e.supervisor_id
      WHERE ${w.sql} AND e.supervisor_id IS NOT NULL GROUP BY e.cashier_id, e.kind, e.supervisor_id`,
    w.params,
  );
  const acc = new Map<string, { voids: Array<{ name: string; n: number }>; differences: Array<{ name: string; n: number }> }>();
  for (const r of rows) {
    const a = acc.get(r.cashier_id) ?? { voids: [], differences: [] };
    (r.kind === 'cash_close' ? a.differences : a.voids).push({ name: r.name ?? r.supervisor_id, n: Number(r.n) });
    acc.set(r.cashier_id, a);
  }
  return new Map([...acc].map(([k, v]) => [k, { voids: names(v.voids), differences: names(v.differences) }]));
}

/** Most events one drill-down lists (a cashier's month is a few dozen). */
export const MAX_DRILLDOWN_EVENTS = 2_000;

/** One cashier's events in the scope, oldest first, with store, till and the supervisor's name. */
export async function cashierEventList(m: EntityManager, s: CashierEventScope): Promise<{ events: CashierEvent[]; truncated: boolean }> {
  const w = scopeWhere(s);
  const rows = await all<Record<string, unknown>>(
    m,
    `SELECT e.id, e.kind, e.at, e.business_date, e.store_id, e.terminal_id, e.cashier_id, e.cashier_name, e.cents, e.cart_emptied, e.ticket_cancel, e.line_count,
            e.supervisor_id, st.name AS supervisor_name, so.code AS store_code, so.name AS store_name, t.code AS till_code, t.name AS till_name
       FROM till_cashier_event e
       LEFT JOIN staff st ON st.id = e.supervisor_id
       LEFT JOIN store so ON so.id = e.store_id
       LEFT JOIN terminal t ON t.id = e.terminal_id
      WHERE ${w.sql} ORDER BY e.at, e.id LIMIT ${MAX_DRILLDOWN_EVENTS + 1}`,
    w.params,
  );
  const events = rows.slice(0, MAX_DRILLDOWN_EVENTS).map((r): CashierEvent => {
    const supervisorId = r.supervisor_id == null ? null : String(r.supervisor_id);
    return {
      id: String(r.id),
      kind: r.kind === 'cash_close' ? 'cash_close' : Number(r.ticket_cancel) ? 'ticket_cancel' : 'void',
      at: String(r.at),
      businessDate: String(r.business_date),
      storeId: String(r.store_id),
      store: r.store_code == null ? String(r.store_id) : `${String(r.store_code)} ${String(r.store_name)}`,
      terminalId: String(r.terminal_id),
      till: r.till_name == null ? String(r.terminal_id) : String(r.till_name),
      cashierId: String(r.cashier_id),
      cashier: String(r.cashier_name),
      cents: Number(r.cents),
      lines: Number(r.line_count),
      cartEmptied: Number(r.cart_emptied) === 1,
      supervisorId,
      supervisor: supervisorId === null ? null : r.supervisor_name == null ? supervisorId : String(r.supervisor_name),
    };
  });
  return { events, truncated: rows.length > MAX_DRILLDOWN_EVENTS };
}
