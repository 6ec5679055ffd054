/**
 * HTTP schemas of the replenishment module (issue 11, part 2): the franchisor's wholesale price list, store
 * replenishment orders (PR), delivery notes (AL) and the minimal incidents list. The API parses with them and
 * the admin UI reads the same types.
 */
import { z } from 'zod';
import { PriceCentsSchema, RowIdSchema } from '../limits';

const Id = RowIdSchema;
/** Units, or grams for weighed products. */
const Qty = z.int().min(0).max(10_000_000);

export const IdParams = z.object({ id: Id });

// ── wholesale price list ──

export const WholesalePriceItem = z
  .object({
    productId: z.string(),
    sku: z.string(),
    name: z.string(),
    weighed: z.boolean(),
    taxRateBp: z.int(),
    /** The product's reference cost (catalog), shown beside the price; never used as a default. */
    costCents: z.int().nullable(),
    /** Net of IVA, per unit (per kg for weighed products); null: not priced yet (cannot be shipped to a franchisee). */
    priceCents: z.int().nullable(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'WholesalePrice' });
export type WholesalePriceItem = z.infer<typeof WholesalePriceItem>;

export const WholesalePriceFilter = { missing: z.enum(['true', 'false']).transform((v) => v === 'true').optional() };

export const WholesalePricesBody = z.strictObject({
  prices: z.array(z.strictObject({ productId: Id, priceCents: PriceCentsSchema.nullable() })).min(1).max(5_000),
});
export type WholesalePricesBody = z.infer<typeof WholesalePricesBody>;

// ── replenishment orders ──

export const ORDER_STATUSES = ['registered', 'approved', 'picking', 'shipped', 'received', 'closed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const RegisterOrderBody = z.strictObject({
  storeId: Id,
  lines: z
    .array(z.strictObject({ productId: Id, quantity: z.int().min(1).max(1_000_000) }))
    .min(1)
    .max(2_000),
  note: z.string().trim().max(500).nullable().optional(),
});
export type RegisterOrderBody = z.infer<typeof RegisterOrderBody>;

export const OrderQuantitiesBody = z.strictObject({
  lines: z.array(z.strictObject({ productId: Id, quantity: Qty })).min(1).max(2_000),
});
export type OrderQuantitiesBody = z.infer<typeof OrderQuantitiesBody>;

export const OrderFilter = {
  status: z.enum(ORDER_STATUSES).optional(),
  storeId: Id.optional(),
};

export const OrderItem = z
  .object({
    id: z.string(),
    number: z.string(),
    status: z.enum(ORDER_STATUSES),
    source: z.string(),
    storeId: z.string(),
    storeCode: z.string(),
    storeName: z.string(),
    companyId: z.string(),
    warehouseId: z.string(),
    lines: z.int(),
    createdAt: z.string(),
    deliveryNoteId: z.string().nullable(),
  })
  .meta({ id: 'ReplenishmentOrder' });
export type OrderItem = z.infer<typeof OrderItem>;

export const OrderLine = z.object({
  lineNo: z.int(),
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  weighed: z.boolean(),
  requested: z.int(),
  approved: z.int(),
  picked: z.int().nullable(),
  /** On hand at the order's warehouse now. */
  warehouseOnHand: z.int(),
});
export const OrderDetail = OrderItem.extend({
  note: z.string().nullable(),
  createdBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  approvedBy: z.string().nullable(),
  shippedAt: z.string().nullable(),
  warehouseName: z.string(),
  deliveryNoteNumber: z.string().nullable(),
  items: z.array(OrderLine),
  changes: z.array(z.object({ productId: z.string(), field: z.string(), from: z.int().nullable(), to: z.int(), at: z.string(), by: z.string().nullable() })),
}).meta({ id: 'ReplenishmentOrderDetail' });
export type OrderDetail = z.infer<typeof OrderDetail>;

export const OrderRef = z.object({ id: z.string(), number: z.string(), status: z.enum(ORDER_STATUSES) });

// ── delivery notes ──

export const NOTE_STATUSES = ['shipped', 'received', 'closed'] as const;
export const NoteFilter = { status: z.enum(NOTE_STATUSES).optional(), storeId: Id.optional() };

export const NoteItem = z
  .object({
    id: z.string(),
    number: z.string(),
    status: z.enum(NOTE_STATUSES),
    orderId: z.string(),
    orderNumber: z.string(),
    storeId: z.string(),
    storeCode: z.string(),
    storeName: z.string(),
    fromCompanyId: z.string(),
    toCompanyId: z.string(),
    shippedAt: z.string(),
    receivedAt: z.string().nullable(),
  })
  .meta({ id: 'DeliveryNote' });
export type NoteItem = z.infer<typeof NoteItem>;

export const NoteLine = z.object({
  lineNo: z.int(),
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  weighed: z.boolean(),
  shipped: z.int(),
  received: z.int().nullable(),
  damaged: z.int().nullable(),
  /** received − shipped counting damaged as arrived: − short, + over (null until received). */
  difference: z.int().nullable(),
  unitPriceCents: z.int(),
  taxRateBp: z.int(),
  note: z.string().nullable(),
});
export const NoteDetail = NoteItem.extend({
  fromCompanyName: z.string(),
  toCompanyName: z.string(),
  warehouseName: z.string(),
  closedAt: z.string().nullable(),
  /** Still in transit (shipped − arrived): written off as `delivery_short` when the note is closed. */
  inTransit: z.int(),
  items: z.array(NoteLine),
  incidents: z.array(z.object({ id: z.string(), number: z.string(), kind: z.string(), productId: z.string().nullable(), quantity: z.int().nullable() })),
}).meta({ id: 'DeliveryNoteDetail' });
export type NoteDetail = z.infer<typeof NoteDetail>;

export const ReceiveBody = z.strictObject({
  lines: z
    .array(z.strictObject({ productId: Id, received: Qty, damaged: Qty.optional(), note: z.string().max(300).optional() }))
    .min(1)
    .max(2_000),
});
export type ReceiveBody = z.infer<typeof ReceiveBody>;

// ── incidents: quality control's (./quality), re-exported for the replenishment pages ──

export { INCIDENT_KINDS, INCIDENT_STATES, IncidentFilter, IncidentItem, IncidentDetail } from './quality';
