/**
 * HTTP schemas of people and the working-time record (issue 16): hiring (employee, personal data kept apart,
 * contract, till role and PIN), leaving, clock events in the back office, corrections and their approvals,
 * the monthly record, chain verification, the inspectorate's export, the retention purge, and the worker's
 * self-service session.
 */
import { z } from 'zod';
import { CLOCK_EVENTS } from '../../people/time-clock';
import { RowIdSchema } from '../limits';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'fecha AAAA-MM-DD / date YYYY-MM-DD');
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'mes AAAA-MM / month YYYY-MM');
const Instant = z.iso.datetime({ offset: true });
const opt = (s: z.ZodString) => s.nullable().default(null);

export const CONTRACT_TYPES = ['indefinido', 'temporal', 'fijo_discontinuo', 'practicas', 'formacion'] as const;
export const TILL_ROLES = ['cashier', 'supervisor', 'manager'] as const;

export const EmployeeIdParam = z.object({ id: RowIdSchema });
export const CorrectionParams = z.object({ id: RowIdSchema, correctionId: RowIdSchema });
export const SelfCorrectionParams = z.object({ correctionId: RowIdSchema });

export const PersonalBody = z.strictObject({
  nif: opt(z.string().trim().max(16)),
  socialSecurityNumber: opt(z.string().trim().max(20)),
  birthDate: Day.nullable().default(null),
  address: opt(z.string().trim().max(300)),
  phone: opt(z.string().trim().max(30)),
  email: z.email().max(254).nullable().default(null),
  iban: opt(z.string().trim().max(34)),
});

export const ContractBody = z.strictObject({
  type: z.enum(CONTRACT_TYPES),
  /** Contracted hours a week (37.5 = 37 h 30 min), at most 40 (the legal ordinary maximum). */
  weeklyHours: z.number().positive().max(40),
  startsOn: Day,
  endsOn: Day.nullable().default(null),
});

export const HireBody = z.strictObject({
  companyId: RowIdSchema,
  /** The store they work at; null: every store of the company (or HQ staff). */
  storeId: RowIdSchema.nullable().default(null),
  code: z.string().trim().min(1).max(16),
  name: z.string().trim().min(1).max(200),
  jobTitle: opt(z.string().trim().max(80)),
  /** A till role makes them till staff (the same record: their PIN and rights go to the tills of their stores). */
  tillRole: z.enum(TILL_ROLES).nullable().default(null),
  pin: z.string().regex(/^\d{4,8}$/, 'PIN de 4 a 8 cifras / a PIN of 4 to 8 digits').optional(),
  /** A back-office user who is this worker (HQ staff clocking in the back office). */
  userId: RowIdSchema.nullable().default(null),
  /** Password for the self-service page (till staff may also sign in there with their PIN). */
  selfServicePassword: z.string().min(8).max(200).optional(),
  hiredOn: Day,
  contract: ContractBody,
  personal: PersonalBody.optional(),
});
export type HireBody = z.output<typeof HireBody>;

export const LeaveBody = z.strictObject({ leftOn: Day, reason: z.string().trim().min(3).max(300) });

export const EmployeeListQuery = z.object({
  storeId: RowIdSchema.optional(),
  includeLeft: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

export const ClockBody = z.strictObject({ employeeId: RowIdSchema, event: z.enum(CLOCK_EVENTS) });

export const CorrectionBody = z.strictObject({
  /** The original clock record; for a missed event (a forgotten clock-out), the clock-in of that shift. */
  correctsId: RowIdSchema,
  event: z.enum(CLOCK_EVENTS),
  at: Instant,
  reason: z.string().trim().min(3, 'explique el motivo / give the reason').max(500),
});

export const MonthQuery = z.object({ month: Month });
export const ExportQuery = z.object({ month: Month, companyId: RowIdSchema.optional(), storeId: RowIdSchema.optional() });
export const ChainQuery = z.object({ chain: z.string().min(1).max(48) });
export const PurgeBody = z.strictObject({ before: Day });
export const PurgeOut = z.object({ deleted: z.int(), before: z.string() });
/** Who approves: the company (manager/HR over the worker) or the worker themselves. */
export const ApproveBody = z.strictObject({ party: z.enum(['company', 'worker']) });

export const SelfServiceLoginBody = z.strictObject({
  /** The company's NIF and the employee's code identify the worker. */
  companyNif: z.string().trim().min(1).max(16),
  code: z.string().trim().min(1).max(16),
  /** The self-service password, or the till PIN. */
  secret: z.string().min(4).max(200),
});

const RecordOut = z.object({
  id: z.string(), chainKey: z.string(), seq: z.int(), kind: z.string(), event: z.string().nullable(), at: z.string(), correctsId: z.string().nullable(),
  party: z.string().nullable(), reason: z.string().nullable(), source: z.string(), terminalId: z.string().nullable(), recordedBy: z.string().nullable(),
  recordedAt: z.string(), hash: z.string(),
});
export const EmployeeOut = z.object({
  id: z.string(), companyId: z.string(), storeId: z.string().nullable(), code: z.string(), name: z.string(), jobTitle: z.string().nullable(),
  tillRole: z.string().nullable(), staffId: z.string().nullable(), userId: z.string().nullable(), hiredOn: z.string(), leftOn: z.string().nullable(),
});
export const EmployeeDetail = z.object({
  employee: EmployeeOut,
  contracts: z.array(z.object({ id: z.string(), type: z.string(), weeklyMinutes: z.int(), startsOn: z.string(), endsOn: z.string().nullable() })),
  /** Only for HR roles (hr.read); absent otherwise. */
  personal: PersonalBody.partial().optional(),
});
export const EmployeeList = z.object({ items: z.array(EmployeeOut) });
/** `rejected`: the worker's rejection (at the till): the correction never takes effect. */
export const CorrectionOut = z.object({ correction: RecordOut, company: RecordOut.nullable(), worker: RecordOut.nullable(), rejected: RecordOut.nullable(), effective: z.boolean() });
export const MonthOut = z.object({
  employee: EmployeeOut,
  month: z.string(),
  timeZone: z.string(),
  records: z.array(RecordOut),
  corrections: z.array(CorrectionOut),
  shifts: z.array(z.object({ date: z.string(), start: z.number(), end: z.number().nullable(), workedMinutes: z.int(), breakMinutes: z.int(), flags: z.array(z.string()) })),
  totals: z.object({
    workedMinutes: z.int(), ordinaryMinutes: z.int(), overtimeMinutes: z.int(),
    days: z.array(z.object({ date: z.string(), workedMinutes: z.int(), breakMinutes: z.int(), shifts: z.int() })),
    weeks: z.array(z.object({ weekOf: z.string(), days: z.int(), workedMinutes: z.int(), ordinaryAllowanceMinutes: z.int(), ordinaryMinutes: z.int(), overtimeMinutes: z.int() })),
  }),
});
export const ChainCheckOut = z.object({
  chainKey: z.string(), ok: z.boolean(), records: z.int(),
  broken: z.object({ seq: z.int(), reason: z.enum(['hash', 'link', 'gap']) }).nullable(),
});
export const RecordOutSchema = RecordOut;
export const SelfServiceSession = z.object({ token: z.string(), expiresAt: z.string(), employee: EmployeeOut });
