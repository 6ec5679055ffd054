/**
 * HTTP shapes of the documents' entries (issue 14): the entries a document produced (every document points to
 * its entry), and the stock variation of a month (610/300) with its figures.
 */
import { z } from 'zod';

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as yyyy-mm');

export const BySourceQuery = z.strictObject({
  /** `invoice`, `supplier_invoice`, `stock_variation`, `till_session`, `payment`… */
  type: z.string().trim().min(1).max(32),
  id: z.string().trim().min(1).max(64),
});

export const SourceEntryLine = z.object({
  lineNo: z.number().int(),
  account: z.string(),
  accountName: z.string().nullable(),
  debitCents: z.number().int(),
  creditCents: z.number().int(),
  storeId: z.string().nullable(),
});
export const SourceEntry = z.object({
  id: z.string(),
  companyId: z.string(),
  companyName: z.string(),
  year: z.number().int(),
  number: z.number().int(),
  entryDate: z.string(),
  documentDate: z.string(),
  kind: z.string(),
  description: z.string(),
  totalCents: z.number().int(),
  reversesId: z.string().nullable(),
  reversedById: z.string().nullable(),
  lines: z.array(SourceEntryLine),
});
export type SourceEntry = z.infer<typeof SourceEntry>;
export const BySourceAnswer = z.object({ type: z.string(), id: z.string(), entries: z.array(SourceEntry) });
export type BySourceAnswer = z.infer<typeof BySourceAnswer>;

export const StockVariationParams = z.object({ companyId: z.string().min(1).max(64) });
export const StockVariationQuery = z.strictObject({ period: Month });
export const StockVariationBody = z.strictObject({ period: Month });

export const StockVariationFigures = z.object({
  companyId: z.string(),
  period: z.string(),
  date: z.string(),
  valuedAt: z.string(),
  stockAccount: z.string(),
  variationAccount: z.string(),
  stockValueCents: z.number().int(),
  inTransitCents: z.number().int(),
  productsWithoutCost: z.number().int(),
  bookedCents: z.number().int(),
  variationCents: z.number().int(),
  ended: z.boolean(),
  entry: z.object({ id: z.string(), year: z.number().int(), number: z.number().int(), entryDate: z.string(), totalCents: z.number().int() }).nullable(),
});
export type StockVariationFigures = z.infer<typeof StockVariationFigures>;
