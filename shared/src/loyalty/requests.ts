/** The loyalty module's till requests (shared/src/wire/till-request.ts): payloads and replies. */
import { z } from 'zod';
import { IdSchema } from '../wire/ticket';

export const LOYALTY_BALANCE = 'loyalty.balance';
export const LOYALTY_HOLD = 'loyalty.hold';
export const LOYALTY_RELEASE = 'loyalty.release';

const Points = z.int().min(-1_000_000_000).max(1_000_000_000);

export const BalanceRequestSchema = z.strictObject({ customerId: IdSchema });
export const BalanceReplySchema = z.strictObject({
  customerId: IdSchema,
  points: Points,
  /** Held by active holds (this till's included). */
  held: Points,
  /** points − held: what may be redeemed now. */
  available: Points,
});
export type BalanceReply = z.infer<typeof BalanceReplySchema>;

export const HoldRequestSchema = z.strictObject({ customerId: IdSchema, points: z.int().min(1).max(100_000_000) });
export const HoldReplySchema = z.strictObject({
  holdId: IdSchema,
  customerId: IdSchema,
  points: z.int().min(1),
  cents: z.int().min(0),
  expiresAt: z.string().max(40),
  /** Available after this hold. */
  available: Points,
});
export type HoldReply = z.infer<typeof HoldReplySchema>;

export const ReleaseRequestSchema = z.strictObject({ holdId: IdSchema });
export const ReleaseReplySchema = z.strictObject({ released: z.boolean() });
