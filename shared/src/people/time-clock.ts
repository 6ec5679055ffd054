/**
 * The working-time record's rules (registro de jornada, issue 16), shared by the till (checks a clock event
 * offline before writing it) and the back office (checks it again on arrival, builds shifts and totals).
 *
 * Events: `clock_in` → (`break_start` → `break_end`)* → `clock_out`. The rules, chosen and documented here:
 * - Clocking in while clocked in, clocking out / starting a break while clocked out, ending a break that was
 *   not started: refused (nothing written).
 * - A shift may last at most 12 h (`MAX_SHIFT_MS`): the Estatuto de los Trabajadores (art. 34) caps ordinary
 *   work at 9 h a day and asks for 12 h of rest between shifts, so 12 h is the most any day can hold with
 *   overtime. A clock-out more than 12 h after its clock-in is refused: the shift is flagged
 *   `over_12h_without_clock_out` and someone forgot to clock out; the real time goes in as a correction. After
 *   12 h a new clock-in is accepted (the forgotten shift stays open and flagged) so the worker is never
 *   locked out of the record.
 * - Breaks are unpaid: worked time = clock-out − clock-in − breaks. A break still open at clock-out ends then.
 * - A shift belongs to the day (in the store's time zone) of its clock-in.
 */

export const CLOCK_EVENTS = ['clock_in', 'break_start', 'break_end', 'clock_out'] as const;
export type ClockEvent = (typeof CLOCK_EVENTS)[number];
export const MAX_SHIFT_MS = 12 * 60 * 60 * 1000;

export type ClockState = 'out' | 'in' | 'on_break';

export interface TimedEvent {
  event: ClockEvent;
  /** Epoch ms of the event. */
  at: number;
}

export type ClockRefusal = 'ALREADY_CLOCKED_IN' | 'NOT_CLOCKED_IN' | 'ALREADY_ON_BREAK' | 'NOT_ON_BREAK' | 'SHIFT_TOO_LONG' | 'OUT_OF_ORDER';

/** What the worker is told (Spanish · English), per refusal. */
export const CLOCK_REFUSAL_MESSAGES: Record<ClockRefusal, string> = {
  ALREADY_CLOCKED_IN: 'Ya has fichado la entrada · You have already clocked in',
  NOT_CLOCKED_IN: 'No has fichado la entrada · You have not clocked in',
  ALREADY_ON_BREAK: 'Ya estás en pausa · You are already on a break',
  NOT_ON_BREAK: 'No estás en pausa · You are not on a break',
  SHIFT_TOO_LONG: 'La jornada superaría 12 h: pide una corrección · The shift would exceed 12 h: ask for a correction',
  OUT_OF_ORDER: 'Hay fichajes posteriores a esta hora · There are later clock events than this time',
};

/** The state after `events` (sorted by time) and when the open shift began. */
export function clockState(events: readonly TimedEvent[]): { state: ClockState; shiftStart: number | null; lastAt: number | null } {
  let state: ClockState = 'out';
  let shiftStart: number | null = null;
  for (const e of events) {
    if (e.event === 'clock_in') {
      state = 'in';
      shiftStart = e.at;
    } else if (e.event === 'break_start' && state === 'in') state = 'on_break';
    else if (e.event === 'break_end' && state === 'on_break') state = 'in';
    else if (e.event === 'clock_out' && state !== 'out') {
      state = 'out';
      shiftStart = null;
    }
  }
  return { state, shiftStart, lastAt: events.length ? events[events.length - 1]!.at : null };
}

