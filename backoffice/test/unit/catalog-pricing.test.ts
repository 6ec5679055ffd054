/**
 * Price resolution (catalog/pricing.ts), pure: precedence store > company > base with the newest effective
 * change winning inside a level, the schedule a store's tills receive, and local wall time → UTC instant
 * across Europe/Madrid's DST changes (a missing hour refused, a repeated hour taken at its first occurrence).
 */
import { describe, expect, it } from 'vitest';
import { localToUtc, priceAt, scheduleFor, type ScheduledPrice } from '../../src/catalog/pricing';

const ch = (id: string, level: ScheduledPrice['level'], priceCents: number, effectiveAt: string): ScheduledPrice => ({ id, level, priceCents, effectiveAt });

describe('priceAt / scheduleFor', () => {
  const changes = [ch('a', 'base', 1100, '2027-01-01T10:00:00.000Z'), ch('b', 'company', 950, '2027-01-01T11:00:00.000Z'), ch('c', 'company', 970, '2027-01-01T12:00:00.000Z')];
  it.each([
    // [fixed, at, expected]
    [{ base: 1000, company: null, store: null }, '2027-01-01T09:59:59.999Z', 1000],
    [{ base: 1000, company: null, store: null }, '2027-01-01T10:00:00.000Z', 1100],
    [{ base: 1000, company: 900, store: null }, '2027-01-01T10:30:00.000Z', 900], // company fixed beats a base change
    [{ base: 1000, company: 900, store: null }, '2027-01-01T11:00:00.000Z', 950],
    [{ base: 1000, company: 900, store: null }, '2027-01-01T12:00:00.000Z', 970], // newest change of the level
    [{ base: 1000, company: 900, store: 800 }, '2027-01-01T12:00:00.000Z', 800], // store fixed beats everything below
  ] as const)('%o at %s → %i', (fixed, at, want) => {
    expect(priceAt(fixed, changes, at)).toBe(want);
  });
  it('sends the price now when a change is in force, then each one to come', () => {
    expect(scheduleFor({ base: 1000, company: 900, store: null }, changes, '2027-01-01T11:30:00.000Z')).toEqual([
      { at: '2027-01-01T11:00:00.000Z', priceCents: 950 },
      { at: '2027-01-01T12:00:00.000Z', priceCents: 970 },
    ]);
    expect(scheduleFor({ base: 1000, company: null, store: null }, [], '2027-01-01T11:30:00.000Z')).toEqual([]);
  });
});

describe('localToUtc (Europe/Madrid)', () => {
  it.each([
    ['2027-01-15T08:00', '2027-01-15T07:00:00.000Z'],
    ['2027-07-15T08:00', '2027-07-15T06:00:00.000Z'],
    ['2027-03-28T01:59', '2027-03-28T00:59:00.000Z'],
    ['2027-03-28T03:00', '2027-03-28T01:00:00.000Z'],
    ['2027-10-31T02:30', '2027-10-31T00:30:00.000Z'], // the first of the two 02:30
    ['2027-10-31T03:00', '2027-10-31T02:00:00.000Z'],
  ])('%s → %s', (local, iso) => {
    expect(localToUtc(local, 'Europe/Madrid')).toEqual({ ok: true, iso });
  });
  it('refuses a time the clocks skip and a date that does not exist', () => {
    expect(localToUtc('2027-03-28T02:30', 'Europe/Madrid')).toMatchObject({ ok: false });
    expect(localToUtc('2027-02-30T10:00', 'Europe/Madrid')).toMatchObject({ ok: false });
  });
  it('works in another zone (Atlantic/Canary, one hour behind)', () => {
    expect(localToUtc('2027-01-15T08:00', 'Atlantic/Canary')).toEqual({ ok: true, iso: '2027-01-15T08:00:00.000Z' });
  });
});
