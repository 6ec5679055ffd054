/** Restocking over HTTP: rules per store and product, proposals (what to order and why), alerts. */
import { z } from 'zod';

const id = z.string().min(1).max(64);
const qty = z.int().min(0).max(1_000_000_000);

export const RestockMethodSchema = z.enum(['minmax', 'cover']);
export const RestockSourceSchema = z.enum(['warehouse', 'supplier']);

export const RuleParams = z.object({ storeId: id, productId: id });
export const RuleStoreParams = z.object({ storeId: id });

/** A rule as typed: min/max needs both (min ≤ max), days of cover needs the days; a supplier source names the supplier. */
export const RuleBodySchema = z
  .object({
    method: RestockMethodSchema,
    minQty: qty.nullable().default(null),
    maxQty: qty.nullable().default(null),
    coverDays: z.int().min(1).max(365).nullable().default(null),
    packMultiple: z.int().min(1).max(100_000).default(1),
    leadTimeDays: z.int().min(0).max(365).nullable().default(null),
    source: RestockSourceSchema.default('warehouse'),
    supplierId: id.nullable().default(null),
  })
  .meta({ id: 'RestockRuleBody' });
export type RuleBody = z.output<typeof RuleBodySchema>;

export const RuleSchema = z
  .object({
    storeId: z.string(),
    productId: z.string(),
    sku: z.string(),
    name: z.string(),
    method: RestockMethodSchema,
    minQty: z.number().nullable(),
    maxQty: z.number().nullable(),
    coverDays: z.number().nullable(),
    packMultiple: z.number(),
    leadTimeDays: z.number().nullable(),
    source: RestockSourceSchema,
    supplierId: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'RestockRule' });
export type RuleView = z.infer<typeof RuleSchema>;

export const ProposalStatusSchema = z.enum(['draft', 'confirmed', 'discarded']);

export const ProposalSchema = z
  .object({
    id: z.string(),
    storeId: z.string(),
    storeCode: z.string(),
    storeName: z.string(),
    companyId: z.string(),
    status: ProposalStatusSchema,
    asOf: z.string(),
    lineCount: z.number(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    confirmedAt: z.string().nullable(),
    confirmedBy: z.string().nullable(),
    /** What confirming made: replenishment orders and purchase-order drafts. */
    orders: z.array(z.object({ kind: z.enum(['replenishment', 'purchase']), id: z.string(), number: z.string().nullable(), supplierId: z.string().nullable(), lines: z.number() })),
  })
  .meta({ id: 'RestockProposal' });
export type ProposalView = z.infer<typeof ProposalSchema>;

export const ProposalLineSchema = z
  .object({
    productId: z.string(),
    sku: z.string(),
    name: z.string(),
    weighed: z.boolean(),
    source: RestockSourceSchema,
    supplierId: z.string().nullable(),
    supplierName: z.string().nullable(),
    suggestedQty: z.number(),
    quantity: z.number(),
    /** Why: the figures the suggestion came from. */
    onHand: z.number(),
    openOrders: z.number(),
    inTransit: z.number(),
    salesPerDay: z.number(),
    coverDays: z.number().nullable(),
    safetyStock: z.number(),
    reorderPoint: z.number(),
    target: z.number(),
    leadTimeDays: z.number(),
    seasonality: z.number(),
    method: RestockMethodSchema,
  })
  .meta({ id: 'RestockProposalLine' });
export type ProposalLineView = z.infer<typeof ProposalLineSchema>;

export const ProposalDetailSchema = ProposalSchema.extend({ lines: z.array(ProposalLineSchema) }).meta({ id: 'RestockProposalDetail' });
export type ProposalDetail = z.infer<typeof ProposalDetailSchema>;

export const ProposalsQuery = z.object({ storeId: id.optional(), status: ProposalStatusSchema.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });
export const ProposalCreateBody = z.object({ storeId: id });
export const ProposalRunBody = z.object({ storeIds: z.array(id).max(10_000).nullable().default(null) });
export const ProposalParams = z.object({ id });
export const ProposalLineParams = z.object({ id, productId: id });
export const LineQuantityBody = z.object({ quantity: qty });

export const AlertsQuery = z.object({ storeId: id.optional(), weeks: z.coerce.number().int().min(1).max(104).default(8), limit: z.coerce.number().int().min(1).max(5000).default(500) });
export const AlertsSchema = z
  .object({
    belowMinimum: z.array(z.object({ storeId: z.string(), storeCode: z.string(), productId: z.string(), sku: z.string(), name: z.string(), onHand: z.number(), minQty: z.number() })),
    withoutSales: z.array(
      z.object({ storeId: z.string(), storeCode: z.string(), productId: z.string(), sku: z.string(), name: z.string(), onHand: z.number(), lastSaleWeek: z.string().nullable() }),
    ),
    sinceWeek: z.string(),
  })
  .meta({ id: 'RestockAlerts' });
export type Alerts = z.infer<typeof AlertsSchema>;

export const JobStartedSchema = z.object({ jobId: z.string() });
