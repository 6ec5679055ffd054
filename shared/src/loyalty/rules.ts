/**
 * The franchise's loyalty programme, as rules the till and HQ share (pure: no I/O).
 *
 * - Earning: a member earns `floor(Σ line paid × rate / 100)` points per ticket, where a line's rate is
 *   its category's override or the programme's points per euro (0 for excluded products and categories)
 *   and "paid" is the line's total after its discount, promotions, points redeemed and the ticket discount.
 *   One floor per ticket, not per line. Returns reverse the earn of their sale in proportion to the money
 *   refunded (telescoping, so successive partial returns never reverse more than was earned).
 * - Redeeming: `points × pointValueCents` off the ticket, spread over the lines by largest remainder of
 *   what each line costs after promotions; at least `minRedeemPoints`; offline at most `offlineCapPoints`
 *   per redemption and `offlineDailyCapPoints` per customer and day at one till.
 * - The points ledger is read FIFO (oldest credit consumed first) for expiry, the liability per company and
 *   the settlement between franchisees (ledger.ts).
 */
import { z } from 'zod';
import { allocate, mulDiv, type Cents } from '../money';
import { err, ok, type Result } from '../result';
import { IdSchema } from '../wire/ticket';

export const LOYALTY_PROGRAMME_ID = 'franchise';

export const LoyaltyProgrammeSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  active: z.boolean(),
  /** Whole points per euro paid. */
  pointsPerEuro: z.int().min(0).max(1000),
  /** Points per euro by category (overrides `pointsPerEuro`; 0 = earns nothing). */
  categoryRates: z.array(z.strictObject({ categoryId: IdSchema, pointsPerEuro: z.int().min(0).max(1000) })).max(500),
  excludedProductIds: z.array(IdSchema).max(5000),
  excludedCategoryIds: z.array(IdSchema).max(500),
  /** What one point is worth when redeemed, in cents. */
  pointValueCents: z.int().min(1).max(10_000),
  minRedeemPoints: z.int().min(1).max(1_000_000),
  /** Points expire this many months after they were earned (FIFO); 0 = never. */
  expiryMonths: z.int().min(0).max(120),
  /** Offline: at most this many points per redemption… */
  offlineCapPoints: z.int().min(0).max(1_000_000),
  /** …and per customer and day at one till. */
  offlineDailyCapPoints: z.int().min(0).max(10_000_000),
  /** An online hold not used by a ticket lapses after this many minutes. */
  holdMinutes: z.int().min(1).max(24 * 60),
});
export type LoyaltyProgramme = z.infer<typeof LoyaltyProgrammeSchema>;

/** What the feed carries to the tills (`loyalty_programme`, id `franchise`): the programme itself. */
export const LoyaltyProgrammeDataSchema = LoyaltyProgrammeSchema;

export const DEFAULT_PROGRAMME: LoyaltyProgramme = {
  name: 'Puntos', active: true, pointsPerEuro: 1, categoryRates: [], excludedProductIds: [], excludedCategoryIds: [],
  pointValueCents: 1, minRedeemPoints: 100, expiryMonths: 24, offlineCapPoints: 500, offlineDailyCapPoints: 1000, holdMinutes: 15,
};

export interface EarnLine {
  readonly productId: string;
  readonly categoryId: string | null;
  /** What was paid for the line, tax included (negative on a return line). */
  readonly total: Cents;
}

/** Points per euro of one line under the programme. */
export function rateOf(p: LoyaltyProgramme, line: Pick<EarnLine, 'productId' | 'categoryId'>): number {
  if (p.excludedProductIds.includes(line.productId)) return 0;
  if (line.categoryId !== null && p.excludedCategoryIds.includes(line.categoryId)) return 0;
  const c = line.categoryId === null ? undefined : p.categoryRates.find((r) => r.categoryId === line.categoryId);
  return c ? c.pointsPerEuro : p.pointsPerEuro;
}

