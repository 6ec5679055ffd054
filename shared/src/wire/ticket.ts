/**
 * The completed ticket document a terminal sends to the back office (outbox → sync → ingest). Strict: unknown
 * keys are rejected, amounts are integer cents, strings are bounded. `verifyTicketArithmetic` re-prices the
 * ticket with the shared rules so the back office can refuse a document whose totals do not add up.
 */
import { z } from 'zod';
import { fiscalNumber, MAX_FISCAL_SEQUENCE } from '../fiscal/series';
import type { FiscalRecord } from '../fiscal/record';
import { centsToDecimalString } from '../money';
import { validateNif } from '../nif';
import { domainError, err, ok, type DomainError, type Result } from '../result';
import { EXEMPTION_CAUSES } from '../tax';
import { priceTicket, settle, type PricedTicket, type TicketErrorCode, type TicketInput } from '../ticket';

// ---------------------------------------------------------------------------------------------------------
// Building blocks (exported for the other wire modules and HTTP bodies)
// ---------------------------------------------------------------------------------------------------------

/** Signed integer cents (zod's int() is a safe integer). */
export const CentsSchema = z.int();
export const NonNegativeCentsSchema = z.int().min(0);
/** An opaque identifier: 1..64 chars, no spaces or slashes. */
export const IdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'id: letters, digits, . _ : - only');
export const UuidV7Schema = z.uuid({ version: 'v7' });
/** ISO 8601 with an explicit numeric offset (invariant 8): 2024-01-01T19:20:30+01:00 (fraction optional). */
export const IsoWithOffsetSchema = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?[+-]\d{2}:\d{2}$/, 'ISO date-time with numeric offset')
  .refine(isRealIsoDateTime, 'not a real date-time');

/** Calendar date exists (no 30 February), hh ≤ 23, mm/ss ≤ 59, offset ≤ 14:00. */
function isRealIsoDateTime(s: string): boolean {
  const y = Number(s.slice(0, 4)), mo = Number(s.slice(5, 7)), d = Number(s.slice(8, 10));
  const h = Number(s.slice(11, 13)), mi = Number(s.slice(14, 16)), se = Number(s.slice(17, 19));
  const off = s.slice(-5);
  const oh = Number(off.slice(0, 2)), om = Number(off.slice(3, 5));
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59 || oh > 14 || om > 59) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
/** dd-mm-yyyy (Veri*Factu dates). */
export const FiscalDateSchema = z.string().regex(/^(0[1-9]|[12]\d|3[01])-(0[1-9]|1[0-2])-\d{4}$/, 'dd-mm-yyyy');
/** AEAT amount string: "12.35", "-0.05". */
export const AeatAmountSchema = z.string().max(20).regex(/^-?\d+\.\d{2}$/, 'decimal with 2 places');
export const HuellaSchema = z.string().regex(/^[0-9A-F]{64}$/, '64 uppercase hex digits');
export const NifSchema = z.string().regex(/^[0-9A-Z]{9}$/, 'NIF: 9 uppercase letters/digits');

export const TaxRateSchema = z.union([z.literal(2100), z.literal(1000), z.literal(400), z.literal(0)]);
export const ReRateSchema = z.union([z.literal(520), z.literal(140), z.literal(50), z.literal(0)]);
export const ExemptionCauseSchema = z.enum(EXEMPTION_CAUSES);

export const QuantitySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('units'), units: z.int().refine((n) => n !== 0, 'quantity cannot be 0') }),
  z.strictObject({ kind: z.literal('weight'), grams: z.int().refine((n) => n !== 0, 'quantity cannot be 0') }),
]);

export const DiscountSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('percent'), bp: z.int().min(0).max(10_000) }),
  z.strictObject({ kind: z.literal('amount'), cents: NonNegativeCentsSchema }),
]);

export const PaymentSchema = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('cash'), amount: CentsSchema }),
  z.strictObject({ method: z.literal('card'), amount: CentsSchema, reference: z.string().min(1).max(64) }),
  z.strictObject({ method: z.literal('voucher'), amount: CentsSchema, code: z.string().min(1).max(64) }),
  z.strictObject({ method: z.literal('on_account'), amount: CentsSchema, customerId: IdSchema }),
]);

