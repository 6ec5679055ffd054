/**
 * Quality control's pure rules (issue 17), table-driven with values worked out by hand: due dates by
 * severity, the incident moves, the weighted audit score (N/A out of the denominator), failing answers, mean
 * and median time to close, the supplier rating.
 */
import { describe, expect, it } from 'vitest';
import { answerFails, auditScore, dueAtOf, mayMove, meanMedian, supplierRating, type ScoredAnswer } from '../../src/quality/rules';

describe('quality rules', () => {
  it('due date: critical +24 h, high +72 h, medium +7 days, low +14 days', () => {
    const cases: Array<[Parameters<typeof dueAtOf>[1], string]> = [
      ['critical', '2026-03-01T10:15:00.000Z'],
      ['high', '2026-03-03T10:15:00.000Z'],
      ['medium', '2026-03-07T10:15:00.000Z'],
      ['low', '2026-03-14T10:15:00.000Z'],
    ];
    // 28 February 2026 (not a leap year) + 1 day = 1 March.
    for (const [s, due] of cases) expect(dueAtOf('2026-02-28T10:15:00.000Z', s), s).toBe(due);
  });

  it('incident moves: closing from any open state, nothing out of closed, in progress only once assigned', () => {
    expect(mayMove('open', 'closed')).toBe(true);
    expect(mayMove('open', 'in_progress')).toBe(false);
    expect(mayMove('assigned', 'in_progress')).toBe(true);
    expect(mayMove('resolved', 'in_progress')).toBe(true);
    expect(mayMove('closed', 'in_progress')).toBe(false);
    expect(mayMove('closed', 'closed')).toBe(false);
  });

  it('a failing answer: "no" on yes/no, 0–2 on 0–5', () => {
    expect([0, 1].map((v) => answerFails('yes_no', v))).toEqual([true, false]);
    expect([0, 1, 2, 3, 4, 5].map((v) => answerFails('zero_five', v))).toEqual([true, true, true, false, false, false]);
  });

  it('audit score in hundredths: 10000 × Σ w·v/max ÷ Σ w over answers not N/A, half up', () => {
    const yn = (weight: number, value: number | null): ScoredAnswer => ({ weight, scale: 'yes_no', value });
    const z5 = (weight: number, value: number | null): ScoredAnswer => ({ weight, scale: 'zero_five', value });
    const cases: Array<[string, ScoredAnswer[], number | null]> = [
      ['all perfect', [yn(3, 1), z5(2, 5)], 10000],
      ['all failed', [yn(3, 0), z5(2, 0)], 0],
      // (3·1 + 2·4/5 + 5·0) / 10 = 4,6 / 10 → 4600; the N/A weight 1 is not in the 10.
      ['N/A out of the denominator', [yn(3, 1), z5(2, 4), yn(5, 0), z5(1, null)], 4600],
      // (3 + 0,8 + 5 + 1) / 11 = 0,890909… → 8909,09 → 8909.
      ['rounds down below the half', [yn(3, 1), z5(2, 2), yn(5, 1), z5(1, 5)], 8909],
      // 2/3 = 0,6666… → 6666,67 → 6667.
      ['rounds up above the half', [yn(1, 1), yn(1, 1), yn(1, 0)], 6667],
      // 1 / 8 = 0,125 → 1250 exactly.
      ['exact eighths', [yn(1, 1), yn(7, 0)], 1250],
      ['every answer N/A', [yn(3, null), z5(2, null)], null],
    ];
    for (const [name, answers, score] of cases) expect(auditScore(answers), name).toBe(score);
  });

  it('mean and median minutes, half up', () => {
    const cases: Array<[number[], number | null, number | null]> = [
      [[], null, null],
      [[120], 120, 120],
      // mean 405/4 = 101,25 → 101; median (45 + 90)/2 = 67,5 → 68.
      [[240, 30, 90, 45], 101, 68],
      // mean 7/2 = 3,5 → 4; median (3 + 4)/2 = 3,5 → 4.
      [[3, 4], 4, 4],
      // mean 10/3 = 3,33 → 3; median the middle one, 2.
      [[1, 2, 7], 3, 2],
    ];
    for (const [xs, mean, median] of cases) expect(meanMedian(xs), xs.join(',')).toEqual({ mean, median });
  });

  it('supplier rating: 100 × (2R − 2L − 2D − T) / 2R, half up, never below 0, none without deliveries', () => {
    const cases: Array<[number, number, number, number, number | null]> = [
      [0, 0, 0, 0, null],
      [2, 0, 0, 0, 100],
      // 100 × (8 − 2 − 2 − 1) / 8 = 37,5 → 38.
      [4, 1, 1, 1, 38],
      // 100 × (20 − 2) / 20 = 90.
      [10, 1, 0, 0, 90],
      // one return in ten: 100 × (20 − 1) / 20 = 95.
      [10, 0, 0, 1, 95],
      // 100 × (6 − 2 − 0 − 1) / 6 = 50.
      [3, 1, 0, 1, 50],
      // 100 × (2 − 2 − 2 − 2) / 2 < 0 → 0.
      [1, 1, 1, 2, 0],
    ];
    for (const [deliveries, late, discrepancies, returns, rating] of cases) {
      expect(supplierRating({ deliveries, late, discrepancies, returns }), `${deliveries}/${late}/${discrepancies}/${returns}`).toBe(rating);
    }
  });
});
