import { describe, expect, it } from 'vitest';
import { fiscalDate, fiscalDateTime, fiscalTimestamp, isFiscalDate } from '../../src/fiscal/datetime';

// EU 2026 changes (worked by hand): summer time starts Sun 29 Mar 2026 at 01:00 UTC, ends Sun 25 Oct 2026 at
// 01:00 UTC. Madrid CET +01:00 / CEST +02:00; Canaries WET +00:00 / WEST +01:00.
const utc = (iso: string) => Date.parse(iso);

describe('fiscalDateTime across DST (by hand)', () => {
  it.each([
    // March: last second of winter time, first second of summer time.
    ['2026-03-29T00:59:59Z', 'Europe/Madrid', '2026-03-29T01:59:59+01:00', '29-03-2026', 60],
    ['2026-03-29T01:00:00Z', 'Europe/Madrid', '2026-03-29T03:00:00+02:00', '29-03-2026', 120],
    ['2026-03-29T00:59:59Z', 'Atlantic/Canary', '2026-03-29T00:59:59+00:00', '29-03-2026', 0],
    ['2026-03-29T01:00:00Z', 'Atlantic/Canary', '2026-03-29T02:00:00+01:00', '29-03-2026', 60],
    // October: 02:00–03:00 Madrid local happens twice; the offset tells them apart.
    ['2026-10-25T00:30:00Z', 'Europe/Madrid', '2026-10-25T02:30:00+02:00', '25-10-2026', 120],
    ['2026-10-25T00:59:59Z', 'Europe/Madrid', '2026-10-25T02:59:59+02:00', '25-10-2026', 120],
    ['2026-10-25T01:00:00Z', 'Europe/Madrid', '2026-10-25T02:00:00+01:00', '25-10-2026', 60],
    ['2026-10-25T01:30:00Z', 'Europe/Madrid', '2026-10-25T02:30:00+01:00', '25-10-2026', 60],
    ['2026-10-25T00:59:59Z', 'Atlantic/Canary', '2026-10-25T01:59:59+01:00', '25-10-2026', 60],
    ['2026-10-25T01:00:00Z', 'Atlantic/Canary', '2026-10-25T01:00:00+00:00', '25-10-2026', 0],
    // Day and year boundaries: the local date is the fiscal date.
    ['2026-12-31T23:30:00Z', 'Europe/Madrid', '2027-01-01T00:30:00+01:00', '01-01-2027', 60],
    ['2026-12-31T23:30:00Z', 'Atlantic/Canary', '2026-12-31T23:30:00+00:00', '31-12-2026', 0],
    ['2026-07-14T22:00:00Z', 'Europe/Madrid', '2026-07-15T00:00:00+02:00', '15-07-2026', 120],
    // The AEAT example.
    ['2024-01-01T18:20:30Z', 'Europe/Madrid', '2024-01-01T19:20:30+01:00', '01-01-2024', 60],
    // Other zones: negative and non-hour offsets.
    ['2026-01-15T12:00:00Z', 'America/New_York', '2026-01-15T07:00:00-05:00', '15-01-2026', -300],
    ['2026-01-15T12:00:00Z', 'Asia/Kolkata', '2026-01-15T17:30:00+05:30', '15-01-2026', 330],
  ])('%s in %s → %s', (instant, zone, timestamp, date, offsetMinutes) => {
    expect(fiscalDateTime(utc(instant), zone)).toEqual({ timestamp, date, offsetMinutes });
  });

  it('defaults to Europe/Madrid and truncates milliseconds', () => {
    expect(fiscalTimestamp(utc('2026-03-29T00:59:59.999Z'))).toBe('2026-03-29T01:59:59+01:00');
    expect(fiscalDate(utc('2026-03-28T23:00:00Z'))).toBe('29-03-2026');
  });

  it('writes midnight as 00, never 24', () => {
    expect(fiscalTimestamp(utc('2026-01-01T23:00:00Z'))).toBe('2026-01-02T00:00:00+01:00');
  });

  it('throws on an unknown zone (configuration bug)', () => {
    expect(() => fiscalDateTime(0, 'Europe/Atlantis')).toThrow(RangeError);
  });
});

describe('isFiscalDate', () => {
  it.each([
    ['01-01-2024', true],
    ['29-02-2024', true],
    ['29-02-2026', false],
    ['31-04-2026', false],
    ['00-01-2026', false],
    ['01-13-2026', false],
    ['1-1-2026', false],
    ['2026-01-01', false],
  ])('%s → %s', (text, valid) => {
    expect(isFiscalDate(text)).toBe(valid);
  });
});
