/**
 * HTTP schemas of the invoices module at HQ: issued invoices per issuing company (list with totals, manual
 * drafts, posting, the invoice page), credit notes R1–R4 by difference (I) or by substitution (S), anulación.
 * The API parses with them and the admin UI builds its forms on the same shapes.
 *
 * Amounts are net (without tax) in cents; quantities in thousandths (1 unit = 1000); rates in basis points.
 */
import { z } from 'zod';
import { PriceCentsSchema, RowIdSchema } from '../limits';
import { TaxRateSchema } from '../ticket';

const Id = RowIdSchema;
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd');
const Bp = z.int().min(0).max(10_000);

export const INVOICE_STATUSES = ['draft', 'posted', 'cancelled'] as const;
export const INVOICE_TYPES = ['F1', 'F3', 'R1', 'R2', 'R3', 'R4'] as const;
export const INVOICE_SOURCES = ['manual', 'fee', 'wholesale', 'ticket', 'credit'] as const;

export const InvoiceIdParams = z.object({ id: Id });

export const InvoiceFilterQuery = z.object({
  companyId: Id.optional(),
  /** Recipient: part of the name or the NIF. */
  recipient: z.string().trim().max(200).optional(),
  invoiceType: z.enum(INVOICE_TYPES).optional(),
  status: z.enum(INVOICE_STATUSES).optional(),
  source: z.enum(INVOICE_SOURCES).optional(),
  /** Issue date from / to (inclusive); drafts have none and drop out when a period is asked. */
  from: Day.optional(),
  to: Day.optional(),
  /** Part of the number (`FV-2026-0000`). */
  number: z.string().trim().max(60).optional(),
});

export const InvoiceListItem = z.object({
  id: z.string(),
  companyId: z.string(),
  companyName: z.string(),
  invoiceType: z.enum(INVOICE_TYPES),
  source: z.enum(INVOICE_SOURCES),
  status: z.enum(INVOICE_STATUSES),
  number: z.string().nullable(),
  issueDate: z.string().nullable(),
  recipientName: z.string(),
  recipientNif: z.string().nullable(),
  rectifiesNumber: z.string().nullable(),
  baseCents: z.int(),
  ivaCents: z.int(),
  reCents: z.int(),
  irpfCents: z.int(),
  totalCents: z.int(),
  createdAt: z.string(),
});
export type InvoiceListItem = z.infer<typeof InvoiceListItem>;

/** Sums over every row the filters match (all pages). */
export const InvoiceTotals = z.object({ count: z.int(), baseCents: z.int(), ivaCents: z.int(), reCents: z.int(), irpfCents: z.int(), totalCents: z.int() });
export type InvoiceTotals = z.infer<typeof InvoiceTotals>;

// ── manual invoices ───────────────────────────────────────────────────────────────────────────────
export const InvoiceRecipientBody = z.discriminatedUnion('kind', [
  /** A company of the franchise (the franchisor or a franchisee): name, NIF and address from the company. */
  z.strictObject({ kind: z.literal('company'), companyId: Id }),
  /** A customer of the shared base: name and NIF from the customer; recargo when the customer is in the regime. */
  z.strictObject({ kind: z.literal('customer'), customerId: Id, address: z.string().trim().max(500).nullable().default(null) }),
  /** Typed: the NIF is validated (Spanish) unless a foreign country is given. */
  z.strictObject({
    kind: z.literal('typed'),
    nif: z.string().trim().max(20),
    name: z.string().trim().min(1).max(200),
    address: z.string().trim().max(500).nullable().default(null),
    country: z.string().regex(/^[A-Z]{2}$/).default('ES'),
    reRegime: z.boolean().default(false),
  }),
]);
export type InvoiceRecipientBody = z.output<typeof InvoiceRecipientBody>;

export const InvoiceLineBody = z.strictObject({
  description: z.string().trim().min(1).max(500),
  /** Thousandths of a unit (1 = 1000). */
  quantityMilli: z.int().min(1).max(1_000_000_000),
  unitPriceCents: PriceCentsSchema,
  discountBp: Bp.default(0),
  ivaRateBp: TaxRateSchema,
  /** Only with IVA 0 %: E1–E6. */
  exemption: z.enum(['E1', 'E2', 'E3', 'E4', 'E5', 'E6']).nullable().default(null),
});

export const ManualInvoiceBody = z.strictObject({
  /** The issuing company (a franchisee manager: one of theirs). */
  companyId: Id,
  recipient: InvoiceRecipientBody,
  lines: z.array(InvoiceLineBody).min(1).max(500),
  /** IRPF withholding (15 % professionals, 19 % rents), 0–47 %. */
  irpfBp: z.int().min(0).max(4700).default(0),
  /** Days after issue of each instalment ([30], [30, 60]). */
  paymentDays: z.array(z.int().min(0).max(365)).min(1).max(12).default([0]),
  paymentMethod: z.enum(['transfer', 'direct_debit', 'card', 'cash']).nullable().default(null),
  operationDate: Day.nullable().default(null),
  language: z.enum(['es', 'en']).default('es'),
  description: z.string().trim().max(500).nullable().default(null),
  notes: z.string().trim().max(2000).nullable().default(null),
});
export type ManualInvoiceBody = z.output<typeof ManualInvoiceBody>;

