/**
 * Typed client of the report API (the reports module's contract, issue 18):
 *   GET /api/reports → the report list; GET /api/reports/{key}?filters → one report as columns, rows, totals
 *   and an optional comparison; the same URL with `format=csv|xlsx|pdf` is the file.
 */
import { useQuery } from '@tanstack/react-query';
import { download, get, withQuery } from '../app/api';

export type Localized = { es: string; en: string };
export type ColumnKind = 'text' | 'cents' | 'int' | 'pct' | 'date';

export interface ReportDef {
  key: string;
  title: Localized;
  /** Filters the report honours besides the period: company, store, category, product, cashier. */
  filters: string[];
  /** Allowed groupBy values (first = default); empty: none. */
  groupBy: string[];
  /** Whether the comparison applies. */
  compare: boolean;
  chart: 'line' | 'bar' | 'heatmap' | 'pareto' | 'none';
}

export interface ReportColumn {
  key: string;
  label: Localized;
  kind: ColumnKind;
}

export type ReportRow = Record<string, string | number | null>;

export interface ReportResult {
  key: string;
  title: Localized;
  from: string;
  to: string;
  groupBy: string | null;
  columns: ReportColumn[];
  rows: ReportRow[];
  totals: ReportRow;
  compare?: { label: Localized | string; rows: ReportRow[]; totals: ReportRow };
}

/** The page's filters; `period` (a preset) is the page's and a saved view's only: the API gets its from/to. */
export type ReportFilters = Partial<Record<'period' | 'from' | 'to' | 'company' | 'store' | 'category' | 'product' | 'cashier' | 'groupBy' | 'compare', string>>;

const apiFilters = ({ period: _period, ...f }: ReportFilters) => f;

export const useReportList = () => useQuery({ queryKey: ['reports', 'list'], queryFn: () => get<ReportDef[]>('/api/reports'), staleTime: 300_000 });

export const reportPath = (key: string, filters: ReportFilters, format?: 'csv' | 'xlsx' | 'pdf') =>
  withQuery(`/api/reports/${encodeURIComponent(key)}`, { ...apiFilters(filters), ...(format ? { format } : {}) });

export const useReport = (key: string, filters: ReportFilters) =>
  useQuery({ queryKey: ['reports', key, apiFilters(filters)], queryFn: () => get<ReportResult>(reportPath(key, filters)), enabled: key !== '' });

export const downloadReport = (key: string, filters: ReportFilters, format: 'csv' | 'xlsx' | 'pdf') => download(reportPath(key, filters, format), `${key}.${format}`);

/** The label of a localized text for the UI's language (a plain string stays as it is). */
export const tr = (l: Localized | string, locale: string) => (typeof l === 'string' ? l : locale.startsWith('en') ? l.en : l.es);

/** The cashiers report's drill-down (GET /api/reports/cashier-events): one cashier's voids, cancels and closes. */
export interface CashierEvent {
  id: string;
  kind: 'void' | 'ticket_cancel' | 'cash_close';
  at: string;
  businessDate: string;
  storeId: string;
  store: string;
  terminalId: string;
  till: string;
  cashier: string;
  cents: number;
  lines: number;
  supervisor: string | null;
}
export interface CashierEvents { from: string; to: string; cashierId: string; events: CashierEvent[]; truncated: boolean }

type CashierEventsAsked = { cashierId: string | null; from?: string | undefined; to?: string | undefined; storeId?: string | undefined };
const cashierEventsPath = (q: CashierEventsAsked, format?: 'csv' | 'xlsx' | 'pdf') =>
  withQuery('/api/reports/cashier-events', { cashierId: q.cashierId, from: q.from, to: q.to, storeId: q.storeId, ...(format ? { format } : {}) });

export const useCashierEvents = (q: CashierEventsAsked) =>
  useQuery({
    queryKey: ['reports', 'cashier-events', q],
    queryFn: () => get<CashierEvents>(cashierEventsPath(q)),
    enabled: q.cashierId !== null,
  });

/** The drill-down's rows as a file (the same query with `format`). */
export const downloadCashierEvents = (q: CashierEventsAsked, format: 'csv' | 'xlsx' | 'pdf') => download(cashierEventsPath(q, format), `cashier-events.${format}`);
