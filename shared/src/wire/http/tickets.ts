/**
 * HTTP schemas of the tickets module (back office): the ticket search (`GET /api/tickets`), a ticket's page
 * (`GET /api/tickets/:id`) and its PDF copy (`GET /api/tickets/:id/pdf`).
 *
 * `total` of a search page counts matching tickets up to TICKET_COUNT_CAP + 1 only: counting a million rows
 * on every page would cost more than the page itself. When `totalIsLowerBound` is true there are at least
 * `total` matches ("10.000+"); otherwise `total` is exact.
 */
import { z } from 'zod';

export const TICKET_COUNT_CAP = 10_000;
export const TICKET_SORTS = ['issuedAt', 'number', 'total', 'store'] as const;

const Day = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'date yyyy-mm-dd');
const Id = z.string().min(1).max(36).regex(/^[A-Za-z0-9-]+$/, 'id');
/** Euros typed by a person ("12,50", "12.5") or cents as an integer string → integer cents. */
const Euros = z
  .string()
  .trim()
  .max(16)
  .regex(/^-?\d{1,9}([.,]\d{1,2})?$/, 'amount in euros, e.g. 12,50')
  .transform((s) => Math.round(Number(s.replace(',', '.')) * 100));

export const TicketSearchQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(1_000_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
    sort: z.enum(TICKET_SORTS).default('issuedAt'),
    dir: z.enum(['asc', 'desc']).default('desc'),
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
    /** Store-local business dates, inclusive. */
    from: Day.optional(),
    to: Day.optional(),
    storeId: Id.optional(),
    terminalId: Id.optional(),
    cashierId: Id.optional(),
    customerId: Id.optional(),
    /** A full fiscal number (`M00101-26T/000123`), a series (`M00101-26T`) or a bare number (`123`). */
    number: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9/_-]+$/, 'series/number, series or number').optional(),
    minTotal: Euros.optional(),
    maxTotal: Euros.optional(),
    kind: z.enum(['sale', 'return']).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must not be before from' });
    if (q.minTotal !== undefined && q.maxTotal !== undefined && q.minTotal > q.maxTotal) {
      ctx.addIssue({ code: 'custom', path: ['maxTotal'], message: 'maxTotal must not be below minTotal' });
    }
  });
export type TicketSearchQuery = z.output<typeof TicketSearchQuery>;

export const TicketSummary = z.object({
  id: z.string(),
  kind: z.enum(['sale', 'return']),
  fiscalNumber: z.string(),
  series: z.string(),
  number: z.int(),
  issuedAt: z.string(),
  businessDate: z.string(),
  storeId: z.string(),
  storeCode: z.string(),
  storeName: z.string(),
  terminalId: z.string(),
  terminalCode: z.string(),
  cashierId: z.string().nullable(),
  cashierName: z.string().nullable(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  totalCents: z.int(),
  taxCents: z.int(),
  chainOk: z.boolean(),
});
export type TicketSummary = z.infer<typeof TicketSummary>;

export const TicketSearchPage = z.object({
  items: z.array(TicketSummary),
  page: z.int(),
  pageSize: z.int(),
  /** Matching tickets, counted up to TICKET_COUNT_CAP (see totalIsLowerBound). */
  total: z.int(),
  /** true: there are at least `total` matches (the count stopped at the cap). */
  totalIsLowerBound: z.boolean(),
  hasMore: z.boolean(),
});
export type TicketSearchPage = z.infer<typeof TicketSearchPage>;

export const TicketIdParams = z.object({ id: Id });

export const TicketLineView = z.object({
  lineNo: z.int(),
  productId: z.string(),
  sku: z.string().nullable(),
  description: z.string(),
  /** Units (signed) or, for weighed articles, grams. */
  units: z.int().nullable(),
  grams: z.int().nullable(),
  unitPriceCents: z.int().nullable(),
  grossCents: z.int().nullable(),
  /** Line discount + its share of the ticket discount. */
  discountCents: z.int(),
  discountLabel: z.string().nullable(),
  totalCents: z.int(),
  taxRateBp: z.int(),
});

export const TicketTaxView = z.object({
  rateBp: z.int(),
  reRateBp: z.int(),
  exemption: z.string().nullable(),
  baseCents: z.int(),
  ivaCents: z.int(),
  reCents: z.int(),
});

export const TicketRef = z.object({ id: z.string(), fiscalNumber: z.string(), issuedAt: z.string(), totalCents: z.int() });

export const TicketDetail = z.object({
  id: z.string(),
  kind: z.enum(['sale', 'return']),
  seq: z.int(),
  fiscalNumber: z.string(),
  series: z.string(),
  number: z.int(),
  issuedAt: z.string(),
  businessDate: z.string(),
  receivedAt: z.string(),
  company: z.object({ id: z.string(), legalName: z.string(), tradeName: z.string().nullable(), nif: z.string() }),
  store: z.object({ id: z.string(), code: z.string(), name: z.string(), address: z.string().nullable() }),
  terminal: z.object({ id: z.string(), code: z.string(), name: z.string(), installation: z.string() }),
  cashier: z.object({ id: z.string(), name: z.string() }).nullable(),
  customer: z.object({ id: z.string(), name: z.string(), nif: z.string().nullable() }).nullable(),
  lines: z.array(TicketLineView),
  taxes: z.array(TicketTaxView),
  totals: z.object({ subtotalCents: z.int(), discountCents: z.int(), taxCents: z.int(), totalCents: z.int(), changeCents: z.int() }),
  payments: z.array(z.object({ method: z.string(), amountCents: z.int(), reference: z.string().nullable() })),
  fiscal: z
    .object({
      chainPosition: z.int(),
      recordKind: z.string(),
      hash: z.string(),
      previousHash: z.string().nullable(),
      verified: z.boolean(),
      breakReason: z.string().nullable(),
      generatedAt: z.string().nullable(),
      invoiceType: z.string().nullable(),
      qrUrl: z.string().nullable(),
    })
    .nullable(),
  /** The sale this credit note rectifies. */
  original: TicketRef.nullable(),
  /** Credit notes issued against this sale. */
  returns: z.array(TicketRef),
});
export type TicketDetail = z.infer<typeof TicketDetail>;
