/**
 * HTTP schemas of product blocks and recalls at HQ (issue 17): block a product (or one lot / best-before
 * range of it) for the network or some stores/companies, lift it, the block's page (per store: units sold
 * since the reference date, stock on hand to withdraw, what was withdrawn), and a store's withdrawal.
 */
import { z } from 'zod';
import { BLOCK_SCOPES } from '../../blocks/rules';
import { RowIdSchema } from '../limits';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'fecha AAAA-MM-DD / date YYYY-MM-DD');
export const BLOCK_STATUSES = ['open', 'closed', 'lifted'] as const;

export const BlockIdParam = z.object({ id: RowIdSchema });
export const BlockListQuery = z.object({
  status: z.enum(BLOCK_STATUSES).optional(),
  productId: RowIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const BlockCreateBody = z.strictObject({
  productId: RowIdSchema,
  scope: z.enum(BLOCK_SCOPES).default('product'),
  lot: z.string().trim().max(20).nullable().optional(),
  bestBeforeFrom: Day.nullable().optional(),
  bestBeforeTo: Day.nullable().optional(),
  reason: z.string().trim().min(3, 'explique el motivo / give the reason').max(500),
  /** Units sold from this day on count as affected (default: today). */
  referenceDate: Day.optional(),
  /** Only these stores and the stores of these companies; both empty or absent: the whole network. */
  storeIds: z.array(RowIdSchema).max(2000).optional(),
  companyIds: z.array(RowIdSchema).max(500).optional(),
});
export type BlockCreateBody = z.output<typeof BlockCreateBody>;

export const BlockLiftBody = z.strictObject({ note: z.string().trim().min(3, 'explique por qué se levanta / say why it is lifted').max(500) });

export const WithdrawalBody = z.strictObject({
  /** The client's id for this withdrawal: a retried request finds it recorded (409) and never posts twice. */
  id: RowIdSchema,
  storeId: RowIdSchema,
  /** `adjustment`: a stock adjustment (RG) with cause `recall` takes the units out; `none`: the store has nothing to withdraw. */
  method: z.enum(['adjustment', 'none']),
  units: z.int().min(0).max(10_000_000),
  /** The store has withdrawn everything of the block (a lot block cannot tell from on-hand alone). */
  complete: z.boolean().default(false),
  note: z.string().trim().max(500).optional(),
});
export type WithdrawalBody = z.output<typeof WithdrawalBody>;

export const BlockSummary = z.object({
  id: z.string(), number: z.string(), productId: z.string(), productSku: z.string(), productName: z.string(),
  scope: z.enum(BLOCK_SCOPES), lot: z.string().nullable(), bestBeforeFrom: z.string().nullable(), bestBeforeTo: z.string().nullable(),
  reason: z.string(), referenceDate: z.string(), network: z.boolean(), status: z.enum(BLOCK_STATUSES),
  stores: z.number().int(), storesWithdrawn: z.number().int(),
  createdAt: z.string(), closedAt: z.string().nullable(), liftedAt: z.string().nullable(), liftNote: z.string().nullable(),
});
export const BlockListAnswer = z.object({ items: z.array(BlockSummary) });

export const BlockStoreRow = z.object({
  storeId: z.string(), storeCode: z.string(), storeName: z.string(), companyId: z.string(),
  /** Σ units on the tickets HQ holds from the reference date on (returns subtract); grams for weighed products. */
  unitsSold: z.number().int(), gramsSold: z.number().int(), tickets: z.number().int(),
  /** Stock on hand at the store now (the stock ledger): what is left to withdraw. */
  onHand: z.number().int(),
  withdrawnUnits: z.number().int(),
  withdrawnAt: z.string().nullable(),
});
export const WithdrawalRow = z.object({
  id: z.string(), storeId: z.string(), method: z.enum(['adjustment', 'store_return', 'none']), units: z.number().int(),
  documentId: z.string().nullable(), documentNumber: z.string().nullable(), note: z.string().nullable(), createdAt: z.string(),
});
export const BlockDetail = z.object({
  block: BlockSummary,
  stores: z.array(BlockStoreRow),
  withdrawals: z.array(WithdrawalRow),
  totals: z.object({ unitsSold: z.number().int(), onHand: z.number().int(), withdrawnUnits: z.number().int() }),
});
export type BlockDetail = z.infer<typeof BlockDetail>;
