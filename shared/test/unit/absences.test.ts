/** Absences and holidays (issue 16): the allowance and balance worked out by hand (art. 38 ET: 30 calendar days a year, prorated, half up). */
import { describe, expect, it } from 'vitest';
import { calendarDays, holidayAllowance, holidayBalance, isCalendarDate, rangesOverlap } from '../../src/people/absences';

describe('calendar days of an absence, first and last included', () => {
  it.each([
    ['2026-08-03', '2026-08-16', 14],
    ['2026-08-03', '2026-08-03', 1],
    ['2026-02-27', '2026-03-02', 4], // 27, 28 Feb, 1, 2 Mar (2026 is not a leap year)
    ['2028-02-27', '2028-03-02', 5], // 29 Feb 2028 counts
    ['2026-12-30', '2027-01-02', 4],
    ['2026-08-16', '2026-08-03', 0],
  ])('%s → %s: %i days', (from, to, days) => {
    expect(calendarDays(from, to)).toBe(days);
  });
  it('knows a real date from a look-alike', () => {
    expect(['2026-02-28', '2028-02-29', '2026-02-29', '2026-13-01', '2026-1-01'].map(isCalendarDate)).toEqual([true, true, false, false, false]);
  });
  it('overlap is at least one shared day', () => {
    const a = { fromDate: '2026-08-03', toDate: '2026-08-16' };
    expect(rangesOverlap(a, { fromDate: '2026-08-16', toDate: '2026-08-20' })).toBe(true);
    expect(rangesOverlap(a, { fromDate: '2026-08-17', toDate: '2026-08-20' })).toBe(false);
    expect(rangesOverlap(a, { fromDate: '2026-07-01', toDate: '2026-09-01' })).toBe(true);
  });
});

describe('holiday allowance of a year: 30 × days employed ÷ days in the year, half up', () => {
  it.each([
    // year, hired, left, allowance — and why
    [2026, '2019-05-06', null, 30], // the whole year
    [2026, '2026-07-01', null, 15], // 184 days: 30 × 184 / 365 = 15.12
    [2026, '2026-03-15', null, 24], // 292 days: 30 × 292 / 365 = 24.00
    [2026, '2020-01-01', '2026-02-14', 4], // 45 days: 3.70
    [2028, '2028-07-01', null, 15], // leap year, 184 of 366: 15.08
    [2026, '2026-12-25', null, 1], // 7 days: 0.58
    [2026, '2026-12-29', null, 0], // 3 days: 0.25
    [2026, '2027-01-10', null, 0], // hired after the year
    [2026, '2020-01-01', '2025-06-30', 0], // left before it
  ] as const)('%i, hired %s, left %s → %i days', (year, hired, left, days) => {
    expect(holidayAllowance(year, hired, left)).toBe(days);
  });
});

describe('holiday balance of a year', () => {
  it('draws approved and requested vacation of that year only; other kinds and refused or cancelled requests do not count', () => {
    const b = holidayBalance(2026, '2019-05-06', null, [
      { kind: 'vacation', status: 'approved', fromDate: '2026-08-03', toDate: '2026-08-16' }, // 14
      { kind: 'vacation', status: 'requested', fromDate: '2026-12-22', toDate: '2026-12-26' }, // 5
      { kind: 'vacation', status: 'refused', fromDate: '2026-04-01', toDate: '2026-04-10' },
      { kind: 'vacation', status: 'cancelled', fromDate: '2026-05-01', toDate: '2026-05-03' },
      { kind: 'sick_leave', status: 'approved', fromDate: '2026-02-02', toDate: '2026-02-04' },
      { kind: 'vacation', status: 'approved', fromDate: '2027-01-04', toDate: '2027-01-08' },
    ]);
    expect(b).toEqual({ year: 2026, allowanceDays: 30, approvedDays: 14, requestedDays: 5, availableDays: 11 });
  });
});
