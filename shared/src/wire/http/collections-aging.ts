/**
 * HTTP schemas of the aging of receivables/payables (issue 13): open balances at a date in buckets by days
 * past due (not due, 1–30, 31–60, 61–90, over 90) per counterparty and in total, the open items of one
 * counterparty behind a row, and days sales outstanding. Amounts in cents.
 */
import { z } from 'zod';
import { RowIdSchema } from '../limits';

const Day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'fecha AAAA-MM-DD / date YYYY-MM-DD');
export const AgingSide = z.enum(['receivable', 'payable']);
export const AgingCounterpartyKind = z.enum(['company', 'customer', 'supplier', 'other']);

export const AgingQuery = z.object({
  /** The day the balances are aged at (default: today in Madrid). */
  asOf: Day.optional(),
  side: AgingSide.default('receivable'),
  /** One company's items (default: every company the caller sees). */
  companyId: RowIdSchema.optional(),
  /** Rows answered, largest total first (the totals always cover every counterparty). */
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
export type AgingQuery = z.output<typeof AgingQuery>;

export const AgingBucketsSchema = z.object({
  not_due: z.number().int(),
  d1_30: z.number().int(),
  d31_60: z.number().int(),
  d61_90: z.number().int(),
  over_90: z.number().int(),
});

export const AgingRowSchema = z.object({
  counterpartyKind: AgingCounterpartyKind,
  counterpartyId: z.string(),
  counterpartyName: z.string().nullable(),
  buckets: AgingBucketsSchema,
  totalCents: z.number().int(),
  /** Overdue part (every bucket but not_due). */
  overdueCents: z.number().int(),
  /** Items with a non-zero balance. */
  items: z.number().int(),
  /** Days past due of its oldest overdue item still owed (0: nothing overdue). */
  maxDaysPastDue: z.number().int(),
});
export type AgingRow = z.infer<typeof AgingRowSchema>;

export const AgingAnswer = z.object({
  asOf: Day,
  side: AgingSide,
  companyId: z.string().nullable(),
  rows: z.array(AgingRowSchema),
  /** Counterparties with a non-zero balance (rows holds at most `limit` of them). */
  counterparties: z.number().int(),
  total: AgingRowSchema.omit({ counterpartyKind: true, counterpartyId: true, counterpartyName: true }),
});
export type AgingAnswer = z.infer<typeof AgingAnswer>;

export const AgingItemsQuery = z.object({
  asOf: Day.optional(),
  side: AgingSide.default('receivable'),
  companyId: RowIdSchema.optional(),
  counterpartyKind: AgingCounterpartyKind,
  counterpartyId: z.string().min(1).max(64),
});
export type AgingItemsQuery = z.output<typeof AgingItemsQuery>;

export const AgingBucketName = z.enum(['not_due', 'd1_30', 'd31_60', 'd61_90', 'over_90']);
export const AgingItemSchema = z.object({
  id: z.string(),
  companyId: z.string(),
  documentRef: z.string(),
  kind: z.string(),
  issueDate: Day,
  dueDate: Day,
  amountCents: z.number().int(),
  balanceCents: z.number().int(),
  status: z.string(),
  daysPastDue: z.number().int(),
  bucket: AgingBucketName,
  dunningLevel: z.number().int(),
});
export type AgingItem = z.infer<typeof AgingItemSchema>;
export const AgingItemsAnswer = z.object({ asOf: Day, items: z.array(AgingItemSchema) });
export type AgingItemsAnswer = z.infer<typeof AgingItemsAnswer>;

export const DsoQuery = z.object({
  from: Day,
  to: Day,
  companyId: RowIdSchema.optional(),
});
export type DsoQuery = z.output<typeof DsoQuery>;

export const DsoAnswer = z.object({
  from: Day,
  to: Day,
  companyId: z.string().nullable(),
  /** Days of the period, both ends included. */
  periodDays: z.number().int(),
  /** Receivables still owed at the end of the period (postings up to `to`). */
  receivablesCents: z.number().int(),
  /** Credit sales of the period: invoiced − credited (postings dated in the period). */
  creditSalesCents: z.number().int(),
  /** Days sales outstanding in tenths of a day (456 = 45.6 days); null without credit sales. */
  dsoTenths: z.number().int().nullable(),
});
export type DsoAnswer = z.infer<typeof DsoAnswer>;
