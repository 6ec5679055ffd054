/**
 * HTTP shapes of the tills' daily sales entries (issue 14): posting the pending till session-days up to a date
 * (a job), what is still pending per company, store and day, and the reconciliation of tickets and journal.
 */
import { z } from 'zod';

const IsoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date as yyyy-mm-dd');
const Id = z.string().min(1).max(64);

export const SalesPostingBody = z.strictObject({
  /** Last business date to post (at most today); null: yesterday (days that are over). */
  throughDate: IsoDate.nullable().default(null),
  /** null: every company in the caller's scope (HQ: all). */
  companyIds: z.array(Id).min(1).max(10_000).nullable().default(null),
});
export type SalesPostingBody = z.infer<typeof SalesPostingBody>;
export const JobStartedSchema = z.object({ jobId: z.string() });

export const SalesPostingResultSchema = z.object({
  throughDate: z.string(),
  companies: z.number().int(),
  entries: z.number().int(),
  unchanged: z.number().int(),
  moved: z.number().int(),
  totalCents: z.number().int(),
  unbalanced: z.array(z.string()),
});
export type SalesPostingResult = z.infer<typeof SalesPostingResultSchema>;

export const PendingQuery = z.object({ companyId: Id.optional() });
export const PendingDaySchema = z.object({
  companyId: z.string(),
  storeId: z.string(),
  storeCode: z.string(),
  businessDate: z.string(),
  sessions: z.number().int(),
  pendingCents: z.number().int(),
  baseCents: z.number().int(),
});
export type PendingDay = z.infer<typeof PendingDaySchema>;
export const PendingSchema = z.object({ days: z.array(PendingDaySchema) });

export const RebuildBody = z.strictObject({ storeIds: z.array(Id).min(1).max(10_000).nullable().default(null) });

export const ReconciliationParams = z.object({ companyId: Id });
export const ReconciliationQuery = z
  .object({ from: IsoDate, to: IsoDate })
  .refine((q) => q.from <= q.to, { message: 'from is after to', path: ['to'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, { message: 'at most a year', path: ['to'] });
export const ReconciliationRowSchema = z.object({
  storeId: z.string(),
  storeCode: z.string(),
  businessDate: z.string(),
  ivaRateBp: z.number().int(),
  ticketsBaseCents: z.number().int(),
  ticketsIvaCents: z.number().int(),
  journalBaseCents: z.number().int(),
  journalIvaCents: z.number().int(),
  diffBaseCents: z.number().int(),
  diffIvaCents: z.number().int(),
  pending: z.boolean(),
});
export type ReconciliationRow = z.infer<typeof ReconciliationRowSchema>;
export const ReconciliationSchema = z.object({ companyId: z.string(), from: z.string(), to: z.string(), rows: z.array(ReconciliationRowSchema) });
