/**
 * Documents a till creates besides tickets — a delivery received by scanning, a stock count, a request for
 * replenishment (and, as their issues arrive, customers, time-clock events, incidents) — travel up through
 * the till's own `document_outbox`, written in the same local transaction as the document, with the same
 * exactly-once guarantee as tickets: the till resends until acked, HQ applies each document id once
 * (`upward_document` remembers it) and answers a repeat with the first answer.
 *
 * Unlike tickets they carry no seq: each is independent, identified by its UUID (v7, made at the till).
 */
import { z } from 'zod';
import { IdSchema } from './ticket';
import { VoucherSaleSchema } from '../vouchers/wire';
import { TillCustomerSchema } from '../crm/customer';
import { NoticeReadSchema } from '../office/notices';
import { TaskCheckSchema } from '../office/tasks';

/** terminal → server: UpwardBatch, ack callback → UpwardAck (or SyncRequestError). */
export const UPWARD_EVENT = 'documents';
/** terminal → server: `{ productId }`, ack callback → StockLookupReply (HQ answers only online). */
export const STOCK_LOOKUP_EVENT = 'stock:lookup';

export const MAX_UPWARD_PER_BATCH = 50;

const Qty = z.int().min(0).max(10_000_000);

/** A delivery note received at the store by scanning: what arrived per line (damaged counted apart). */
export const TillDeliveryReceiptSchema = z.strictObject({
  deliveryNoteId: IdSchema,
  lines: z
    .array(z.strictObject({ productId: IdSchema, received: Qty, damaged: Qty.optional(), note: z.string().max(300).optional() }))
    .min(1)
    .max(2_000),
  /** Staff member (till PIN) who received it. */
  staffId: IdSchema.optional(),
});
export type TillDeliveryReceipt = z.infer<typeof TillDeliveryReceiptSchema>;

/** A count made at the till by scanning: the quantities found (blind: the till never showed the expected ones). */
export const TillStockCountSchema = z.strictObject({
  /** The count HQ or the manager opened for this store, when the till counted for one; absent: a new cycle count of the products scanned. */
  countId: IdSchema.optional(),
  lines: z.array(z.strictObject({ productId: IdSchema, counted: Qty })).min(1).max(20_000),
  staffId: IdSchema.optional(),
});
export type TillStockCount = z.infer<typeof TillStockCountSchema>;

/** A cashier or manager asks for goods from the till: a replenishment order registered for the store. */
export const TillReplenishmentRequestSchema = z.strictObject({
  lines: z.array(z.strictObject({ productId: IdSchema, quantity: z.int().min(1).max(1_000_000) })).min(1).max(2_000),
  note: z.string().max(500).optional(),
  staffId: IdSchema.optional(),
});
export type TillReplenishmentRequest = z.infer<typeof TillReplenishmentRequestSchema>;

/**
 * Data protection (issue 15): consents a customer gave or withdrew at the counter, per purpose. Applied once
 * (upward_document); HQ appends one consent record per purpose and updates the current state.
 */
export const TillConsentSchema = z.strictObject({
  customerId: IdSchema,
  consents: z.array(z.strictObject({ purpose: z.enum(['marketing', 'loyalty', 'e_receipt']), granted: z.boolean() })).min(1).max(3),
  staffId: IdSchema.optional(),
});
export type TillConsent = z.infer<typeof TillConsentSchema>;

/**
 * Quality (issue 17): an incident a cashier reports at the till (damaged goods, a customer complaint, a
 * broken scale…), with at most one photo taken there (the till shrinks it to a JPEG/PNG/WebP of ≤ 700 kB, so its JSON fits the till's 1 MB request limit).
 */
export const TILL_PHOTO_MAX_BYTES = 700_000;
export const TillIncidentSchema = z.strictObject({
  kind: z.enum(['damaged_goods', 'customer_complaint', 'equipment_failure', 'food_safety', 'cleanliness', 'delivery_discrepancy']),
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  title: z.string().trim().min(1).max(300),
  description: z.string().max(2000).optional(),
  productId: IdSchema.optional(),
  photo: z.strictObject({ mediaType: z.enum(['image/jpeg', 'image/png', 'image/webp']), base64: z.string().min(4).max(Math.ceil(TILL_PHOTO_MAX_BYTES / 3) * 4) }).optional(),
  staffId: IdSchema.optional(),
});
export type TillIncident = z.infer<typeof TillIncidentSchema>;

