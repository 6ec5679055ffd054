/** Three-way match of a supplier invoice line, table-driven, worked by hand (quantities in thousandths). */
import { describe, expect, it } from 'vitest';
import { matchLine, netPriceMicros, receivedMilliOf, type ReceivedRef } from '../../src/invoicing/match';

// Ordered at 2,00 € − 10 % = 1,80 € net = 1.800.000 µ€ (200 × 9000); received 10 units; IVA 21 %; tolerance 1 %.
const ref: ReceivedRef = { receivedMilli: 10_000, alreadyInvoicedMilli: 0, alreadyInvoicedBy: [], orderUnitCostCents: 200, orderDiscountBp: 1000, orderTaxRateBp: 2100, priceToleranceBp: 100 };
const line = { quantityMilli: 10_000, unitPriceCents: 200, discountBp: 1000, ivaRateBp: 2100 };

describe('matchLine', () => {
  it.each([
    ['as ordered and received', line, ref, []],
    ['no receipt', line, null, [{ kind: 'no_receipt' }]],
    ['short received: 12 invoiced, 10 came', { ...line, quantityMilli: 12_000 }, ref, [{ kind: 'quantity', expected: 10_000, got: 12_000 }]],
    ['invoiced less than received', { ...line, quantityMilli: 9_000 }, ref, [{ kind: 'quantity', expected: 10_000, got: 9_000 }]],
    // 1,818 € net would be 1 % over; 2,02 × 0,9 = 1,818 → |18.000| × 10⁴ = 1,8·10⁸ = 1.800.000 × 100: at the tolerance, not beyond
    ['price at the tolerance (+1 %)', { ...line, unitPriceCents: 202 }, ref, []],
    // 2,03 × 0,9 = 1,827 → +1,5 % > 1 %
    ['price beyond the tolerance', { ...line, unitPriceCents: 203 }, ref, [{ kind: 'price', expected: 1_800_000, got: 1_827_000, toleranceBp: 100 }]],
    // Same gross price without the discount: 2,00 net vs 1,80 → +11 %
    ['discount dropped', { ...line, discountBp: 0 }, ref, [{ kind: 'price', expected: 1_800_000, got: 2_000_000, toleranceBp: 100 }]],
    ['cheaper beyond the tolerance', { ...line, unitPriceCents: 197 }, ref, [{ kind: 'price', expected: 1_800_000, got: 1_773_000, toleranceBp: 100 }]],
    ['another IVA rate', { ...line, ivaRateBp: 1000 }, ref, [{ kind: 'tax_rate', expected: 2100, got: 1000 }]],
    // 6 already on FX-1: 4 remain; invoicing 10 goes beyond
    ['receipt line already invoiced', line, { ...ref, alreadyInvoicedMilli: 6_000, alreadyInvoicedBy: ['FX-1'] }, [{ kind: 'already_invoiced', expected: 4_000, got: 10_000, invoices: ['FX-1'] }]],
    ['the rest of a partly invoiced line', { ...line, quantityMilli: 4_000 }, { ...ref, alreadyInvoicedMilli: 6_000, alreadyInvoicedBy: ['FX-1'] }, []],
  ] as const)('%s', (_name, l, r, expected) => {
    expect(matchLine(l, r)).toEqual(expected);
  });

  it('converts receipt quantities and net prices', () => {
    expect(receivedMilliOf(3, false)).toBe(3000);
    expect(receivedMilliOf(1250, true)).toBe(1250); // 1.250 g = 1,250 kg
    expect(netPriceMicros(1299, 250)).toBe(12_665_250); // 12,99 € − 2,5 % = 12,66525 €
  });
});