export const TicketLineSchema = z.strictObject({
  id: IdSchema,
  productId: IdSchema,
  description: z.string().min(1).max(200),
  taxRate: TaxRateSchema,
  exemption: ExemptionCauseSchema.optional(),
  unitPrice: NonNegativeCentsSchema,
  quantity: QuantitySchema,
  discount: DiscountSchema.optional(),
  returnOf: z.strictObject({ ticketId: UuidV7Schema, lineId: IdSchema, returnedBefore: z.int().min(0).max(100_000_000).optional() }).optional(),
  /** Promotions' and loyalty redemptions' shares of this line (see `benefits` on the ticket). */
  benefits: z.array(z.strictObject({ kind: z.enum(['promotion', 'loyalty']), id: IdSchema, cents: NonNegativeCentsSchema })).max(20).optional(),
  gross: CentsSchema,
  lineDiscount: CentsSchema,
  /** Σ benefits with the line's sign; absent on tickets of tills before benefits existed (= 0). */
  benefitDiscount: CentsSchema.optional(),
  ticketDiscountShare: CentsSchema,
  total: CentsSchema,
});

export const TicketTotalsSchema = z.strictObject({
  subtotal: CentsSchema,
  lineDiscounts: CentsSchema,
  /** Σ lines' benefitDiscount; absent = 0. */
  benefits: CentsSchema.optional(),
  ticketDiscount: CentsSchema,
  discountTotal: CentsSchema,
  total: CentsSchema,
  taxTotal: CentsSchema,
});

export const TaxBreakdownRowSchema = z.strictObject({
  rate: TaxRateSchema,
  reRate: ReRateSchema,
  exemption: ExemptionCauseSchema.optional(),
  gross: CentsSchema,
  base: CentsSchema,
  ivaCuota: CentsSchema,
  reCuota: CentsSchema,
});

export const TicketBenefitSchema = z.strictObject({
  kind: z.enum(['promotion', 'loyalty']),
  id: IdSchema,
  name: z.string().min(1).max(120),
  cents: NonNegativeCentsSchema,
  /** Loyalty: points redeemed. */
  points: z.int().min(1).max(100_000_000).optional(),
  /** Loyalty: HQ's hold for an online redemption. */
  authorization: IdSchema.optional(),
  /** Loyalty: redeemed offline under the programme's cap. */
  offline: z.boolean().optional(),
  /** The loyalty member (customer id) whose points these are. */
  customerId: IdSchema.optional(),
});
export type TicketBenefit = z.infer<typeof TicketBenefitSchema>;

/** The Veri*Factu record as shared/src/fiscal/record.ts defines it (shape owned there). */
export const FiscalRecordSchema = z.strictObject({
  kind: z.enum(['alta', 'anulacion']),
  installation: z.string().min(1).max(100),
  issuerNif: NifSchema,
  invoiceNumber: z.string().min(1).max(60),
  issueDate: FiscalDateSchema,
  invoiceType: z.enum(['F1', 'F2', 'F3', 'R1', 'R2', 'R3', 'R4', 'R5']).optional(),
  taxTotal: AeatAmountSchema.optional(),
  grandTotal: AeatAmountSchema.optional(),
  previousHash: z.union([z.literal(''), HuellaSchema]),
  generatedAt: IsoWithOffsetSchema,
  hash: HuellaSchema,
  rectified: z.strictObject({ invoiceNumber: z.string().min(1).max(60), issueDate: FiscalDateSchema }).optional(),
  rectificationMethod: z.enum(['S', 'I']).optional(),
  substituted: z.array(z.strictObject({ invoiceNumber: z.string().min(1).max(60), issueDate: FiscalDateSchema })).min(1).max(1000).optional(),
});
// Compile-time check that the schema's output still fits the fiscal module's type.
const _fiscalShapeCheck = (r: z.infer<typeof FiscalRecordSchema>): FiscalRecord => r;
void _fiscalShapeCheck;

