/**
 * LiveFigures (dashboard/figures.ts): today's figures in memory move by each applied ticket as the reports'
 * hourly rollup does — the store's local date of issue, a return in `returns` with its negative total and
 * units — and a read of the rollups replaces them unless it cannot tell what it saw. Worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { StoreFigures } from '@tpv/shared/wire/http/dashboard';
import { LiveFigures, type StoreInfo, type TicketDelta } from '../../src/dashboard/figures';

const madrid: StoreInfo = { id: 's1', code: 'M001', name: 'Madrid 1', companyId: 'c1', timezone: 'Europe/Madrid' };
// Monday 2026-11-23, 10:00 in Madrid (CET, UTC+1).
const now = Date.UTC(2026, 10, 23, 9, 0, 0);
const read = (today: StoreFigures['today'], lastYear: StoreFigures['lastYear'] = null): StoreFigures => ({
  storeId: 's1', storeCode: 'M001', storeName: 'Madrid 1', companyId: 'c1', businessDate: '2026-11-23', today, lastYear,
});
const t = (issuedAt: string, grossCents: number, units: number, isReturn = false): TicketDelta => ({ storeId: 's1', issuedAt, grossCents, units, isReturn });

describe('LiveFigures', () => {
  it('adds sales and returns of the store’s local day, and last year’s same weekday; other days and stores are not counted', () => {
    const live = new LiveFigures();
    expect(live.add(t('2026-11-23T09:00:00Z', 100, 1))).toBe('unknown');
    live.install(madrid, read({ salesCents: 1000, tickets: 4, returns: 0, units: 9 }), false);
    const cases: Array<[TicketDelta, string]> = [
      [t('2026-11-23T09:30:00Z', 322, 3), 'counted'], // 10:30 Madrid: a sale of 3.22 €, 3 units
      [t('2026-11-22T23:30:00Z', 95, 1), 'counted'], // 00:30 Madrid on the 23rd: today
      [t('2026-11-22T22:30:00Z', 500, 2), 'other-day'], // 23:30 Madrid on the 22nd: yesterday
      [t('2026-11-23T10:00:00Z', -121, -1, true), 'counted'], // a return of 1.21 €
      [t('2025-11-24T17:00:00Z', 1210, 3), 'counted'], // last year's same weekday (364 days before)
      [{ ...t('2026-11-23T09:30:00Z', 700, 7), storeId: 's2' }, 'unknown'],
    ];
    for (const [delta, want] of cases) expect(live.add(delta), delta.issuedAt).toBe(want);
    // 1000 + 322 + 95 − 121 = 1296 cents; 4 + 2 sale tickets, 1 return; 9 + 3 + 1 − 1 = 12 units.
    expect(live.figures('s1', now)).toMatchObject({ businessDate: '2026-11-23', today: { salesCents: 1296, tickets: 6, returns: 1, units: 12 }, lastYear: { salesCents: 1210, tickets: 1, returns: 0, units: 3 } });
    // Every ticket of the store counts in its version (a reader's check), counted or not: 1 before the read, 5 after.
    expect(live.version('s1')).toBe(6);
    expect(live.figures('s2', now)).toBeUndefined();
  });

  it('a read replaces the figures unless unsure; after midnight the store has no figures until read again', () => {
    const live = new LiveFigures();
    expect(live.install(madrid, read({ salesCents: 1000, tickets: 4, returns: 0, units: 9 }), false)).toBe(false); // first read: not a change
    live.add(t('2026-11-23T09:30:00Z', 322, 3));
    // An unsure read (a batch in flight) keeps the memory: 1322, not the 1000 it read.
    expect(live.install(madrid, read({ salesCents: 1000, tickets: 4, returns: 0, units: 9 }), true)).toBe(false);
    expect(live.figures('s1', now)!.today.salesCents).toBe(1322);
    // A sure read that differs (a review re-applied a ticket of 2.00 €) replaces it and says so.
    expect(live.install(madrid, read({ salesCents: 1522, tickets: 6, returns: 0, units: 13 }), false)).toBe(true);
    expect(live.figures('s1', now)!.today).toEqual({ salesCents: 1522, tickets: 6, returns: 0, units: 13 });
    // Tuesday 00:00 in Madrid: Monday's figures are not today's any more.
    expect(live.figures('s1', Date.UTC(2026, 10, 23, 23, 0, 0))).toBeUndefined();
    expect(live.holds('s1')).toBe(true);
    // A copy: changing what was returned changes nothing held.
    live.figures('s1', now)!.today.tickets = 99;
    expect(live.figures('s1', now)!.today.tickets).toBe(6);
  });
});
