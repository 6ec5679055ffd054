/** Loyalty rules (shared/src/loyalty), worked by hand: earning, reversal on returns, redemption spread, FIFO, expiry, liability, settlement. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROGRAMME, checkRedemption, offlineAllowance, pointsEarned, pointsReversed, spreadRedemption, type LoyaltyProgramme } from '../../src/loyalty/rules';
import { expiringPoints, monthsBefore, outstandingByCompany, settlement, walkFifo, type LedgerPosting } from '../../src/loyalty/ledger';

const P: LoyaltyProgramme = {
  ...DEFAULT_PROGRAMME,
  pointsPerEuro: 1,
  categoryRates: [{ categoryId: 'fresh', pointsPerEuro: 2 }, { categoryId: 'tobacco', pointsPerEuro: 0 }],
  excludedProductIds: ['gift-card'],
  excludedCategoryIds: ['lottery'],
  pointValueCents: 1,
  minRedeemPoints: 100,
  offlineCapPoints: 500,
  offlineDailyCapPoints: 800,
};

describe('points earned per ticket', () => {
  const l = (productId: string, categoryId: string | null, total: number) => ({ productId, categoryId, total });
  it.each([
    ['one euro, one point', [l('a', null, 100)], 1],
    ['9,99 € floors to 9', [l('a', null, 999)], 9],
    ['floor once per ticket: 0,50 + 0,50 = 1 point', [l('a', null, 50), l('b', null, 50)], 1],
    ['fresh earns double: 3,40 € × 2 = 6,8 → 6', [l('a', 'fresh', 340)], 6],
    ['tobacco rate 0, lottery and the gift card excluded', [l('a', 'tobacco', 500), l('b', 'lottery', 1000), l('gift-card', null, 2000), l('c', null, 250)], 2],
    ['mixed: 12,34 € × 1 + 5,00 € × 2 = 22,34 → 22', [l('a', 'bakery', 1234), l('b', 'fresh', 500)], 22],
    ['negative lines earn nothing', [l('a', null, -500), l('b', null, 300)], 3],
  ])('%s', (_name, lines, expected) => {
    expect(pointsEarned(P, lines)).toBe(expected);
  });
  it('an inactive programme earns nothing', () => expect(pointsEarned({ ...P, active: false }, [l('a', null, 10_000)])).toBe(0));
});

describe('returns reverse in proportion to the money refunded (telescoping)', () => {
  it.each([
    // earned, sale total, refunded before, refunded now, reversed
    [25, 2500, 0, 2500, 25],
    [25, 2500, 0, 1000, 10],
    [25, 2500, 1000, 1000, 10],
    [25, 2500, 2000, 500, 5],
    [10, 300, 0, 100, 3], // 3,33 → 3
    [10, 300, 100, 100, 4], // round(6,67)=7 − 3 = 4
    [10, 300, 200, 100, 3], // 10 − 7 = 3: Σ = 10, never more than earned
    [10, 300, 0, 999, 10], // more than the sale: capped
  ])('earned %i on %i, refunded %i then %i → %i', (earned, total, before, now, expected) => {
    expect(pointsReversed(earned, total, before, now)).toBe(expected);
  });
});

describe('redemption', () => {
  it.each([
    [99, 1000, 'LOYALTY_BELOW_MINIMUM'],
    [0, 1000, 'LOYALTY_POINTS_INVALID'],
    [1001, 1000, 'LOYALTY_INSUFFICIENT_POINTS'],
  ])('%i points with %i available → %s', (points, available, code) => {
    const r = checkRedemption(P, points, available);
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });
  it('1000 points at 1 cent = 10,00 €', () => expect(checkRedemption(P, 1000, 1000)).toEqual({ ok: true, value: 1000 }));
  it('the offline allowance is the per-redemption cap, then what is left of the day', () => {
    expect([0, 300, 500, 800, 900].map((used) => offlineAllowance(P, used))).toEqual([500, 500, 300, 0, 0]);
  });
  it.each([
    // 1,00 € over 3,00 / 1,00 / 0,00 € → 75 / 25 / 0
    [100, [300, 100, 0], [75, 25, 0]],
    // 1,00 € over three equal lines: 33,33 each, the cent left to the first (ties to the lower index)
    [100, [500, 500, 500], [34, 33, 33]],
    // the whole ticket
    [1234, [1000, 234], [1000, 234]],
  ])('%i cents over %j → %j (largest remainder)', (cents, amounts, expected) => {
    expect(spreadRedemption(cents, amounts)).toEqual({ ok: true, value: expected });
  });
  it('more than the ticket is refused', () => {
    const r = spreadRedemption(501, [300, 200]);
    expect(r.ok ? '' : r.error.code).toBe('LOYALTY_EXCEEDS_TICKET');
  });
});

describe('the ledger read FIFO by earn date', () => {
  const R = 'ruiz';
  const L = 'levante';
  const p = (seq: number, kind: LedgerPosting['kind'], points: number, companyId: string, day: string): LedgerPosting => ({ seq, kind, points, companyId, day });
  // Member A: earns 300 at Ruiz (Jan) and 200 at Levante (Feb), redeems 400 at Levante in March → 300 of
  // Ruiz's points and 100 of Levante's. Member B: earns 100 at Levante, redeems 50 at Ruiz in March and 30 at Ruiz in April.
  const A = [p(1, 'earn', 300, R, '2026-01-10'), p(2, 'earn', 200, L, '2026-02-05'), p(3, 'redeem', -400, L, '2026-03-01')];
  const B = [p(1, 'earn', 100, L, '2026-01-01'), p(2, 'redeem', -50, R, '2026-03-15'), p(3, 'redeem', -30, R, '2026-04-02')];

  it('liability: outstanding points by the company where they were earned', () => {
    expect(Object.fromEntries(outstandingByCompany(A))).toEqual({ [L]: 100 });
    expect(Object.fromEntries(outstandingByCompany(B))).toEqual({ [L]: 20 });
  });

  it('March settlement: Ruiz owes Levante 300, Levante owes Ruiz 50 → Ruiz owes Levante 250 points = 2,50 €', () => {
    const cons = [...walkFifo(A).consumptions, ...walkFifo(B).consumptions];
    expect(settlement(cons, '2026-03', 1)).toEqual([{ debtorCompanyId: R, creditorCompanyId: L, points: 250, cents: 250 }]);
    // April: B's 30 Levante points redeemed at Ruiz → Levante owes Ruiz 30 (at 2 cents a point: 0,60 €).
    expect(settlement(cons, '2026-04', 2)).toEqual([{ debtorCompanyId: L, creditorCompanyId: R, points: 30, cents: 60 }]);
    expect(settlement(cons, '2026-02', 1)).toEqual([]);
  });

  it('expiry: lots earned before asOf − months, still outstanding', () => {
    expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
    expect(monthsBefore('2026-01-15', 13)).toBe('2024-12-15');
    expect(Object.fromEntries(expiringPoints(B, '2026-03-20', 2))).toEqual({ [L]: 20 }); // cutoff 2026-01-20: B's January lot
    expect(Object.fromEntries(expiringPoints(A, '2026-03-20', 2))).toEqual({}); // A's Ruiz lot is spent, Levante's is from February
    expect(Object.fromEntries(expiringPoints(A, '2026-04-06', 2))).toEqual({ [L]: 100 });
    expect(expiringPoints(A, '2030-01-01', 0).size).toBe(0); // 0 months: never
  });

  it('an offline overdraft waits for the next credit, which covers it first', () => {
    const C = [p(1, 'earn', 50, R, '2026-01-01'), p(2, 'redeem', -80, L, '2026-01-02')];
    expect(walkFifo(C).overdraft).toBe(30);
    const after = walkFifo([...C, p(3, 'earn', 100, L, '2026-01-10')]);
    expect(after.overdraft).toBe(0);
    expect(after.lots.map((l) => [l.companyId, l.remaining])).toEqual([[L, 70]]);
    // The redemption used 50 of Ruiz's points and 30 of Levante's.
    expect(after.consumptions.map((c) => [c.earnedAt, c.spentAt, c.points])).toEqual([[R, L, 50], [L, L, 30]]);
  });

  it('a lot earned earlier but posted later (merge transfer) is consumed first', () => {
    const D = [p(1, 'earn', 100, R, '2026-05-01'), p(2, 'merge', 40, L, '2026-02-01'), p(3, 'redeem', -50, R, '2026-05-02')];
    expect(walkFifo(D).consumptions.map((c) => [c.earnedAt, c.points])).toEqual([[L, 40], [R, 10]]);
  });
});
