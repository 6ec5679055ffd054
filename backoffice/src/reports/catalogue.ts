/** The management reports: key, title (ES/EN), the filters each honours, its groupings and chart. */
import type { ReportColumn, ReportInfo, ReportKey } from '@tpv/shared/wire/http/reports';

const ALL = ['company', 'store', 'category', 'product', 'cashier'] as const;
const NO_CASHIER = ['company', 'store', 'category', 'product'] as const;
const STORES = ['company', 'store'] as const;

export const REPORTS: readonly ReportInfo[] = [
  { key: 'sales-by-period', title: { es: 'Ventas por periodo', en: 'Sales by period' }, filters: [...ALL], groupBy: ['day', 'week', 'month'], compare: true, chart: 'line' },
  { key: 'heatmap', title: { es: 'Ventas por hora y día de la semana', en: 'Sales by hour and weekday' }, filters: [...NO_CASHIER], groupBy: [], compare: false, chart: 'heatmap' },
  { key: 'sales-by-store', title: { es: 'Ventas por tienda', en: 'Sales by store' }, filters: [...STORES], groupBy: [], compare: true, chart: 'bar' },
  { key: 'sales-by-category', title: { es: 'Ventas por categoría', en: 'Sales by category' }, filters: [...NO_CASHIER], groupBy: [], compare: true, chart: 'bar' },
  { key: 'sales-by-product', title: { es: 'Ventas por producto', en: 'Sales by product' }, filters: [...NO_CASHIER], groupBy: [], compare: true, chart: 'bar' },
  { key: 'sales-by-cashier', title: { es: 'Ventas por cajero', en: 'Sales by cashier' }, filters: ['company', 'store', 'cashier'], groupBy: [], compare: true, chart: 'bar' },
  { key: 'sales-by-payment', title: { es: 'Ventas por forma de pago', en: 'Sales by payment method' }, filters: [...STORES], groupBy: [], compare: true, chart: 'bar' },
  { key: 'returns-discounts', title: { es: 'Devoluciones y descuentos', en: 'Returns and discounts' }, filters: [...STORES], groupBy: [], compare: true, chart: 'bar' },
  { key: 'margin', title: { es: 'Margen bruto', en: 'Gross margin' }, filters: [...NO_CASHIER], groupBy: ['store', 'category', 'product'], compare: true, chart: 'bar' },
  { key: 'abc', title: { es: 'Análisis ABC (Pareto)', en: 'ABC (Pareto) analysis' }, filters: [...NO_CASHIER], groupBy: ['sales', 'margin'], compare: false, chart: 'pareto' },
  { key: 'stock-rotation', title: { es: 'Rotación y días de cobertura', en: 'Stock rotation and days of cover' }, filters: [...NO_CASHIER], groupBy: [], compare: false, chart: 'none' },
  { key: 'stock-no-sales', title: { es: 'Productos con stock y sin ventas', en: 'Products with stock and no sales' }, filters: [...NO_CASHIER], groupBy: [], compare: false, chart: 'none' },
  { key: 'benchmark', title: { es: 'Comparativa de franquicias', en: 'Franchise benchmark' }, filters: [...STORES], groupBy: [], compare: false, chart: 'bar' },
  { key: 'cashiers', title: { es: 'Indicadores de cajeros', en: 'Cashier figures' }, filters: ['company', 'store', 'cashier'], groupBy: [], compare: true, chart: 'none' },
  { key: 'promotions', title: { es: 'Resultados de promociones', en: 'Promotion results' }, filters: [...NO_CASHIER], groupBy: [], compare: false, chart: 'bar' },
];

export const reportInfo = (key: ReportKey): ReportInfo => REPORTS.find((r) => r.key === key)!;

const c = (key: string, es: string, en: string, kind: ReportColumn['kind']): ReportColumn => ({ key, label: { es, en }, kind });

/** Columns used by several reports. */
export const COL = {
  store: c('store', 'Tienda', 'Store', 'text'),
  tickets: c('tickets', 'Tickets', 'Tickets', 'int'),
  returnsTickets: c('returnsTickets', 'Devoluciones', 'Returns', 'int'),
  units: c('units', 'Unidades', 'Units', 'int'),
  gross: c('grossCents', 'Ventas (IVA incl.)', 'Sales (VAT incl.)', 'cents'),
  net: c('netCents', 'Ventas netas (sin IVA)', 'Net sales (ex VAT)', 'cents'),
  discount: c('discountCents', 'Descuentos', 'Discounts', 'cents'),
  avgTicket: c('avgTicketCents', 'Ticket medio', 'Average ticket', 'cents'),
  share: c('sharePct', '% del total', '% of total', 'pct'),
  cost: c('costCents', 'Coste', 'Cost', 'cents'),
  margin: c('marginCents', 'Margen', 'Margin', 'cents'),
  marginPct: c('marginPct', 'Margen %', 'Margin %', 'pct'),
  returnsUnits: c('returnsUnits', 'Unidades devueltas', 'Units returned', 'int'),
  returnsCents: c('returnsCents', 'Importe devuelto', 'Amount returned', 'cents'),
  col: c,
};
