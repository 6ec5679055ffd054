import { describe, expect, it } from 'vitest';
import { computeCashReport, countDenominations, type ReportTicket } from '../../src/cash/z-report';

const row = (rate: 2100 | 1000 | 400 | 0, gross: number, base: number, iva: number, reRate: 0 | 520 | 140 | 50 = 0, re = 0) =>
  ({ rate, reRate, gross, base, ivaCuota: iva, reCuota: re });

// A session worked out by hand:
//  float 100,00 (movement +10000)
//  T/1 sale 12,10 (21 %: base 10,00 iva 2,10) paid cash 20,00 → change 7,90 → drawer +12,10
//  T/2 sale 15,40 (21 %: 12,10 = 10,00 + 2,10; 10 %: 3,30 = 3,00 + 0,30) discount 1,00; card 15,40
//  T/3 sale 10,40 (4 %: 10,00 + 0,40) cash 5,00 + voucher 5,40
//  R/1 return −12,10 of T/1 (21 %: −10,00 −2,10), refunded cash → drawer −12,10
//  T/4 sale 26,30 in recargo (21 %+5,2 %: 20,84 base… see row) on account
//  cash in 50,00, cash out 30,00
const tickets: ReportTicket[] = [
  { kind: 'sale', fiscalNumber: 'M00101-26T/1', totals: { total: 1210, discountTotal: 0 }, taxBreakdown: [row(2100, 1210, 1000, 210)], payments: [{ method: 'cash', amount: 2000 }], change: 790 },
  { kind: 'sale', fiscalNumber: 'M00101-26T/2', totals: { total: 1540, discountTotal: 100 }, taxBreakdown: [row(2100, 1210, 1000, 210), row(1000, 330, 300, 30)], payments: [{ method: 'card', amount: 1540 }], change: 0 },
  { kind: 'sale', fiscalNumber: 'M00101-26T/3', totals: { total: 1040, discountTotal: 0 }, taxBreakdown: [row(400, 1040, 1000, 40)], payments: [{ method: 'cash', amount: 500 }, { method: 'voucher', amount: 540 }], change: 0 },
  { kind: 'return', fiscalNumber: 'M00101-26R/1', totals: { total: -1210, discountTotal: 0 }, taxBreakdown: [row(2100, -1210, -1000, -210)], payments: [{ method: 'cash', amount: -1210 }], change: 0 },
  // 2630 / 1.262 = 2084.0 → base 2084, iva round(2084×0.21)=438 (437.64), re 2630−2084−438 = 108
  { kind: 'sale', fiscalNumber: 'M00101-26T/4', totals: { total: 2630, discountTotal: 0 }, taxBreakdown: [row(2100, 2630, 2084, 438, 520, 108)], payments: [{ method: 'on_account', amount: 2630 }], change: 0 },
];
const movements = [
  { kind: 'float', amountCents: 10000 },
  { kind: 'sale', amountCents: 1210 },
  { kind: 'sale', amountCents: 500 },
  { kind: 'refund', amountCents: -1210 },
  { kind: 'cash_in', amountCents: 5000 },
  { kind: 'cash_out', amountCents: -3000 },
] as const;

describe('cash report arithmetic (hand-computed)', () => {
  it('adds up tickets, payments, taxes and the drawer', () => {
    const r = computeCashReport({ tickets, movements, voids: { count: 2, cents: 398 }, counted: 12450 });
    expect(r.tickets).toEqual({ count: 5, first: 'M00101-26T/1', last: 'M00101-26T/4' });
    expect(r.sales).toEqual({ count: 4, total: 1210 + 1540 + 1040 + 2630 }); // 6420
    expect(r.returns).toEqual({ count: 1, total: -1210, first: 'M00101-26R/1', last: 'M00101-26R/1' });
    expect(r.netSales).toBe(5210);
    expect(r.discounts).toEqual({ count: 1, cents: 100 });
    expect(r.voids).toEqual({ count: 2, cents: 398 });
    // cash: 2000 − 790 + 500 − 1210 = 500; card 1540; voucher 540; on account 2630 → Σ 5210 = net sales
    expect(r.payments).toEqual([
      { method: 'cash', amountCents: 500 },
      { method: 'card', amountCents: 1540 },
      { method: 'voucher', amountCents: 540 },
      { method: 'on_account', amountCents: 2630 },
    ]);
    expect(r.payments.reduce((s, p) => s + p.amountCents, 0)).toBe(r.netSales);
    expect(r.taxes).toEqual([
      { rate: 2100, reRate: 520, gross: 2630, base: 2084, ivaCuota: 438, reCuota: 108 },
      { rate: 2100, reRate: 0, gross: 1210, base: 1000, ivaCuota: 210, reCuota: 0 }, // 1210 + 1210 − 1210
      { rate: 1000, reRate: 0, gross: 330, base: 300, ivaCuota: 30, reCuota: 0 },
      { rate: 400, reRate: 0, gross: 1040, base: 1000, ivaCuota: 40, reCuota: 0 },
    ]);
    // expected = 10000 + 1210 + 500 − 1210 + 5000 − 3000 = 12500; counted 12450 → −50
    expect(r.cash).toEqual({ float: 10000, sales: 1710, refunds: -1210, cashIn: 5000, cashOut: 3000, expected: 12500, counted: 12450, difference: -50 });
  });

  it('an X report has no count; an empty session is all zeros', () => {
    const r = computeCashReport({ tickets: [], movements: [{ kind: 'float', amountCents: 5000 }], voids: { count: 0, cents: 0 } });
    expect(r.tickets).toEqual({ count: 0 });
    expect(r.payments).toEqual([]);
    expect(r.cash).toEqual({ float: 5000, sales: 0, refunds: 0, cashIn: 0, cashOut: 0, expected: 5000 });
  });

  it.each([
    [{ '5000': 1, '2000': 2, '200': 5, '1': 3 }, 5000 + 4000 + 1000 + 3],
    [{}, 0],
    [{ '50000': 0 }, 0],
    [{ '300': 1 }, undefined],
    [{ '0200': 1 }, undefined],
    [{ '100': -1 }, undefined],
    [{ '100': 1.5 }, undefined],
  ])('countDenominations(%j) = %s', (counts, expected) => {
    expect(countDenominations(counts)).toBe(expected);
  });
});
