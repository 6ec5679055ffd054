/** Read use cases of the admin pages, within the caller's scope (auth/service.ts visibleStoreIds). */
import type { DataSource } from 'typeorm';
import type { Clock } from '@tpv/shared/clock';
import type { CashierEventsQuery, CashierEventsResult, DailySales, ReportKey, ReportResult, ReportRow, TerminalStatus } from '@tpv/shared/wire/http/reports';
import { HttpProblem, validationProblem } from '@tpv/shared/problem';
import { assertStoreAccess, forbidden } from '../auth/http';
import { visibleStoreIds, type AuthUser } from '../auth/service';
import { isFranchiseWide } from '../platform/permissions';
import { all } from '../persistence/sql';
import { cashierEventList } from './cashier-events';
import { cashierEventsTable } from './cashier-events-table';
import type { ExportTable } from './export';
import { storeTimeZone } from './rollups';
import { reportInfo } from './catalogue';
import { dayDiff, REPORT_QUERIES, shiftDay, storesWithSales, type ReportTable } from './queries';
import { dailySales, terminalStatuses } from './repository';

export type { DailySales, TerminalStatus } from '@tpv/shared/wire/http/reports';

export interface LiveTerminals {
  online: () => string[];
  highestSeen: (id: string) => number | null;
}

export async function terminalsOf(ds: DataSource, user: AuthUser, live: LiveTerminals): Promise<TerminalStatus[]> {
  const stores = await visibleStoreIds(ds, user);
  return terminalStatuses(ds, stores, { online: new Set(live.online()), highestSeen: live.highestSeen });
}

