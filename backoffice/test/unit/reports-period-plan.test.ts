/**
 * Where a report's period is read from (issue 18, reports at 10 million tickets): whole months folded for every
 * store in scope from the month tables, folded days of the network from its day table, the rest from the hour
 * rollups; and the fold's "complete days" in the store's time zone. Worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { lastCompleteDay, monthEnd, monthsBetween } from '../../src/reports/fold';
import { planPeriod } from '../../src/reports/queries';

const scope = (monthsTo: string | null, networkTo: string | null = null, dirty: string[] = []) => ({ monthsTo, networkTo, dirty: new Set(dirty) });
const r = (from: string, to: string) => ({ from, to });

describe('planPeriod', () => {
  it.each([
    // [label, from, to, scope, network, months, days, hours]
    ['nothing folded: all from the hours', '2026-10-01', '2026-10-31', scope(null), false, [], [], [r('2026-10-01', '2026-10-31')]],
    ['a whole folded month', '2026-10-01', '2026-10-31', scope('2026-11-30'), false, ['2026-10'], [], []],
    ['the month ends on the folded day itself', '2026-10-01', '2026-10-31', scope('2026-10-31'), false, ['2026-10'], [], []],
    ['folded up to the day before the month ends', '2026-10-01', '2026-10-31', scope('2026-10-30'), false, [], [], [r('2026-10-01', '2026-10-31')]],
    ['a period inside one month', '2026-10-02', '2026-10-06', scope('2026-11-30'), false, [], [], [r('2026-10-02', '2026-10-06')]],
    ['a month less its first day', '2026-10-02', '2026-10-31', scope('2026-11-30'), false, [], [], [r('2026-10-02', '2026-10-31')]],
    ['a month less its last day', '2026-10-01', '2026-10-30', scope('2026-11-30'), false, [], [], [r('2026-10-01', '2026-10-30')]],
    ['a year of folded months', '2025-12-01', '2026-11-30', scope('2026-12-01'), false, monthsBetween('2025-12', '2026-11'), [], []],
    ['edges around whole months; 29 February', '2024-01-20', '2024-03-10', scope('2024-12-31'), false, ['2024-02'], [], [r('2024-01-20', '2024-01-31'), r('2024-03-01', '2024-03-10')]],
    ['a dirty month in the middle', '2026-08-01', '2026-10-31', scope('2026-11-30', null, ['2026-09']), false, ['2026-08', '2026-10'], [], [r('2026-09-01', '2026-09-30')]],
    ['adjacent unfolded months merge', '2026-10-01', '2026-12-15', scope('2026-10-31', null, []), false, ['2026-10'], [], [r('2026-11-01', '2026-12-15')]],
    // Last 90 days on 15 Dec 2026 (to = 14 Dec), network folded to 14 Dec: two whole months, the edges by day.
    ['last 90 days, network', '2026-09-16', '2026-12-14', scope('2026-12-14', '2026-12-14'), true, ['2026-10', '2026-11'], [r('2026-09-16', '2026-09-30'), r('2026-12-01', '2026-12-14')], []],
    // The same period asked on the day (to = today, not folded yet): today from the hours.
    ['last 90 days up to today, network', '2026-09-17', '2026-12-15', scope('2026-12-14', '2026-12-14'), true, ['2026-10', '2026-11'], [r('2026-09-17', '2026-09-30'), r('2026-12-01', '2026-12-14')], [r('2026-12-15', '2026-12-15')]],
    ['network: a dirty month by the hours, its neighbours by day', '2026-10-20', '2026-12-05', scope('2026-12-14', '2026-12-14', ['2026-11']), true, [], [r('2026-10-20', '2026-10-31'), r('2026-12-01', '2026-12-05')], [r('2026-11-01', '2026-11-30')]],
    ['network not folded yet (a store without a fold)', '2026-10-01', '2026-10-31', scope(null, null), true, [], [], [r('2026-10-01', '2026-10-31')]],
    ['store scope: no day table, partial months by the hours', '2026-09-16', '2026-12-14', scope('2026-12-14', null), false, ['2026-10', '2026-11'], [], [r('2026-09-16', '2026-09-30'), r('2026-12-01', '2026-12-14')]],
    ['one day', '2026-11-03', '2026-11-03', scope('2026-12-14', '2026-12-14'), true, [], [r('2026-11-03', '2026-11-03')], []],
  ] as const)('%s', (_label, from, to, f, network, months, days, hours) => {
    expect(planPeriod(from, to, f, network)).toEqual({ months: [...months], days: [...days], hours: [...hours] });
  });
});

describe('planPeriod with subtract: a store scope’s folded partial month read whole, less its other days', () => {
  it.each([
    // [label, from, to, scope, months, hours, less]
    // 10–31 January: 22 days in, 9 out — January whole less 1–9 January.
    ['from the 10th: the month less its first 9 days', '2026-01-10', '2026-03-31', scope('2026-04-30'), ['2026-01', '2026-02', '2026-03'], [], [r('2026-01-01', '2026-01-09')]],
    // 20–31 January: 12 in, 19 out — cheaper by the hours.
    ['from the 20th: the hours', '2026-01-20', '2026-02-28', scope('2026-04-30'), ['2026-02'], [r('2026-01-20', '2026-01-31')], []],
    // 16 days in, 15 out (a 31-day month): the month less the 15.
    ['just over half a month', '2026-01-01', '2026-01-16', scope('2026-04-30'), ['2026-01'], [], [r('2026-01-17', '2026-01-31')]],
    // 15 in, 15 out (April, 30 days): a tie goes to the hours.
    ['half of April: the hours', '2026-04-01', '2026-04-15', scope('2026-05-31'), [], [r('2026-04-01', '2026-04-15')], []],
    // 5–25 January inside one month: 21 in, 10 out on both sides.
    ['inside one month, both edges taken away', '2026-01-05', '2026-01-25', scope('2026-04-30'), ['2026-01'], [], [r('2026-01-01', '2026-01-04'), r('2026-01-26', '2026-01-31')]],
    // Both edges of a longer period: 2–31 Jan less 1 Jan, 1–27 Feb less 28 Feb.
    ['both edges', '2026-01-02', '2026-02-27', scope('2026-04-30'), ['2026-01', '2026-02'], [], [r('2026-01-01', '2026-01-01'), r('2026-02-28', '2026-02-28')]],
    // The month is not folded whole (folded to the 30th): the hours, whatever the share.
    ['the month not folded to its end', '2026-01-02', '2026-01-31', scope('2026-01-30'), [], [r('2026-01-02', '2026-01-31')], []],
    ['a dirty month: the hours', '2026-01-10', '2026-01-31', scope('2026-04-30', null, ['2026-01']), [], [r('2026-01-10', '2026-01-31')], []],
  ] as const)('%s', (_label, from, to, f, months, hours, less) => {
    expect(planPeriod(from, to, f, false, { subtract: true })).toEqual({ months: [...months], days: [], hours: [...hours], less: [...less] });
  });

  it('the network keeps its day table: nothing taken away', () => {
    expect(planPeriod('2026-01-10', '2026-02-28', scope('2026-04-30', '2026-04-30'), true, { subtract: true })).toEqual({ months: ['2026-02'], days: [r('2026-01-10', '2026-01-31')], hours: [], less: [] });
  });
});

describe('the fold’s complete days, in the store’s time zone', () => {
  it.each([
    // 1 Dec 2026 00:30 in Madrid is 30 Nov 23:30 UTC and 23:30 in the Canaries: November has ended in Madrid only.
    ['Europe/Madrid', '2026-11-30T23:30:00Z', '2026-11-30'],
    ['Atlantic/Canary', '2026-11-30T23:30:00Z', '2026-11-29'],
    ['Atlantic/Canary', '2026-12-01T00:30:00Z', '2026-11-30'],
    // Summer time: 1 Apr 00:30 in Madrid (UTC+2) is 31 Mar 22:30 UTC.
    ['Europe/Madrid', '2026-03-31T22:30:00Z', '2026-03-31'],
    ['Europe/Madrid', '2026-03-31T21:59:00Z', '2026-03-30'],
    ['America/Mexico_City', '2026-12-01T05:00:00Z', '2026-11-29'],
  ] as const)('%s at %s: complete through %s', (tz, at, day) => {
    expect(lastCompleteDay(Date.parse(at), tz)).toBe(day);
  });

  it.each([
    ['2026-02', '2026-02-28'],
    ['2024-02', '2024-02-29'],
    ['2026-12', '2026-12-31'],
    ['2026-04', '2026-04-30'],
  ] as const)('month %s ends on %s', (ym, end) => expect(monthEnd(ym)).toBe(end));
});
