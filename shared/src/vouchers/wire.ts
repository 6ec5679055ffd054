/**
 * Gift vouchers on the wire: the till's voucher sale (upward document `vouchers.sale`) and its online
 * questions (till requests `vouchers.balance`, `vouchers.hold`, `vouchers.release`).
 */
import { z } from 'zod';
import { IdSchema } from '../wire/ticket';
import { CODE_PATTERN, isValidCode } from './codes';

export const VoucherCodeSchema = z.string().regex(CODE_PATTERN, 'código de vale mal formado / malformed voucher code').refine(isValidCode, 'dígito de control incorrecto / wrong check digit');
const Cents = z.int().min(1).max(100_000_000);

/** A voucher sold or loaded at the till (no IVA: not a ticket), paid in cash and/or by card. */
export const VoucherSaleSchema = z.strictObject({
  /** `issue`: a new code (made at the till or a pre-printed card); `load`: more onto an existing one. */
  kind: z.enum(['issue', 'load']),
  code: VoucherCodeSchema,
  amountCents: Cents,
  payments: z
    .array(z.union([z.strictObject({ method: z.literal('cash'), amountCents: Cents }), z.strictObject({ method: z.literal('card'), amountCents: Cents, reference: z.string().min(1).max(64) })]))
    .min(1)
    .max(4),
  /** The till's number of the slip: `VV-M00101-000042`. */
  number: z.string().min(1).max(40),
  sessionId: IdSchema,
  staffId: IdSchema.optional(),
  preprinted: z.boolean().optional(),
});
export type VoucherSale = z.infer<typeof VoucherSaleSchema>;

export const VoucherBalanceRequestSchema = z.strictObject({ code: VoucherCodeSchema });
export const VoucherStatusSchema = z.enum(['active', 'blocked', 'void', 'expired']);
export const VoucherBalanceReplySchema = z.strictObject({
  code: z.string(),
  status: VoucherStatusSchema,
  balanceCents: z.int(),
  /** Balance less other tills' active holds. */
  availableCents: z.int(),
  expiresAt: z.string(),
});
export type VoucherBalanceReply = z.infer<typeof VoucherBalanceReplySchema>;

/** Reserve `amountCents` for a payment being taken (`holdId` made at the till: a retry gets the same hold). */
export const VoucherHoldRequestSchema = z.strictObject({ holdId: IdSchema, code: VoucherCodeSchema, amountCents: Cents });
export type VoucherHoldRequest = z.infer<typeof VoucherHoldRequestSchema>;
export const VoucherHoldReplySchema = z.strictObject({
  holdId: IdSchema,
  code: z.string(),
  amountCents: z.int(),
  /** What is left to spend after this hold. */
  availableCents: z.int(),
  expiresAt: z.string(),
});
export type VoucherHoldReply = z.infer<typeof VoucherHoldReplySchema>;

export const VoucherReleaseRequestSchema = z.strictObject({ holdId: IdSchema });
export const VoucherReleaseReplySchema = z.strictObject({ holdId: IdSchema, released: z.boolean() });

/** Refusal codes of the till requests (TillRequestRefused). */
export const VOUCHER_REFUSALS = ['VOUCHER_UNKNOWN', 'VOUCHER_SPENT', 'VOUCHER_EXPIRED', 'VOUCHER_BLOCKED', 'VOUCHER_INSUFFICIENT', 'VOUCHER_MALFORMED'] as const;
