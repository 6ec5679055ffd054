/**
 * HTTP schemas of the stock documents a store or warehouse makes itself: transfers (TR) between two locations
 * of one company through a transit location, counts (RC: full or cycle, blind, scanned or typed, recount,
 * approval, posting) and adjustments (RG) with a cause. The API parses with them; the admin UI reads their types.
 */
import { z } from 'zod';
import { ADJUSTMENT_CAUSES, type AdjustmentCause } from '../../inventory/movements';
import { RowIdSchema } from '../limits';

const Id = RowIdSchema;
/** Units, or grams for weighed products. */
const Qty = z.int().min(0).max(10_000_000);
const Note = z.string().trim().max(500).nullable().optional();

export const DocIdParams = z.object({ id: Id });

// ── transfers ──
export const TRANSFER_STATUSES = ['draft', 'shipped', 'received', 'closed', 'cancelled'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export const TransferLinesBody = z.array(z.strictObject({ productId: Id, quantity: z.int().min(1).max(10_000_000) })).min(1).max(2_000);
export const TransferBody = z.strictObject({
  fromLocationId: Id,
  toLocationId: Id,
  note: Note,
  lines: TransferLinesBody,
});
export type TransferInput = z.infer<typeof TransferBody>;
export const TransferEditBody = z.strictObject({ note: Note, lines: TransferLinesBody });
export const TransferReceiveBody = z.strictObject({
  lines: z.array(z.strictObject({ productId: Id, received: Qty })).min(1).max(2_000),
});

export const TransferLineSchema = z.object({
  lineNo: z.int(),
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  quantity: z.int(),
  received: z.int().nullable(),
});
export const TransferSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    companyId: z.string(),
    fromLocationId: z.string(),
    fromName: z.string(),
    toLocationId: z.string(),
    toName: z.string(),
    status: z.enum(TRANSFER_STATUSES),
    note: z.string().nullable(),
    createdAt: z.string(),
    shippedAt: z.string().nullable(),
    receivedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    lines: z.array(TransferLineSchema),
  })
  .meta({ id: 'StockTransfer' });
export type Transfer = z.infer<typeof TransferSchema>;
export const TransferItemSchema = TransferSchema.omit({ lines: true }).extend({ lineCount: z.int() });
export type TransferItem = z.infer<typeof TransferItemSchema>;

// ── counts ──
export const COUNT_STATUSES = ['counting', 'recount', 'submitted', 'approved', 'posted', 'cancelled'] as const;
export type CountStatus = (typeof COUNT_STATUSES)[number];
export const COUNT_SCOPES = ['full', 'category', 'products'] as const;

export const CountBody = z
  .strictObject({
    locationId: Id,
    /** full: every active product; category: the active products of one category (and its sub-categories); products: a list. */
    scope: z.enum(COUNT_SCOPES),
    categoryId: Id.optional(),
    productIds: z.array(Id).min(1).max(20_000).optional(),
    /** Lines whose |counted − expected| is above this (units or grams) are counted again before approval. */
    recountThreshold: z.int().min(0).max(10_000_000).default(0),
    note: Note,
  })
  .superRefine((b, ctx) => {
    if (b.scope === 'category' && !b.categoryId) ctx.addIssue({ code: 'custom', path: ['categoryId'], message: 'a category count names its category' });
    if (b.scope === 'products' && !b.productIds?.length) ctx.addIssue({ code: 'custom', path: ['productIds'], message: 'a product-list count names its products' });
  });
export type CountInput = z.infer<typeof CountBody>;

/** Counted quantities typed (absolute: the quantity found). */
export const CountedBody = z.strictObject({ lines: z.array(z.strictObject({ productId: Id, counted: Qty })).min(1).max(20_000) });
/** One scan: a barcode (unit or pack) or SKU, adding its units to what was counted. */
export const ScanBody = z.strictObject({ code: z.string().trim().min(1).max(40), times: z.int().min(1).max(10_000).default(1) });

/** A line on the counting screen: never the expected quantity (blind). */
export const CountingLineSchema = z.object({
  lineNo: z.int(),
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  weighed: z.boolean(),
  counted: z.int().nullable(),
  /** Asked to be counted again (the first count differed by more than the threshold). */
  recount: z.boolean(),
});
/** A line after counting: what was expected, the difference and what it is worth. */
export const CountResultLineSchema = CountingLineSchema.extend({
  /** On hand when counting started. */
  expected: z.int(),
  /** First count of a line that was recounted. */
  firstCounted: z.int().nullable(),
  /** counted − expected (posted: the movement written). */
  difference: z.int(),
  /** µ€ per unit: the average at posting (before: the current average); null when no cost is known yet. */
  unitCostMicros: z.number().nullable(),
  differenceCents: z.int(),
});
export const CountSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    companyId: z.string(),
    locationId: z.string(),
    locationName: z.string(),
    scope: z.enum(COUNT_SCOPES),
    categoryId: z.string().nullable(),
    status: z.enum(COUNT_STATUSES),
    recountThreshold: z.int(),
    note: z.string().nullable(),
    startedAt: z.string(),
    submittedAt: z.string().nullable(),
    approvedAt: z.string().nullable(),
    postedAt: z.string().nullable(),
    /** Σ difference × average cost, cents (after posting: as posted; before: at today's averages). Null while counting (blind). */
    valueDifferenceCents: z.int().nullable(),
    /** While counting: the blind lines; once submitted: the results. */
    lines: z.array(z.union([CountResultLineSchema, CountingLineSchema])),
  })
  .meta({ id: 'StockCount' });
export type Count = z.infer<typeof CountSchema>;
export type CountingLine = z.infer<typeof CountingLineSchema>;
export type CountResultLine = z.infer<typeof CountResultLineSchema>;
export const CountItemSchema = CountSchema.omit({ lines: true }).extend({ lineCount: z.int() });
export type CountItem = z.infer<typeof CountItemSchema>;

// ── adjustments ──
const CAUSES = Object.keys(ADJUSTMENT_CAUSES) as [AdjustmentCause, ...AdjustmentCause[]];
export const AdjustmentBody = z.strictObject({
  /** Made by the client: a retried request with the same id is answered "already posted", never posted twice. */
  id: Id,
  locationId: Id,
  cause: z.enum(CAUSES),
  note: Note,
  lines: z
    .array(z.strictObject({ productId: Id, delta: z.int().min(-10_000_000).max(10_000_000).refine((d) => d !== 0, 'a line moves at least one unit') }))
    .min(1)
    .max(2_000),
});
export type AdjustmentInput = z.infer<typeof AdjustmentBody>;
export const AdjustmentSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    companyId: z.string(),
    locationId: z.string(),
    locationName: z.string(),
    cause: z.enum(CAUSES),
    note: z.string().nullable(),
    postedAt: z.string(),
    valueCents: z.int(),
    lines: z.array(z.object({ lineNo: z.int(), productId: z.string(), sku: z.string(), name: z.string(), delta: z.int(), unitCostMicros: z.number().nullable(), valueCents: z.int() })),
  })
  .meta({ id: 'StockAdjustment' });
export type Adjustment = z.infer<typeof AdjustmentSchema>;
export const AdjustmentItemSchema = AdjustmentSchema.omit({ lines: true }).extend({ lineCount: z.int() });
export type AdjustmentItem = z.infer<typeof AdjustmentItemSchema>;

/** Lists: filter by location (a store or warehouse in scope) and status. */
export const DocListQuery = z.object({
  locationId: Id.optional(),
  status: z.string().max(20).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
