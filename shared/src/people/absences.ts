/**
 * Absences and holidays (issue 16): what a worker asks for (vacaciones, permisos) or a manager records (a sick
 * leave with its medical certificate), and the yearly holiday allowance they draw on. Pure rules, shared by the
 * back office's service and its tests.
 *
 * The allowance follows the Estatuto de los Trabajadores (art. 38): at least 30 calendar days a year, prorated for
 * a year not worked whole (hired or left during it), rounded half up to whole days. Days are calendar days, first
 * and last included, so a request reads as the worker counts it ("del 3 al 16 de agosto, 14 días"). A vacation
 * stays within one calendar year: one that crosses New Year is asked as two, each drawing on its own year.
 */
export const ABSENCE_KINDS = ['vacation', 'sick_leave', 'leave', 'other'] as const;
export type AbsenceKind = (typeof ABSENCE_KINDS)[number];
export const ABSENCE_STATUSES = ['requested', 'approved', 'refused', 'cancelled'] as const;
export type AbsenceStatus = (typeof ABSENCE_STATUSES)[number];

/** Statutory minimum of holiday days for a whole year worked. */
export const YEARLY_HOLIDAY_DAYS = 30;
/** The longest absence one request may cover (a year and a day: a long sick leave is recorded in spells). */
export const MAX_ABSENCE_DAYS = 366;

const DAY_MS = 86_400_000;
const dayNo = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;

/** Whether `iso` is a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

/** Calendar days from `from` to `to`, both included (0 when `to` is before `from`). */
export function calendarDays(from: string, to: string): number {
  return Math.max(0, dayNo(to) - dayNo(from) + 1);
}

/** Whether two day ranges (inclusive) share at least one day. */
export function rangesOverlap(a: { fromDate: string; toDate: string }, b: { fromDate: string; toDate: string }): boolean {
  return a.fromDate <= b.toDate && b.fromDate <= a.toDate;
}

/**
 * Holiday days a worker is owed for `year`: 30 × days employed in the year ÷ days in the year, rounded half up.
 * `hiredOn` / `leftOn` are the first and last day of employment (leftOn null: still employed).
 */
export function holidayAllowance(year: number, hiredOn: string, leftOn: string | null): number {
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  const from = hiredOn > first ? hiredOn : first;
  const to = leftOn !== null && leftOn < last ? leftOn : last;
  const employed = calendarDays(from, to);
  if (employed === 0) return 0;
  const inYear = calendarDays(first, last);
  // Integer arithmetic: round half up of 30 × employed / inYear.
  return Math.floor((2 * YEARLY_HOLIDAY_DAYS * employed + inYear) / (2 * inYear));
}

export interface HolidayBalance {
  year: number;
  allowanceDays: number;
  /** Vacation days approved in the year. */
  approvedDays: number;
  /** Vacation days asked for and not decided yet. */
  requestedDays: number;
  /** What is left to ask for: allowance − approved − requested. */
  availableDays: number;
}

/** The year's balance from the worker's vacation absences (other kinds and refused / cancelled ones do not count). */
export function holidayBalance(year: number, hiredOn: string, leftOn: string | null, absences: ReadonlyArray<{ kind: AbsenceKind; status: AbsenceStatus; fromDate: string; toDate: string }>): HolidayBalance {
  const allowanceDays = holidayAllowance(year, hiredOn, leftOn);
  let approvedDays = 0;
  let requestedDays = 0;
  for (const a of absences) {
    if (a.kind !== 'vacation' || a.fromDate.slice(0, 4) !== String(year)) continue;
    if (a.status === 'approved') approvedDays += calendarDays(a.fromDate, a.toDate);
    else if (a.status === 'requested') requestedDays += calendarDays(a.fromDate, a.toDate);
  }
  return { year, allowanceDays, approvedDays, requestedDays, availableDays: allowanceDays - approvedDays - requestedDays };
}
