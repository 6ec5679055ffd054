/** Stock per store and product (stock_level = Σ stock_movement) and a product's movements. */
import { z } from 'zod';

export const StoreParams = z.object({ storeId: z.string().min(1).max(64) });
export const StoreProductParams = StoreParams.extend({ productId: z.string().min(1).max(64) });

export const StockQuery = z.object({ q: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(5000).default(500) });
export const MovementsQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

export const StockRowSchema = z
  .object({ productId: z.string(), sku: z.string(), name: z.string(), weighed: z.boolean(), quantity: z.number(), updatedAt: z.string() })
  .meta({ id: 'StockRow' });
export type StockRow = z.infer<typeof StockRowSchema>;

export const MovementSchema = z
  .object({
    id: z.string(),
    delta: z.number(),
    reason: z.string(),
    ticketId: z.string().nullable(),
    lineNo: z.int().nullable(),
    fiscalNumber: z.string().nullable(),
    at: z.string(),
  })
  .meta({ id: 'StockMovement' });
export type MovementView = z.infer<typeof MovementSchema>;

export const MovementsSchema = z.object({ quantity: z.number(), movements: z.array(MovementSchema) });
export type Movements = z.infer<typeof MovementsSchema>;