/** A full invoice recipient's address (street, postal code, city; country ES unless given). */
export const InvoiceAddressSchema = z.strictObject({
  street: z.string().trim().min(1).max(200),
  postalCode: z.string().trim().min(3).max(10).regex(/^[0-9A-Za-z -]+$/, 'postal code: letters, digits, spaces, -'),
  city: z.string().trim().min(1).max(100),
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2 country').optional(),
});
export type InvoiceAddress = z.infer<typeof InvoiceAddressSchema>;

/** Series: no '/' (the fiscal number is `series/number`). */
export const SeriesSchema = z.string().min(1).max(20).regex(/^[A-Za-z0-9_-]+$/, 'series: letters, digits, _ -');

export const TicketDocumentSchema = z
  .strictObject({
    id: UuidV7Schema,
    terminalId: IdSchema,
    storeId: IdSchema,
    /** Gapless per terminal, from 1. */
    seq: z.int().min(1),
    kind: z.enum(['sale', 'return']),
    series: SeriesSchema,
    // Bounded as fiscalNumber() bounds it: the refinement below must never throw on what a sender typed.
    number: z.int().min(1).max(MAX_FISCAL_SEQUENCE),
    fiscalNumber: z.string().min(3).max(40),
    issuedAt: IsoWithOffsetSchema,
    cashier: z.strictObject({ id: IdSchema, name: z.string().min(1).max(100) }),
    /**
     * The customer named on the ticket. For a full invoice (F1) it is the recipient: a valid NIF, the name and
     * the address are then required; `id` is absent when the cashier typed the recipient in.
     */
    customer: z
      .strictObject({
        id: IdSchema.optional(),
        nif: NifSchema.optional(),
        name: z.string().min(1).max(200),
        reRegime: z.boolean(),
        address: InvoiceAddressSchema.optional(),
      })
      .optional(),
    lines: z.array(TicketLineSchema).min(1).max(1000),
    /**
     * What the ticket's benefits took off, one entry per promotion applied or loyalty redemption: the
     * receipt's "Promoción … −1,20" lines and the reports' promotion totals. `cents` (positive) is the sum of
     * the lines' shares with that id. A loyalty redemption names its points and, when HQ authorised it
     * online, the authorisation; `offline` when the till redeemed under the offline cap.
     */
    benefits: z.array(TicketBenefitSchema).max(50).optional(),
    ticketDiscount: DiscountSchema.optional(),
    totals: TicketTotalsSchema,
    taxBreakdown: z.array(TaxBreakdownRowSchema).min(1).max(20),
    payments: z.array(PaymentSchema).max(20),
    change: NonNegativeCentsSchema,
    originalTicket: z.strictObject({ id: UuidV7Schema, fiscalNumber: z.string().min(3).max(40) }).optional(),
    /**
     * F3: the simplified ticket this full invoice replaces (same lines and amounts, no payments: the money
     * moved with the ticket). Only on a `sale` whose fiscal record is an F3 naming the same ticket.
     */
    substitutes: z.strictObject({ id: UuidV7Schema, fiscalNumber: z.string().min(3).max(40), issueDate: FiscalDateSchema }).optional(),
    sessionId: IdSchema,
    fiscal: FiscalRecordSchema,
  })
  .superRefine((doc, ctx) => {
    if (doc.number > MAX_FISCAL_SEQUENCE) return;
    const expected = fiscalNumber(doc.series, doc.number);
    if (doc.fiscalNumber !== expected) {
      ctx.addIssue({ code: 'custom', path: ['fiscalNumber'], message: `fiscalNumber must be "${expected}"` });
    }
    if (doc.kind === 'sale' && doc.originalTicket !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['originalTicket'], message: 'only a return refers to an original ticket' });
    }
    const type = doc.fiscal.invoiceType;
    if (type === 'F1' || type === 'F3') {
      // A full invoice names its recipient: valid NIF (control character checked), name and address.
      if (doc.customer === undefined) ctx.addIssue({ code: 'custom', path: ['customer'], message: `a full invoice (${type}) needs its recipient` });
      else {
        if (doc.customer.nif === undefined || !validateNif(doc.customer.nif).ok) {
          ctx.addIssue({ code: 'custom', path: ['customer', 'nif'], message: `a full invoice (${type}) needs the recipient's valid NIF` });
        }
        if (doc.customer.address === undefined) ctx.addIssue({ code: 'custom', path: ['customer', 'address'], message: `a full invoice (${type}) needs the recipient's address` });
      }
    }
    const f3 = doc.kind === 'sale' && type === 'F3';
    if (doc.substitutes !== undefined && !f3) {
      ctx.addIssue({ code: 'custom', path: ['substitutes'], message: 'only a sale issued as F3 replaces a simplified ticket' });
    }
    if (f3) {
      const s = doc.substitutes;
      const named = doc.fiscal.substituted;
      if (s === undefined) ctx.addIssue({ code: 'custom', path: ['substitutes'], message: 'an F3 names the simplified ticket it replaces' });
      else if (named === undefined || named.length !== 1 || named[0]!.invoiceNumber !== s.fiscalNumber || named[0]!.issueDate !== s.issueDate) {
        ctx.addIssue({ code: 'custom', path: ['fiscal', 'substituted'], message: 'the F3 record must name exactly the replaced ticket' });
      }
      if (doc.payments.length > 0 || doc.change !== 0) ctx.addIssue({ code: 'custom', path: ['payments'], message: 'an F3 moves no money (it was paid with the ticket)' });
    }
  });

