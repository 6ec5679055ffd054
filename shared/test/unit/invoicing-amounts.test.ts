import { describe, expect, it } from 'vitest';
import { invoiceAmounts, lineBase, type InvoiceLineInput } from '../../src/invoicing/amounts';
import { dueDatesOf, invoiceNumber } from '../../src/invoicing/documents';

// Every figure below worked out by hand (net prices; tax per rate group on the summed base, halfUp).
describe('invoice amounts', () => {
  const cases: Array<{ name: string; lines: InvoiceLineInput[]; irpfBp?: number; base: number; iva: number; re: number; irpf: number; total: number; taxes: Array<[number, number, number, number, number]> }> = [
    {
      name: 'mixed rates, a weighed line and a discount',
      // 2 × 10,00 @21 → 20,00; 1,500 kg × 3,33 @10 → 4,995 → 5,00; 3 × 0,99 −10 % @4 → 2,673 → 2,67
      lines: [
        { quantityMilli: 2000, unitPriceCents: 1000, ivaRateBp: 2100 },
        { quantityMilli: 1500, unitPriceCents: 333, ivaRateBp: 1000 },
        { quantityMilli: 3000, unitPriceCents: 99, discountBp: 1000, ivaRateBp: 400 },
      ],
      // IVA: 20,00 × 21 % = 4,20; 5,00 × 10 % = 0,50; 2,67 × 4 % = 0,1068 → 0,11
      base: 2767, iva: 481, re: 0, irpf: 0, total: 3248,
      taxes: [[2100, 0, 2000, 420, 0], [1000, 0, 500, 50, 0], [400, 0, 267, 11, 0]],
    },
    {
      name: 'recargo de equivalencia',
      // 100 × 1,23 @21 + RE 5,2 %: base 123,00, IVA 25,83, RE 6,396 → 6,40
      lines: [{ quantityMilli: 100_000, unitPriceCents: 123, ivaRateBp: 2100, reRateBp: 520 }],
      base: 12300, iva: 2583, re: 640, irpf: 0, total: 15523,
      taxes: [[2100, 520, 12300, 2583, 640]],
    },
    {
      name: 'IRPF withheld on a professional service',
      // 1.000,00 @21: IVA 210,00, IRPF 15 % 150,00 → 1.060,00 to pay
      lines: [{ quantityMilli: 1000, unitPriceCents: 100_000, ivaRateBp: 2100 }],
      irpfBp: 1500,
      base: 100_000, iva: 21_000, re: 0, irpf: 15_000, total: 106_000,
      taxes: [[2100, 0, 100_000, 21_000, 0]],
    },
    {
      name: 'tax on the summed base, not per line',
      // three lines of 0,07 @21: per line 0,0147 → 0,01 each would give 0,03; on the summed 0,21 it is 0,0441 → 0,04
      lines: [1, 2, 3].map(() => ({ quantityMilli: 1000, unitPriceCents: 7, ivaRateBp: 2100 })),
      base: 21, iva: 4, re: 0, irpf: 0, total: 25,
      taxes: [[2100, 0, 21, 4, 0]],
    },
    {
      name: 'a credit note is the negation (halfUp is symmetric)',
      // −1 × 10,05 @21: base −10,05, IVA −2,1105 → −2,11
      lines: [{ quantityMilli: -1000, unitPriceCents: 1005, ivaRateBp: 2100 }],
      base: -1005, iva: -211, re: 0, irpf: 0, total: -1216,
      taxes: [[2100, 0, -1005, -211, 0]],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = invoiceAmounts(c.lines, c.irpfBp ?? 0);
      if (!r.ok) throw new Error(r.error.message);
      expect([r.value.baseCents, r.value.ivaCents, r.value.reCents, r.value.irpfCents, r.value.totalCents]).toEqual([c.base, c.iva, c.re, c.irpf, c.total]);
      expect(r.value.taxes.map((t) => [t.ivaRateBp, t.reRateBp, t.baseCents, t.ivaCents, t.reCents])).toEqual(c.taxes);
      expect(r.value.grossCents).toBe(c.base + c.iva + c.re);
    });
  }

  it('a line discount rounds once over the exact product', () => {
    // 7 × 0,33 −15 %: 7 × 33 × 0,85 = 196,35 cents → 196
    expect(lineBase({ quantityMilli: 7000, unitPriceCents: 33, discountBp: 1500 })).toBe(196);
  });

  it('refuses bad lines naming the line and field', () => {
    const r = invoiceAmounts([{ quantityMilli: 1000, unitPriceCents: 100, ivaRateBp: 2100 }, { quantityMilli: 1000, unitPriceCents: 100, ivaRateBp: 1600 }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'INVOICE_TAX_RATE_INVALID', details: { index: 1, field: 'ivaRate' } });
    const re0 = invoiceAmounts([{ quantityMilli: 1000, unitPriceCents: 100, ivaRateBp: 0, reRateBp: 520 }]);
    expect(re0.ok || re0.error.code).toBe('INVOICE_RECARGO_INVALID');
    expect(invoiceAmounts([]).ok).toBe(false);
  });
});

describe('invoice numbers and due dates', () => {
  it('numbers per series', () => {
    expect(invoiceNumber('F1', 2026, 42)).toBe('FV-2026-000042');
    expect(invoiceNumber('R2', 2026, 1)).toBe('FR-2026-000001');
    expect(invoiceNumber('F3', 2027, 1_234_567)).toBe('FS-2027-1234567');
  });
  it('splits the total over the instalments, odd cents first', () => {
    expect(dueDatesOf('2026-11-30', 10_001, [30, 60, 90])).toEqual([
      { dueDate: '2026-12-30', amountCents: 3334 },
      { dueDate: '2027-01-29', amountCents: 3334 },
      { dueDate: '2027-02-28', amountCents: 3333 },
    ]);
    expect(dueDatesOf('2026-02-27', 500, [])).toEqual([{ dueDate: '2026-02-27', amountCents: 500 }]);
  });
});
