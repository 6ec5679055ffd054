/**
 * HTTP schemas of the purchasing module: supplier products, purchase orders (PC) and goods receipts (EM)
 * against them. The API parses with them and the admin UI validates its forms with the same ones.
 */
import { z } from 'zod';
import { PriceCentsSchema, RowIdSchema } from '../limits';
import { TaxRateSchema } from '../ticket';

const Id = RowIdSchema;
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd');
const Bp = z.int().min(0).max(10_000);
/** Units, or grams for weighed products. */
const Quantity = z.int().min(1).max(100_000_000);

export const PURCHASE_ORDER_STATUSES = ['draft', 'sent', 'partially_received', 'received', 'closed', 'cancelled'] as const;
export const PurchaseOrderStatus = z.enum(PURCHASE_ORDER_STATUSES);
export type PurchaseOrderStatus = z.infer<typeof PurchaseOrderStatus>;

export const IdParams = z.object({ id: Id });
export const SupplierProductParams = z.object({ id: Id, productId: Id });

// ── supplier products ─────────────────────────────────────────────────────────────────────────────
export const SupplierProductBody = z.strictObject({
  reference: z.string().trim().max(64).nullable().default(null),
  costCents: PriceCentsSchema.nullable().default(null),
  packSize: z.int().min(1).max(100_000).default(1),
  minOrderQty: z.int().min(0).max(100_000_000).default(0),
  leadTimeDays: z.int().min(0).max(365).nullable().default(null),
  preferred: z.boolean().default(false),
});
export type SupplierProductBody = z.output<typeof SupplierProductBody>;
export const SupplierProductItem = z.object({
  supplierId: z.string(),
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  weighed: z.boolean(),
  tracksLots: z.boolean(),
  reference: z.string().nullable(),
  costCents: z.int().nullable(),
  packSize: z.int(),
  minOrderQty: z.int(),
  leadTimeDays: z.int().nullable(),
  preferred: z.boolean(),
});
export type SupplierProductItem = z.infer<typeof SupplierProductItem>;
export const LotTrackingBody = z.strictObject({ tracksLots: z.boolean() });

// ── purchase orders ───────────────────────────────────────────────────────────────────────────────
export const PurchaseOrderLineBody = z.strictObject({
  productId: Id,
  quantity: Quantity,
  /** Per unit, or per kg for weighed products; default: the supplier's cost of the product. */
  unitCostCents: PriceCentsSchema.optional(),
  discountBp: Bp.default(0),
  /** Default: the product's rate. */
  taxRateBp: TaxRateSchema.optional(),
});
export const PurchaseOrderBody = z.strictObject({
  supplierId: Id,
  /** A warehouse or a store: the order belongs to its company. */
  locationId: Id,
  expectedDate: Day.nullable().default(null),
  /** Over-receipt allowed without a reason (default: the supplier's). */
  toleranceBp: Bp.optional(),
  note: z.string().max(2000).nullable().default(null),
  lines: z.array(PurchaseOrderLineBody).min(1).max(2000),
});
export type PurchaseOrderBody = z.output<typeof PurchaseOrderBody>;

export const PurchaseOrderFilterQuery = z.object({
  status: PurchaseOrderStatus.optional(),
  supplierId: Id.optional(),
  locationId: Id.optional(),
});

export const PurchaseOrderItem = z.object({
  id: z.string(),
  number: z.string().nullable(),
  status: PurchaseOrderStatus,
  companyId: z.string(),
  supplierId: z.string(),
  supplierName: z.string(),
  locationId: z.string(),
  locationName: z.string(),
  locationKind: z.string(),
  expectedDate: z.string().nullable(),
  baseCents: z.int(),
  taxCents: z.int(),
  totalCents: z.int(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type PurchaseOrderItem = z.infer<typeof PurchaseOrderItem>;

export const PurchaseOrderLine = z.object({
  lineNo: z.int(),
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  weighed: z.boolean(),
  tracksLots: z.boolean(),
  barcodes: z.array(z.string()),
  supplierRef: z.string().nullable(),
  quantity: z.int(),
  unitCostCents: z.int(),
  discountBp: z.int(),
  taxRateBp: z.int(),
  baseCents: z.int(),
  receivedQuantity: z.int(),
  /** The net unit cost the goods enter stock at (µ€ per unit or gram). */
  netUnitCostMicros: z.int(),
  /** Stock of the product at the delivery location now, and its owner's weighted average (µ€; null: never costed). */
  onHand: z.int(),
  avgCostMicros: z.int().nullable(),
});
export const GoodsReceiptLine = z.object({
  lineNo: z.int(),
  orderLineNo: z.int(),
  productId: z.string(),
  quantity: z.int(),
  unitCostMicros: z.int(),
  lot: z.string().nullable(),
  bestBefore: z.string().nullable(),
  overReason: z.string().nullable(),
});
export const GoodsReceipt = z.object({
  id: z.string(),
  number: z.string(),
  orderId: z.string(),
  locationId: z.string(),
  note: z.string().nullable(),
  postedAt: z.string(),
  lines: z.array(GoodsReceiptLine),
});
export type GoodsReceipt = z.infer<typeof GoodsReceipt>;

export const PurchaseOrderDetail = PurchaseOrderItem.extend({
  toleranceBp: z.int(),
  note: z.string().nullable(),
  supplierNif: z.string().nullable(),
  pdfFileId: z.string().nullable(),
  taxes: z.array(z.object({ rateBp: z.int(), baseCents: z.int(), taxCents: z.int() })),
  lines: z.array(PurchaseOrderLine),
  receipts: z.array(GoodsReceipt),
});
export type PurchaseOrderDetail = z.infer<typeof PurchaseOrderDetail>;

// ── goods receipts ────────────────────────────────────────────────────────────────────────────────
export const GoodsReceiptBody = z.strictObject({
  /** Made by the client once per receipt: a retried request answers 409 "already posted", never posts twice. */
  id: Id,
  note: z.string().max(2000).nullable().default(null),
  lines: z
    .array(
      z.strictObject({
        orderLineNo: z.int().min(1),
        quantity: Quantity,
        lot: z.string().trim().min(1).max(40).nullable().default(null),
        bestBefore: Day.nullable().default(null),
        /** Required when the order line's received total goes beyond the tolerance. */
        overReason: z.string().trim().min(1).max(200).nullable().default(null),
      }),
    )
    .min(1)
    .max(2000),
});
export type GoodsReceiptBody = z.output<typeof GoodsReceiptBody>;

/** A location an order can be delivered to: the franchise's warehouses and stores in the caller's scope. */
export const DeliveryLocation = z.object({ id: z.string(), kind: z.string(), companyId: z.string(), code: z.string(), name: z.string() });