/** Points a sale earns: floor(Σ positive line totals × rate / 100), once per ticket. */
export function pointsEarned(p: LoyaltyProgramme, lines: readonly EarnLine[]): number {
  if (!p.active) return 0;
  let pointCents = 0;
  for (const l of lines) if (l.total > 0) pointCents += l.total * rateOf(p, l);
  return Math.floor(pointCents / 100);
}

/**
 * Points a return reverses of its sale's earn: the sale earned `earned` on `saleTotal` cents; `refundedBefore`
 * had been refunded by earlier returns, `refundedNow` by this one. Telescoping: round(E × after / T) −
 * round(E × before / T), capped so the total reversed never passes the points earned.
 */
export function pointsReversed(earned: number, saleTotal: Cents, refundedBefore: Cents, refundedNow: Cents): number {
  if (earned <= 0 || saleTotal <= 0 || refundedNow <= 0) return 0;
  const after = Math.min(saleTotal, refundedBefore + refundedNow);
  const before = Math.min(saleTotal, refundedBefore);
  return mulDiv(earned, after, saleTotal, 'halfUp') - mulDiv(earned, before, saleTotal, 'halfUp');
}

export const redemptionCents = (p: Pick<LoyaltyProgramme, 'pointValueCents'>, points: number): Cents => points * p.pointValueCents;

export type RedeemRefusal = 'LOYALTY_INACTIVE' | 'LOYALTY_POINTS_INVALID' | 'LOYALTY_BELOW_MINIMUM' | 'LOYALTY_INSUFFICIENT_POINTS' | 'LOYALTY_OFFLINE_CAP';

/** Whether `points` may be redeemed with `available` points (balance − active holds, or the offline allowance). */
export function checkRedemption(p: LoyaltyProgramme, points: number, available: number): Result<Cents, { code: RedeemRefusal; message: string }> {
  if (!p.active) return err({ code: 'LOYALTY_INACTIVE', message: 'el programa de puntos no está activo / the loyalty programme is not active' });
  if (!Number.isSafeInteger(points) || points <= 0) return err({ code: 'LOYALTY_POINTS_INVALID', message: 'puntos: un número entero positivo / points must be a positive whole number' });
  if (points < p.minRedeemPoints) return err({ code: 'LOYALTY_BELOW_MINIMUM', message: `mínimo ${p.minRedeemPoints} puntos por canje / at least ${p.minRedeemPoints} points per redemption` });
  if (points > available) {
    return err({ code: 'LOYALTY_INSUFFICIENT_POINTS', message: `saldo insuficiente: ${Math.max(0, available)} puntos disponibles, se piden ${points} / not enough points: ${Math.max(0, available)} available, ${points} asked` });
  }
  return ok(redemptionCents(p, points));
}

/** Points a till may still redeem offline for a customer who already redeemed `usedToday` there today. */
export function offlineAllowance(p: LoyaltyProgramme, usedToday: number): number {
  return Math.max(0, Math.min(p.offlineCapPoints, p.offlineDailyCapPoints - usedToday));
}

/**
 * Spreads a redemption's cents over the lines by largest remainder of what each line costs after its own
 * discount and promotions (`amounts`, non-negative). Fails when the lines cost less than the redemption.
 */
export function spreadRedemption(cents: Cents, amounts: readonly Cents[]): Result<Cents[], { code: 'LOYALTY_EXCEEDS_TICKET'; message: string }> {
  const sum = amounts.reduce((s, a) => s + Math.max(0, a), 0);
  if (cents > sum) return err({ code: 'LOYALTY_EXCEEDS_TICKET', message: `los puntos (${cents} cts) superan el importe del ticket (${sum} cts) / the points (${cents} cents) exceed the ticket (${sum} cents)` });
  const r = allocate(cents, amounts.map((a) => Math.max(0, a)));
  if (!r.ok) return err({ code: 'LOYALTY_EXCEEDS_TICKET', message: r.error.message });
  return ok(r.value);
}
