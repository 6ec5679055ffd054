/**
 * Three-way match of a supplier invoice line (what the supplier invoices) against the goods-receipt line it
 * invoices (what came in) and that receipt's order line (what was agreed). Pure integer arithmetic:
 *
 *   net unit price (µ€ per unit, or per kg for weighed goods) = priceCents × (10000 − discountBp)
 *     (cents × 10⁴ = µ€, and the discount factor is /10⁴: the two cancel, so the product is exact)
 *   expected quantity = received − already invoiced on other (not rejected) invoices
 *   price beyond tolerance  ⇔  |invoiced net − order net| × 10000 > order net × toleranceBp
 *
 * Quantities are in thousandths of the priced unit (units × 1000, or grams for weighed goods), as the
 * invoice arithmetic (`invoiceAmounts`) takes them.
 */

export type MatchDifference =
  /** The line invoices no goods receipt (a charge without an order, or a receipt not given). */
  | { readonly kind: 'no_receipt' }
  /** Invoiced ≠ received (less what other invoices already took). */
  | { readonly kind: 'quantity'; readonly expected: number; readonly got: number }
  /** The receipt line is already (partly) on other invoices and this one goes beyond what remains. */
  | { readonly kind: 'already_invoiced'; readonly expected: number; readonly got: number; readonly invoices: readonly string[] }
  /** Net unit price (µ€) beyond the supplier's tolerance of the order's. */
  | { readonly kind: 'price'; readonly expected: number; readonly got: number; readonly toleranceBp: number }
  /** IVA rate other than the order line's. */
  | { readonly kind: 'tax_rate'; readonly expected: number; readonly got: number };

export interface InvoicedLine {
  readonly quantityMilli: number;
  readonly unitPriceCents: number;
  readonly discountBp: number;
  readonly ivaRateBp: number;
}

export interface ReceivedRef {
  readonly receivedMilli: number;
  readonly alreadyInvoicedMilli: number;
  /** Numbers of the other invoices that hold this receipt line. */
  readonly alreadyInvoicedBy: readonly string[];
  readonly orderUnitCostCents: number;
  readonly orderDiscountBp: number;
  readonly orderTaxRateBp: number;
  readonly priceToleranceBp: number;
}

/** µ€ per priced unit after the line discount. */
export const netPriceMicros = (priceCents: number, discountBp: number) => priceCents * (10_000 - discountBp);

export function matchLine(line: InvoicedLine, ref: ReceivedRef | null): MatchDifference[] {
  if (!ref) return [{ kind: 'no_receipt' }];
  const out: MatchDifference[] = [];
  const remaining = ref.receivedMilli - ref.alreadyInvoicedMilli;
  if (ref.alreadyInvoicedMilli > 0 && line.quantityMilli > remaining) {
    out.push({ kind: 'already_invoiced', expected: remaining, got: line.quantityMilli, invoices: ref.alreadyInvoicedBy });
  } else if (line.quantityMilli !== remaining) {
    out.push({ kind: 'quantity', expected: remaining, got: line.quantityMilli });
  }
  const expected = netPriceMicros(ref.orderUnitCostCents, ref.orderDiscountBp);
  const got = netPriceMicros(line.unitPriceCents, line.discountBp);
  if (Math.abs(got - expected) * 10_000 > expected * ref.priceToleranceBp) out.push({ kind: 'price', expected, got, toleranceBp: ref.priceToleranceBp });
  if (line.ivaRateBp !== ref.orderTaxRateBp) out.push({ kind: 'tax_rate', expected: ref.orderTaxRateBp, got: line.ivaRateBp });
  return out;
}

/** A receipt line's quantity (units, or grams when weighed) as invoice thousandths of the priced unit. */
export const receivedMilliOf = (quantity: number, weighed: boolean) => (weighed ? quantity : quantity * 1000);