/** Sales per store and day, the last 30 days by default. */
export async function salesPerDay(ds: DataSource, clock: Clock, user: AuthUser, q: { storeId?: string | undefined; from?: string | undefined; to?: string | undefined }): Promise<DailySales[]> {
  let stores = await visibleStoreIds(ds, user);
  if (q.storeId) {
    await assertStoreAccess(ds, user, q.storeId);
    stores = [q.storeId];
  }
  const today = new Date(clock.now()).toISOString().slice(0, 10);
  const from = q.from ?? new Date(clock.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  return dailySales(ds, stores, from, q.to ?? today);
}

// ---- management reports (issue 18) ----

export interface ReportAsked {
  from?: string | undefined;
  to?: string | undefined;
  company?: string | undefined;
  store?: string | undefined;
  category?: string | undefined;
  product?: string | undefined;
  cashier?: string | undefined;
  groupBy?: string | undefined;
  compare: 'none' | 'previous' | 'last_year';
}

/** Longest period one report covers (a bit over 3 years: this year against the two before it). */
export const MAX_REPORT_DAYS = 1_100;

const bad = (path: string, message: string) => new HttpProblem(validationProblem([{ path: [path], message }], 'query'));

/** The stores a user may see, narrowed by the company and store filters (403 outside the user's scope). */
export async function storesInScope(ds: DataSource, user: AuthUser, q: { company?: string | undefined; store?: string | undefined }): Promise<string[] | null> {
  let stores = await visibleStoreIds(ds, user);
  if (q.company) {
    if (!isFranchiseWide(user.role) && !user.companyIds.includes(q.company)) throw forbidden();
    const own = (await all<{ id: string }>(ds.manager, `SELECT id FROM store WHERE company_id = ?`, [q.company])).map((s) => s.id);
    stores = stores === null ? own : stores.filter((s) => own.includes(s));
  }
  if (q.store) {
    await assertStoreAccess(ds, user, q.store);
    stores = stores === null || stores.includes(q.store) ? [q.store] : [];
  }
  return stores;
}

/** The same dates a year earlier (29 February → 28). */
export function lastYear(isoDate: string): string {
  const y = Number(isoDate.slice(0, 4)) - 1;
  const md = isoDate.slice(5) === '02-29' ? '02-28' : isoDate.slice(5);
  return `${y}-${md}`;
}

/** One report over the caller's scope and filters, with its comparison when asked. */
export async function runReport(ds: DataSource, clock: Clock, user: AuthUser, key: ReportKey, q: ReportAsked): Promise<ReportResult> {
  const info = reportInfo(key);
  const to = q.to ?? new Date(clock.now()).toISOString().slice(0, 10);
  const from = q.from ?? shiftDay(to, -29);
  if (from > to) throw bad('to', 'La fecha final es anterior a la inicial / to is before from');
  if (dayDiff(from, to) + 1 > MAX_REPORT_DAYS) throw bad('from', `Periodo de más de ${MAX_REPORT_DAYS} días / period longer than ${MAX_REPORT_DAYS} days`);
  const groupBy = info.groupBy.length === 0 ? null : (q.groupBy ?? info.groupBy[0]!);
  if (q.groupBy !== undefined && !info.groupBy.includes(q.groupBy)) {
    throw bad('groupBy', info.groupBy.length ? `Agrupación: ${info.groupBy.join(', ')} / groupBy: one of ${info.groupBy.join(', ')}` : 'Este informe no se agrupa / this report has no groupBy');
  }
  let stores = await storesInScope(ds, user, q);
  const filters: Record<string, string> = {};
  for (const f of info.filters) {
    const v = q[f];
    if (v) filters[f] = v;
  }
  const base = { m: ds.manager, stores, groupBy, ...(info.filters.includes('category') ? { category: q.category } : {}), ...(info.filters.includes('product') ? { product: q.product } : {}), ...(info.filters.includes('cashier') ? { cashier: q.cashier } : {}) };
  const run = REPORT_QUERIES[key];

  let compare: ReportResult['compare'];
  let cmp: { kind: 'previous' | 'last_year'; from: string; to: string } | null = null;
  if (info.compare && q.compare !== 'none') {
    cmp = q.compare === 'previous' ? { kind: 'previous', from: shiftDay(from, -(dayDiff(from, to) + 1)), to: shiftDay(from, -1) } : { kind: 'last_year', from: lastYear(from), to: lastYear(to) };
  }
  let lfl: string[] | null = null;
  if (cmp?.kind === 'last_year') {
    // Like-for-like: only the stores that sold in both periods, in both.
    const now = await storesWithSales(ds.manager, stores, from, to);
    const before = await storesWithSales(ds.manager, stores, cmp.from, cmp.to);
    lfl = [...now].filter((s) => before.has(s)).sort();
    stores = lfl;
  }
  const table = await run({ ...base, stores, from, to });
  if (cmp) {
    const other = await run({ ...base, stores, from: cmp.from, to: cmp.to });
    compare = {
      kind: cmp.kind,
      label: cmp.kind === 'previous' ? { es: `Periodo anterior (${cmp.from} – ${cmp.to})`, en: `Previous period (${cmp.from} – ${cmp.to})` } : { es: `Mismo periodo del año anterior, tiendas comparables (${cmp.from} – ${cmp.to})`, en: `Same period last year, like-for-like stores (${cmp.from} – ${cmp.to})` },
      from: cmp.from,
      to: cmp.to,
      rows: other.rows,
      totals: totalsOf(other),
      stores: lfl,
    };
  }
  return { key, title: info.title, from, to, groupBy, filters, columns: table.columns, rows: table.rows, totals: totalsOf(table), ...(compare ? { compare } : {}) };
}

/**
 * The cashiers report's drill-down: one cashier's voids, cancelled tickets and cash differences over the period,
 * in the caller's scope (HQ all, franchisee their companies, manager their store; a store outside it is 403).
 */
export async function cashierEvents(ds: DataSource, clock: Clock, user: AuthUser, q: CashierEventsQuery): Promise<CashierEventsResult> {
  const to = q.to ?? new Date(clock.now()).toISOString().slice(0, 10);
  const from = q.from ?? shiftDay(to, -29);
  if (from > to) throw bad('to', 'La fecha final es anterior a la inicial / to is before from');
  if (dayDiff(from, to) + 1 > MAX_REPORT_DAYS) throw bad('from', `Periodo de más de ${MAX_REPORT_DAYS} días / period longer than ${MAX_REPORT_DAYS} days`);
  const stores = await storesInScope(ds, user, { store: q.storeId });
  const list = await cashierEventList(ds.manager, { from, to, stores, cashierId: q.cashierId });
  return { from, to, cashierId: q.cashierId, ...list };
}

/**
 * The drill-down as a file's table (route: `format` csv|xlsx|pdf): the same events, in the same scope, with the
 * cashier's and store's names for the header, times in each store's zone, and the totals of lines, voided amount
 * and cash difference.
 */
export async function cashierEventsExport(ds: DataSource, clock: Clock, user: AuthUser, q: CashierEventsQuery): Promise<ExportTable> {
  const r = await cashierEvents(ds, clock, user, q);
  const sql = <R>(text: string, params: readonly unknown[]) => all<R>(ds.manager, text, params);
  const staff = r.events[0]?.cashier ?? (await sql<{ name: string }>(`SELECT name FROM staff WHERE id = ?`, [q.cashierId]))[0]?.name ?? q.cashierId;
  const store = q.storeId ? (await sql<{ code: string; name: string }>(`SELECT code, name FROM store WHERE id = ?`, [q.storeId]))[0] : undefined;
  const zones = new Map<string, string>();
  for (const id of new Set(r.events.map((e) => e.storeId))) zones.set(id, await storeTimeZone(sql, id));
  const table = cashierEventsTable(r, { cashier: staff, store: store ? `${store.code} ${store.name}` : null }, (id) => zones.get(id) ?? 'Europe/Madrid');
  return { ...table, totals: totalsOf(table) };
}

/** Σ of the numeric columns over the rows (rows of the benchmark's summary kinds excluded), ratios by `finish`. */
export function totalsOf(t: Pick<ReportTable, 'columns' | 'rows'> & Partial<Pick<ReportTable, 'finish' | 'noTotal'>>): ReportRow {
  const totals: ReportRow = {};
  const rows = t.rows.filter((r) => r.rowKind === undefined || r.rowKind === 'store');
  for (const c of t.columns) {
    if (c.kind === 'text' || c.kind === 'date') continue;
    if (t.noTotal?.includes(c.key)) {
      totals[c.key] = null;
      continue;
    }
    const vals = rows.map((r) => r[c.key]).filter((v): v is number => typeof v === 'number');
    totals[c.key] = vals.length === 0 ? null : vals.reduce((a, b) => a + b, 0);
  }
  t.finish?.(totals);
  return totals;
}

/** What a rebuild may touch: one store in the caller's scope, or every store (franchise-wide roles only). */
export async function rebuildTarget(ds: DataSource, user: AuthUser, body: { storeId?: string | undefined; from: string; to: string }): Promise<{ storeIds: string[] | null; from: string; to: string }> {
  if (body.from > body.to) throw new HttpProblem(validationProblem([{ path: ['to'], message: 'La fecha final es anterior a la inicial / to is before from' }]));
  if (body.storeId) {
    await assertStoreAccess(ds, user, body.storeId);
    return { storeIds: [body.storeId], from: body.from, to: body.to };
  }
  if (!isFranchiseWide(user.role)) throw forbidden('Only HQ rebuilds every store; name a store of yours.');
  return { storeIds: null, from: body.from, to: body.to };
}
