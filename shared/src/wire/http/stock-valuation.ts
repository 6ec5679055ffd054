/**
 * Stock lists with cost and value, valuation at any date, and a product's movements across locations
 * (the back office's stock module; quantities in units, or grams for weighed products; costs in µ€ per
 * unit/gram; values in integer cents).
 */
import { z } from 'zod';

export const StockLocationItem = z
  .object({
    id: z.string(),
    kind: z.enum(['store', 'warehouse']),
    companyId: z.string(),
    companyName: z.string(),
    code: z.string(),
    name: z.string(),
  })
  .meta({ id: 'StockLocationItem' });
export type StockLocationItem = z.infer<typeof StockLocationItem>;

export const LocationParams = z.object({ locationId: z.string().min(1).max(64) });
export const ProductParams = z.object({ productId: z.string().min(1).max(64) });

/** Filters of a location's stock list (besides the list's `q`: SKU or name). */
export const LocationStockFilter = z.object({
  categoryId: z.string().max(64).optional(),
  /** Only products with something on hand (≠ 0). */
  nonZero: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  /** Only products under the location's restocking minimum (a min/max rule, `restock_rule.min_qty`), held or not. */
  belowMin: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
});

export const LocationStockItem = z
  .object({
    productId: z.string(),
    sku: z.string(),
    name: z.string(),
    categoryName: z.string().nullable(),
    weighed: z.boolean(),
    quantity: z.number(),
    /** The owner's weighted average (µ€ per unit or gram); null: never received at a price. */
    avgCostMicros: z.number().nullable(),
    /** quantity × average, half-up to the cent; null without a cost. */
    valueCents: z.number().nullable(),
    /** The restocking minimum of this product here (a min/max rule); null: none. */
    minQty: z.number().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'LocationStockItem' });
export type LocationStockItem = z.infer<typeof LocationStockItem>;

export const ValuationQuery = z.object({
  /** The instant to value at (ISO 8601); absent: now (current levels and averages). */
  at: z.iso.datetime({ offset: true }).optional(),
  companyId: z.string().max(64).optional(),
  locationId: z.string().max(64).optional(),
});

export const LocationValuation = z
  .object({
    locationId: z.string(),
    kind: z.enum(['store', 'warehouse', 'transit']),
    code: z.string(),
    name: z.string(),
    companyId: z.string(),
    /** Products held (quantity ≠ 0). */
    products: z.int(),
    /** Of those, held with no cost known at that date (valued 0). */
    productsWithoutCost: z.int(),
    valueCents: z.int(),
  })
  .meta({ id: 'LocationValuation' });
export type LocationValuation = z.infer<typeof LocationValuation>;

export const CompanyValuation = z
  .object({ companyId: z.string(), companyName: z.string(), valueCents: z.int(), inTransitCents: z.int() })
  .meta({ id: 'CompanyValuation' });
export type CompanyValuation = z.infer<typeof CompanyValuation>;

export const ValuationResponse = z
  .object({
    /** The instant valued at; null: now. */
    at: z.string().nullable(),
    locations: z.array(LocationValuation),
    companies: z.array(CompanyValuation),
    totalValueCents: z.int(),
  })
  .meta({ id: 'StockValuation' });
export type ValuationResponse = z.infer<typeof ValuationResponse>;

export const ProductMovementFilter = z.object({
  locationId: z.string().max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export const ProductMovementItem = z
  .object({
    id: z.string(),
    locationId: z.string(),
    locationKind: z.enum(['store', 'warehouse', 'transit']),
    locationCode: z.string(),
    locationName: z.string(),
    delta: z.number(),
    reason: z.string(),
    cause: z.string().nullable(),
    documentType: z.string().nullable(),
    documentId: z.string().nullable(),
    documentNumber: z.string().nullable(),
    ticketId: z.string().nullable(),
    fiscalNumber: z.string().nullable(),
    unitCostMicros: z.number().nullable(),
    lot: z.string().nullable(),
    bestBefore: z.string().nullable(),
    at: z.string(),
  })
  .meta({ id: 'ProductMovementItem' });
export type ProductMovementItem = z.infer<typeof ProductMovementItem>;