/** Whether `next` may follow `events` (sorted by time); null when it may. */
export function refuseClockEvent(events: readonly TimedEvent[], next: TimedEvent): ClockRefusal | null {
  const { state, shiftStart, lastAt } = clockState(events);
  if (lastAt !== null && next.at < lastAt) return 'OUT_OF_ORDER';
  const stale = shiftStart !== null && next.at - shiftStart > MAX_SHIFT_MS;
  switch (next.event) {
    case 'clock_in':
      return state === 'out' || stale ? null : 'ALREADY_CLOCKED_IN';
    case 'break_start':
      if (state === 'out') return 'NOT_CLOCKED_IN';
      if (stale) return 'SHIFT_TOO_LONG';
      return state === 'on_break' ? 'ALREADY_ON_BREAK' : null;
    case 'break_end':
      if (state === 'out') return 'NOT_CLOCKED_IN';
      return state === 'on_break' ? null : 'NOT_ON_BREAK';
    case 'clock_out':
      if (state === 'out') return 'NOT_CLOCKED_IN';
      return stale ? 'SHIFT_TOO_LONG' : null;
  }
}

export type ShiftFlag = 'over_12h_without_clock_out' | 'open';

export interface Shift {
  start: number;
  end: number | null;
  breaks: Array<{ start: number; end: number }>;
  /** Whole minutes worked (0 while open: an open shift is not counted until it is closed or corrected). */
  workedMinutes: number;
  breakMinutes: number;
  flags: ShiftFlag[];
}

/**
 * The shifts of a worker's effective events (sorted by time), as of `now`. Events out of place (a break with
 * no shift) are ignored here: the record refuses them at entry, and a correction is checked the same way.
 */
export function buildShifts(events: readonly TimedEvent[], now: number): Shift[] {
  const out: Shift[] = [];
  let cur: Shift | null = null;
  let breakStart: number | null = null;
  const close = (s: Shift, end: number | null) => {
    if (breakStart !== null && end !== null) s.breaks.push({ start: breakStart, end });
    breakStart = null;
    s.end = end;
    const breakMs = s.breaks.reduce((t, b) => t + (b.end - b.start), 0);
    s.breakMinutes = Math.round(breakMs / 60_000);
    s.workedMinutes = end === null ? 0 : Math.round((end - s.start - breakMs) / 60_000);
    if (end === null) s.flags.push(now - s.start > MAX_SHIFT_MS ? 'over_12h_without_clock_out' : 'open');
    out.push(s);
  };
  for (const e of events) {
    if (e.event === 'clock_in') {
      if (cur) close(cur, null);
      cur = { start: e.at, end: null, breaks: [], workedMinutes: 0, breakMinutes: 0, flags: [] };
    } else if (!cur) continue;
    else if (e.event === 'break_start' && breakStart === null) breakStart = e.at;
    else if (e.event === 'break_end' && breakStart !== null) {
      cur.breaks.push({ start: breakStart, end: e.at });
      breakStart = null;
    } else if (e.event === 'clock_out') {
      close(cur, e.at);
      cur = null;
    }
  }
  if (cur) close(cur, null);
  return out;
}

// ───────────────────────────── totals ─────────────────────────────

export interface ContractSpan {
  /** Contracted hours a week, in minutes (40 h = 2400). */
  weeklyMinutes: number;
  /** First and last day (inclusive, YYYY-MM-DD); `endsOn` null: open-ended. */
  startsOn: string;
  endsOn: string | null;
}

export interface DayTotal {
  date: string;
  workedMinutes: number;
  breakMinutes: number;
  shifts: number;
}

export interface WeekTotal {
  /** Monday of the ISO week (may lie in the previous month: only the month's days count). */
  weekOf: string;
  days: number;
  workedMinutes: number;
  /** Contracted minutes for the days of this week inside the month and the contract. */
  ordinaryAllowanceMinutes: number;
  ordinaryMinutes: number;
  overtimeMinutes: number;
}

