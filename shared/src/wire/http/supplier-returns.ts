/**
 * HTTP schemas of supplier returns (issue 17): a store sends goods back to a central warehouse (store return,
 * DT), the warehouse receives them, then returns goods to the supplier (DV) with the credit note expected at
 * the purchase cost; the supplier's credit note is recorded against it — matched, or the difference shown.
 * Amounts in cents, without IVA (purchase costs are net).
 */
import { z } from 'zod';
import { RowIdSchema } from '../limits';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'fecha AAAA-MM-DD / date YYYY-MM-DD');
const Units = z.int().min(1, 'al menos 1 unidad / at least 1 unit').max(10_000_000);
const Lines = <T extends z.ZodRawShape>(shape: T) => z.array(z.strictObject(shape)).min(1, 'al menos una línea / at least one line').max(200);

export const ReturnIdParam = z.object({ id: RowIdSchema });

export const StoreReturnBody = z.strictObject({
  /** The client's id: a retried request finds it posted (409) and never posts twice. */
  id: RowIdSchema,
  storeId: RowIdSchema,
  warehouseId: RowIdSchema,
  supplierId: RowIdSchema,
  reason: z.string().trim().min(3, 'explique el motivo / give the reason').max(500),
  /** A recall: the units of the block's product count as withdrawn by the store. */
  blockId: RowIdSchema.optional(),
  /** With a block: this store has withdrawn everything of it. */
  complete: z.boolean().default(false),
  lines: Lines({ productId: RowIdSchema, units: Units }),
});
export type StoreReturnBody = z.output<typeof StoreReturnBody>;

export const SupplierReturnBody = z.strictObject({
  id: RowIdSchema,
  warehouseId: RowIdSchema,
  supplierId: RowIdSchema,
  reason: z.string().trim().min(3, 'explique el motivo / give the reason').max(500),
  lines: Lines({ productId: RowIdSchema, units: Units, storeReturnId: RowIdSchema.optional() }),
});
export type SupplierReturnBody = z.output<typeof SupplierReturnBody>;

export const CreditNoteBody = z.strictObject({
  /** The supplier's own credit-note number. */
  creditNumber: z.string().trim().min(1).max(60),
  creditDate: Day,
  /** The credit note's taxable base (without IVA), in cents. */
  amountCents: z.int().min(1).max(1_000_000_000),
  note: z.string().trim().max(500).optional(),
});

export const ReturnListQuery = z.object({
  supplierId: RowIdSchema.optional(),
  status: z.string().max(12).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const Line = z.object({ lineNo: z.number().int(), productId: z.string(), sku: z.string(), name: z.string(), units: z.number().int(), unitCostMicros: z.number().int().nullable(), valueCents: z.number().int() });
export const StoreReturnSchema = z.object({
  id: z.string(), number: z.string(), companyId: z.string(), storeId: z.string(), storeName: z.string(), warehouseId: z.string(), warehouseName: z.string(),
  supplierId: z.string(), supplierName: z.string(), blockId: z.string().nullable(), status: z.enum(['shipped', 'received']), reason: z.string(), valueCents: z.number().int(),
  shippedAt: z.string(), receivedAt: z.string().nullable(), lines: z.array(Line),
});
export const SupplierReturnSchema = z.object({
  id: z.string(), number: z.string(), companyId: z.string(), warehouseId: z.string(), warehouseName: z.string(), supplierId: z.string(), supplierName: z.string(),
  status: z.enum(['posted', 'credited']), reason: z.string(), expectedCreditCents: z.number().int(), postedAt: z.string(),
  credit: z.object({ number: z.string(), date: z.string(), amountCents: z.number().int(), differenceCents: z.number().int(), matched: z.boolean(), note: z.string().nullable(), at: z.string() }).nullable(),
  lines: z.array(Line.extend({ storeReturnId: z.string().nullable() })),
});
export const StoreReturnList = z.object({ items: z.array(StoreReturnSchema.omit({ lines: true })) });
export const SupplierReturnList = z.object({ items: z.array(SupplierReturnSchema.omit({ lines: true })) });

export const SupplierReturnFiguresQuery = z.object({ from: Day.optional(), to: Day.optional() });
export const SupplierReturnFigures = z.object({
  items: z.array(z.object({
    supplierId: z.string(), supplierName: z.string(), returns: z.number().int(), units: z.number().int(), expectedCents: z.number().int(),
    creditedCents: z.number().int(), awaitingCredit: z.number().int(), differenceCents: z.number().int(),
  })),
});
