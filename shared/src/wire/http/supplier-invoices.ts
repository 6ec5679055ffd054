/**
 * HTTP schemas of supplier invoices received (three-way match against goods receipts and purchase orders,
 * approval of differences, posting into payables and the VAT book) and of the invoice registers (libros
 * registro de facturas expedidas y recibidas). The API parses with them; the admin UI uses the same types.
 */
import { z } from 'zod';
import { PriceCentsSchema, RowIdSchema } from '../limits';

const Id = RowIdSchema;
const Day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'yyyy-mm-dd');
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'yyyy-mm');
const Bp = z.int().min(0).max(10_000);

export const SUPPLIER_INVOICE_STATUSES = ['recorded', 'pending_approval', 'posted', 'rejected'] as const;
export const SupplierInvoiceStatus = z.enum(SUPPLIER_INVOICE_STATUSES);
export type SupplierInvoiceStatus = z.infer<typeof SupplierInvoiceStatus>;

export const SupplierInvoiceLineBody = z.strictObject({
  /** The goods-receipt line it invoices (both or neither). */
  receiptId: Id.nullable().default(null),
  receiptLineNo: z.int().min(1).nullable().default(null),
  /** Default: the received product's name. */
  description: z.string().trim().max(500).nullable().default(null),
  /** Thousandths of the priced unit: units × 1000, or grams for goods sold by weight. */
  quantityMilli: z.int().min(1).max(1_000_000_000),
  /** Net unit price (without IVA), per unit or per kg. */
  unitPriceCents: PriceCentsSchema,
  discountBp: Bp.default(0),
  ivaRateBp: z.union([z.literal(2100), z.literal(1000), z.literal(400), z.literal(0)]),
  /** Recargo de equivalencia the supplier charged (a receiving company in the regime). */
  reRateBp: z.int().min(0).max(1000).default(0),
});
export type SupplierInvoiceLineBody = z.output<typeof SupplierInvoiceLineBody>;

export const SupplierInvoiceBody = z.strictObject({
  /** The company that receives it (default: the caller's own company). */
  companyId: Id.optional(),
  supplierId: Id,
  supplierNumber: z.string().trim().min(1).max(60),
  invoiceDate: Day,
  /** Fecha de operación when it differs from the invoice date. */
  operationDate: Day.nullable().default(null),
  receivedDate: Day,
  /** Booking period (yyyy-mm; default: the month received). */
  period: Month.optional(),
  /** IRPF withheld (professionals, rents). */
  irpfBp: z.int().min(0).max(4700).default(0),
  note: z.string().max(2000).nullable().default(null),
  lines: z.array(SupplierInvoiceLineBody).min(1).max(2000),
});
export type SupplierInvoiceBody = z.output<typeof SupplierInvoiceBody>;

export const PrefillBody = z.strictObject({
  companyId: Id.optional(),
  supplierId: Id,
  receiptIds: z.array(Id).min(1).max(200),
});
export const PrefillAnswer = z.object({ lines: z.array(SupplierInvoiceLineBody) });

export const DecisionBody = z.strictObject({ note: z.string().trim().min(1).max(2000) });

export const MatchDifference = z.object({
  kind: z.enum(['no_receipt', 'quantity', 'already_invoiced', 'price', 'tax_rate']),
  expected: z.number().optional(),
  got: z.number().optional(),
  toleranceBp: z.int().optional(),
  invoices: z.array(z.string()).optional(),
});
export type MatchDifference = z.infer<typeof MatchDifference>;

export const SupplierInvoiceLine = z.object({
  lineNo: z.int(),
  receiptId: z.string().nullable(),
  receiptNumber: z.string().nullable(),
  receiptLineNo: z.int().nullable(),
  orderId: z.string().nullable(),
  orderNumber: z.string().nullable(),
  productId: z.string().nullable(),
  weighed: z.boolean(),
  description: z.string(),
  quantityMilli: z.int(),
  unitPriceCents: z.int(),
  discountBp: z.int(),
  ivaRateBp: z.int(),
  reRateBp: z.int(),
  baseCents: z.int(),
  differences: z.array(MatchDifference),
});
export const SupplierInvoiceTax = z.object({ ivaRateBp: z.int(), reRateBp: z.int(), baseCents: z.int(), ivaCents: z.int(), reCents: z.int() });
export const SupplierInvoiceDue = z.object({ dueDate: z.string(), amountCents: z.int() });

export const SupplierInvoiceItem = z.object({
  id: z.string(),
  companyId: z.string(),
  companyName: z.string(),
  supplierId: z.string(),
  supplierName: z.string(),
  supplierNif: z.string().nullable(),
  supplierNumber: z.string(),
  invoiceDate: z.string(),
  receivedDate: z.string(),
  period: z.string(),
  status: SupplierInvoiceStatus,
  registerNumber: z.string().nullable(),
  baseCents: z.int(),
  ivaCents: z.int(),
  reCents: z.int(),
  irpfCents: z.int(),
  totalCents: z.int(),
  differenceCount: z.int(),
  createdAt: z.string(),
});
export type SupplierInvoiceItem = z.infer<typeof SupplierInvoiceItem>;
export const SupplierInvoiceDetail = SupplierInvoiceItem.extend({
  operationDate: z.string().nullable(),
  irpfBp: z.int(),
  note: z.string().nullable(),
  decisionNote: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  postedAt: z.string().nullable(),
  lines: z.array(SupplierInvoiceLine),
  taxes: z.array(SupplierInvoiceTax),
  dues: z.array(SupplierInvoiceDue),
});
export type SupplierInvoiceDetail = z.infer<typeof SupplierInvoiceDetail>;

export const SupplierInvoiceFilterQuery = z.object({
  status: SupplierInvoiceStatus.optional(),
  supplierId: Id.optional(),
  companyId: Id.optional(),
  period: Month.optional(),
});

/** Goods receipts of a supplier with lines not yet (fully) invoiced: what a new invoice is made from. */
export const InvoiceableReceiptsQuery = z.object({ supplierId: Id, companyId: Id.optional() });
export const InvoiceableReceipt = z.object({
  id: z.string(),
  number: z.string(),
  orderId: z.string(),
  orderNumber: z.string().nullable(),
  companyId: z.string(),
  postedAt: z.string(),
  baseCents: z.int(),
});

// ── invoice registers (libros registro) ─────────────────────────────────────────────────────────────
/** yyyy-mm, a quarter yyyy-1T … yyyy-4T, or a whole year yyyy. */
export const BookPeriod = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])|-[1-4]T)?$/, 'yyyy-mm, yyyy-1T…4T or yyyy');
export const InvoiceBookBody = z.strictObject({
  companyId: Id,
  period: BookPeriod,
  book: z.enum(['issued', 'received']),
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
});
export type InvoiceBookBody = z.output<typeof InvoiceBookBody>;
export const InvoiceBookAnswer = z.object({ fileId: z.string(), name: z.string(), rows: z.int(), baseCents: z.int(), ivaCents: z.int(), totalCents: z.int() });
