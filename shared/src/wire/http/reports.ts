/** Read models of the admin pages: terminals and their sync state, sales per store and day. */
import { z } from 'zod';

export const TerminalStatusSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    storeId: z.string(),
    storeCode: z.string(),
    storeName: z.string(),
    installation: z.string(),
    paired: z.boolean(),
    revoked: z.boolean(),
    lastSeenAt: z.string().nullable(),
    lastAckedSeq: z.int(),
    held: z.int().meta({ description: 'Tickets received beyond a gap, waiting in ingest_hold' }),
    pending: z.int().nullable().meta({ description: 'Sent to this node but not yet acked (highest seq seen − acked); null when unknown' }),
    catalogVersion: z.int(),
    appVersion: z.string().nullable(),
    online: z.boolean(),
    chainBreaks: z.int(),
    rejected: z.int(),
    conflict: z.object({ message: z.string(), at: z.string() }).nullable().meta({ description: 'The till reported that HQ holds more than it wrote' }),
    replacedById: z.string().nullable().meta({ description: 'Retired by a replacement: the terminal that took over' }),
    replacesId: z.string().nullable().meta({ description: 'The terminal this one replaced' }),
  })
  .meta({ id: 'TerminalStatus' });
export type TerminalStatus = z.infer<typeof TerminalStatusSchema>;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd');
export const SalesQuery = z.object({ storeId: z.string().max(36).optional(), from: Day.optional(), to: Day.optional() });

export const DailySalesSchema = z
  .object({
    storeId: z.string(),
    storeCode: z.string(),
    storeName: z.string(),
    businessDate: z.string(),
    tickets: z.int(),
    sales: z.int(),
    returns: z.int(),
    totalCents: z.int(),
    taxCents: z.int(),
  })
  .meta({ id: 'DailySales' });
export type DailySales = z.infer<typeof DailySalesSchema>;

// ---------------------------------------------------------------------------------------------------------
// Management reports (issue 18): GET /api/reports lists them, GET /api/reports/{key} answers one (JSON, or
// the same table as CSV/XLSX/PDF with `format`). Every figure comes from the rollups the ingest keeps.
// ---------------------------------------------------------------------------------------------------------

export const REPORT_KEYS = [
  'sales-by-period',
  'heatmap',
  'sales-by-store',
  'sales-by-category',
  'sales-by-product',
  'sales-by-cashier',
  'sales-by-payment',
  'returns-discounts',
  'margin',
  'abc',
  'stock-rotation',
  'stock-no-sales',
  'benchmark',
  'cashiers',
  'promotions',
] as const;
export const ReportKeySchema = z.enum(REPORT_KEYS);
export type ReportKey = z.infer<typeof ReportKeySchema>;

export const REPORT_FILTERS = ['company', 'store', 'category', 'product', 'cashier'] as const;
export type ReportFilter = (typeof REPORT_FILTERS)[number];
export const REPORT_COMPARES = ['none', 'previous', 'last_year'] as const;
export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;

export const I18nTextSchema = z.object({ es: z.string(), en: z.string() });
export type I18nText = z.infer<typeof I18nTextSchema>;

/** A calendar date that exists (no 2026-13-01, no 30 February). */
const RealDay = Day.refine((d) => {
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}, 'fecha inexistente / not a real date');

/** Query of GET /api/reports/{key}: `from`/`to` inclusive business dates (store's local date), ≤ 3 years apart. */
export const ReportQuerySchema = z
  .object({
    from: RealDay.optional().meta({ description: 'First business date (default: 30 days before to)' }),
    to: RealDay.optional().meta({ description: 'Last business date, inclusive (default: today)' }),
    company: z.guid().optional(),
    store: z.guid().optional(),
    // Catalogue ids are opaque (imports may bring their own), so not checked as UUIDs.
    category: z.string().min(1).max(64).optional(),
    product: z.string().min(1).max(64).optional(),
    cashier: z.string().min(1).max(64).optional(),
    groupBy: z.string().max(20).optional().meta({ description: "Report's grouping: sales-by-period day|week|month; margin store|category|product; abc sales|margin" }),
    compare: z.enum(REPORT_COMPARES).default('none'),
    format: z.enum(REPORT_FORMATS).default('json'),
  })
  .meta({ id: 'ReportQuery' });
export type ReportQuery = z.output<typeof ReportQuerySchema>;

export const ReportColumnSchema = z.object({
  key: z.string(),
  label: I18nTextSchema,
  /** cents: integer euro cents; int: a count; pct: a percentage (12.5 = 12,5 %); date: yyyy-mm-dd. */
  kind: z.enum(['text', 'cents', 'int', 'pct', 'date']),
});
export type ReportColumn = z.infer<typeof ReportColumnSchema>;

