/**
 * HTTP schemas of gift vouchers at HQ (issue 15): search by code, one voucher with its ledger and holds,
 * the outstanding balance (liability) per company, HQ's corrections (adjust, refund to the voucher, void,
 * block/unblock) and the expiry run. Amounts in cents.
 */
import { z } from 'zod';
import { RowIdSchema } from '../limits';

export const VoucherCodeParam = z.object({ code: z.string().min(4).max(40) });
export const VoucherSearchQuery = z.object({
  /** A code or its first characters (spaces and dashes ignored). */
  q: z.string().max(40).optional(),
  status: z.enum(['active', 'blocked', 'void', 'expired']).optional(),
  overdrawn: z.enum(['true', 'false']).optional(),
  companyId: RowIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type VoucherSearchQuery = z.output<typeof VoucherSearchQuery>;

export const VoucherSchema = z.object({
  id: z.string(), code: z.string(), companyId: z.string(), companyName: z.string().nullable(), storeId: z.string().nullable(),
  status: z.enum(['active', 'blocked', 'void', 'expired']), balanceCents: z.number().int(), overdrawn: z.boolean(),
  expiresAt: z.string(), createdAt: z.string(), updatedAt: z.string(),
});
export const VoucherListAnswer = z.object({ items: z.array(VoucherSchema) });
export const VoucherPostingSchema = z.object({
  id: z.string(), seq: z.number().int(), kind: z.enum(['issue', 'load', 'redeem', 'refund', 'expire', 'adjust']), amountCents: z.number().int(), balanceAfterCents: z.number().int(),
  companyId: z.string(), storeId: z.string().nullable(), terminalId: z.string().nullable(), sourceKind: z.string(), sourceId: z.string(),
  reference: z.string().nullable(), note: z.string().nullable(), actor: z.string().nullable(), at: z.string(),
});
export const VoucherHoldSchema = z.object({ id: z.string(), terminalId: z.string(), amountCents: z.number().int(), status: z.string(), expiresAt: z.string(), ticketId: z.string().nullable() });
export const VoucherDetailAnswer = z.object({ voucher: VoucherSchema, postings: z.array(VoucherPostingSchema), holds: z.array(VoucherHoldSchema), sumOfPostingsCents: z.number().int() });

export const VoucherAdjustBody = z.strictObject({
  /** Signed; `refund` (a refund credited back to the voucher) must be positive. */
  amountCents: z.int().min(-100_000_000).max(100_000_000).refine((n) => n !== 0, 'el importe no puede ser 0 / amount must not be 0'),
  kind: z.enum(['adjust', 'refund']).default('adjust'),
  note: z.string().trim().min(3, 'explique el motivo / give the reason').max(500),
});
export const VoucherStatusBody = z.strictObject({
  /** `void`: the balance is posted off and the voucher can never be used; `blocked`/`active`: stop or allow use (clears the overdraft flag). */
  status: z.enum(['active', 'blocked', 'void']),
  note: z.string().trim().min(3, 'explique el motivo / give the reason').max(500),
});

export const OutstandingQuery = z.object({ companyId: RowIdSchema.optional() });
export const OutstandingAnswer = z.object({
  /** Per company: Σ postings made at its stores (sold + loaded − redeemed − expired ± adjusted): its position. */
  companies: z.array(z.object({
    companyId: z.string(), companyName: z.string().nullable(), soldCents: z.number().int(), redeemedCents: z.number().int(), expiredCents: z.number().int(),
    adjustedCents: z.number().int(), netCents: z.number().int(),
    /** Outstanding balance of the vouchers it issued (its liability to the holders). */
    issuedOutstandingCents: z.number().int(), vouchers: z.number().int(),
  })),
  totalOutstandingCents: z.number().int(),
  overdrawn: z.number().int(),
});
export const ExpireAnswer = z.object({ expired: z.number().int(), cents: z.number().int() });
