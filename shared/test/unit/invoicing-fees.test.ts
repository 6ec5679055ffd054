/**
 * Franchise-fee computation (must-be-true 5: returns deducted, a mid-month contract start), worked out by hand.
 * Amounts are net bases without IVA in cents; fee = roundHalfUp(net × bp / 10 000).
 */
import { describe, expect, it } from 'vitest';
import { feeInvoiceLine, feePlanFor, isFeeSkip, percentLabel, periodBounds, type FeeContract, type FeePlan, type StoreDayNet } from '../../src/invoicing/fees';

const M1 = { id: 's-m1', code: 'M001', name: 'Madrid 1' };
const M2 = { id: 's-m2', code: 'M002', name: 'Madrid 2' };
const contract = (id: string, startsOn: string, endsOn: string | null, royaltyBp: number, marketingFeeBp: number): FeeContract => ({ id, startsOn, endsOn, royaltyBp, marketingFeeBp, paymentDays: 30, paymentMethod: 'transfer' });
const day = (storeId: string, businessDate: string, netBaseCents: number): StoreDayNet => ({ storeId, businessDate, netBaseCents });
const lines = (p: FeePlan) => p.lines.map((l) => [l.contractId, l.storeId, l.kind, l.netSalesCents, l.feeCents]);

describe('fee plan of a franchisee and month', () => {
  it('deducts returns and charges each store at the contract rates (whole month)', () => {
    const p = feePlanFor('2026-11', [contract('C1', '2026-01-01', null, 500, 200)], [M2, M1], [
      day(M1.id, '2026-10-31', 999_999), // October: not this period
      day(M1.id, '2026-11-03', 1_000_000),
      day(M1.id, '2026-11-15', 234_567),
      day(M1.id, '2026-11-20', -34_567), // returns that day
      day(M2.id, '2026-11-10', 333_333),
    ]);
    if (isFeeSkip(p)) throw new Error(p.reason);
    // M1: 1 000 000 + 234 567 − 34 567 = 1 200 000 (12.000,00 €) → royalty 5 % = 60 000, marketing 2 % = 24 000
    // M2: 333 333 → royalty 16 666,65 → 16 667; marketing 6 666,66 → 6 667
    expect(lines(p)).toEqual([
      ['C1', M1.id, 'royalty', 1_200_000, 60_000],
      ['C1', M1.id, 'marketing', 1_200_000, 24_000],
      ['C1', M2.id, 'royalty', 333_333, 16_667],
      ['C1', M2.id, 'marketing', 333_333, 6_667],
    ]);
    // 60 000 + 24 000 + 16 667 + 6 667 = 107 334
    expect(p.baseCents).toBe(107_334);
    expect(p.lines[0]!.description).toBe('Royalty 5 % — Madrid 1 — ventas netas 12.000,00 €');
    expect(p.lines[1]!.description).toBe('Marketing 2 % — Madrid 1 — ventas netas 12.000,00 €');
    expect(p.netSalesByStore).toEqual([{ storeId: M1.id, netSalesCents: 1_200_000 }, { storeId: M2.id, netSalesCents: 333_333 }]);
  });

  it('a contract starting mid-month charges only the sales from its start', () => {
    const p = feePlanFor('2026-11', [contract('C2', '2026-11-16', null, 450, 150)], [M1], [
      day(M1.id, '2026-11-10', 500_000), // before the contract: not charged
      day(M1.id, '2026-11-16', 200_000),
      day(M1.id, '2026-11-30', -12_345),
    ]);
    if (isFeeSkip(p)) throw new Error(p.reason);
    // net 200 000 − 12 345 = 187 655 (1.876,55 €); royalty 4,5 %: 187 655 × 450 / 10 000 = 8 444,475 → 8 444;
    // marketing 1,5 %: 187 655 × 150 / 10 000 = 2 814,825 → 2 815; base 11 259
    expect(lines(p)).toEqual([
      ['C2', M1.id, 'royalty', 187_655, 8_444],
      ['C2', M1.id, 'marketing', 187_655, 2_815],
    ]);
    expect(p.baseCents).toBe(11_259);
    expect(p.lines[0]!.description).toBe('Royalty 4,5 % — Madrid 1 — ventas netas 1.876,55 € (16/11–30/11)');
    expect(p.lines[0]).toMatchObject({ from: '2026-11-16', to: '2026-11-30' });
  });

  it('two contracts in one month each charge their own days; the invoice carries the later one', () => {
    const p = feePlanFor('2026-11', [contract('C4', '2026-11-15', null, 600, 0), contract('C3', '2026-01-01', '2026-11-14', 500, 200)], [M1], [
      day(M1.id, '2026-11-14', 100_000),
      day(M1.id, '2026-11-15', 100_000),
    ]);
    if (isFeeSkip(p)) throw new Error(p.reason);
    // C3 (1–14 Nov): 100 000 × 5 % = 5 000, × 2 % = 2 000; C4 (15–30 Nov): 100 000 × 6 % = 6 000, no marketing fee
    expect(lines(p)).toEqual([
      ['C3', M1.id, 'royalty', 100_000, 5_000],
      ['C3', M1.id, 'marketing', 100_000, 2_000],
      ['C4', M1.id, 'royalty', 100_000, 6_000],
    ]);
    expect(p.baseCents).toBe(13_000);
    expect(p.contract.id).toBe('C4');
    expect(p.lines.map((l) => l.description.slice(-14))).toEqual(['€ (1/11–14/11)', '€ (1/11–14/11)', '€ (15/11–30/11)'.slice(-14)]);
  });

  it('a store with more returns than sales gives a negative line; the invoice is the sum', () => {
    const p = feePlanFor('2026-11', [contract('C1', '2026-01-01', null, 500, 0)], [M1, M2], [day(M1.id, '2026-11-02', 100_000), day(M2.id, '2026-11-02', 10_000), day(M2.id, '2026-11-03', -30_000)]);
    if (isFeeSkip(p)) throw new Error(p.reason);
    // M1 5 % of 100 000 = 5 000; M2 net 10 000 − 30 000 = −20 000 → −1 000; base 4 000
    expect(lines(p)).toEqual([
      ['C1', M1.id, 'royalty', 100_000, 5_000],
      ['C1', M2.id, 'royalty', -20_000, -1_000],
    ]);
    expect(p.baseCents).toBe(4_000);
    expect(feeInvoiceLine(p.lines[1]!)).toMatchObject({ quantityMilli: -1000, unitPriceCents: 1_000, ivaRateBp: 2100 });
  });

  it.each([
    ['no contract in force (ended in October)', [contract('C0', '2025-01-01', '2026-10-31', 500, 200)], [day(M1.id, '2026-11-02', 100_000)], 'NO_CONTRACT'],
    ['no contract at all', [], [day(M1.id, '2026-11-02', 100_000)], 'NO_CONTRACT'],
    ['a contract but no sales on its days', [contract('C1', '2026-11-20', null, 500, 200)], [day(M1.id, '2026-11-02', 100_000)], 'NO_SALES'],
    ['returns above sales (−50 000 → royalty −2 500)', [contract('C1', '2026-01-01', null, 500, 0)], [day(M1.id, '2026-11-02', 50_000), day(M1.id, '2026-11-05', -100_000)], 'NO_FEE'],
  ] as const)('skips: %s', (_, contracts, days, code) => {
    const p = feePlanFor('2026-11', contracts, [M1], days);
    expect(isFeeSkip(p) && p.skip).toBe(code);
  });

  it('labels and bounds', () => {
    expect([500, 450, 125, 1000, 5].map(percentLabel)).toEqual(['5 %', '4,5 %', '1,25 %', '10 %', '0,05 %']);
    expect(periodBounds('2026-11')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(periodBounds('2026-02').to).toBe('2026-02-28');
    expect(periodBounds('2028-02').to).toBe('2028-02-29');
    expect(periodBounds('2026-12').to).toBe('2026-12-31');
  });
});