export interface MonthTotals {
  month: string;
  days: DayTotal[];
  weeks: WeekTotal[];
  workedMinutes: number;
  ordinaryMinutes: number;
  overtimeMinutes: number;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayAdd = (ymd: string, n: number) => new Date(Date.parse(`${ymd}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Monday of the ISO week of a day. */
export const mondayOf = (ymd: string) => dayAdd(ymd, -((new Date(`${ymd}T00:00:00Z`).getUTCDay() + 6) % 7));

/** The calendar day of an instant in a time zone (YYYY-MM-DD). */
const dayFormats = new Map<string, { format: Intl.DateTimeFormat; days: Map<number, string> }>();
/**
 * The monthly run asks this for every record of 5,000 workers: the formatter is made once per zone, and
 * answers are kept per quarter hour (no zone changes its offset or date inside a quarter hour).
 */
export function localDate(epochMs: number, timeZone: string): string {
  let z = dayFormats.get(timeZone);
  if (!z) dayFormats.set(timeZone, (z = { format: new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }), days: new Map() }));
  const q = Math.floor(epochMs / 900_000);
  let d = z.days.get(q);
  if (d === undefined) {
    const parts = z.format.formatToParts(new Date(q * 900_000));
    const get = (t: string) => parts.find((p) => p.type === t)!.value;
    d = `${get('year')}-${get('month')}-${get('day')}`;
    if (z.days.size > 200_000) z.days.clear();
    z.days.set(q, d);
  }
  return d;
}

/** Days of a month `YYYY-MM`. */
export function daysOfMonth(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: n }, (_, i) => `${month}-${pad(i + 1)}`);
}

/**
 * Daily and monthly totals, ordinary and overtime. The rule (documented for the worker and the inspector):
 * overtime is counted per ISO week (Monday–Sunday) against the contracted weekly hours, prorated by the days
 * of that week that fall inside the month and inside a contract: allowance = Σ over those days of
 * weeklyMinutes / 7, rounded to the minute (half up) per week. Overtime of the week = max(0, worked −
 * allowance); the rest is ordinary. A week split by the month's end is counted in two parts (each month's
 * record stands on its own). Days with no contract have no allowance: all worked time there is overtime.
 * Worked time is counted on the day of the shift's clock-in.
 */
export function monthTotals(month: string, shifts: readonly Shift[], contracts: readonly ContractSpan[], timeZone: string): MonthTotals {
  const days = daysOfMonth(month);
  const byDay = new Map<string, DayTotal>(days.map((d) => [d, { date: d, workedMinutes: 0, breakMinutes: 0, shifts: 0 }]));
  for (const s of shifts) {
    const d = byDay.get(localDate(s.start, timeZone));
    if (!d) continue;
    d.workedMinutes += s.workedMinutes;
    d.breakMinutes += s.breakMinutes;
    d.shifts += 1;
  }
  const weeklyOn = (day: string) => contracts.filter((c) => c.startsOn <= day && (c.endsOn === null || day <= c.endsOn)).reduce((t, c) => t + c.weeklyMinutes, 0);
  const weeks = new Map<string, WeekTotal>();
  const allowance = new Map<string, number>();
  for (const day of days) {
    const k = mondayOf(day);
    const w = weeks.get(k) ?? { weekOf: k, days: 0, workedMinutes: 0, ordinaryAllowanceMinutes: 0, ordinaryMinutes: 0, overtimeMinutes: 0 };
    w.days += 1;
    w.workedMinutes += byDay.get(day)!.workedMinutes;
    weeks.set(k, w);
    allowance.set(k, (allowance.get(k) ?? 0) + weeklyOn(day) / 7);
  }
  for (const w of weeks.values()) {
    w.ordinaryAllowanceMinutes = Math.floor(allowance.get(w.weekOf)! + 0.5 + 1e-9);
    w.overtimeMinutes = Math.max(0, w.workedMinutes - w.ordinaryAllowanceMinutes);
    w.ordinaryMinutes = w.workedMinutes - w.overtimeMinutes;
  }
  const ws = [...weeks.values()];
  return {
    month,
    days: [...byDay.values()],
    weeks: ws,
    workedMinutes: ws.reduce((t, w) => t + w.workedMinutes, 0),
    ordinaryMinutes: ws.reduce((t, w) => t + w.ordinaryMinutes, 0),
    overtimeMinutes: ws.reduce((t, w) => t + w.overtimeMinutes, 0),
  };
}

/** `h:mm` of whole minutes (the record's format). */
export const hhmm = (minutes: number) => `${Math.floor(minutes / 60)}:${pad(minutes % 60)}`;
