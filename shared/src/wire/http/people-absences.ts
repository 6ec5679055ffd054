/**
 * HTTP schemas of absences and holidays (issue 16): a manager records an absence for a worker or decides a
 * request; a worker asks for one on the self-service page; lists and a worker's yearly holiday balance.
 */
import { z } from 'zod';
import { ABSENCE_KINDS, ABSENCE_STATUSES } from '../../people/absences';
import { RowIdSchema } from '../limits';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'fecha AAAA-MM-DD / date YYYY-MM-DD');

export const AbsenceIdParam = z.object({ id: RowIdSchema });
export const AbsenceBody = z.strictObject({
  kind: z.enum(ABSENCE_KINDS),
  fromDate: Day,
  toDate: Day,
  note: z.string().trim().max(500).nullable().optional(),
});
export const AbsenceRecordBody = AbsenceBody.extend({ employeeId: RowIdSchema });
export const AbsenceDecisionBody = z.strictObject({ decision: z.enum(['approve', 'refuse']), note: z.string().trim().max(500).optional() });
export const AbsenceListQuery = z.object({
  status: z.enum(ABSENCE_STATUSES).optional(),
  employeeId: RowIdSchema.optional(),
  from: Day.optional(),
  to: Day.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const AbsenceYearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export const AbsenceOut = z.object({
  id: z.string(), employeeId: z.string(), employeeCode: z.string(), employeeName: z.string(), companyId: z.string(), storeId: z.string().nullable(),
  kind: z.enum(ABSENCE_KINDS), fromDate: z.string(), toDate: z.string(), days: z.number().int(), note: z.string().nullable(), status: z.enum(ABSENCE_STATUSES),
  requestedByKind: z.enum(['user', 'worker']), requestedBy: z.string(), requestedAt: z.string(),
  decidedBy: z.string().nullable(), decidedByName: z.string().nullable(), decidedAt: z.string().nullable(), decisionNote: z.string().nullable(),
});
export type AbsenceOut = z.infer<typeof AbsenceOut>;
export const AbsenceList = z.object({ items: z.array(AbsenceOut) });
export const HolidayBalanceOut = z.object({
  year: z.number().int(), allowanceDays: z.number().int(), approvedDays: z.number().int(), requestedDays: z.number().int(), availableDays: z.number().int(),
});
export const EmployeeAbsencesOut = z.object({ balance: HolidayBalanceOut, items: z.array(AbsenceOut) });
export type EmployeeAbsencesOut = z.infer<typeof EmployeeAbsencesOut>;
