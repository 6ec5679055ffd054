/**
 * Purchase order amounts (net of IVA, integer cents), the same on the server, the PDF and the admin UI.
 *
 * A line's quantity is in stock units — units, or grams for weighed products — and its unit cost is per unit,
 * or per kilogram for weighed products (what suppliers quote), so:
 *   line base = roundHalfUp(quantity × unitCost × (10000 − discount bp) / (10000 × (weighed ? 1000 : 1)))
 * IVA is rounded once per rate over the sum of that rate's line bases (as an invoice's tax table is):
 *   IVA(rate) = roundHalfUp(Σ base(rate) × rate / 10000); total = Σ base + Σ IVA.
 * The net unit cost the goods enter stock at (µ€ per unit or gram) is
 *   roundHalfUp(unitCost × 10000 × (10000 − discount) / (10000 × (weighed ? 1000 : 1))).
 */
import { mulDiv } from '../money';
import type { Micros } from './cost';

export interface PurchaseLineInput {
  quantity: number;
  unitCostCents: number;
  discountBp: number;
  taxRateBp: number;
  weighed: boolean;
}

export interface PurchaseTaxRow {
  rateBp: number;
  baseCents: number;
  taxCents: number;
}

export interface PurchaseAmounts {
  lineBases: number[];
  taxes: PurchaseTaxRow[];
  baseCents: number;
  taxCents: number;
  totalCents: number;
}

const perUnit = (weighed: boolean) => (weighed ? 1000 : 1);

export function lineBaseCents(l: PurchaseLineInput): number {
  return mulDiv(l.quantity * l.unitCostCents, 10_000 - l.discountBp, 10_000 * perUnit(l.weighed), 'halfUp');
}

export function netUnitCostMicros(l: Pick<PurchaseLineInput, 'unitCostCents' | 'discountBp' | 'weighed'>): Micros {
  return mulDiv(l.unitCostCents * 10_000, 10_000 - l.discountBp, 10_000 * perUnit(l.weighed), 'halfUp');
}

export function purchaseAmounts(lines: readonly PurchaseLineInput[]): PurchaseAmounts {
  const lineBases = lines.map(lineBaseCents);
  const byRate = new Map<number, number>();
  lines.forEach((l, i) => byRate.set(l.taxRateBp, (byRate.get(l.taxRateBp) ?? 0) + lineBases[i]!));
  const taxes = [...byRate.entries()]
    .sort(([a], [b]) => b - a)
    .map(([rateBp, baseCents]) => ({ rateBp, baseCents, taxCents: mulDiv(baseCents, rateBp, 10_000, 'halfUp') }));
  const baseCents = lineBases.reduce((a, b) => a + b, 0);
  const taxCents = taxes.reduce((a, t) => a + t.taxCents, 0);
  return { lineBases, taxes, baseCents, taxCents, totalCents: baseCents + taxCents };
}

/** A draft's quantity for a supplier: at least the minimum order, then up to a whole number of packs. */
export function roundToSupplier(quantity: number, packSize: number, minOrder: number): number {
  const q = Math.max(quantity, minOrder, 1);
  const pack = Math.max(1, packSize);
  return Math.ceil(q / pack) * pack;
}

/** Whether receiving `total` of an `ordered` quantity goes beyond the tolerance (basis points over ordered). */
export function beyondTolerance(ordered: number, total: number, toleranceBp: number): boolean {
  return total * 10_000 > ordered * (10_000 + toleranceBp);
}
