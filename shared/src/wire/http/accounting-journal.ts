/**
 * HTTP shapes of the accountant's daily work on one company's books (issue 14, journal part): the chart of
 * accounts with balances, sub-accounts, journal entries (list, one with its lines, manual entries with
 * attachments, reversals, the refusal to delete) and recurring entries.
 */
import { z } from 'zod';
import { CompanyParams } from './accounting';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as yyyy-mm-dd');
const Period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as yyyy-mm');
/** A postable sub-account: 8 digits under a PGC account. */
const SubaccountCode = z.string().regex(/^\d{8}$/, 'a sub-account has 8 digits');
const Cents = z.int().min(0).max(99_999_999_999);

// ── chart ────────────────────────────────────────────────────────────────────────────────────────────────
export const ChartQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
export const AccountSchema = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  nature: z.enum(['asset', 'liability', 'equity', 'expense', 'income']),
  postable: z.boolean(),
  blocked: z.boolean(),
  counterparty: z.object({ kind: z.string(), id: z.string(), group: z.string().nullable(), nif: z.string().nullable() }).nullable(),
  /** The year's sums (a heading: of every sub-account under it); balance = debit − credit. */
  debitCents: z.number(),
  creditCents: z.number(),
  balanceCents: z.number(),
});
export type AccountView = z.output<typeof AccountSchema>;
export const ChartAnswer = z.object({ companyId: z.string(), year: z.number(), accounts: z.array(AccountSchema) });
export type ChartAnswer = z.output<typeof ChartAnswer>;

export const AccountParams = CompanyParams.extend({ code: z.string().regex(/^\d{1,12}$/, 'digits only') });
export const SubaccountBody = z.strictObject({ code: SubaccountCode, name: z.string().trim().min(1).max(200) });
export const SubaccountPatch = z
  .strictObject({ name: z.string().trim().min(1).max(200).optional(), blocked: z.boolean().optional() })
  .refine((b) => b.name !== undefined || b.blocked !== undefined, { message: 'name or blocked', path: ['name'] });

// ── entries ──────────────────────────────────────────────────────────────────────────────────────────────
export const EntryListQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  period: Period.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  /** An account or a heading: entries with a line on it or under it. */
  account: z.string().regex(/^\d{1,12}$/, 'digits only').optional(),
  kind: z.string().max(24).optional(),
  sourceType: z.string().max(32).optional(),
  q: z.string().trim().max(200).optional(),
});
export const EntrySummarySchema = z.object({
  id: z.string(),
  year: z.number(),
  number: z.number(),
  entryDate: z.string(),
  documentDate: z.string(),
  period: z.string(),
  kind: z.string(),
  sourceType: z.string().nullable(),
  sourceId: z.string().nullable(),
  sourceRef: z.string().nullable(),
  description: z.string(),
  totalCents: z.number(),
  reversesId: z.string().nullable(),
  reversedById: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
export type EntrySummary = z.output<typeof EntrySummarySchema>;
export const EntryPage = z.object({ items: z.array(EntrySummarySchema), page: z.int(), pageSize: z.int(), total: z.int(), hasMore: z.boolean() });
export type EntryPage = z.output<typeof EntryPage>;

export const AttachmentSchema = z.object({ id: z.string(), name: z.string(), mediaType: z.string(), sizeBytes: z.number() });
export type AttachmentView = z.output<typeof AttachmentSchema>;
export const EntryRefSchema = z.object({ id: z.string(), year: z.number(), number: z.number(), entryDate: z.string() });
export const EntryDetail = EntrySummarySchema.extend({
  lines: z.array(
    z.object({
      lineNo: z.number(),
      account: z.string(),
      accountName: z.string().nullable(),
      debitCents: z.number(),
      creditCents: z.number(),
      storeId: z.string().nullable(),
      storeName: z.string().nullable(),
      description: z.string().nullable(),
    }),
  ),
  attachments: z.array(AttachmentSchema),
  reverses: EntryRefSchema.nullable(),
  reversedBy: EntryRefSchema.nullable(),
});
export type EntryDetail = z.output<typeof EntryDetail>;

export const EntryParams = CompanyParams.extend({ entryId: z.string().min(1).max(64) });
export const EntryLineBody = z.strictObject({
  account: SubaccountCode,
  debitCents: Cents.default(0),
  creditCents: Cents.default(0),
  storeId: z.string().min(1).max(64).nullable().default(null),
  description: z.string().trim().max(300).nullable().default(null),
});
export type EntryLineBody = z.output<typeof EntryLineBody>;
export const ManualEntryBody = z.strictObject({
  date: IsoDate,
  description: z.string().trim().min(1).max(300),
  lines: z.array(EntryLineBody).min(2).max(500),
  /** Files uploaded with POST …/attachments. */
  attachments: z.array(z.string().min(1).max(64)).max(20).default([]),
});
export const ReverseBody = z.strictObject({ date: IsoDate, reason: z.string().trim().min(1).max(200) });
export const PostedAnswer = z.object({ entry: EntrySummarySchema });
export const AttachmentQuery = z.object({ name: z.string().trim().min(1).max(200).default('adjunto') });

// ── recurring entries ────────────────────────────────────────────────────────────────────────────────────
export const RecurringSchema = z.object({
  id: z.string(),
  companyId: z.string(),
  description: z.string(),
  lines: z.array(z.object({ account: z.string(), debitCents: z.number(), creditCents: z.number(), storeId: z.string().nullable(), description: z.string().nullable() })),
  dayOfMonth: z.number(),
  nextDate: z.string(),
  endDate: z.string().nullable(),
  active: z.boolean(),
  lastEntryId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
export type RecurringView = z.output<typeof RecurringSchema>;
export const RecurringList = z.object({ companyId: z.string(), items: z.array(RecurringSchema) });
export const RecurringBody = z
  .strictObject({
    description: z.string().trim().min(1).max(300),
    lines: z.array(EntryLineBody).min(2).max(100),
    dayOfMonth: z.int().min(1).max(28),
    startDate: IsoDate,
    endDate: IsoDate.nullable().default(null),
  })
  .refine((b) => b.endDate === null || b.endDate >= b.startDate, { message: 'the end is before the start', path: ['endDate'] });
export const RecurringParams = CompanyParams.extend({ recurringId: z.string().min(1).max(64) });
export const RecurringPatch = z.strictObject({ active: z.boolean() });
export const RunDueQuery = z.object({ companyId: z.string().min(1).max(64).optional() });
export const RunDueAnswer = z.object({
  asOf: z.string(),
  posted: z.number(),
  failed: z.array(z.object({ recurringId: z.string(), companyId: z.string(), date: z.string(), message: z.string() })),
});
export type RunDueAnswer = z.output<typeof RunDueAnswer>;
