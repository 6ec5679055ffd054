/**
 * Aging at a date: bucket edges worked out by hand on the calendar (asOf 2026-11-30), a report per
 * counterparty, DSO; and seeded random ledgers whose buckets always add up to the total.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/prng';
import { AGING_BUCKETS, agingReport, bucketOf, daysBetween, daysPastDue, daysSalesOutstanding, dsoTenths, isIsoDate, type AgingInputItem } from '../../src/collections';

const AS_OF = '2026-11-30';

describe('days past due and buckets at 2026-11-30', () => {
  const cases: [string, number, string][] = [
    ['2026-12-15', 0, 'not_due'], // not yet due
    ['2026-11-30', 0, 'not_due'], // due today: not late yet
    ['2026-11-29', 1, 'd1_30'],
    ['2026-10-31', 30, 'd1_30'], // November has 30 days
    ['2026-10-30', 31, 'd31_60'],
    ['2026-10-01', 60, 'd31_60'], // 31 (October) + 29
    ['2026-09-30', 61, 'd61_90'],
    ['2026-09-01', 90, 'd61_90'], // 30 (September) + 60
    ['2026-08-31', 91, 'over_90'],
    ['2025-11-30', 365, 'over_90'],
  ];
  it.each(cases)('due %s → %i days, %s', (due, days, bucket) => {
    expect(daysPastDue(due, AS_OF)).toBe(days);
    expect(bucketOf(days)).toBe(bucket);
  });

  it('counts calendar days across February and leap years', () => {
    expect(daysBetween('2026-01-31', '2026-03-01')).toBe(29); // 28 + 1
    expect(daysBetween('2024-01-31', '2024-03-01')).toBe(30); // 29 + 1
    expect(daysBetween('2026-03-01', '2026-01-31')).toBe(-29);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('26-11-30')).toBe(false);
  });
});

describe('aging report', () => {
  const items: AgingInputItem[] = [
    { counterpartyId: 'franq-levante', dueDate: '2026-12-31', balanceCents: 50_000 }, // not due
    { counterpartyId: 'franq-levante', dueDate: '2026-11-15', balanceCents: 12_100 }, // 15 days
    { counterpartyId: 'franq-levante', dueDate: '2026-08-01', balanceCents: 30_000 }, // 121 days
    { counterpartyId: 'franq-levante', dueDate: '2026-10-01', balanceCents: 0 }, // paid: not aged
    { counterpartyId: 'cliente-acme', dueDate: '2026-10-15', balanceCents: 7_000 }, // 46 days
    { counterpartyId: 'cliente-acme', dueDate: '2026-09-15', balanceCents: 2_500 }, // 76 days
    { counterpartyId: 'cliente-acme', dueDate: '2026-10-20', balanceCents: -1_000 }, // overpaid, 41 days: counts negative
  ];
  const r = agingReport(items, AS_OF);

  it('puts each balance in its bucket per counterparty, sorted by id', () => {
    expect(r.rows.map((x) => x.counterpartyId)).toEqual(['cliente-acme', 'franq-levante']);
    // acme: 31–60 = 7 000 − 1 000 = 6 000; 61–90 = 2 500; total 8 500; oldest 76 days
    expect(r.rows[0]).toEqual({ counterpartyId: 'cliente-acme', buckets: { not_due: 0, d1_30: 0, d31_60: 6_000, d61_90: 2_500, over_90: 0 }, totalCents: 8_500, items: 3, maxDaysPastDue: 76 });
    // levante: 50 000 + 12 100 + 30 000 = 92 100; oldest 121 days (Aug 1 → Nov 30: 30 + 30 + 31 + 30 = 121)
    expect(r.rows[1]).toEqual({ counterpartyId: 'franq-levante', buckets: { not_due: 50_000, d1_30: 12_100, d31_60: 0, d61_90: 0, over_90: 30_000 }, totalCents: 92_100, items: 3, maxDaysPastDue: 121 });
  });

  it('totals every counterparty: 8 500 + 92 100 = 100 600', () => {
    expect(r.total).toEqual({ counterpartyId: '*', buckets: { not_due: 50_000, d1_30: 12_100, d31_60: 6_000, d61_90: 2_500, over_90: 30_000 }, totalCents: 100_600, items: 6, maxDaysPastDue: 121 });
  });

  it('a returned debit reappears: the same item aged again once reopened', () => {
    const reopened = agingReport([{ counterpartyId: 'x', dueDate: '2026-10-05', balanceCents: 12_100 }], AS_OF);
    // Oct 5 → Nov 30: 26 + 30 = 56 days
    expect(reopened.total.buckets.d31_60).toBe(12_100);
  });
});

describe('days sales outstanding', () => {
  const cases: [number, number, number, number | null][] = [
    [1_500_000, 4_500_000, 90, 300], // 1/3 × 90 = 30.0 days
    [1_000_000, 3_000_000, 31, 103], // 31/3 = 10.333 → 10.3
    [2_000_000, 3_000_000, 31, 207], // 62/3 = 20.666 → 20.7
    [1, 20, 1, 1], // 0.05 day = 0.5 tenth → half-up 1
    [500_000, 0, 30, null], // no credit sales: undefined
  ];
  it.each(cases)('receivables %i, credit sales %i, %i days', (rec, sales, days, tenths) => {
    expect(dsoTenths(rec, sales, days)).toBe(tenths);
    expect(daysSalesOutstanding(rec, sales, days)).toBe(tenths === null ? null : tenths / 10);
  });
});

describe('property: random ledgers (seeded)', () => {
  it('bucket sums equal the totals, per counterparty and overall', () => {
    const rnd = seededRandom(90_2026);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    for (let run = 0; run < 200; run++) {
      const items: AgingInputItem[] = Array.from({ length: int(0, 60) }, () => ({
        counterpartyId: `c${int(1, 6)}`,
        dueDate: `2026-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
        balanceCents: rnd() < 0.1 ? -int(1, 10_000) : rnd() < 0.1 ? 0 : int(1, 1_000_000),
      }));
      const r = agingReport(items, AS_OF);
      const sum = items.reduce((s, i) => s + i.balanceCents, 0);
      expect(r.total.totalCents).toBe(sum);
      expect(AGING_BUCKETS.reduce((s, b) => s + r.total.buckets[b], 0)).toBe(sum);
      expect(r.rows.reduce((s, row) => s + row.totalCents, 0)).toBe(sum);
      for (const row of r.rows) {
        expect(AGING_BUCKETS.reduce((s, b) => s + row.buckets[b], 0)).toBe(row.totalCents);
        const own = items.filter((i) => i.counterpartyId === row.counterpartyId);
        expect(row.totalCents).toBe(own.reduce((s, i) => s + i.balanceCents, 0));
      }
      for (const b of AGING_BUCKETS) expect(r.rows.reduce((s, row) => s + row.buckets[b], 0)).toBe(r.total.buckets[b]);
    }
  });
});
