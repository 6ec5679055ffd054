/**
 * HTTP schemas of the CRM core (issue 15, backoffice/src/crm): the customer list with search and filters, the
 * customer page (360), notes, duplicates and merges, segments by rules. Amounts in cents.
 */
import { z } from 'zod';
import { CustomerInputSchema } from '../../crm/customer';
import { RowIdSchema } from '../limits';

export const CustomerListQuery = z.object({
  /** Name words, phone, email, NIF or loyalty card (prefix). */
  q: z.string().max(200).optional(),
  /** `member`: has a loyalty card; `noContact`: neither phone nor email. */
  filter: z.enum(['all', 'member', 'noContact', 'withNif']).default('all'),
  segmentId: RowIdSchema.optional(),
  storeId: RowIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type CustomerListQuery = z.output<typeof CustomerListQuery>;

export const CustomerSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  nif: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  loyaltyCard: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string().nullable(),
  originStoreId: z.string().nullable(),
});
export type CustomerSummary = z.infer<typeof CustomerSummarySchema>;
export const CustomerListAnswer = z.object({ customers: z.array(CustomerSummarySchema), total: z.number().int() });

export const CustomerCreateBody = CustomerInputSchema.extend({ id: RowIdSchema.optional() });
export const CustomerUpdateBody = CustomerInputSchema;

/** One section of the customer page, from the module that owns it (loyalty, consents… as they arrive). */
export const CustomerSectionSchema = z.object({
  module: z.string(),
  title: z.string(),
  /** Rows to show as a table (label → value); empty: "nothing yet". */
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
});
export type CustomerSection = z.infer<typeof CustomerSectionSchema>;

const TicketRow = z.object({
  id: z.string(), fiscalNumber: z.string(), storeId: z.string(), storeName: z.string(), businessDate: z.string(), kind: z.string(), totalCents: z.number().int(),
});
export const Customer360Schema = z.object({
  customer: CustomerSummarySchema,
  mergedFrom: z.array(z.object({ id: z.string(), mergedAt: z.string() })),
  purchases: z.array(TicketRow),
  returns: z.array(TicketRow),
  /** Per store: tickets and spend. */
  stores: z.array(z.object({ storeId: z.string(), storeName: z.string(), tickets: z.number().int(), spendCents: z.number().int() })),
  invoices: z.array(z.object({ id: z.string(), number: z.string().nullable(), issueDate: z.string().nullable(), status: z.string(), totalCents: z.number().int() })),
  /** Owed by the customer: open items with a balance (receivables of tickets on account, invoices due). */
  balanceCents: z.number().int(),
  openItems: z.array(z.object({ id: z.string(), documentRef: z.string().nullable(), dueDate: z.string(), balanceCents: z.number().int() })),
  notes: z.array(z.object({ id: z.string(), body: z.string(), createdAt: z.string(), author: z.string().nullable() })),
  segments: z.array(z.object({ id: z.string(), name: z.string() })),
  sections: z.array(CustomerSectionSchema),
});
export type Customer360 = z.infer<typeof Customer360Schema>;

export const NoteBody = z.strictObject({ body: z.string().trim().min(1).max(4000) });

export const DuplicatePairSchema = z.object({
  a: CustomerSummarySchema,
  b: CustomerSummarySchema,
  /** What they share, normalised. */
  reasons: z.array(z.enum(['nif', 'email', 'phone'])),
});
export const DuplicatesAnswer = z.object({ pairs: z.array(DuplicatePairSchema) });

export const MergeBody = z.strictObject({
  /** The customer that stays (A). */
  intoId: RowIdSchema,
  /** The customer merged into A and removed (B). */
  mergedId: RowIdSchema,
});
export const MergeAnswer = z.object({
  intoId: z.string(),
  mergedId: z.string(),
  /** Rows moved from B to A, per table. */
  moved: z.record(z.string(), z.number().int()),
  version: z.number().int(),
});

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const SegmentRulesSchema = z.strictObject({
  /** The period the other rules look at: purchases in the last N days (default 365). */
  periodDays: z.int().min(1).max(3660).default(365),
  /** Spent at least this much in the period (tickets net of returns). */
  minSpendCents: z.int().min(0).max(1_000_000_000).optional(),
  /** Bought within the last N days (recency). */
  boughtWithinDays: z.int().min(1).max(3660).optional(),
  /** Has not bought for N days (lapsed customers). */
  notBoughtForDays: z.int().min(1).max(3660).optional(),
  /** Bought at this store (in the period). */
  storeId: RowIdSchema.optional(),
  /** Bought something of this category (in the period). */
  categoryId: RowIdSchema.optional(),
});
export type SegmentRules = z.output<typeof SegmentRulesSchema>;

export const SegmentBody = z.strictObject({ name: z.string().trim().min(1).max(120), rules: SegmentRulesSchema });
export const SegmentSchema = z.object({
  id: z.string(), name: z.string(), rules: SegmentRulesSchema, memberCount: z.number().int(), computedAt: z.string().nullable(),
});
export const SegmentsAnswer = z.object({ segments: z.array(SegmentSchema) });
export const SegmentPreviewAnswer = z.object({ count: z.number().int(), asOf: Day });
export const RecomputeAnswer = z.object({ segments: z.number().int(), changedCustomers: z.number().int(), version: z.number().int() });
