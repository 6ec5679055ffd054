/**
 * Late-payment interest (Ley 3/2004): simple interest actual/365 on the statutory half-year rates, split at
 * 1 January / 1 July, each segment rounded half-up to cents. Every figure below is worked out by hand:
 *   interest = principal × rateBp × days / (10 000 × 365) = principal × rateBp × days / 3 650 000.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/prng';
import {
  RECOVERY_COMPENSATION_CENTS,
  STATUTORY_LATE_PAYMENT_RATES,
  daysBetween,
  halfYearEnd,
  halfYearStart,
  lateClaim,
  lateInterest,
  lateInterestWithPayments,
  simpleInterest,
  statutoryRateOn,
  type StatutoryRate,
} from '../../src/collections';
import { unwrap as unwrapResult } from '../../src/result';

const seg = (from: string, to: string, days: number, rateBp: number, interestCents: number) => ({ from, to, days, rateBp, interestCents });

describe('the statutory rate table', () => {
  const cases: [string, number][] = [
    ['2020-01-01', 800],
    ['2022-12-31', 800],
    ['2023-01-01', 1050],
    ['2023-07-01', 1200],
    ['2024-06-30', 1250], // brief: 2024 H1 12.50 %
    ['2024-07-01', 1225], // brief: 2024 H2 12.25 %
    ['2025-03-15', 1115],
    ['2025-12-31', 1015],
    ['2026-06-30', 1015],
  ];
  it.each(cases)('%s → %i bp', (date, bp) => {
    expect(unwrapResult(statutoryRateOn(date)).rateBp).toBe(bp);
  });

  it('covers 2020 H1 to 2026 H1 with no gap and no overlap, one row per half-year', () => {
    const t = STATUTORY_LATE_PAYMENT_RATES;
    expect(t).toHaveLength(13);
    for (let i = 0; i < t.length; i++) {
      expect(t[i]!.from).toBe(halfYearStart(t[i]!.from));
      expect(t[i]!.to).toBe(halfYearEnd(t[i]!.from));
      if (i > 0) expect(daysBetween(t[i - 1]!.to, t[i]!.from)).toBe(1);
    }
  });

  it('refuses a day whose rate is not known, naming the day', () => {
    const r = statutoryRateOn('2026-07-01');
    expect(!r.ok && r.error.code).toBe('INTEREST_RATE_UNKNOWN');
    expect(!r.ok && r.error.message).toContain('2026-07-01');
    expect(statutoryRateOn('2019-12-31').ok).toBe(false);
  });
});

describe('interest worked out by hand', () => {
  it('crosses 1 July 2024 (the brief\'s rates)', () => {
    // 1 000,00 € due 2024-06-20, paid 2024-07-10:
    //   21–30 June, 10 days at 12.50 %: 100 000 × 1 250 × 10 / 3 650 000 = 342.47 → 342
    //   1–10 July, 10 days at 12.25 %:  100 000 × 1 225 × 10 / 3 650 000 = 335.62 → 336
    const r = unwrapResult(lateInterest({ principalCents: 100_000, dueDate: '2024-06-20', paidOn: '2024-07-10' }));
    expect(r.segments).toEqual([seg('2024-06-21', '2024-06-30', 10, 1250, 342), seg('2024-07-01', '2024-07-10', 10, 1225, 336)]);
    expect(r.days).toBe(20);
    expect(r.interestCents).toBe(678);
  });

  it('a whole year 2023 at two rates', () => {
    // 10 000,00 € due 2022-12-31, paid 2023-12-31:
    //   H1 181 days (31+28+31+30+31+30) at 10.50 %: 1 000 000 × 1 050 × 181 / 3 650 000 = 52 068.49 → 52 068
    //   H2 184 days (31+31+30+31+30+31) at 12.00 %: 1 000 000 × 1 200 × 184 / 3 650 000 = 60 493.15 → 60 493
    const r = unwrapResult(lateInterest({ principalCents: 1_000_000, dueDate: '2022-12-31', paidOn: '2023-12-31' }));
    expect(r.segments).toEqual([seg('2023-01-01', '2023-06-30', 181, 1050, 52_068), seg('2023-07-01', '2023-12-31', 184, 1200, 60_493)]);
    expect(r.interestCents).toBe(112_561);
  });

  it('three half-years: 2024-12 to 2025-07', () => {
    // 500,00 € due 2024-12-21, paid 2025-07-02:
    //   22–31 Dec 2024, 10 days at 12.25 %: 50 000 × 1 225 × 10 / 3 650 000 = 167.81 → 168
    //   H1 2025, 181 days at 11.15 %:       50 000 × 1 115 × 181 / 3 650 000 = 2 764.59 → 2 765
    //   1–2 Jul 2025, 2 days at 10.15 %:    50 000 × 1 015 × 2 / 3 650 000 = 27.81 → 28
    const r = unwrapResult(lateInterest({ principalCents: 50_000, dueDate: '2024-12-21', paidOn: '2025-07-02' }));
    expect(r.segments.map((s) => [s.days, s.rateBp, s.interestCents])).toEqual([[10, 1225, 168], [181, 1115, 2_765], [2, 1015, 28]]);
    expect(r.interestCents).toBe(2_961);
  });

  it('rounds an exact half cent up', () => {
    // 3,65 € at an agreed 10 % for 5 days: 365 × 1 000 × 5 / 3 650 000 = 0.5 → 1
    expect(simpleInterest(365, 1000, 5)).toBe(1);
    // 4 days: 0.4 → 0
    expect(simpleInterest(365, 1000, 4)).toBe(0);
    expect(unwrapResult(lateInterest({ principalCents: 365, dueDate: '2026-01-01', paidOn: '2026-01-06', agreedRateBp: 1000 })).interestCents).toBe(1);
  });

  it('a leap day counts as a day, the year still has 365', () => {
    // 36 500,00 € due 2024-02-28, paid 2024-03-01: 29 Feb + 1 Mar = 2 days at 12.50 %:
    //   3 650 000 × 1 250 × 2 / 3 650 000 = 2 500
    expect(unwrapResult(lateInterest({ principalCents: 3_650_000, dueDate: '2024-02-28', paidOn: '2024-03-01' })).interestCents).toBe(2_500);
  });

  it('nothing when paid on or before the due date', () => {
    expect(unwrapResult(lateInterest({ principalCents: 100_000, dueDate: '2025-05-10', paidOn: '2025-05-10' }))).toEqual({ principalCents: 100_000, days: 0, segments: [], interestCents: 0 });
    expect(unwrapResult(lateInterest({ principalCents: 100_000, dueDate: '2025-05-10', paidOn: '2025-04-01' })).interestCents).toBe(0);
  });

  it('later half-years are passed in once published', () => {
    const r = lateInterest({ principalCents: 50_000, dueDate: '2026-06-20', paidOn: '2026-07-05' });
    expect(!r.ok && r.error.code).toBe('INTEREST_RATE_UNKNOWN');
    const rates: StatutoryRate[] = [...STATUTORY_LATE_PAYMENT_RATES, { from: '2026-07-01', to: '2026-12-31', rateBp: 1015, source: 'test' }];
    // 21–30 June, 10 days: 50 000 × 1 015 × 10 / 3 650 000 = 139.04 → 139; 1–5 July, 5 days: 69.52 → 70
    expect(unwrapResult(lateInterest({ principalCents: 50_000, dueDate: '2026-06-20', paidOn: '2026-07-05', rates })).interestCents).toBe(209);
  });

  it('refuses bad input', () => {
    const codes = [
      lateInterest({ principalCents: 0, dueDate: '2025-01-01', paidOn: '2025-02-01' }),
      lateInterest({ principalCents: 10.5, dueDate: '2025-01-01', paidOn: '2025-02-01' }),
      lateInterest({ principalCents: 100, dueDate: '2025-02-30', paidOn: '2025-03-01' }),
      lateInterest({ principalCents: 100, dueDate: '2025-01-01', paidOn: '2025-02-01', agreedRateBp: -1 }),
    ].map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes).toEqual(['INTEREST_PRINCIPAL_INVALID', 'INTEREST_PRINCIPAL_INVALID', 'INTEREST_DATE_INVALID', 'INTEREST_RATE_INVALID']);
  });

  it('a debt paid in instalments: each part stops at its payment', () => {
    // 1 000,00 € due 2025-01-31; 400,00 € paid 2025-03-02, the rest still unpaid on 2025-04-01 (all in H1 2025, 11.15 %)
    //   400 €: 1 Feb – 2 Mar = 28 + 2 = 30 days: 40 000 × 1 115 × 30 / 3 650 000 = 366.58 → 367
    //   600 €: 1 Feb – 1 Apr = 28 + 31 + 1 = 60 days: 60 000 × 1 115 × 60 / 3 650 000 = 1 099.73 → 1 100
    const r = unwrapResult(lateInterestWithPayments({ principalCents: 100_000, dueDate: '2025-01-31', asOf: '2025-04-01', payments: [{ on: '2025-03-02', amountCents: 40_000 }, { on: '2025-05-01', amountCents: 60_000 }] }));
    expect(r.tranches.map((t) => [t.principalCents, t.days, t.interestCents])).toEqual([[40_000, 30, 367], [60_000, 60, 1_100]]);
    expect(r.interestCents).toBe(1_467);
  });

  it('a formal demand: principal + interest + 40 € once per debt', () => {
    expect(RECOVERY_COMPENSATION_CENTS).toBe(4_000);
    // 1 000,00 € due 2024-06-20 claimed on 2024-07-10: interest 678 (above); 100 000 + 678 + 4 000 = 104 678
    const c = unwrapResult(lateClaim({ principalCents: 100_000, dueDate: '2024-06-20', asOf: '2024-07-10', withCompensation: true }));
    expect([c.interest.interestCents, c.compensationCents, c.totalCents]).toEqual([678, 4_000, 104_678]);
    // the invoice's second due date: no second 40 €
    expect(unwrapResult(lateClaim({ principalCents: 100_000, dueDate: '2024-06-20', asOf: '2024-07-10', withCompensation: false })).totalCents).toBe(100_678);
    // not late yet: nothing on top
    expect(unwrapResult(lateClaim({ principalCents: 100_000, dueDate: '2024-07-10', asOf: '2024-07-10', withCompensation: true })).totalCents).toBe(100_000);
  });
});

describe('property: random debts (seeded)', () => {
  it('segments tile the late period inside half-years; interest grows with the days and matches one-rate sums', () => {
    const rnd = seededRandom(3_2004);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const base = daysBetween('1970-01-01', '2020-01-01');
    const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
    for (let run = 0; run < 300; run++) {
      const due = base + int(0, 2000);
      const paid = due + int(0, 400);
      if (iso(paid) > '2026-06-30') continue;
      const principal = int(1, 5_000_000);
      const r = unwrapResult(lateInterest({ principalCents: principal, dueDate: iso(due), paidOn: iso(paid) }));
      expect(r.days).toBe(paid - due);
      let next = due + 1;
      for (const s of r.segments) {
        expect(daysBetween('1970-01-01', s.from)).toBe(next);
        expect(halfYearStart(s.from)).toBe(halfYearStart(s.to));
        expect(s.days).toBe(daysBetween(s.from, s.to) + 1);
        expect(s.rateBp).toBe(unwrapResult(statutoryRateOn(s.from)).rateBp);
        expect(s.interestCents).toBe(simpleInterest(principal, s.rateBp, s.days));
        next += s.days;
      }
      expect(next).toBe(paid + 1);
      expect(r.interestCents).toBe(r.segments.reduce((a, s) => a + s.interestCents, 0));
      // a day later never costs less
      if (iso(paid + 1) <= '2026-06-30') {
        expect(unwrapResult(lateInterest({ principalCents: principal, dueDate: iso(due), paidOn: iso(paid + 1) })).interestCents).toBeGreaterThanOrEqual(r.interestCents);
      }
      // at one agreed rate the segments' rounding stays within half a cent each of the exact total
      const agreed = unwrapResult(lateInterest({ principalCents: principal, dueDate: iso(due), paidOn: iso(paid), agreedRateBp: 1000 }));
      const exact = (principal * 1000 * (paid - due)) / 3_650_000;
      expect(Math.abs(agreed.interestCents - exact)).toBeLessThanOrEqual(0.5 * agreed.segments.length + 1e-9);
    }
  });
});
