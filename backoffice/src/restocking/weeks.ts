/**
 * Weeks of the sales rollup: a week is named by its Monday (`YYYY-MM-DD`, ISO weeks run Monday–Sunday), taken
 * from the ticket's business date (the till's local date). Pure date arithmetic in UTC: no time zone moves a day.
 */
const DAY_MS = 86_400_000;

const parse = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
const format = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The Monday of the week a `YYYY-MM-DD` date falls in. */
export function weekOf(date: string): string {
  const ms = parse(date);
  const dow = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return format(ms - dow * DAY_MS);
}

/** The week `n` weeks after (negative: before) a week's Monday. */
export const addWeeks = (week: string, n: number): string => format(parse(week) + n * 7 * DAY_MS);

/** A date `n` days after a `YYYY-MM-DD` date. */
export const addDaysTo = (date: string, n: number): string => format(parse(date) + n * DAY_MS);