export type TicketDocument = z.infer<typeof TicketDocumentSchema>;
export type TicketLineDocument = z.infer<typeof TicketLineSchema>;

// ---------------------------------------------------------------------------------------------------------
// Arithmetic verification (back office ingest)
// ---------------------------------------------------------------------------------------------------------

export interface ArithmeticMismatch {
  readonly path: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

export type TicketArithmeticErrorCode = 'TICKET_ARITHMETIC_MISMATCH' | TicketErrorCode;
export type TicketArithmeticError = DomainError<TicketArithmeticErrorCode>;

/** The pricing input a ticket document was (or should have been) priced from. */
export function ticketInputOf(doc: TicketDocument): TicketInput {
  return {
    kind: doc.kind,
    reRegime: doc.customer?.reRegime === true,
    ticketDiscount: doc.ticketDiscount,
    lines: doc.lines.map((l) => ({
      id: l.id,
      productId: l.productId,
      description: l.description,
      taxRate: l.taxRate,
      exemption: l.exemption,
      unitPrice: l.unitPrice,
      quantity: l.quantity,
      discount: l.discount,
      returnOf: l.returnOf,
      benefits: l.benefits,
    })),
  };
}

/**
 * Re-prices the document with `priceTicket` and `settle` and compares every priced amount: each line's
 * gross/discounts/total, the totals, the tax breakdown row by row, the change, and (for an alta) the fiscal
 * record's taxTotal/grandTotal, invoiceNumber and invoiceType. A rule violation in the lines or payments
 * comes back with its own ticket error code; amounts that differ come back as TICKET_ARITHMETIC_MISMATCH
 * with `details.mismatches: ArithmeticMismatch[]`.
 */
export function verifyTicketArithmetic(doc: TicketDocument): Result<PricedTicket, TicketArithmeticError> {
  const priced = priceTicket(ticketInputOf(doc));
  if (!priced.ok) return priced;
  const p = priced.value;
  const mismatches: ArithmeticMismatch[] = [];
  const cmp = (path: string, expected: unknown, actual: unknown) => {
    if (expected !== actual) mismatches.push({ path, expected, actual });
  };
  doc.lines.forEach((l, i) => {
    const e = p.lines[i]!;
    cmp(`lines.${i}.gross`, e.gross, l.gross);
    cmp(`lines.${i}.lineDiscount`, e.lineDiscount, l.lineDiscount);
    cmp(`lines.${i}.benefitDiscount`, e.benefitDiscount, l.benefitDiscount ?? 0);
    cmp(`lines.${i}.ticketDiscountShare`, e.ticketDiscountShare, l.ticketDiscountShare);
    cmp(`lines.${i}.total`, e.total, l.total);
  });
  for (const k of ['subtotal', 'lineDiscounts', 'ticketDiscount', 'discountTotal', 'total', 'taxTotal'] as const) {
    cmp(`totals.${k}`, p.totals[k], doc.totals[k]);
  }
  cmp('totals.benefits', p.totals.benefits, doc.totals.benefits ?? 0);
  // Each benefit's summary is the sum of its shares on the lines, and every share names a benefit of the ticket.
  const shares = new Map<string, number>();
  for (const l of doc.lines) for (const b of l.benefits ?? []) shares.set(`${b.kind}:${b.id}`, (shares.get(`${b.kind}:${b.id}`) ?? 0) + b.cents);
  for (const [i, b] of (doc.benefits ?? []).entries()) {
    const key = `${b.kind}:${b.id}`;
    cmp(`benefits.${i}.cents`, shares.get(key) ?? 0, b.cents);
    shares.delete(key);
  }
  for (const key of shares.keys()) mismatches.push({ path: 'benefits', expected: `an entry for ${key}`, actual: undefined });
  cmp('taxBreakdown.length', p.taxBreakdown.length, doc.taxBreakdown.length);
  p.taxBreakdown.forEach((e, i) => {
    const a = doc.taxBreakdown[i];
    if (a === undefined) return;
    for (const k of ['rate', 'reRate', 'exemption', 'gross', 'base', 'ivaCuota', 'reCuota'] as const) {
      cmp(`taxBreakdown.${i}.${k}`, e[k], a[k]);
    }
  });
  // An F3 is paid already (with the ticket it replaces): no payments, no change (the schema checks both).
  if (doc.substitutes === undefined) {
    const s = settle(p.totals.total, doc.payments);
    if (!s.ok) return s;
    cmp('change', s.value.change, doc.change);
  }
  const f = doc.fiscal;
  if (f.kind === 'alta') {
    cmp('fiscal.invoiceNumber', doc.fiscalNumber, f.invoiceNumber);
    if (f.taxTotal !== undefined) cmp('fiscal.taxTotal', centsToDecimalString(p.totals.taxTotal), f.taxTotal);
    if (f.grandTotal !== undefined) cmp('fiscal.grandTotal', centsToDecimalString(p.totals.total), f.grandTotal);
    if (f.invoiceType !== undefined) {
      const expected = doc.kind === 'return' ? 'R5' : doc.substitutes !== undefined ? 'F3' : 'F1|F2';
      const okType = expected.split('|').includes(f.invoiceType);
      if (!okType) mismatches.push({ path: 'fiscal.invoiceType', expected, actual: f.invoiceType });
    }
  }
  if (mismatches.length > 0) {
    return err(
      domainError('TICKET_ARITHMETIC_MISMATCH', `ticket ${doc.id}: ${mismatches.length} amount(s) do not add up (first: ${mismatches[0]!.path})`, {
        mismatches,
      }),
    );
  }
  return ok(p);
}

/** TicketDocumentSchema plus the arithmetic check, for a one-step parse at the ingest edge. */
export const VerifiedTicketDocumentSchema = TicketDocumentSchema.superRefine((doc, ctx) => {
  const r = verifyTicketArithmetic(doc);
  if (!r.ok) {
    const mism = (r.error.details?.['mismatches'] as ArithmeticMismatch[] | undefined) ?? [];
    if (mism.length === 0) ctx.addIssue({ code: 'custom', path: [], message: `${r.error.code}: ${r.error.message}`, params: { code: r.error.code } });
    for (const m of mism) {
      ctx.addIssue({
        code: 'custom',
        path: m.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
        message: `expected ${String(m.expected)}, got ${String(m.actual)}`,
        params: { code: 'TICKET_ARITHMETIC_MISMATCH' },
      });
    }
  }
});
