/**
 * Inventory costing (ARCHITECTURE invariant 1): unit costs are integer **micro-euros per stock unit** — per
 * unit, or per gram for weighed products (a cent is 10,000 µ€; 0,50 €/kg is 500 µ€/g) — and become cents
 * only when an amount is shown or posted. The weighted average cost is kept per company and product and
 * moves only when goods come in at a price (a receipt, a purchase from the franchisor); sales, transfers,
 * counts and adjustments take goods in or out at the current average and never change it.
 */
import { divRoundBig } from '../money';

/** Micro-euros: 1 € = 1,000,000 µ€, 1 cent = 10,000 µ€. */
export type Micros = number;
export const MICROS_PER_CENT = 10_000;

/** Cents → µ€ (exact). */
export const centsToMicros = (cents: number): Micros => cents * MICROS_PER_CENT;

/** µ€ → cents, half-up (the rounding of every posted amount). */
export function microsToCents(micros: Micros): number {
  return Number(divRoundBig(BigInt(micros), BigInt(MICROS_PER_CENT), 'halfUp'));
}

/**
 * Value in cents of `quantity` stock units at `unitCost` µ€ each, half-up once on the product (never per
 * unit). Negative quantities (stock owed) value negative.
 */
export function valueCents(quantity: number, unitCost: Micros): number {
  return Number(divRoundBig(BigInt(quantity) * BigInt(unitCost), BigInt(MICROS_PER_CENT), 'halfUp'));
}

/**
 * Unit cost of a line bought for `totalCents` (its net amount, without IVA) for `quantity` units: µ€, half-up.
 */
export function unitCostOf(totalCents: number, quantity: number): Micros {
  if (quantity <= 0) throw new RangeError(`quantity must be positive, got ${quantity}`);
  return Number(divRoundBig(BigInt(totalCents) * BigInt(MICROS_PER_CENT), BigInt(quantity), 'halfUp'));
}

/**
 * The company's new average after `inQty` units come in at `inCost` µ€ each, when it held `onHand` at
 * `avgCost`. When it held nothing or less than nothing (sold before the goods were booked in), the
 * incoming cost is the new average: a negative quantity must never drag the cost below zero or inflate it.
 * Half-up on the exact quotient; never negative.
 */
export function weightedAverage(onHand: number, avgCost: Micros, inQty: number, inCost: Micros): Micros {
  if (inCost < 0) throw new RangeError(`incoming cost must not be negative, got ${inCost}`);
  if (inQty <= 0) return avgCost;
  if (onHand <= 0) return inCost;
  const num = BigInt(onHand) * BigInt(avgCost) + BigInt(inQty) * BigInt(inCost);
  return Number(divRoundBig(num, BigInt(onHand + inQty), 'halfUp'));
}