export const ReportRowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
export type ReportRow = z.infer<typeof ReportRowSchema>;

export const ReportResultSchema = z
  .object({
    key: ReportKeySchema,
    title: I18nTextSchema,
    from: Day,
    to: Day,
    groupBy: z.string().nullable(),
    /** The filters applied, as asked (ids), for the page and the PDF's header. */
    filters: z.record(z.string(), z.string()),
    columns: z.array(ReportColumnSchema),
    rows: z.array(ReportRowSchema),
    /** Sums (or the period's ratio for pct columns) over all rows; text columns absent. */
    totals: ReportRowSchema,
    /**
     * The same report over the comparison period: `previous` = as many days just before `from`; `last_year`
     * = the same dates a year earlier, like-for-like (rows and totals of BOTH periods only over the stores
     * that sold in both: `stores` lists them).
     */
    compare: z
      .object({
        kind: z.enum(['previous', 'last_year']),
        label: I18nTextSchema,
        from: Day,
        to: Day,
        rows: z.array(ReportRowSchema),
        totals: ReportRowSchema,
        stores: z.array(z.string()).nullable(),
      })
      .optional(),
  })
  .meta({ id: 'ReportResult' });
export type ReportResult = z.infer<typeof ReportResultSchema>;

export const ReportInfoSchema = z
  .object({
    key: ReportKeySchema,
    title: I18nTextSchema,
    /** Filters the report honours (others are ignored). */
    filters: z.array(z.enum(REPORT_FILTERS)),
    /** Allowed `groupBy` values (first = default); empty when the report has none. */
    groupBy: z.array(z.string()),
    /** Whether `compare` applies. */
    compare: z.boolean(),
    /** Suggested chart for the page: line/bar over the first column, heatmap, pareto, or none (table only). */
    chart: z.enum(['line', 'bar', 'heatmap', 'pareto', 'none']),
  })
  .meta({ id: 'ReportInfo' });
export type ReportInfo = z.infer<typeof ReportInfoSchema>;

/** POST /api/reports/rebuild: recompute the rollups of a store (or all in scope: HQ only) and date range, as a job. */
export const ReportRebuildBodySchema = z.object({ storeId: z.guid().optional(), from: RealDay, to: RealDay }).meta({ id: 'ReportRebuildBody' });
export type ReportRebuildBody = z.infer<typeof ReportRebuildBodySchema>;

/**
 * Issue 18: one cashier's voids, cancelled tickets and cash differences over a period (the drill-down of the
 * cashiers report), with who authorised or confirmed each (the supervisor's name as HQ knows the staff member).
 */
export const CashierEventsQuerySchema = z
  .object({
    from: RealDay.optional().meta({ description: 'First business date (default: 30 days before to)' }),
    to: RealDay.optional().meta({ description: 'Last business date, inclusive (default: today)' }),
    cashierId: z.string().min(1).max(64),
    storeId: z.guid().optional(),
    format: z.enum(REPORT_FORMATS).default('json').meta({ description: 'json, or the same rows as a csv|xlsx|pdf file (as the reports)' }),
  })
  .meta({ id: 'CashierEventsQuery' });
export type CashierEventsQuery = z.infer<typeof CashierEventsQuerySchema>;

export const CASHIER_EVENT_KINDS = ['void', 'ticket_cancel', 'cash_close'] as const;

export const CashierEventSchema = z
  .object({
    id: z.string(),
    kind: z.enum(CASHIER_EVENT_KINDS).meta({ description: 'void: a line voided; ticket_cancel: a whole ticket cancelled in one action; cash_close: a cash close and its difference' }),
    at: z.string(),
    businessDate: Day,
    storeId: z.string(),
    store: z.string(),
    terminalId: z.string(),
    till: z.string(),
    cashierId: z.string(),
    cashier: z.string(),
    /** void / ticket_cancel: the amount voided; cash_close: counted − expected (negative = short). */
    cents: z.int(),
    /** ticket_cancel: the lines of the ticket; void: 1; cash_close: 0. */
    lines: z.int(),
    cartEmptied: z.boolean(),
    supervisorId: z.string().nullable(),
    /** The staff member's name at HQ (null when none authorised: a close without a difference to confirm). */
    supervisor: z.string().nullable(),
  })
  .meta({ id: 'CashierEvent' });
export type CashierEvent = z.infer<typeof CashierEventSchema>;

export const CashierEventsResultSchema = z
  .object({ from: Day, to: Day, cashierId: z.string(), events: z.array(CashierEventSchema), truncated: z.boolean() })
  .meta({ id: 'CashierEventsResult' });
export type CashierEventsResult = z.infer<typeof CashierEventsResultSchema>;