/**
 * Working-time record (issue 16): a clock event made at the till with the worker's PIN, at the till's time
 * (offline too). HQ chains it into the store's record once (upward_document), or rejects it with the rule
 * broken (clocked in twice, …) — the till checked the same rules (shared/src/people/time-clock.ts) first.
 */
export const TillClockEventSchema = z.strictObject({
  staffId: IdSchema,
  event: z.enum(['clock_in', 'break_start', 'break_end', 'clock_out']),
  /** When it happened at the till (ISO with offset). */
  at: z.iso.datetime({ offset: true }),
});
export type TillClockEvent = z.infer<typeof TillClockEventSchema>;

/**
 * Issue 19: the cashier asks HQ to e-mail a ticket's e-receipt (link + PDF) — to the address typed at the
 * till, else the one in the ticket's customer record. Through the outbox so it waits out a lost connection
 * and is sent once: HQ applies each document id once (upward_document).
 */
export const EReceiptEmailSchema = z.strictObject({
  ticketId: IdSchema,
  to: z.email('correo electrónico no válido / not an e-mail address').max(254).optional(),
});
export type EReceiptEmail = z.infer<typeof EReceiptEmailSchema>;

/**
 * Issue 18 (cashier figures): a line voided at the till before payment ("anulación"), with the supervisor who
 * authorised it (the cashier's own id when they hold the role); the void that empties the cart says so
 * (`cartEmptied`). A whole ticket cancelled in one action ("Anular ticket") is ONE document: no `lineId` /
 * `productId`, `lineCount` lines, `cents` the sum of their amounts, `cartEmptied` true.
 * Written in the same local transaction as the till's `line_void` / `ticket_cancel` audit row; HQ counts it
 * once per document.
 */
export const TillVoidSchema = z
  .strictObject({
    cartId: IdSchema,
    lineId: IdSchema.optional(),
    productId: IdSchema.optional(),
    /** A whole-ticket cancel: how many lines the cart had. Absent on a line void. */
    lineCount: z.int().min(1).max(10_000).optional(),
    cashierId: IdSchema,
    cashierName: z.string().min(1).max(100),
    authorisedBy: IdSchema,
    /** The voided amount: unit price × quantity, IVA included, before discounts (as the Z report's voids), cents. */
    cents: z.int().min(-100_000_000).max(100_000_000),
    cartEmptied: z.boolean(),
    at: z.iso.datetime({ offset: true }),
  })
  .superRefine((v, ctx) => {
    if (v.lineCount === undefined) {
      for (const k of ['lineId', 'productId'] as const) if (v[k] === undefined) ctx.addIssue({ code: 'custom', path: [k], message: `${k} is required on a line void (no lineCount)` });
    } else {
      if (v.lineId !== undefined || v.productId !== undefined) ctx.addIssue({ code: 'custom', path: ['lineCount'], message: 'a ticket cancel names no line or product' });
      if (!v.cartEmptied) ctx.addIssue({ code: 'custom', path: ['cartEmptied'], message: 'a ticket cancel empties the cart' });
    }
  });
export type TillVoid = z.infer<typeof TillVoidSchema>;

/**
 * Issue 18: a cash session closed at the till (cierre Z) with its blind count: expected and counted cash and
 * the difference (counted − expected: negative = short). Written in the close's local transaction.
 */
export const TillCashCloseSchema = z.strictObject({
  sessionId: IdSchema,
  number: z.int().min(1),
  openedAt: z.iso.datetime({ offset: true }),
  openedBy: IdSchema,
  closedAt: z.iso.datetime({ offset: true }),
  closedBy: IdSchema,
  closedByName: z.string().min(1).max(100),
  /** A supervisor who confirmed a difference over the till's threshold. */
  authorisedBy: IdSchema.optional(),
  expectedCents: z.int().min(-1_000_000_000).max(1_000_000_000),
  countedCents: z.int().min(0).max(1_000_000_000),
  differenceCents: z.int().min(-1_000_000_000).max(1_000_000_000),
});
export type TillCashClose = z.infer<typeof TillCashCloseSchema>;

