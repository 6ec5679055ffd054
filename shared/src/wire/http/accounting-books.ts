/**
 * HTTP shapes of a company's books and statements (issue 14): the journal, the general ledger, the trial
 * balance, the profit and loss account and the balance sheet — read-only, by period, with the store as an
 * analytic filter and the same period a year earlier beside. Each answers JSON or an export (`format`).
 */
import { z } from 'zod';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as yyyy-mm');
const date = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date as yyyy-mm-dd');
const storeId = z.string().min(1).max(64).optional();
const page = z.coerce.number().int().min(1).default(1);
const pageSize = z.coerce.number().int().min(1).max(500).default(50);

const inOrder = { check: (q: { from: string; to: string }) => q.from <= q.to, message: { message: 'from must not be after to', path: ['to'] } };

export const JournalQuery = z.object({ from: date, to: date, storeId, page, pageSize, format: z.enum(['json', 'csv', 'xlsx']).default('json') }).refine(inOrder.check, inOrder.message);
export type JournalQuery = z.output<typeof JournalQuery>;

export const LedgerQuery = z
  .object({
    /** An account or a prefix of one (`572` → every bank sub-account). */
    account: z.string().regex(/^[1-9]\d{0,11}$/, 'an account code or prefix (digits)'),
    from: date,
    to: date,
    storeId,
    page,
    pageSize: z.coerce.number().int().min(1).max(1000).default(100),
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  })
  .refine(inOrder.check, inOrder.message);
export type LedgerQuery = z.output<typeof LedgerQuery>;

export const TrialBalanceQuery = z
  .object({
    from: month,
    to: month,
    level: z.coerce.number().pipe(z.union([z.literal(3), z.literal(4), z.literal(8)])).default(8),
    storeId,
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
  })
  .refine(inOrder.check, inOrder.message);
export type TrialBalanceQuery = z.output<typeof TrialBalanceQuery>;

export const StatementQuery = z.object({ from: month, to: month, storeId, format: z.enum(['json', 'csv', 'xlsx', 'pdf']).default('json') }).refine(inOrder.check, inOrder.message);
export type StatementQuery = z.output<typeof StatementQuery>;

const Company = z.object({ id: z.string(), legalName: z.string(), nif: z.string() });

export const JournalLineSchema = z.object({ lineNo: z.number(), account: z.string(), accountName: z.string().nullable(), debitCents: z.number(), creditCents: z.number(), storeId: z.string().nullable(), description: z.string().nullable() });
export const JournalEntrySchema = z.object({
  id: z.string(),
  year: z.number(),
  number: z.number(),
  entryDate: z.string(),
  documentDate: z.string(),
  kind: z.string(),
  description: z.string(),
  sourceType: z.string().nullable(),
  sourceRef: z.string().nullable(),
  totalCents: z.number(),
  lines: z.array(JournalLineSchema),
});
export const JournalSchema = z.object({
  company: Company,
  from: z.string(),
  to: z.string(),
  storeId: z.string().nullable(),
  items: z.array(JournalEntrySchema),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
  hasMore: z.boolean(),
  /** Sums of the whole range (all pages). */
  debitCents: z.number(),
  creditCents: z.number(),
});
export type Journal = z.infer<typeof JournalSchema>;

export const LedgerLineSchema = z.object({
  entryId: z.string(),
  entryNumber: z.number(),
  entryDate: z.string(),
  account: z.string(),
  description: z.string(),
  debitCents: z.number(),
  creditCents: z.number(),
  /** debit − credit after this line, from the opening balance. */
  balanceCents: z.number(),
  storeId: z.string().nullable(),
});
export const LedgerSchema = z.object({
  company: Company,
  account: z.string(),
  accountName: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  storeId: z.string().nullable(),
  openingCents: z.number(),
  debitCents: z.number(),
  creditCents: z.number(),
  closingCents: z.number(),
  items: z.array(LedgerLineSchema),
  page: z.number(),
  pageSize: z.number(),
  total: z.number(),
  hasMore: z.boolean(),
});
export type Ledger = z.infer<typeof LedgerSchema>;

const TrialFigures = z.object({ openingCents: z.number(), debitCents: z.number(), creditCents: z.number(), closingCents: z.number() });
export const TrialRowSchema = TrialFigures.extend({ account: z.string(), name: z.string().nullable(), previous: TrialFigures });
export const TrialBalanceSchema = z.object({
  company: Company,
  from: z.string(),
  to: z.string(),
  previousFrom: z.string(),
  previousTo: z.string(),
  level: z.number(),
  storeId: z.string().nullable(),
  rows: z.array(TrialRowSchema),
  totals: TrialFigures,
  previousTotals: TrialFigures,
});
export type TrialBalance = z.infer<typeof TrialBalanceSchema>;

export const StatementLineSchema = z.object({
  id: z.string(),
  ref: z.string(),
  es: z.string(),
  en: z.string(),
  kind: z.enum(['item', 'total', 'heading']),
  level: z.number(),
  cents: z.number(),
  previousCents: z.number(),
  accounts: z.array(z.object({ account: z.string(), cents: z.number() })),
});
export const StatementSchema = z.object({
  company: Company,
  statement: z.enum(['profit_and_loss', 'balance_sheet']),
  from: z.string(),
  to: z.string(),
  previousFrom: z.string(),
  previousTo: z.string(),
  storeId: z.string().nullable(),
  lines: z.array(StatementLineSchema),
  /** Balance sheet: total assets and total equity + liabilities (equal); P&L: the result (D). */
  totals: z.object({ assetsCents: z.number(), equityLiabilitiesCents: z.number(), resultCents: z.number(), previousAssetsCents: z.number(), previousEquityLiabilitiesCents: z.number(), previousResultCents: z.number() }),
});
export type Statement = z.infer<typeof StatementSchema>;
