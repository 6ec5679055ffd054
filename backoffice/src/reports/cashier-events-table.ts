/**
 * The cashiers report's drill-down as a table for the exports (export.ts): the rows and columns the drill-down
 * panel shows (ui/src/reports/CashierEventsPanel.tsx), the time in the store's own time zone, and the amount in
 * two columns — what was voided (line voids, cancelled tickets) and the cash difference of a close — so that
 * each has a meaningful total.
 */
import type { CashierEvent, CashierEventsResult, ReportColumn, ReportRow } from '@tpv/shared/wire/http/reports';
import type { ExportTable } from './export';

const KIND: Record<CashierEvent['kind'], string> = {
  void: 'Línea anulada / Line voided',
  ticket_cancel: 'Ticket anulado / Ticket cancelled',
  cash_close: 'Cierre de caja (descuadre) / Cash close (difference)',
};

const COLUMNS: ReportColumn[] = [
  { key: 'at', label: { es: 'Hora', en: 'Time' }, kind: 'text' },
  { key: 'kind', label: { es: 'Qué', en: 'What' }, kind: 'text' },
  { key: 'store', label: { es: 'Tienda', en: 'Store' }, kind: 'text' },
  { key: 'till', label: { es: 'Caja', en: 'Till' }, kind: 'text' },
  { key: 'lines', label: { es: 'Líneas', en: 'Lines' }, kind: 'int' },
  { key: 'voidedCents', label: { es: 'Anulado', en: 'Voided' }, kind: 'cents' },
  { key: 'differenceCents', label: { es: 'Descuadre', en: 'Cash difference' }, kind: 'cents' },
  { key: 'supervisor', label: { es: 'Autorizado / confirmado por', en: 'Authorised / confirmed by' }, kind: 'text' },
];

/** "2026-11-03 10:15" in the store's time zone (the till's clock as the cashier saw it). */
function localTime(iso: string, timeZone: string): string {
  const p: Record<string, string> = {};
  for (const part of new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso))) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export function cashierEventRows(events: CashierEvent[], zoneOf: (storeId: string) => string): ReportRow[] {
  return events.map((e) => ({
    at: localTime(e.at, zoneOf(e.storeId)),
    kind: KIND[e.kind],
    store: e.store,
    till: e.till,
    lines: e.kind === 'cash_close' ? null : e.lines,
    voidedCents: e.kind === 'cash_close' ? null : e.cents,
    differenceCents: e.kind === 'cash_close' ? e.cents : null,
    supervisor: e.supervisor ?? '',
  }));
}

/** The drill-down's file: title with the cashier, the period, and the cashier and store filters in the header. */
export function cashierEventsTable(r: CashierEventsResult, who: { cashier: string; store: string | null }, zoneOf: (storeId: string) => string): Omit<ExportTable, 'totals'> {
  const filters: Record<string, string> = { cashier: `${who.cashier} (${r.cashierId})` };
  if (who.store) filters.store = who.store;
  if (r.truncated) filters.truncated = 'primeros eventos / first events only';
  return {
    title: { es: `Anulaciones y descuadres de ${who.cashier}`, en: `Voids and cash differences of ${who.cashier}` },
    from: r.from,
    to: r.to,
    groupBy: null,
    filters,
    columns: COLUMNS,
    rows: cashierEventRows(r.events, zoneOf),
  };
}