export const UPWARD_KINDS = {
  'stock.delivery_receipt': TillDeliveryReceiptSchema,
  'stock.count': TillStockCountSchema,
  'stock.replenishment_request': TillReplenishmentRequestSchema,
  // Issue 15: a gift voucher sold or loaded at the till (no IVA: its own document, not a ticket).
  'vouchers.sale': VoucherSaleSchema,
  'privacy.consent': TillConsentSchema,
  /** A customer created or edited at a till (CRM, backoffice/src/crm). */
  'crm.customer': TillCustomerSchema,
  /** Issue 16: a person at the till confirmed reading a notice (applied once per person and notice). */
  'office.notice_read': NoticeReadSchema,
  /** Issue 16: an item of a store's task ticked at the till (applied once per store and item). */
  'office.task_check': TaskCheckSchema,
  'quality.incident': TillIncidentSchema,
  'people.clock': TillClockEventSchema,
  'receipts.email': EReceiptEmailSchema,
  /** Issue 18: a line voided before payment (cashier figures). */
  'sales.void': TillVoidSchema,
  /** Issue 18: a cash session's close with its counted cash (cashier figures: cash differences). */
  'cash.close': TillCashCloseSchema,
} as const;
export type UpwardKind = keyof typeof UPWARD_KINDS;

export const UpwardDocumentSchema = z.strictObject({
  id: IdSchema,
  kind: z.enum(Object.keys(UPWARD_KINDS) as [UpwardKind, ...UpwardKind[]]),
  /** When the till made it (ISO with offset). */
  createdAt: z.string().min(10).max(40),
  payload: z.unknown(),
});
export type UpwardDocument = z.infer<typeof UpwardDocumentSchema>;

export const UpwardBatchSchema = z.strictObject({
  terminalId: IdSchema,
  documents: z.array(UpwardDocumentSchema).min(1).max(MAX_UPWARD_PER_BATCH),
});
export type UpwardBatch = z.infer<typeof UpwardBatchSchema>;

/**
 * Per document: `applied` (now or before: a repeat gets the stored answer), `rejected` (never will be: the
 * till keeps it with the message and stops resending), `retry` (not now: HQ busy, a dependency not there yet).
 */
export const UpwardResultSchema = z.strictObject({
  id: IdSchema,
  status: z.enum(['applied', 'rejected', 'retry']),
  /** What HQ made of it, to show at the till: `AL-2026-000042 recibido`, the count's number. */
  reference: z.string().max(200).optional(),
  message: z.string().max(500).optional(),
});
export type UpwardResult = z.infer<typeof UpwardResultSchema>;
export const UpwardAckSchema = z.strictObject({ results: z.array(UpwardResultSchema) });
export type UpwardAck = z.infer<typeof UpwardAckSchema>;

export const StockLookupRequestSchema = z.strictObject({ productId: IdSchema });
export const StockLookupReplySchema = z.strictObject({
  productId: IdSchema,
  /** This store first, then the other stores of the same company and the nearest others (same city/province). */
  stores: z.array(z.strictObject({ storeId: IdSchema, code: z.string(), name: z.string(), quantity: z.int(), thisStore: z.boolean() })).max(50),
  /** Open orders and goods in transit to this store. */
  incoming: z.int(),
});
export type StockLookupReply = z.infer<typeof StockLookupReplySchema>;

/**
 * A delivery note shipped to the till's store, on the change feed (entity `delivery_note`, store-scoped):
 * upserted when shipped, deleted once received or closed — so the till can receive it by scanning offline.
 */
export const DeliveryNoteDataSchema = z.object({
  id: IdSchema,
  number: z.string().min(1).max(40),
  from: z.string().max(200),
  shippedAt: z.string().max(40),
  lines: z.array(z.object({ productId: IdSchema, sku: z.string().max(64), name: z.string().max(300), quantity: z.int().min(0) })).max(5_000),
});
export type DeliveryNoteData = z.infer<typeof DeliveryNoteDataSchema>;
