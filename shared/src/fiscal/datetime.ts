/**
 * Fiscal timestamps from an instant and an IANA time zone, via Intl.DateTimeFormat (pure; Node ships full
 * ICU). Veri*Factu wants `FechaHoraHusoGenRegistro` as ISO 8601 with the offset in force at that instant
 * (`2024-01-01T19:20:30+01:00`) and dates as `dd-mm-yyyy`. Sub-second precision is truncated.
 * An unknown time zone makes Intl throw a RangeError: that is a configuration bug, not a domain error.
 */

export const DEFAULT_FISCAL_TIME_ZONE = 'Europe/Madrid';

export interface FiscalDateTime {
  /** `yyyy-mm-ddThh:mm:ss±hh:mm`, local wall time of the zone with its offset. */
  readonly timestamp: string;
  /** `dd-mm-yyyy`, the local calendar date. */
  readonly date: string;
  /** Offset from UTC in minutes (+60 for CET, +120 for CEST, 0 for WET). */
  readonly offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function fiscalDateTime(epochMs: number, timeZone: string = DEFAULT_FISCAL_TIME_ZONE): FiscalDateTime {
  if (!Number.isFinite(epochMs)) throw new RangeError(`fiscalDateTime: not a finite instant: ${epochMs}`);
  const seconds = Math.floor(epochMs / 1000) * 1000;
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(seconds)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const year = parts.year!, month = parts.month!, day = parts.day!;
  const hour = parts.hour! % 24, minute = parts.minute!, second = parts.second!;
  const localAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const offsetMinutes = Math.round((localAsUtc - seconds) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return {
    timestamp: `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${offset}`,
    date: `${pad(day)}-${pad(month)}-${pad(year, 4)}`,
    offsetMinutes,
  };
}

/** `2024-01-01T19:20:30+01:00` for the instant in the zone. */
export function fiscalTimestamp(epochMs: number, timeZone: string = DEFAULT_FISCAL_TIME_ZONE): string {
  return fiscalDateTime(epochMs, timeZone).timestamp;
}

/** `dd-mm-yyyy` local date of the instant in the zone. */
export function fiscalDate(epochMs: number, timeZone: string = DEFAULT_FISCAL_TIME_ZONE): string {
  return fiscalDateTime(epochMs, timeZone).date;
}

/** True for a real calendar date written `dd-mm-yyyy`. */
export function isFiscalDate(text: string): boolean {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(text);
  if (m === null) return false;
  const day = Number(m[1]), month = Number(m[2]), year = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
