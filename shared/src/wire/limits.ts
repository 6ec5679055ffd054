/**
 * Limits of the back office's HTTP edge, in one place: the zod schemas of its bodies and the entity column
 * definitions read these numbers, and a test (backoffice/test/medium/errors-limits.test.ts) holds the
 * entities to them, so a value the schema accepts always fits its column. Shipped migrations keep their own
 * literals (they are history); a new column should take its length from here.
 */
import { z } from 'zod';

export const LIMITS = {
  /** Ids of back-office rows: UUID text in `varchar(36)`. */
  id: 36,
  sku: 64,
  productName: 200,
  categoryName: 100,
  /** EAN/UPC/internal codes: 6 to 14 digits (column `varchar(32)`). */
  barcode: 14,
  customerName: 200,
  email: 254,
  /** Spanish NIF/NIE/CIF: 9 characters (column `varchar(16)`). */
  nif: 9,
  noticeTitle: 200,
  noticeBody: 4000,
  staffCode: 16,
  staffName: 200,
  /** ISO-8601 instants as text (`varchar(32)`). */
  instant: 32,
} as const;

/**
 * The highest price or credit limit the back office accepts, in cents (999,999.99 €): far above any
 * retail article, far below where sums over many lines could leave the safe-integer range.
 */
export const MAX_PRICE_CENTS = 99_999_999;

/** JSON bodies nested deeper than this are refused at the HTTP edge (no TPV body needs more than ~6). */
export const MAX_JSON_DEPTH = 32;

/** A back-office row id: the characters of the wire's ids, at most as long as the id column. */
export const RowIdSchema = z
  .string()
  .min(1)
  .max(LIMITS.id)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'id: letters, digits, . _ : - only');

export const PriceCentsSchema = z.int().min(0).max(MAX_PRICE_CENTS);
