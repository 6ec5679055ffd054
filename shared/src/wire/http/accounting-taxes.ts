/**
 * HTTP shapes of a company's taxes (issue 14): the VAT books with the tills' daily summaries, the modelo 303
 * figures with their reconciliation against the journal, and the modelo 347 statement. Each answers JSON or,
 * with `format=csv|xlsx`, a download of the same rows.
 */
import { z } from 'zod';

const Format = z.enum(['json', 'csv', 'xlsx']).default('json');
export const TaxPeriod = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])|-[1-4]T)?$/, 'yyyy-mm, yyyy-nT or yyyy');
export const ReturnPeriod = z.string().regex(/^\d{4}-((0[1-9]|1[0-2])|[1-4]T)$/, 'yyyy-nT (quarter) or yyyy-mm (month)');

export const VatBooksQuery = z.object({ book: z.enum(['issued', 'received']), period: TaxPeriod, format: Format });
export const VatReturnQuery = z.object({ period: ReturnPeriod, format: Format });
export const AnnualQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100), format: Format });

export const VatBookRowSchema = z.object({
  key: z.string(),
  book: z.enum(['issued', 'received']),
  source: z.enum(['invoice', 'tickets', 'supplier_invoice', 'invoice_received']),
  documentId: z.string().nullable(),
  date: z.string(),
  period: z.string(),
  number: z.string(),
  invoiceType: z.string(),
  status: z.enum(['posted', 'cancelled']),
  counterpartyNif: z.string().nullable(),
  counterpartyName: z.string().nullable(),
  storeId: z.string().nullable(),
  ivaRateBp: z.int(),
  reRateBp: z.int(),
  exemption: z.string().nullable(),
  baseCents: z.int(),
  ivaCents: z.int(),
  reCents: z.int(),
  irpfCents: z.int(),
  rowTotalCents: z.int(),
  ticketCount: z.int().optional(),
  counted: z.boolean(),
});
export const VatBookSchema = z.object({
  companyId: z.string(),
  book: z.enum(['issued', 'received']),
  period: z.string(),
  rows: z.array(VatBookRowSchema),
  totals: z.object({ baseCents: z.int(), ivaCents: z.int(), reCents: z.int(), totalCents: z.int() }),
});

export const BoxSchema = z.object({ box: z.string(), kind: z.enum(['base', 'rate', 'cuota', 'total']), es: z.string(), en: z.string(), value: z.int(), rows: z.array(z.string()) });
export const ReconLineSchema = z.object({
  kind: z.enum(['output_vat', 'output_re', 'input_vat']),
  rateBp: z.int(),
  account: z.string(),
  bookCents: z.int(),
  journalCents: z.int(),
  differenceCents: z.int(),
  explained: z.array(z.object({ reason: z.enum(['tickets_not_posted', 'document_not_posted', 'document_posted_elsewhere']), cents: z.int(), rows: z.array(z.string()), detail: z.string().optional() })),
  unexplainedCents: z.int(),
});
export const VatReturnSchema = z.object({
  companyId: z.string(),
  period: z.string(),
  boxes: z.array(BoxSchema),
  notBoxed: z.array(z.object({ key: z.string(), reason: z.enum(['exempt', 'rate_without_box', 'surcharge_rate_without_box']) })),
  reconciliation: z.array(ReconLineSchema),
  /** The book rows the boxes come from (drill-down by key). */
  rows: z.array(VatBookRowSchema),
});

const Counterparty = z.object({ nif: z.string(), name: z.string(), key: z.enum(['A', 'B']), totalCents: z.int(), quarters: z.array(z.int()).length(4), rows: z.array(z.string()) });
export const AnnualSchema = z.object({
  companyId: z.string(),
  year: z.int(),
  thresholdCents: z.int(),
  declared: z.array(Counterparty),
  under: z.array(Counterparty),
  excluded: z.array(z.object({ rowKey: z.string(), reason: z.enum(['no_nif', 'irpf_withheld', 'foreign']) })),
  rows: z.array(VatBookRowSchema),
});
export type VatBookRowWire = z.infer<typeof VatBookRowSchema>;
export type VatBookAnswer = z.infer<typeof VatBookSchema>;
export type VatReturnAnswer = z.infer<typeof VatReturnSchema>;
export type AnnualAnswer = z.infer<typeof AnnualSchema>;