export const PostInvoiceBody = z.strictObject({ issueDate: Day.optional() });

// ── credit notes and anulación ────────────────────────────────────────────────────────────────────
export const CreditNoteLineBody = z
  .strictObject({
    /** The rectified invoice's line. */
    lineNo: z.int().min(1),
    /** Units to credit (I) or to take off the line (S), in thousandths. */
    quantityMilli: z.int().min(1).max(1_000_000_000).optional(),
    /** Or a net amount off the line (a discount after the sale), in cents. */
    baseCents: z.int().min(1).max(1_000_000_000_00).optional(),
  })
  .refine((l) => (l.quantityMilli === undefined) !== (l.baseCents === undefined), { message: 'quantityMilli or baseCents, one of the two' });

export const CreditNoteBody = z.strictObject({
  /** R1 error in law / art. 80.1, .2, .6 LIVA (returns, later discounts) · R2 insolvency · R3 bad debts · R4 other. */
  type: z.enum(['R1', 'R2', 'R3', 'R4']),
  /** I: by difference (the credit note carries the change, negative) · S: by substitution (it restates the invoice as corrected). */
  method: z.enum(['I', 'S']).default('I'),
  reason: z.string().trim().min(1).max(500),
  /** Whole invoice, or the given lines/quantities/amounts. */
  scope: z.enum(['whole', 'partial']),
  lines: z.array(CreditNoteLineBody).max(500).default([]),
  issueDate: Day.optional(),
  language: z.enum(['es', 'en']).optional(),
});
export type CreditNoteBody = z.output<typeof CreditNoteBody>;

export const CancelInvoiceBody = z.strictObject({ reason: z.string().trim().min(1).max(500) });

// ── the invoice page ──────────────────────────────────────────────────────────────────────────────
export const InvoiceDetail = z.object({
  id: z.string(),
  companyId: z.string(),
  company: z.object({ legalName: z.string(), nif: z.string(), address: z.string().nullable() }),
  invoiceType: z.enum(INVOICE_TYPES),
  source: z.enum(INVOICE_SOURCES),
  status: z.enum(INVOICE_STATUSES),
  number: z.string().nullable(),
  issueDate: z.string().nullable(),
  operationDate: z.string().nullable(),
  language: z.enum(['es', 'en']),
  recipient: z.object({ companyId: z.string().nullable(), customerId: z.string().nullable(), nif: z.string().nullable(), name: z.string(), address: z.string().nullable(), country: z.string() }),
  reRegime: z.boolean(),
  irpfBp: z.int(),
  paymentDays: z.array(z.int()),
  paymentMethod: z.string().nullable(),
  rectifies: z.object({ invoiceId: z.string(), number: z.string().nullable(), issueDate: z.string().nullable(), method: z.enum(['S', 'I']), reason: z.string().nullable() }).nullable(),
  description: z.string().nullable(),
  notes: z.string().nullable(),
  baseCents: z.int(),
  ivaCents: z.int(),
  reCents: z.int(),
  irpfCents: z.int(),
  totalCents: z.int(),
  pdfFileId: z.string().nullable(),
  createdAt: z.string(),
  postedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  lines: z.array(z.object({
    lineNo: z.int(), description: z.string(), quantityMilli: z.int(), unitPriceCents: z.int(), discountBp: z.int(), ivaRateBp: z.int(), reRateBp: z.int(), exemption: z.string().nullable(), baseCents: z.int(), sourceRef: z.string().nullable(),
  })),
  taxes: z.array(z.object({ ivaRateBp: z.int(), reRateBp: z.int(), exemption: z.string().nullable(), baseCents: z.int(), ivaCents: z.int(), reCents: z.int() })),
  dues: z.array(z.object({ dueDate: z.string(), amountCents: z.int() })),
  /** Veri*Factu records of the invoice (alta; anulación when cancelled), oldest first. */
  records: z.array(z.object({ kind: z.string(), hash: z.string(), previousHash: z.string(), generatedAt: z.string(), invoiceNumber: z.string() })),
  /** The AEAT QR URL (ValidarQR) of a posted invoice. */
  qrUrl: z.string().nullable(),
  creditNotes: z.array(z.object({ id: z.string(), number: z.string().nullable(), invoiceType: z.string(), method: z.enum(['S', 'I']), status: z.enum(INVOICE_STATUSES), issueDate: z.string().nullable(), totalCents: z.int() })),
  /** What can still be credited by difference (total − Σ posted I credit notes); null for a draft or a credit note. */
  remainingCents: z.int().nullable(),
});
export type InvoiceDetail = z.infer<typeof InvoiceDetail>;
