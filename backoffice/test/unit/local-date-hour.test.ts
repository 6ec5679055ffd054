/**
 * The business date and hour a ticket counts on (issue 18's rollups): the store's local day and hour, now looked up
 * once per zone and UTC quarter hour instead of asking Intl for every ticket. Worked by hand at the edges a store
 * sees (midnight, the spring and autumn clock changes, zones whose offset is not whole hours), then compared with
 * Intl itself for many instants around every clock change of 2026 and at random over 2020–2030.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '@tpv/shared/prng';
import { intlDateHour, localDateHour } from '../../src/reports/rollups';

const ZONES = ['Europe/Madrid', 'Atlantic/Canary', 'America/New_York', 'America/St_Johns', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Not/AZone'];

describe('localDateHour', () => {
  it.each([
    // [instant (UTC), zone, local date, local hour]
    ['2026-12-31T22:59:59Z', 'Europe/Madrid', '2026-12-31', 23], // the year's last sale in Madrid
    ['2026-12-31T23:00:00Z', 'Europe/Madrid', '2027-01-01', 0],
    ['2026-12-31T23:00:00Z', 'Atlantic/Canary', '2026-12-31', 23], // an hour behind the peninsula
    ['2026-03-29T00:59:59Z', 'Europe/Madrid', '2026-03-29', 1], // spring forward: 02:00 → 03:00
    ['2026-03-29T01:00:00Z', 'Europe/Madrid', '2026-03-29', 3],
    ['2026-10-25T00:30:00Z', 'Europe/Madrid', '2026-10-25', 2], // autumn back: 02:00–03:00 twice
    ['2026-10-25T01:30:00Z', 'Europe/Madrid', '2026-10-25', 2],
    ['2026-01-01T18:14:59Z', 'Asia/Kathmandu', '2026-01-01', 23], // +5:45
    ['2026-01-01T18:15:00Z', 'Asia/Kathmandu', '2026-01-02', 0],
    ['2026-07-01T02:29:59Z', 'America/St_Johns', '2026-06-30', 23], // −2:30 in summer
    ['2026-07-01T02:30:00Z', 'America/St_Johns', '2026-07-01', 0],
    ['2026-06-01T10:00:00Z', 'Not/AZone', '2026-06-01', 12], // an unknown zone counts as Madrid's
  ])('%s in %s is %s, hour %i', (iso, zone, date, hour) => {
    expect(localDateHour(iso, zone)).toEqual({ date, hour });
    // Asked twice (the second from the cache): the same answer.
    expect(localDateHour(iso, zone)).toEqual({ date, hour });
  });

  it('answers as Intl does around every clock change of 2026 and at random instants of 2020–2030', () => {
    const instants: number[] = [];
    // Every 7 min 13 s over two days around the changes (Europe, North America, Lord Howe's half hour, Chatham).
    for (const day of ['2026-03-08', '2026-03-29', '2026-04-05', '2026-09-27', '2026-10-04', '2026-10-25', '2026-11-01']) {
      const start = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
      for (let t = start; t < start + 2 * 86_400_000; t += 433_000) instants.push(t);
    }
    const rnd = seededRandom(18);
    const from = Date.parse('2020-01-01T00:00:00Z');
    const to = Date.parse('2030-12-31T23:59:59Z');
    for (let i = 0; i < 3000; i++) instants.push(from + Math.floor(rnd() * (to - from)));
    for (const zone of ZONES) {
      for (const ms of instants) {
        expect(localDateHour(new Date(ms).toISOString(), zone), `${new Date(ms).toISOString()} ${zone}`).toEqual(intlDateHour(ms, zone));
      }
    }
  });

  it('refuses what is not a date, as before', () => {
    expect(() => localDateHour('not a date', 'Europe/Madrid')).toThrow(RangeError);
  });
});
