/**
 * The rules a planned shift must keep (issue 16, rotas), pure so the service checks a single shift and a whole
 * copied week alike. Shifts lie inside one day of the store (minutes from its midnight, end ≤ 24:00):
 * - the end after the start, the break shorter than the shift;
 * - no two shifts of a worker overlapping (whichever store);
 * - at most 9 h of ordinary work a day (Estatuto de los Trabajadores art. 34.3);
 * - at least 12 h between the end of one day's work and the start of the next (art. 34.3);
 * - more than 6 h in a row need a break of at least 15 min (art. 34.4);
 * - the week's planned hours within the contract's weekly hours (ISO week, Monday–Sunday).
 * Each broken rule is a field error in Spanish with English beside it.
 */
export interface PlannedShift {
  id?: string;
  employeeId: string;
  date: string;
  startMin: number;
  endMin: number;
  breakMin: number;
}
export interface FieldError { path: string; message: string }

export const MAX_ORDINARY_DAY_MIN = 9 * 60;
export const MIN_REST_MIN = 12 * 60;
export const CONTINUOUS_LIMIT_MIN = 6 * 60;
export const MIN_BREAK_MIN = 15;

const DAY_MS = 86_400_000;
export const dayIndex = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
export const dateOfIndex = (i: number) => new Date(i * DAY_MS).toISOString().slice(0, 10);
/** The Monday of a date's ISO week. */
export const mondayOf = (date: string) => {
  const i = dayIndex(date);
  return dateOfIndex(i - ((new Date(i * DAY_MS).getUTCDay() + 6) % 7));
};
export const workedOf = (s: Pick<PlannedShift, 'startMin' | 'endMin' | 'breakMin'>) => s.endMin - s.startMin - s.breakMin;
export const toMinutes = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
export const hm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
const hours = (min: number) => `${Math.floor(min / 60)}:${String(min % 60).padStart(2, '0')}`;

/**
 * What breaks the rules if `s` joins `others` (the same worker's other shifts, at least those of its week and
 * the days either side); `weeklyMinutes` is the contract in force that day (null: none).
 */
export function shiftRefusals(others: readonly PlannedShift[], s: PlannedShift, weeklyMinutes: number | null): FieldError[] {
  const errors: FieldError[] = [];
  if (s.endMin <= s.startMin) {
    errors.push({ path: 'end', message: 'la salida debe ser posterior a la entrada, en el mismo día · the end must be after the start, on the same day' });
    return errors;
  }
  const worked = workedOf(s);
  if (worked <= 0) errors.push({ path: 'breakMinutes', message: 'la pausa no puede durar todo el turno · the break cannot fill the whole shift' });
  if (s.endMin - s.startMin > CONTINUOUS_LIMIT_MIN && s.breakMin < MIN_BREAK_MIN) {
    errors.push({ path: 'breakMinutes', message: `más de 6 h seguidas necesitan una pausa de ${MIN_BREAK_MIN} min como mínimo · over 6 h in a row need a break of at least ${MIN_BREAK_MIN} min` });
  }
  if (weeklyMinutes === null) errors.push({ path: 'employeeId', message: `sin contrato en vigor el ${s.date} · no contract in force on ${s.date}` });
  const mine = others.filter((o) => o.employeeId === s.employeeId && o.id !== s.id);
  const sameDay = mine.filter((o) => o.date === s.date);
  const overlap = sameDay.find((o) => o.startMin < s.endMin && s.startMin < o.endMin);
  if (overlap) errors.push({ path: 'start', message: `se solapa con el turno ${hm(overlap.startMin)}–${hm(overlap.endMin)} del ${s.date} · overlaps the shift ${hm(overlap.startMin)}–${hm(overlap.endMin)}` });
  const dayTotal = sameDay.reduce((t, o) => t + workedOf(o), 0) + worked;
  if (dayTotal > MAX_ORDINARY_DAY_MIN) {
    errors.push({ path: 'end', message: `${hours(dayTotal)} h en el día: más de 9 h ordinarias · ${hours(dayTotal)} h that day: over the 9 h ordinary maximum` });
  }
  // Rest between days: from the last end of the day before (or any earlier day) to this start, and from this end to the next day's first start.
  const at = (o: PlannedShift, min: number) => dayIndex(o.date) * 1440 + min;
  for (const o of mine) {
    if (o.date === s.date) continue;
    const gap = o.date < s.date ? at(s, s.startMin) - at(o, o.endMin) : at(o, o.startMin) - at(s, s.endMin);
    if (gap < MIN_REST_MIN) {
      errors.push({ path: 'start', message: `solo ${hours(gap)} h de descanso con el turno del ${o.date} (${hm(o.startMin)}–${hm(o.endMin)}): mínimo 12 h · only ${hours(gap)} h rest from the ${o.date} shift: 12 h at least` });
      break;
    }
  }
  if (weeklyMinutes !== null) {
    const monday = mondayOf(s.date);
    const week = mine.filter((o) => mondayOf(o.date) === monday).reduce((t, o) => t + workedOf(o), 0) + worked;
    if (week > weeklyMinutes) {
      errors.push({ path: 'end', message: `${hours(week)} h planificadas en la semana del ${monday}: el contrato son ${hours(weeklyMinutes)} h · ${hours(week)} h planned that week, the contract is ${hours(weeklyMinutes)} h` });
    }
  }
  return errors;
}
