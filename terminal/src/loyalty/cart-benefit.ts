/**
 * The cart's loyalty redemption as a benefit (pure): the cents of the points redeemed spread over the lines
 * by largest remainder of what each line costs after its own discount and the promotions, added to the
 * lines' `benefits` (kind 'loyalty', id = HQ's hold id online, a local id offline), and named once on the
 * ticket's `benefits` with its points, authorisation, offline mark and member. Cart pricing and checkout call
 * `withLoyalty` on the lines they price; a redemption that no longer fits (lines voided) refuses the change.
 */
import { ok, type Result } from '@tpv/shared/result';
import { spreadRedemption } from '@tpv/shared/loyalty/rules';
import { priceTicket, type LineInput } from '@tpv/shared/ticket';
import type { TicketBenefit } from '@tpv/shared/wire/ticket';
import type { Failure } from '../app/errors';

export interface CartLoyalty {
  /** The benefit's id: HQ's hold id (online) or a local id (offline). */
  readonly id: string;
  readonly customerId: string;
  readonly points: number;
  readonly cents: number;
  /** HQ's hold (online). */
  readonly authorization?: string | undefined;
  readonly offline?: boolean | undefined;
  readonly expiresAt?: string | undefined;
}

export function withLoyalty<L extends LineInput>(lines: readonly L[], loyalty: CartLoyalty | undefined): Result<L[], Failure> {
  if (!loyalty || lines.length === 0) return ok([...lines]);
  const before = priceTicket({ kind: 'sale', lines });
  if (!before.ok) return before;
  const amounts = before.value.lines.map((l) => Math.max(0, l.gross - l.lineDiscount - l.benefitDiscount));
  const shares = spreadRedemption(loyalty.cents, amounts);
  if (!shares.ok) return { ok: false, error: { code: shares.error.code, message: shares.error.message, details: { cents: loyalty.cents } } };
  return ok(lines.map((l, i) => (shares.value[i]! > 0 ? { ...l, benefits: [...(l.benefits ?? []), { kind: 'loyalty' as const, id: loyalty.id, cents: shares.value[i]! }] } : l)));
}

export function loyaltyTicketBenefits(loyalty: CartLoyalty | undefined): TicketBenefit[] {
  if (!loyalty) return [];
  return [{
    kind: 'loyalty', id: loyalty.id, name: `Puntos canjeados (${loyalty.points})`, cents: loyalty.cents, points: loyalty.points, customerId: loyalty.customerId,
    ...(loyalty.authorization ? { authorization: loyalty.authorization } : {}), ...(loyalty.offline ? { offline: true } : {}),
  }];
}
