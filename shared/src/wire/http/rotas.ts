/**
 * HTTP schemas of rotas (issue 16): a store's weekly shift plan — shifts (employee, day, start, end, unpaid
 * break), a week copied from another (the previous one, or any week kept as the template), and the week's
 * view per employee × day beside the store's sales per hour.
 */
import { z } from 'zod';
import { RowIdSchema } from '../limits';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'fecha AAAA-MM-DD / date YYYY-MM-DD');
/** A week by its Monday. */
const Monday = Day.refine((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 1, 'la semana se indica por su lunes / a week is given by its Monday');
/** A wall-clock time in the store, 00:00–24:00 (24:00 ends a shift at midnight). */
const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'hora HH:MM / time HH:MM');

export const ShiftBody = z.strictObject({
  storeId: RowIdSchema,
  employeeId: RowIdSchema,
  date: Day,
  start: HourMinute,
  end: HourMinute,
  /** Unpaid break inside the shift, in minutes. */
  breakMinutes: z.number().int().min(0).max(240).default(0),
});
export type ShiftBody = z.infer<typeof ShiftBody>;

export const ShiftOut = z.object({
  id: z.string(), storeId: z.string(), employeeId: z.string(), date: z.string(), start: z.string(), end: z.string(), breakMinutes: z.number(), workedMinutes: z.number(),
});
export const ShiftIdParam = z.object({ id: RowIdSchema });
export const WeekQuery = z.object({ storeId: RowIdSchema, week: Monday });
export const CopyWeekBody = z.strictObject({ storeId: RowIdSchema, fromWeek: Monday, toWeek: Monday });
export const CopyWeekOut = z.object({ created: z.number(), shifts: z.array(ShiftOut) });

export const WeekOut = z.object({
  storeId: z.string(),
  week: z.string(),
  days: z.array(z.string()),
  timeZone: z.string(),
  employees: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), weeklyMinutes: z.number().nullable(), plannedMinutes: z.number() })),
  shifts: z.array(ShiftOut),
  /** Per day and hour (store time) with sales or staff: tickets, sales in cents, and people planned at work in that hour. */
  hours: z.array(z.object({ date: z.string(), hour: z.number(), tickets: z.number(), salesCents: z.number(), staff: z.number() })),
  /** Where the sales figures come from. */
  salesSource: z.string(),
});
export const ShiftDeleted = z.object({ deleted: z.string() });

// ── named templates: a store's week kept by weekday and employee, no dates ──
const TemplateName = z.string().trim().min(1, 'el nombre es obligatorio / a name is required').max(80);
export const TemplateIdParam = z.object({ id: RowIdSchema });
export const TemplateListQuery = z.object({ storeId: RowIdSchema });
/** Save the store's shifts of `week` under `name` (unique per store). */
export const TemplateBody = z.strictObject({ storeId: RowIdSchema, name: TemplateName, week: Monday });
export const TemplateRenameBody = z.strictObject({ name: TemplateName });
/** Apply to `week`: every shift passes the rules or none is written; employees no longer at the store refused unless `skipMissing`. */
export const ApplyTemplateBody = z.strictObject({ week: Monday, skipMissing: z.boolean().default(false) });
export const TemplateShiftOut = z.object({
  employeeId: z.string(), employeeName: z.string(),
  /** 0 = Monday … 6 = Sunday. */
  weekday: z.int().min(0).max(6),
  start: z.string(), end: z.string(), breakMinutes: z.number(), workedMinutes: z.number(),
});
export const TemplateOut = z.object({
  id: z.string(), storeId: z.string(), name: z.string(), createdBy: z.string(), createdAt: z.string(), updatedAt: z.string(), shifts: z.array(TemplateShiftOut),
});
export const TemplateList = z.object({ items: z.array(TemplateOut) });
export const TemplateDeleted = z.object({ deleted: z.string() });
export const ApplyTemplateOut = z.object({
  created: z.number(), shifts: z.array(ShiftOut),
  /** Template shifts left out (`skipMissing`): employees no longer at the store that day. */
  skipped: z.array(z.object({ employeeId: z.string(), employeeName: z.string(), date: z.string(), reason: z.string() })),
});
