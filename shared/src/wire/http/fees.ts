/**
 * HTTP schemas of the franchisor's invoice runs (issue 12): franchise fees per franchisee and month (royalty and
 * marketing fee of each store's net sales) and wholesale invoices from the received delivery notes; preview,
 * post as a job, the runs made. Amounts in cents.
 */
import { z } from 'zod';

export const PeriodSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'periodo AAAA-MM / period YYYY-MM');
export const PeriodQuery = z.object({ period: PeriodSchema });
export const RunKindSchema = z.enum(['fee', 'wholesale']);

export const RunBody = z.object({
  period: PeriodSchema,
  /** Issue date of the invoices (default: today in Madrid); not before the period's last day. */
  issueDate: z.iso.date('Fecha AAAA-MM-DD / date YYYY-MM-DD').optional(),
});
export type RunBody = z.output<typeof RunBody>;

export const RunStatusSchema = z.enum(['to_post', 'posted', 'skipped']);

export const FeeStoreRow = z.object({
  storeId: z.string(),
  storeCode: z.string(),
  storeName: z.string(),
  netSalesCents: z.int(),
  royaltyCents: z.int(),
  marketingCents: z.int(),
});
export type FeeStoreRow = z.output<typeof FeeStoreRow>;

export const FeeLineRow = z.object({
  description: z.string(),
  storeId: z.string(),
  kind: z.enum(['royalty', 'marketing']),
  rateBp: z.int(),
  from: z.string(),
  to: z.string(),
  netSalesCents: z.int(),
  feeCents: z.int(),
});

export const FeePreviewItem = z.object({
  companyId: z.string(),
  companyName: z.string(),
  nif: z.string(),
  status: RunStatusSchema,
  /** Why it is skipped (no contract, no sales, nothing to charge). */
  reason: z.string().nullable(),
  contractId: z.string().nullable(),
  netSalesCents: z.int(),
  baseCents: z.int(),
  ivaCents: z.int(),
  totalCents: z.int(),
  stores: z.array(FeeStoreRow),
  lines: z.array(FeeLineRow),
  invoiceId: z.string().nullable(),
  invoiceNumber: z.string().nullable(),
});
export type FeePreviewItem = z.output<typeof FeePreviewItem>;

export const RunTotals = z.object({ toPost: z.int(), posted: z.int(), skipped: z.int(), baseCents: z.int(), ivaCents: z.int(), totalCents: z.int() });

export const InvoiceRunSchema = z.object({
  id: z.string(),
  kind: RunKindSchema,
  period: z.string(),
  status: z.enum(['posting', 'posted']),
  issueDate: z.string(),
  jobId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  finishedAt: z.string().nullable(),
  result: z.unknown(),
});
export type InvoiceRun = z.output<typeof InvoiceRunSchema>;

export const FeePreviewSchema = z.object({
  period: z.string(),
  from: z.string(),
  to: z.string(),
  issuer: z.object({ id: z.string(), name: z.string(), nif: z.string() }).nullable(),
  items: z.array(FeePreviewItem),
  totals: RunTotals,
  run: InvoiceRunSchema.nullable(),
});
export type FeePreview = z.output<typeof FeePreviewSchema>;

export const WholesalePreviewItem = z.object({
  companyId: z.string(),
  companyName: z.string(),
  nif: z.string(),
  status: RunStatusSchema,
  reason: z.string().nullable(),
  notes: z.array(z.object({ noteId: z.string(), number: z.string(), storeId: z.string(), receivedAt: z.string() })),
  lineCount: z.int(),
  baseCents: z.int(),
  ivaCents: z.int(),
  totalCents: z.int(),
  invoiceId: z.string().nullable(),
  invoiceNumber: z.string().nullable(),
});
export type WholesalePreviewItem = z.output<typeof WholesalePreviewItem>;

export const WholesalePreviewSchema = z.object({
  period: z.string(),
  from: z.string(),
  to: z.string(),
  items: z.array(WholesalePreviewItem),
  totals: RunTotals,
  run: InvoiceRunSchema.nullable(),
});
export type WholesalePreview = z.output<typeof WholesalePreviewSchema>;

export const RunStartedSchema = z.object({ runId: z.string(), jobId: z.string() });
export const RunParams = z.object({ id: z.string().min(1).max(36) });

/** What a posted run keeps: per recipient, its invoice or why it was skipped. */
export const RunResultSchema = z.object({
  posted: z.array(z.object({ companyId: z.string(), invoiceId: z.string(), number: z.string(), totalCents: z.int(), pdfFileId: z.string().nullable() })),
  skipped: z.array(z.object({ companyId: z.string(), companyName: z.string(), reason: z.string() })),
});
export type RunResult = z.output<typeof RunResultSchema>;
