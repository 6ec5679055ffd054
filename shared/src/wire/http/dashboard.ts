/** Live dashboard figures (socket.io `/dashboard` and GET /api/dashboard), saved/scheduled report views and the report inbox. */
import { z } from 'zod';
import { RowIdSchema } from '../limits';

/** One store's figures for one business date (sales_day + dashboard_units_day). Amounts with IVA, cents. */
export const DayFiguresSchema = z.object({
  salesCents: z.int().meta({ description: 'Net sales with IVA: sales − returns' }),
  tickets: z.int().meta({ description: 'Sale tickets (returns not counted)' }),
  returns: z.int(),
  units: z.int().meta({ description: 'Units sold less units returned (a weighed line counts 1)' }),
});
export type DayFigures = z.infer<typeof DayFiguresSchema>;

export const StoreFiguresSchema = z
  .object({
    storeId: z.string(),
    storeCode: z.string(),
    storeName: z.string(),
    companyId: z.string(),
    businessDate: z.string(),
    today: DayFiguresSchema,
    /** Same weekday last year (364 days before); null when the store sold nothing that day (not like-for-like). */
    lastYear: DayFiguresSchema.nullable(),
  })
  .meta({ id: 'DashboardStoreFigures' });
export type StoreFigures = z.infer<typeof StoreFiguresSchema>;

export const DashboardSnapshotSchema = z
  .object({
    at: z.string().meta({ description: 'When the figures were read (ISO)' }),
    stores: z.array(StoreFiguresSchema),
  })
  .meta({ id: 'DashboardSnapshot' });
export type DashboardSnapshot = z.infer<typeof DashboardSnapshotSchema>;

/** Socket events of the `/dashboard` namespace. */
export const DASHBOARD_NAMESPACE = '/dashboard';
export const DASHBOARD_EVENTS = {
  /** Every visible store's figures, sent on connection. */
  snapshot: 'dashboard:snapshot',
  /** The figures of the stores whose tickets were applied since the last push (coalesced, ≤ 4 per second). */
  update: 'dashboard:update',
} as const;

// ── Saved views, schedules, inbox ──

const Name = z.string().trim().min(1).max(120);
const ReportKey = z.string().regex(/^[a-z0-9_-]{1,60}$/, 'report key');
/** A report's query string values (from, to, company, store, category, product, cashier, groupBy, compare). */
export const ViewFiltersSchema = z.record(z.string().regex(/^[A-Za-z]{1,30}$/), z.string().max(200)).refine((r) => Object.keys(r).length <= 20, 'too many filters');

export const ViewBody = z.object({
  name: Name,
  reportKey: ReportKey,
  filters: ViewFiltersSchema,
  /** HQ only: share the view with every user of this company. */
  companyId: RowIdSchema.nullable().optional(),
});
export type ViewBody = z.infer<typeof ViewBody>;

export const ScheduleSchema = z
  .object({
    id: z.string(),
    frequency: z.enum(['daily', 'weekly']),
    weekday: z.int().min(1).max(7).nullable().meta({ description: 'ISO weekday (1 = Monday) of a weekly schedule' }),
    timeOfDay: z.string(),
    timeZone: z.string(),
    format: z.enum(['pdf', 'xlsx']),
    nextRunAt: z.string(),
    lastRunAt: z.string().nullable(),
  })
  .meta({ id: 'ReportSchedule' });
export type ReportSchedule = z.infer<typeof ScheduleSchema>;

export const ViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    reportKey: z.string(),
    filters: z.record(z.string(), z.string()),
    companyId: z.string().nullable(),
    mine: z.boolean().meta({ description: 'The caller saved it (others are shared with their company)' }),
    createdAt: z.string(),
    schedules: z.array(ScheduleSchema),
  })
  .meta({ id: 'ReportView' });
export type ReportView = z.infer<typeof ViewSchema>;
export const ViewList = z.object({ items: z.array(ViewSchema) });
export const IdParam = z.object({ id: RowIdSchema });

export const ScheduleBody = z
  .object({
    frequency: z.enum(['daily', 'weekly']),
    weekday: z.int().min(1).max(7).nullable().optional(),
    timeOfDay: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'hh:mm'),
    timeZone: z.string().max(64).optional(),
    format: z.enum(['pdf', 'xlsx']),
  })
  .superRefine((b, ctx) => {
    if (b.frequency === 'weekly' && !b.weekday) ctx.addIssue({ code: 'custom', path: ['weekday'], message: 'a weekly schedule needs its weekday (1-7)' });
  });
export type ScheduleBody = z.infer<typeof ScheduleBody>;

export const InboxItemSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    fileId: z.string(),
    fileName: z.string(),
    createdAt: z.string(),
    read: z.boolean(),
  })
  .meta({ id: 'ReportInboxItem' });
export type InboxItem = z.infer<typeof InboxItemSchema>;
export const InboxList = z.object({ items: z.array(InboxItemSchema), unread: z.int() });
